import { DEFAULT_COLUMN_LABELS, SOURCE_LABELS, UI_TEXT, type Label } from './labels.ts';
import type { ColumnLabel, IndicatorView, NoteCount, QuarterTotal, UnknownCode, ViewCell } from './queries.ts';
import type { LedgerRun } from '../status/compute.ts';
import { currentQuarter, type Quarter } from '../core/quarters.ts';
import { fieldLabel, reasonLabel } from './reject-labels.ts';
import { HIDDEN, change, isSmall, suppressGroup, suppressOne, suppressedLabel, type Cell } from './suppress.ts';

/**
 * What the summary report, the HTML report and the dashboard show, built from
 * the views' cells (pure). Every count in it has been through suppress.ts:
 * this is the only shape of the figures that leaves the process.
 */
export interface Row {
  key: string;
  label: Label;
  current: Cell;
  previous: Cell;
  change: number | null;
}

export interface IndicatorModel {
  /** The indicator's code: `4.8`. */
  id: string;
  view: IndicatorView;
  title: Label;
  total: Row;
  trend: { quarter: Quarter; children: Cell }[];
  byProvince: Row[];
  /** Districts of each province, by the province's key. */
  districts: Record<string, Row[]>;
  bySex: Row[];
  byAge: Row[];
  /** For an indicator of any age (4.8): the quarter's adults and unknown ages, beside the figure. */
  ageNote: Label | null;
  bySource: Row[] | null;
  /** Children of the quarter whose location, sex or age is unknown. */
  unknown: { location: Cell; sex: Cell; ageBand: Cell };
}

/** A run as the data-quality table shows it: its error's first line only. */
export type RunView = LedgerRun;

export interface DashboardModel {
  quarter: Quarter;
  previous: Quarter;
  generatedAt: string;
  threshold: number;
  suppressedLabel: string;
  hiddenLabel: string;
  /** Quarters with any figure, oldest first. */
  quarters: Quarter[];
  /** The quarter in progress when the model was built: its figures are not final. */
  inProgress: Quarter;
  columns: Record<keyof typeof DEFAULT_COLUMN_LABELS, Label>;
  indicators: IndicatorModel[];
  quality: { runs: RunView[]; notes: LabelledNote[]; unknownCodes: LabelledCode[] };
  text: typeof UI_TEXT;
}

/** A reject or note count with its field and reason in both languages (the raw field name kept in each). */
export interface LabelledNote extends NoteCount {
  fieldLabel: Label;
  reasonLabel: Label;
}

export interface LabelledCode extends UnknownCode {
  fieldLabel: Label;
}

export interface IndicatorInput {
  id: IndicatorModel['id'];
  view: IndicatorView;
  title: Label;
  /** Broken down by case source too. */
  bySource: boolean;
  /** Counts children of any age (its rule does not read the age): adults and unknown ages are in it. */
  anyAge?: boolean;
  cells: readonly ViewCell[];
  trend: readonly QuarterTotal[];
}

export interface ModelInput {
  quarter: Quarter;
  previous: Quarter;
  now: Date;
  threshold: number;
  indicators: readonly IndicatorInput[];
  runs: readonly LedgerRun[];
  notes: readonly NoteCount[];
  unknownCodes?: readonly UnknownCode[];
  columnLabels: readonly ColumnLabel[];
}

const AGE_ORDER = ['0-4', '5-9', '10-14', '15-17', '18+', 'unknown'];
const SEX_ORDER = ['female', 'male'];
const SOURCE_ORDER = ['primero', 'oscar'];

interface Tally {
  key: string;
  label: Label;
  current: number;
  previous: number;
}

function tally(cells: readonly ViewCell[], quarter: Quarter, keyOf: (c: ViewCell) => [string, Label] | null): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const c of cells) {
    const k = keyOf(c);
    if (!k) continue;
    const t = out.get(k[0]) ?? { key: k[0], label: k[1], current: 0, previous: 0 };
    // A known code whose name the lookup lacks for some cases comes as "Unknown" there: keep the real name.
    if (t.label.en === 'Unknown' && k[1].en !== 'Unknown') t.label = k[1];
    if (c.quarter === quarter) t.current += c.children;
    else t.previous += c.children;
    out.set(k[0], t);
  }
  return out;
}

/** A group's cells when its total is itself hidden: any non-zero part, added up, would give the total away. */
const hideAll = (values: number[], threshold: number): Cell[] => values.map((v) => (v === 0 ? 0 : isSmall(v, threshold) ? suppressedLabel(threshold) : HIDDEN));

function rows(
  tallies: Iterable<Tally>,
  totals: { current: number; previous: number },
  threshold: number,
  order: (a: Tally, b: Tally) => number,
  totalHidden: { current: boolean; previous: boolean } = { current: false, previous: false },
): Row[] {
  const list = [...tallies].sort(order);
  const group = (values: number[], total: number, hidden: boolean) => (hidden && threshold > 1 ? hideAll(values, threshold) : suppressGroup(values, total, threshold));
  const cur = group(
    list.map((t) => t.current),
    totals.current,
    totalHidden.current,
  );
  const prev = group(
    list.map((t) => t.previous),
    totals.previous,
    totalHidden.previous,
  );
  return list.map((t, i) => ({ key: t.key, label: t.label, current: cur[i]!, previous: prev[i]!, change: change(cur[i]!, prev[i]!) }));
}

const byRank = (a: Tally, b: Tally) => b.current - a.current || b.previous - a.previous || a.label.en.localeCompare(b.label.en);
const byList = (list: readonly string[]) => (a: Tally, b: Tally) => rank(list, a.key) - rank(list, b.key) || a.key.localeCompare(b.key);
const rank = (list: readonly string[], key: string) => (list.includes(key) ? list.indexOf(key) : list.length);

const provinceKey = (c: ViewCell) => c.province_code ?? `?${c.province_en}`;

function indicatorModel(input: IndicatorInput, quarter: Quarter, threshold: number): IndicatorModel {
  const cells = input.cells;
  const sum = (q: Quarter | null) => cells.filter((c) => (q ? c.quarter === q : c.quarter !== quarter)).reduce((n, c) => n + c.children, 0);
  const totals = { current: sum(quarter), previous: sum(null) };
  const totalCur = suppressOne(totals.current, threshold);
  const totalPrev = suppressOne(totals.previous, threshold);
  const provinces = tally(cells, quarter, (c) => [provinceKey(c), { en: c.province_en, km: c.province_km }]);
  const byProvince = rows(provinces.values(), totals, threshold, byRank);
  const districts: Record<string, Row[]> = {};
  for (const p of provinces.values()) {
    const inProvince = cells.filter((c) => provinceKey(c) === p.key);
    const d = tally(inProvince, quarter, (c) => [c.district_code ?? `?${c.district_en}`, { en: c.district_en, km: c.district_km }]);
    // A province hidden as the complement of a small one must not be given back by its districts' sum.
    const shown = byProvince.find((r) => r.key === p.key)!;
    districts[p.key] = rows(d.values(), p, threshold, byRank, { current: typeof shown.current !== 'number', previous: typeof shown.previous !== 'number' });
  }
  const byAge = rows(tally(cells, quarter, (c) => [c.age_band, { en: c.age_band, km: c.age_band_km }]).values(), totals, threshold, byList(AGE_ORDER));
  const current = cells.filter((c) => c.quarter === quarter);
  const unknown = (f: (c: ViewCell) => boolean) => suppressOne(current.filter(f).reduce((n, c) => n + c.children, 0), threshold);
  return {
    id: input.id,
    view: input.view,
    title: input.title,
    total: { key: 'total', label: { en: UI_TEXT.en.total, km: UI_TEXT.km.total }, current: totalCur, previous: totalPrev, change: change(totalCur, totalPrev) },
    trend: input.trend.map((t) => ({ quarter: t.quarter, children: suppressOne(t.children, threshold) })),
    byProvince,
    districts,
    bySex: rows(tally(cells, quarter, (c) => [c.sex_code ?? '?', { en: c.sex_en, km: c.sex_km }]).values(), totals, threshold, byList(SEX_ORDER)),
    byAge,
    ageNote: input.anyAge ? ageNote(byAge) : null,
    bySource:
      input.bySource
        ? rows(
            tally(cells, quarter, (c) => [c.case_source ?? '?', SOURCE_LABELS[c.case_source ?? ''] ?? { en: c.case_source ?? '?', km: c.case_source ?? '?' }]).values(),
            totals,
            threshold,
            byList(SOURCE_ORDER),
          )
        : null,
    unknown: {
      location: unknown((c) => c.province_code === null),
      sex: unknown((c) => c.sex_code === null || c.sex_en === 'Unknown'),
      ageBand: unknown((c) => c.age_band === 'unknown'),
    },
  };
}

/** The any-age note with the quarter's shown (suppressed) figures of the 18+ and unknown bands. */
function ageNote(byAge: readonly Row[]): Label {
  const shown = (band: string) => String(byAge.find((r) => r.key === band)?.current ?? 0);
  const fill = (text: string) => text.replace('{adults}', shown('18+')).replace('{unknown}', shown('unknown'));
  return { en: fill(UI_TEXT.en.anyAgeNote), km: fill(UI_TEXT.km.anyAgeNote) };
}

/** Identifiers (Primero record ids, case ids, service ids) are cut from reasons: only counts by reason leave. */
export function genericReason(reason: string): string {
  return reason.replace(/\S*\d\S*/g, (token) => (token.replace(/[^0-9A-Za-z]/g, '').length >= 5 ? '…' : token));
}

function firstLine(text: string | null): string | null {
  if (text === null) return null;
  const line = genericReason(text.split('\n')[0]!);
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function mergeNotes(notes: readonly NoteCount[]): NoteCount[] {
  const out = new Map<string, NoteCount>();
  for (const n of notes) {
    const reason = genericReason(n.reason);
    const key = JSON.stringify([n.kind, n.field, reason]);
    const seen = out.get(key);
    if (seen) seen.count += n.count;
    else out.set(key, { kind: n.kind, field: n.field, reason, count: n.count });
  }
  return [...out.values()].sort((a, b) => b.count - a.count);
}

export function buildModel(input: ModelInput): DashboardModel {
  const columns = { ...DEFAULT_COLUMN_LABELS };
  // The dictionary's case_source label ("Case source (Primero or OSCaR)") is too long for a heading; the age column is ages, not bands.
  const fromDictionary: Record<string, keyof typeof DEFAULT_COLUMN_LABELS> = { province_current: 'province', district_current: 'district', sex: 'sex' };
  for (const c of input.columnLabels) {
    const dim = fromDictionary[c.column_name];
    if (dim && c.label_en) columns[dim] = { en: c.label_en, km: c.label_km || c.label_en };
  }
  const quarters = new Set<Quarter>();
  for (const i of input.indicators) for (const t of i.trend) quarters.add(t.quarter);
  return {
    quarter: input.quarter,
    previous: input.previous,
    generatedAt: input.now.toISOString(),
    threshold: input.threshold,
    suppressedLabel: suppressedLabel(input.threshold),
    hiddenLabel: HIDDEN,
    quarters: [...quarters].sort(),
    inProgress: currentQuarter(input.now),
    columns,
    indicators: input.indicators.map((i) => indicatorModel(i, input.quarter, input.threshold)),
    quality: {
      runs: input.runs.map((r) => ({ ...r, error: firstLine(r.error) })),
      notes: mergeNotes(input.notes).map((n) => ({ ...n, fieldLabel: fieldLabel(n.field), reasonLabel: reasonLabel(n.reason) })),
      unknownCodes: (input.unknownCodes ?? []).map((c) => ({ ...c, fieldLabel: fieldLabel(c.field) })),
    },
    text: UI_TEXT,
  };
}
