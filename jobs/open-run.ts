// Start workflow, step 1 (postgresql): open the quarter's run in the ledger
// when it is due, or resume a run whose chain stopped, and hand the first
// batch message to the post step. The daily cron gives no input; the CLI's
// `sync` asks for a run now.
import { readRequest, readLedger, planStart, recordStart, handOnStart } from './operations/open-run.ts';

export default [readRequest, ...readLedger, planStart, ...recordStart, handOnStart];
