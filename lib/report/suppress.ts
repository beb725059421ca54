/**
 * Small-cell suppression for child-protection figures (pure). A count from 1
 * to threshold-1 is shown as "<threshold" and its number never leaves the
 * server. Within a group shown with its total (provinces of an indicator,
 * districts of a province, sexes, age bands, sources), a lone suppressed cell
 * could be recovered as total minus the others, so the next smallest cell is
 * hidden with it (complementary suppression) and shown as "*": not "<5", which
 * would be untrue, and not ">=5", which with the total could still give both away.
 */
export type Cell = number | string;

export function suppressedLabel(threshold: number): string {
  return `<${threshold}`;
}

/** A cell hidden only so that a small one cannot be worked out from the total. */
export const HIDDEN = '*';

/** True when a count must not be shown. Zero is shown: an empty cell is what officers look for. */
export function isSmall(n: number, threshold: number): boolean {
  return n > 0 && n < threshold;
}

export function suppressOne(n: number, threshold: number): Cell {
  return isSmall(n, threshold) ? suppressedLabel(threshold) : n;
}

/**
 * The cells of one group that sums to `total` (shown next to them). Returns the
 * cells in the same order, each a number or the suppressed label.
 */
export function suppressGroup(values: readonly number[], total: number, threshold: number): Cell[] {
  if (threshold <= 1) return [...values];
  const small = values.map((v) => isSmall(v, threshold) || (isSmall(total, threshold) && v > 0));
  const hidden = [...small];
  const count = small.filter(Boolean).length;
  // One hidden cell and a shown total: hide the smallest other non-zero cell too.
  if (count === 1 && !isSmall(total, threshold)) {
    let pick = -1;
    values.forEach((v, i) => {
      if (!hidden[i] && v > 0 && (pick < 0 || v < values[pick]!)) pick = i;
    });
    if (pick >= 0) hidden[pick] = true;
  }
  return values.map((v, i) => (small[i] ? suppressedLabel(threshold) : hidden[i] ? HIDDEN : v));
}

/** A change between two cells, or null when either is suppressed (it would give the number away). */
export function change(current: Cell, previous: Cell): number | null {
  return typeof current === 'number' && typeof previous === 'number' ? current - previous : null;
}
