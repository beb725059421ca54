// Job 0: open a run in the ledger (or resume the newest unfinished one), fix
// its window on last_updated_at, and post the first batch message to the inbox.
import { fn, fnIf, sql } from '@openfn/language-postgresql';
import { InitRequest, parseAt } from '../lib/sync/job-states.ts';
import { ANY_CASES_LOADED, LAST_COMPLETED_WINDOW_END, MARK_RESUMED, NEW_RUN_ID, OPEN_RUN, UNFINISHED_RUN, COMPLETE_RUN } from '../lib/sync/ledger-sql.ts';
import { planRunStart, type RunStart, type UnfinishedRun } from '../lib/sync/run-start.ts';
import { postToInbox } from './operations/post-to-inbox.ts';

type S = Record<string, any>;
const start = (state: S): RunStart => state.start;

export default [
  fn((state: S) => ({ ...state, request: parseAt(InitRequest, state.data ?? {}, 'init input') })),
  sql(UNFINISHED_RUN),
  fn((state: S) => ({ ...state, unfinished: (state.data[0] ?? null) as UnfinishedRun | null })),
  sql(LAST_COMPLETED_WINDOW_END),
  fn((state: S) => ({ ...state, lastCompletedTo: state.data[0]?.window_to ?? null })),
  sql(ANY_CASES_LOADED),
  fn((state: S) => ({ ...state, casesLoaded: state.data[0]?.loaded === true })),
  sql(NEW_RUN_ID),
  fn((state: S) => ({
    ...state,
    start: planRunStart({
      request: state.request,
      unfinished: state.unfinished,
      lastCompletedTo: state.lastCompletedTo,
      newRunId: state.data[0].run_id,
      now: new Date(),
      casesLoaded: state.casesLoaded,
    }),
  })),
  fnIf((state: S) => start(state).action === 'open', sql((state: S) => ({
    text: OPEN_RUN,
    values: [start(state).run.runId, start(state).run.window.from, start(state).run.window.to, JSON.stringify(start(state).message)],
  }))),
  fnIf((state: S) => start(state).action === 'resume', sql((state: S) => ({ text: MARK_RESUMED, values: [start(state).run.runId] }))),
  fnIf((state: S) => start(state).action === 'close', sql((state: S) => ({ text: COMPLETE_RUN, values: [start(state).run.runId] }))),
  fnIf(
    (state: S) => start(state).message !== null,
    fn((state: S) => postToInbox(state, start(state).message)),
  ),
  // Only the run's description leaves this job.
  fn((state: S) => ({ run: start(state).run })),
];
