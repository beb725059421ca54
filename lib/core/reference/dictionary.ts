import type { BundledLabels } from './bundled.ts';
import { COLUMN_SOURCES, type ColumnSource } from './columns.ts';
import { labelOf, type PrimeroForm, type PrimeroFormField, type PrimeroLookup, type PrimeroOption } from './schemas.ts';

/**
 * Pure: Primero's forms and lookups (or nothing, when Primero refused) plus
 * the bundled option tables -> the rows of `data_dictionary`, and the
 * warnings a person running the sync should read.
 */
export interface DictionaryRow {
  table_name: string;
  column_name: string;
  primero_field: string | null;
  option_id: string | null;
  label_en: string | null;
  label_km: string | null;
  source: 'primero' | 'bundled';
}

export interface PrimeroMetadata {
  lookups: PrimeroLookup[];
  forms: PrimeroForm[];
}

export interface BuildDictionaryInput {
  /** null when Primero could not be read: everything comes from the bundle. */
  metadata: PrimeroMetadata | null;
  bundled: BundledLabels;
  /** Columns that exist in the database; ones the project does not describe get a row labelled by name. */
  tableColumns?: ReadonlyArray<{ table: string; column: string }>;
}

export interface Dictionary {
  rows: DictionaryRow[];
  warnings: string[];
}

interface FieldIndex {
  top: Map<string, PrimeroFormField>;
  nested: Map<string, PrimeroFormField>;
}

function indexFields(forms: readonly PrimeroForm[]): FieldIndex {
  const nestedIds = new Set(forms.flatMap((f) => f.fields.map((x) => x.subform_section_unique_id).filter((x): x is string => !!x)));
  const top = new Map<string, PrimeroFormField>();
  const nested = new Map<string, PrimeroFormField>();
  for (const form of forms) {
    const into = form.is_nested || nestedIds.has(form.unique_id) ? nested : top;
    for (const field of form.fields) if (!into.has(field.name)) into.set(field.name, field);
  }
  return { top, nested };
}

function findField(index: FieldIndex, source: ColumnSource): PrimeroFormField | undefined {
  if (!source.primeroField) return undefined;
  // Service columns live in the services subform; case columns on the case's own forms.
  const [first, second] = source.table === 'services' ? [index.nested, index.top] : [index.top, index.nested];
  return first.get(source.primeroField) ?? second.get(source.primeroField);
}

function optionsOf(field: PrimeroFormField | undefined, lookups: ReadonlyMap<string, PrimeroLookup>): PrimeroOption[] | undefined {
  if (!field) return undefined;
  if (field.option_strings_text && field.option_strings_text.length > 0) return field.option_strings_text;
  const src = field.option_strings_source?.trim();
  if (src?.startsWith('lookup ')) return lookups.get(src.slice('lookup '.length).trim())?.values ?? undefined;
  return undefined;
}

export function buildDictionary(input: BuildDictionaryInput): Dictionary {
  const rows: DictionaryRow[] = [];
  const warnings: string[] = [];
  const index = indexFields(input.metadata?.forms ?? []);
  const lookups = new Map((input.metadata?.lookups ?? []).map((l) => [l.unique_id, l]));
  const missingColumnLabels: string[] = [];

  for (const source of COLUMN_SOURCES) {
    const field = findField(index, source);
    const primero = source.labelFromPrimero && field ? labelOf(field.display_name) : null;
    if (source.labelFromPrimero && input.metadata && !primero?.en) missingColumnLabels.push(`${source.table}.${source.column}`);
    rows.push({
      table_name: source.table,
      column_name: source.column,
      primero_field: source.primeroField,
      option_id: null,
      label_en: primero?.en ?? source.en,
      // A Khmer label only counts as Primero's if its English one does too.
      label_km: primero?.en ? (primero.km ?? source.km) : source.km,
      source: primero?.en ? 'primero' : 'bundled',
    });
    if (source.options) rows.push(...optionRows(source, optionsOf(field, lookups), input, warnings));
  }
  if (missingColumnLabels.length) {
    warnings.push(`Primero has no label for ${missingColumnLabels.length} column(s) (${missingColumnLabels.join(', ')}): using the bundled labels`);
  }

  const described = new Set(COLUMN_SOURCES.map((s) => `${s.table}.${s.column}`));
  for (const { table, column } of input.tableColumns ?? []) {
    if (described.has(`${table}.${column}`)) continue;
    rows.push({ table_name: table, column_name: column, primero_field: null, option_id: null, label_en: column, label_km: null, source: 'bundled' });
  }
  return { rows, warnings };
}

function optionRows(source: ColumnSource, options: PrimeroOption[] | undefined, input: BuildDictionaryInput, warnings: string[]): DictionaryRow[] {
  const field = source.primeroField!;
  const bundle = input.bundled[field] ?? {};
  const rows = new Map<string, DictionaryRow>();
  let fromBundle = 0;
  let noKhmer = 0;
  for (const o of options ?? []) {
    const l = labelOf(o.display_text);
    const fallback = bundle[o.id];
    if (!l.en && fallback) fromBundle++;
    if (!l.km) noKhmer++;
    rows.set(o.id, {
      table_name: source.table,
      column_name: source.column,
      primero_field: field,
      option_id: o.id,
      label_en: l.en ?? fallback ?? null,
      label_km: l.km,
      source: l.en || !fallback ? 'primero' : 'bundled',
    });
  }
  // Codes the deployment knew and Primero no longer lists can still sit in old cases.
  let added = 0;
  for (const [id, en] of Object.entries(bundle)) {
    if (rows.has(id)) continue;
    added++;
    rows.set(id, { table_name: source.table, column_name: source.column, primero_field: field, option_id: id, label_en: en, label_km: null, source: 'bundled' });
  }
  const where = `${source.table}.${source.column} (${field})`;
  if (input.metadata) {
    if (options === undefined && added) warnings.push(`${where}: Primero lists no options; using ${added} bundled English labels`);
    else if (added) warnings.push(`${where}: ${added} option(s) missing in Primero; using the bundled English labels for them`);
    if (fromBundle) warnings.push(`${where}: ${fromBundle} option(s) without an English label in Primero; using the bundled ones`);
    if (noKhmer) warnings.push(`${where}: ${noKhmer} option(s) without a Khmer label in Primero`);
  }
  return [...rows.values()];
}
