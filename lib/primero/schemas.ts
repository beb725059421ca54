/**
 * zod schemas of what Primero answers (primero-api-facts.md §2.7, §2.8, §4,
 * addendum). A response that breaks them is a clear error, not a crash later.
 * Records are passthrough objects: deployments add fields.
 */
import { z } from 'zod';

export const pageMetadataSchema = z.object({
  total: z.number().int().nonnegative(),
  per: z.number().int().nonnegative(),
  page: z.number().int(),
});
export type PageMetadata = z.infer<typeof pageMetadataSchema>;

export const caseSchema = z
  .object({
    id: z.string().min(1),
    enabled: z.boolean().optional(),
    last_updated_at: z.string().optional(),
  })
  .loose();
export type PrimeroCase = z.infer<typeof caseSchema>;

/**
 * Any paged list: `{data: [...], metadata?: {total, per, page}}`. Malformed
 * metadata is read as absent: the sync then pages on while pages come back
 * full, instead of losing the page's records.
 */
export const listResponseSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), metadata: pageMetadataSchema.optional().catch(undefined) }).loose();

/**
 * One case in a list, as the sync takes it: anything. A record without a
 * usable id (or not even an object) must not cost the rest of its page; the
 * mapping rejects it into sync_rejects with the reason.
 */
export const caseListItemSchema = z.unknown();

export const casesResponseSchema = listResponseSchema(caseSchema);

const i18nSchema = z.record(z.string(), z.string().nullable());

export const locationSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    type: z.string().nullable().optional(),
    disabled: z.boolean().optional(),
    name: i18nSchema,
    admin_level: z.number().int().optional(),
    placename: i18nSchema.optional(),
    hierarchy: z.array(z.string()).optional(),
  })
  .loose();
export type PrimeroLocation = z.infer<typeof locationSchema>;

export const optionSchema = z.object({ id: z.string(), display_text: i18nSchema }).loose();

export const lookupSchema = z
  .object({ id: z.number().int(), unique_id: z.string(), name: i18nSchema, values: z.array(optionSchema) })
  .loose();
export type PrimeroLookup = z.infer<typeof lookupSchema>;

export const formFieldSchema = z
  .object({
    name: z.string(),
    type: z.string(),
    display_name: i18nSchema.optional(),
    option_strings_source: z.string().nullable().optional(),
    option_strings_text: z.array(optionSchema).nullable().optional(),
  })
  .loose();

export const formSchema = z
  .object({ id: z.number().int(), unique_id: z.string(), name: i18nSchema.optional(), fields: z.array(formFieldSchema) })
  .loose();
export type PrimeroForm = z.infer<typeof formSchema>;

export const errorEnvelopeSchema = z.object({
  errors: z.array(z.object({ status: z.number().optional(), code: z.number().optional(), resource: z.string().optional(), message: z.string().optional(), detail: z.unknown().optional() }).loose()),
});
export const authErrorSchema = z.object({ error: z.string() });

export const loginResponseSchema = z
  .object({ id: z.union([z.number(), z.string()]), user_name: z.string(), token: z.string().optional() })
  .loose();

/** The schema for a list endpoint path, by its last segment. */
export function itemSchemaFor(path: string): z.ZodType {
  if (/\/cases$/.test(path)) return caseListItemSchema;
  if (/\/locations$/.test(path)) return locationSchema;
  if (/\/lookups$/.test(path)) return lookupSchema;
  if (/\/forms$/.test(path)) return formSchema;
  return z.unknown();
}
