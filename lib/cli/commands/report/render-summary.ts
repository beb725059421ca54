import type { DashboardModel, IndicatorModel, Row } from '../../../report/model.ts';
import type { Lang } from '../../../report/labels.ts';
import type { Cell } from '../../../report/suppress.ts';

/**
 * Pure: the suppressed model -> a summary that fits on a screen (under 60
 * lines, 100 columns): per indicator the total, sex, age band, source and
 * every province of the quarter, the previous quarter in brackets.
 */
const WIDTH = 100;
/**
 * Columns a string takes on a terminal, as wcwidth counts them (what terminals
 * use): nothing for non-spacing marks (most Khmer vowel signs, the COENG sign)
 * and zero-width joiners, one for every other character of these labels.
 */
export function width(text: string): number {
  let n = 0;
  for (const ch of text) if (!/[\p{Mn}\p{Me}\u200B-\u200D]/u.test(ch)) n++;
  return n;
}

const pad = (text: string, n: number) => text + ' '.repeat(Math.max(0, n - width(text)));
const padStart = (text: string, n: number) => ' '.repeat(Math.max(0, n - width(text))) + text;
const signed = (n: number | null) => (n === null ? '' : n > 0 ? `+${n}` : n < 0 ? `${n}` : '±0');

function figure(row: Row): string {
  return `${row.current} (${row.previous})`;
}

/** Items joined with " · ", wrapped under a heading of fixed width. */
function wrapped(heading: string, items: readonly string[], indent = 14): string[] {
  const lines: string[] = [];
  let line = pad(`  ${heading} `, indent);
  let first = true;
  for (const item of items) {
    const piece = first ? item : ` · ${item}`;
    if (!first && width(line) + width(piece) > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent) + item;
    } else line += piece;
    first = false;
  }
  lines.push(line);
  return lines;
}

const droppedToZero = (r: Row) => r.current === 0 && r.previous !== 0;

function provinceColumns(model: DashboardModel, ind: IndicatorModel, lang: Lang): string[] {
  const cols = 3;
  const cellWidth = 30;
  const items = ind.byProvince.map((r) => {
    const fig = `${r.current} (${r.previous})${droppedToZero(r) ? '!' : ''}`;
    return pad(r.label[lang], cellWidth - width(fig) - 1) + ' ' + fig;
  });
  const perColumn = Math.ceil(items.length / cols);
  const lines = [`  ${model.columns.province[lang]}`];
  for (let i = 0; i < perColumn; i++) {
    const parts = [];
    for (let c = 0; c < cols; c++) {
      const item = items[c * perColumn + i];
      if (item) parts.push(item);
    }
    lines.push(`    ${parts.join('   ')}`.trimEnd());
  }
  return lines;
}

function indicatorBlock(model: DashboardModel, ind: IndicatorModel, lang: Lang): string[] {
  const t = model.text[lang];
  const out = [ind.title[lang]];
  out.push(`  ${pad(t.total, 12)}${figure(ind.total)}${ind.total.change === null ? '' : `  ${t.change} ${signed(ind.total.change)}`}`);
  if (ind.ageNote) out.push(`  ${ind.ageNote[lang]}`);
  if (ind.total.current === 0 && ind.total.previous === 0) {
    out.push(`  ${t.noData}`);
    return out;
  }
  out.push(...wrapped(model.columns.sex[lang], ind.bySex.map((r) => `${r.label[lang]} ${figure(r)}`)));
  out.push(...wrapped(model.columns.age[lang], ind.byAge.map((r) => `${r.label[lang]} ${figure(r)}`)));
  if (ind.bySource) out.push(...wrapped(model.columns.source[lang], ind.bySource.map((r) => `${r.label[lang]} ${figure(r)}`)));
  out.push(...provinceColumns(model, ind, lang));
  return out;
}

export function renderSummary(model: DashboardModel, lang: Lang): string {
  const t = model.text[lang];
  const progress = model.quarter === model.inProgress ? `, ${t.inProgress}` : '';
  const lines = [`${t.quarter} ${model.quarter}${progress} (${t.previous.toLowerCase()} ${model.previous} ${lang === 'en' ? 'in brackets' : 'ក្នុងវង់ក្រចក'})`, ''];
  for (const ind of model.indicators) lines.push(...indicatorBlock(model, ind, lang), '');
  const dropped = model.indicators.some((i) => i.byProvince.some(droppedToZero));
  if (dropped) lines.push(`! ${t.droppedToZero}`);
  lines.push(t.suppressedNote.replace('{n1}', String(model.threshold - 1)).replace('{n}', String(model.threshold)));
  return `${lines.join('\n')}\n`;
}

/** `--quarter all` without --detail: each indicator's distinct children per quarter. */
export function renderTrend(model: DashboardModel, lang: Lang): string {
  const t = model.text[lang];
  const head = [pad(t.quarter, 10), ...model.indicators.map((i) => padStart(i.id, 8))].join(' ');
  const lines = [`${t.trend}`, head];
  for (const q of model.quarters) {
    const cells = model.indicators.map((i) => padStart(String(i.trend.find((x) => x.quarter === q)?.children ?? 0 satisfies Cell), 8));
    lines.push([pad(q, 10), ...cells, ...(q === model.inProgress ? [`  (${t.inProgress})`] : [])].join(' '));
  }
  lines.push('', t.distinctNote);
  return `${lines.join('\n')}\n`;
}
