import { fn, fnIf, sql } from '@openfn/language-postgresql';
import { StartRequest, type StartOutcome } from '../../lib/core/job-states.ts';
import { parseAt } from '../../lib/core/schema.ts';
import { MARK_RESUMED, OPEN_RUN, READ_LEDGER_FOR_START } from '../../lib/sql/ledger.ts';
import { pageSizeFor, planRunStart, type RunStart, type UnfinishedRun } from '../../lib/core/run-start.ts';

/** The init job's working state. */
interface InitState {
  data: unknown;
  configuration?: unknown;
  request: StartRequest;
  start: RunStart;
}
interface LedgerRow {
  unfinished: UnfinishedRun | null;
  last_completed_to: string | Date | null;
  cases_loaded: boolean;
  new_run_id: string;
}

export const readRequest = fn((s: InitState) => ({ ...s, request: parseAt(StartRequest, s.data ?? {}, 'init input'), data: null }));

/** Reads the ledger (one statement) and decides: open a run, resume one, or nothing. */
export const planStart = [
  sql(READ_LEDGER_FOR_START),
  fn((s: InitState & { data: LedgerRow[] }) => {
    const ledger = s.data[0]!;
    const start = planRunStart({
      request: s.request,
      unfinished: ledger.unfinished,
      lastCompletedTo: ledger.last_completed_to,
      newRunId: ledger.new_run_id,
      now: new Date(),
      casesLoaded: ledger.cases_loaded,
      per: pageSizeFor(s.request, s.configuration),
    });
    return { ...s, data: null, references: [], start };
  }),
];

export const recordStart = [
  fnIf(
    (s: InitState) => s.start.action === 'open',
    sql((s: InitState) => ({ text: OPEN_RUN, values: [s.start.run!.runId, s.start.run!.window.from, s.start.run!.window.to, JSON.stringify(s.start.message)] })),
  ),
  fnIf((s: InitState) => s.start.action === 'resume', sql((s: InitState) => ({ text: MARK_RESUMED, values: [s.start.run!.runId, JSON.stringify(s.start.message)] }))),
];

/** Only the run's description and its first message leave this step. */
export const handOnStart = fn((s: InitState) => {
  const st = s.start;
  if (st.action === 'none') console.log(`no run started: ${st.reason}`);
  const out: StartOutcome = { message: st.message, run: st.run, skipped: st.action === 'none' ? st.reason : null };
  return { data: out };
});
