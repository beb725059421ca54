import * as z from 'zod/mini';

/**
 * The parts of Primero's metadata responses the reference refresh reads
 * (primero-api-facts.md, addendum and §4). Loose: other keys are ignored, and
 * a missing translation may be an empty string or an absent key. zod/mini:
 * these are inlined into the built fetch and upsert jobs.
 */
export const I18nSchema = z.optional(z.nullable(z.record(z.string(), z.optional(z.nullable(z.string())))));
export type I18n = z.infer<typeof I18nSchema>;

const code = () => z.pipe(z.union([z.string(), z.number()]), z.transform(String));

export const OptionSchema = z.object({ id: code(), display_text: I18nSchema });
export type PrimeroOption = z.infer<typeof OptionSchema>;

export const LookupSchema = z.object({
  unique_id: z.string(),
  name: I18nSchema,
  values: z.optional(z.nullable(z.array(OptionSchema))),
});
export type PrimeroLookup = z.infer<typeof LookupSchema>;

export const FormFieldSchema = z.object({
  name: z.string(),
  type: z.optional(z.string()),
  display_name: I18nSchema,
  option_strings_source: z.optional(z.nullable(z.string())),
  // Primero sends either the list or (for lookups) null.
  option_strings_text: z.optional(z.nullable(z.array(OptionSchema))),
  subform_section_unique_id: z.optional(z.nullable(z.string())),
});
export type PrimeroFormField = z.infer<typeof FormFieldSchema>;

export const FormSchema = z.object({
  unique_id: z.string(),
  name: I18nSchema,
  is_nested: z.optional(z.nullable(z.boolean())),
  fields: z._default(z.array(FormFieldSchema), []),
});
export type PrimeroForm = z.infer<typeof FormSchema>;

export const LocationSchema = z.object({
  id: z.optional(z.union([z.number(), z.string()])),
  code: code(),
  type: z.optional(z.nullable(z.string())),
  admin_level: z.optional(z.nullable(z.int())),
  name: I18nSchema,
  placename: I18nSchema,
  hierarchy: z.optional(z.nullable(z.array(code()))),
  disabled: z.optional(z.nullable(z.boolean())),
});
export type PrimeroLocation = z.infer<typeof LocationSchema>;

/** A label in both languages; null where there is none. */
export interface Label {
  en: string | null;
  km: string | null;
}

export function labelOf(i18n: I18n): Label {
  const pick = (v: string | null | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  return { en: pick(i18n?.en), km: pick(i18n?.km) };
}
