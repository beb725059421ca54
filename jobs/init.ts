// Start workflow, step 1 (postgresql): open the quarter's run in the ledger
// when it is due, or resume a run that failed or whose chain stopped, and hand
// its first batch message to next-batch, which posts it. The daily cron gives
// no input; the CLI's `sync` asks for a run now.
import { readRequest, planStart, recordStart, handOnStart } from './operations/init.ts';

export default [readRequest, ...planStart, ...recordStart, handOnStart];
