import COLUMN_SOURCES from '../../db/reference/columns.json' with { type: 'json' };
import type { Label } from './labels.ts';

/**
 * The field and reason of a reject or note, in English and Khmer, for the
 * dashboard's data-quality tables. The field keeps its Primero name beside
 * the Khmer label (the name is what an operator searches Primero for); a
 * reason the table below does not know stays in English rather than be lost.
 */
const FIELD_KM: Record<string, string> = {
  '(record)': 'កំណត់ត្រាទាំងមូល',
  services_section: 'សេវា',
  location_current: 'ទីតាំងបច្ចុប្បន្ន',
  location_caregiver: 'ទីតាំងអ្នកថែទាំ',
};

/** Khmer labels of Primero fields, from the columns they fill (the label column, not its code). */
function khmerOfField(field: string): string | undefined {
  if (FIELD_KM[field]) return FIELD_KM[field];
  const name = field.replace(/^services_section\./, '');
  const source = COLUMN_SOURCES.find((c) => c.primeroField === name && !c.column.endsWith('_code') && !c.column.endsWith('_codes'));
  return source?.km;
}

export function fieldLabel(field: string | null): Label {
  if (field === null) return { en: '', km: '' };
  const km = khmerOfField(field);
  return { en: field, km: km ? `${km} (${field})` : field };
}

/** Reasons as the sync writes them (lib/core/mapping, lib/core/batch-plan), identifiers already cut to "…". */
const REASONS_KM: readonly [RegExp, string][] = [
  [/^unknown (\S+) option code; kept as the code$/, 'កូដជម្រើស $1 មិនស្គាល់ ដូច្នេះរក្សាទុកជាកូដ'],
  [/^option code too long$/, 'កូដជម្រើសវែងពេក'],
  [/^expected an option code, got (\S+)$/, 'រំពឹងកូដជម្រើស តែបានទទួល $1'],
  [/^age out of range$/, 'អាយុនៅក្រៅចន្លោះ'],
  [/^age is not a whole number$/, 'អាយុមិនមែនជាចំនួនគត់'],
  [/^location code is not 1-8 digits$/, 'លេខកូដទីតាំងមិនមែនជាលេខ ១ ដល់ ៨ ខ្ទង់'],
  [/^location code starts with 0 .*$/, 'លេខកូដទីតាំងចាប់ផ្តើមដោយលេខ 0 (Primero រក្សាទុកលេខកូដដោយគ្មានលេខ 0 នៅខាងមុខ)'],
  [/^province code not in locations_lookup; .*$/, 'លេខកូដខេត្តមិនមានក្នុង locations_lookup៖ រក្សាទុកក្នុងលេខកូដទីតាំង ឈ្មោះទុកទទេ'],
  [/^district code not in locations_lookup; .*$/, 'លេខកូដស្រុកមិនមានក្នុង locations_lookup៖ រក្សាទុកក្នុងលេខកូដទីតាំង ឈ្មោះទុកទទេ'],
  [/^expected an array, read a single code$/, 'រំពឹងបញ្ជី តែបានអានកូដតែមួយ'],
  [/^expected an array, got (\S+); no services loaded$/, 'រំពឹងបញ្ជី តែបានទទួល $1៖ មិនបានផ្ទុកសេវាទេ'],
  [/^expected an array, got (\S+)$/, 'រំពឹងបញ្ជី តែបានទទួល $1'],
  [/^non-code entries dropped$/, 'ធាតុដែលមិនមែនជាកូដត្រូវបានដកចេញ'],
  [/^not true or false; read as false$/, 'មិនមែន true ឬ false៖ អានជា false'],
  [/^service entry (\S+) is not an object$/, 'ធាតុសេវាទី $1 មិនមែនជាវត្ថុ (object)'],
  [/^service entry (\S+) has no valid unique_id; not loaded$/, 'ធាតុសេវាទី $1 គ្មាន unique_id ត្រឹមត្រូវ៖ មិនបានផ្ទុក'],
  [/^service (\S+): not a date-time$/, 'សេវា $1៖ មិនមែនជាកាលបរិច្ឆេទ និងម៉ោង'],
  [/^service (\S+) appears twice in the case; last kept$/, 'សេវា $1 មានពីរដងក្នុងករណី៖ រក្សាទុកចុងក្រោយ'],
  [/^service (\S+) also belongs to case (\S+); not loaded$/, 'សេវា $1 ក៏ជារបស់ករណី $2 ដែរ៖ មិនបានផ្ទុក'],
  [/^service (\S+) already loaded under case (\S+)$/, 'សេវា $1 បានផ្ទុករួចហើយក្រោមករណី $2'],
  [/^case_id_display also used by Primero record (\S+)$/, 'case_id_display ក៏ត្រូវបានប្រើដោយកំណត់ត្រា Primero $1 ដែរ'],
  [/^case_id_display already loaded for Primero record (\S+)$/, 'case_id_display បានផ្ទុករួចហើយសម្រាប់កំណត់ត្រា Primero $1'],
  [/^value too long$/, 'តម្លៃវែងពេក'],
  [/^missing or invalid Primero id$/, 'គ្មានលេខសម្គាល់ Primero ឬមិនត្រឹមត្រូវ'],
  [/^Primero id is not a UUID$/, 'លេខសម្គាល់ Primero មិនមែនជា UUID'],
  [/^missing or invalid (\S+)$/, 'គ្មាន $1 ឬមិនត្រឹមត្រូវ'],
  [/^not a YYYY-MM-DD date$/, 'មិនមែនជាកាលបរិច្ឆេទ YYYY-MM-DD'],
  [/^record is not an object$/, 'កំណត់ត្រាមិនមែនជាវត្ថុ (object)'],
];

export function reasonLabel(reason: string): Label {
  for (const [pattern, km] of REASONS_KM) if (pattern.test(reason)) return { en: reason, km: reason.replace(pattern, km) };
  return { en: reason, km: reason };
}

/** Whether a reason has its Khmer wording here (a test holds the sync's reasons to it). */
export const hasKhmerReason = (reason: string): boolean => REASONS_KM.some(([pattern]) => pattern.test(reason));
