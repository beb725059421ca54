/**
 * Option ids created in Primero's form builder carry a numeric suffix
 * (`children_undergoing_reintegration_55427`); the dashboard shows them without
 * it and with spaces: `children undergoing reintegration`.
 */
export function humaniseOptionId(id: string): string {
  return id.replace(/_[0-9]+$/, '').replace(/_/g, ' ').trim();
}

/** What a Primero option id looks like: letters, digits, `_`, `-`, `.` (form-builder ids add `_NNNNN`). */
const OPTION_ID = /^[A-Za-z0-9_.-]{1,100}$/;

/** Stands for an unknown "code" that is not shaped like an option id (free text typed where a code belongs). */
export const NOT_AN_OPTION_ID = '(not an option id)';

/**
 * The code as it may be reported (aggregated, in sync_rejects and the run
 * summary): itself when it is shaped like an option id, else a placeholder, so
 * free text never leaves the row it was typed into.
 */
export function reportableCode(code: string): string {
  return OPTION_ID.test(code) ? code : NOT_AN_OPTION_ID;
}
