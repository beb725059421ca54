import * as z from 'zod/mini';
import { FormSchema, LocationSchema, LookupSchema, type PrimeroForm, type PrimeroLocation, type PrimeroLookup } from './schemas.ts';

/**
 * Reference data from what the fetch job read of Primero's lookups, forms and
 * locations, checked against the shapes the dictionary and locations are
 * built from (lib/reference/update.ts).
 */
export interface ReferenceSource {
  lookups(): Promise<PrimeroLookup[]>;
  forms(): Promise<PrimeroForm[]>;
  locations(): Promise<PrimeroLocation[]>;
}

export class ReferenceShapeError extends Error {
  override readonly name = 'ReferenceShapeError';
}

function parseAll<T extends z.ZodMiniType>(what: string, schema: T, items: unknown[]): z.output<T>[] {
  const parsed = z.array(schema).safeParse(items);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReferenceShapeError(`Primero ${what} do not have the expected shape (${issue?.path.join('.')}: ${issue?.message})`);
  }
  return parsed.data;
}

/** The lists as fetched, each checked as a whole: one item of an unexpected shape and the list is not used. */
export function staticReferenceSource(data: { lookups?: unknown[]; forms?: unknown[]; locations?: unknown[] }): ReferenceSource {
  return {
    lookups: async () => parseAll('lookups', LookupSchema, data.lookups ?? []),
    forms: async () => parseAll('forms', FormSchema, data.forms ?? []),
    locations: async () => parseAll('locations', LocationSchema, data.locations ?? []),
  };
}
