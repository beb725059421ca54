import { fn, fnIf, sql } from '@openfn/language-postgresql';
import { parseAt, StartRequest, type StartOutcome } from '../../lib/core/job-states.ts';
import { COMPLETE_RUN } from '../../lib/core/bookmark.ts';
import { ANY_CASES_LOADED, LAST_COMPLETED_WINDOW_END, MARK_RESUMED, NEW_RUN_ID, OPEN_RUN, UNFINISHED_RUN } from '../../lib/sql/ledger.ts';
import { planRunStart, type RunStart, type UnfinishedRun } from '../../lib/core/run-start.ts';

type S = Record<string, any>;
const start = (s: S): RunStart => s.start;
const first = (s: S) => (Array.isArray(s.data) ? (s.data[0] ?? null) : null);

export const readRequest = fn((s: S) => ({ ...s, request: parseAt(StartRequest, s.data ?? {}, 'open-run input'), data: null }));

/** The newest unfinished run, where the last completed run's window ended, whether any case is loaded, a fresh run id. */
export const readLedger = [
  sql(UNFINISHED_RUN),
  fn((s: S) => ({ ...s, unfinished: first(s) as UnfinishedRun | null })),
  sql(LAST_COMPLETED_WINDOW_END),
  fn((s: S) => ({ ...s, lastCompletedTo: first(s)?.window_to ?? null })),
  sql(ANY_CASES_LOADED),
  fn((s: S) => ({ ...s, casesLoaded: first(s)?.loaded === true })),
  // Run ids come from the database: the job sandbox has no crypto.
  sql(NEW_RUN_ID),
  fn((s: S) => ({ ...s, newRunId: first(s)?.run_id as string })),
];

export const planStart = fn((s: S) => ({
  ...s,
  data: null,
  references: [],
  start: planRunStart({ request: s.request, unfinished: s.unfinished, lastCompletedTo: s.lastCompletedTo, newRunId: s.newRunId, now: new Date(), casesLoaded: s.casesLoaded }),
}));

export const recordStart = [
  fnIf(
    (s: S) => start(s).action === 'open',
    sql((s: S) => {
      const { run, message } = start(s);
      return { text: OPEN_RUN, values: [run!.runId, run!.window.from, run!.window.to, JSON.stringify(message)] };
    }),
  ),
  fnIf((s: S) => start(s).action === 'resume', sql((s: S) => ({ text: MARK_RESUMED, values: [start(s).run!.runId] }))),
  fnIf((s: S) => start(s).action === 'close', sql((s: S) => ({ text: COMPLETE_RUN, values: [start(s).run!.runId] }))),
];

/** Only the run's description and its first message leave this step. */
export const handOnStart = fn((s: S) => {
  const st = start(s);
  const out: StartOutcome = { message: st.message, run: st.run, skipped: st.action === 'none' ? st.reason : null };
  if (st.action === 'none') console.log(`no run started: ${st.reason}`);
  return { data: out };
});
