import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The deployment's hand-kept option tables (db/reference/option-labels.json):
 * Primero field -> option id -> English label. The fallback when Primero will
 * not give its lookups, and the test fixture. English only.
 */
export const BUNDLED_LABELS_PATH = fileURLToPath(new URL('../../../db/reference/option-labels.json', import.meta.url));

export const BundledLabelsSchema = z.record(z.string(), z.record(z.string(), z.string()));
export type BundledLabels = z.infer<typeof BundledLabelsSchema>;

let cached: BundledLabels | undefined;

export function bundledLabels(path: string = BUNDLED_LABELS_PATH): BundledLabels {
  if (path === BUNDLED_LABELS_PATH && cached) return cached;
  const parsed = BundledLabelsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  if (path === BUNDLED_LABELS_PATH) cached = parsed;
  return parsed;
}
