import { z } from 'zod';

/**
 * The parts of Primero's metadata responses the reference refresh reads
 * (primero-api-facts.md, addendum and §4). Loose: other keys are ignored, and
 * a missing translation may be an empty string or an absent key.
 */
export const I18nSchema = z.record(z.string(), z.string().nullable().optional()).nullable().optional();
export type I18n = z.infer<typeof I18nSchema>;

export const OptionSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), display_text: I18nSchema });
export type PrimeroOption = z.infer<typeof OptionSchema>;

export const LookupSchema = z.object({
  unique_id: z.string(),
  name: I18nSchema,
  values: z.array(OptionSchema).nullable().optional(),
});
export type PrimeroLookup = z.infer<typeof LookupSchema>;

export const FormFieldSchema = z.object({
  name: z.string(),
  type: z.string().optional(),
  display_name: I18nSchema,
  option_strings_source: z.string().nullable().optional(),
  // Primero sends either the list or (for lookups) null.
  option_strings_text: z.array(OptionSchema).nullable().optional(),
  subform_section_unique_id: z.string().nullable().optional(),
});
export type PrimeroFormField = z.infer<typeof FormFieldSchema>;

export const FormSchema = z.object({
  unique_id: z.string(),
  name: I18nSchema,
  is_nested: z.boolean().nullable().optional(),
  fields: z.array(FormFieldSchema).default([]),
});
export type PrimeroForm = z.infer<typeof FormSchema>;

export const LocationSchema = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  code: z.union([z.string(), z.number()]).transform(String),
  type: z.string().nullable().optional(),
  admin_level: z.number().int().nullable().optional(),
  name: I18nSchema,
  placename: I18nSchema,
  hierarchy: z.array(z.union([z.string(), z.number()]).transform(String)).nullable().optional(),
  disabled: z.boolean().nullable().optional(),
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
