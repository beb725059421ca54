import * as z from 'zod/mini';
import { FormSchema, LocationSchema, LookupSchema, type PrimeroForm, type PrimeroLocation, type PrimeroLookup } from './schemas.ts';

/**
 * Where reference data comes from. The refresh only sees this interface, so
 * it is tested with fixtures as well as against the simulator.
 */
export interface ReferenceSource {
  lookups(): Promise<PrimeroLookup[]>;
  forms(): Promise<PrimeroForm[]>;
  locations(): Promise<PrimeroLocation[]>;
}

/** What the source needs of the Primero client (lib/primero/client.ts fits). */
export interface PagedPrimeroClient {
  getAllPages(path: string, query?: any): Promise<{ data: unknown[] }>;
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

export function primeroReferenceSource(client: PagedPrimeroClient): ReferenceSource {
  return {
    lookups: async () => parseAll('lookups', LookupSchema, (await client.getAllPages('lookups', { per: 1000 })).data),
    forms: async () => parseAll('forms', FormSchema, (await client.getAllPages('forms', { record_type: 'case' })).data),
    // order_by: without it Primero pages locations in no defined order.
    locations: async () =>
      parseAll('locations', LocationSchema, (await client.getAllPages('locations', { hierarchy: true, order_by: 'code', per: 1000 })).data),
  };
}

/** A fixed source (tests, or metadata read from files). */
export function staticReferenceSource(data: { lookups?: unknown[]; forms?: unknown[]; locations?: unknown[] }): ReferenceSource {
  return {
    lookups: async () => parseAll('lookups', LookupSchema, data.lookups ?? []),
    forms: async () => parseAll('forms', FormSchema, data.forms ?? []),
    locations: async () => parseAll('locations', LocationSchema, data.locations ?? []),
  };
}
