/**
 * Option ids created in Primero's form builder carry a numeric suffix
 * (`children_undergoing_reintegration_55427`); the dashboard shows them without
 * it and with spaces: `children undergoing reintegration`.
 */
export function humaniseOptionId(id: string): string {
  return id.replace(/_[0-9]+$/, '').replace(/_/g, ' ').trim();
}
