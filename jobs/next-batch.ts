// Batch workflow, step 3 (postgresql): close the run when its last batch is
// in, and hand the post step the message that starts the next batch.
import { readUpserted, closeRunWhenDone, handOnNext } from './operations/next-batch.ts';

export default [readUpserted, closeRunWhenDone, handOnNext];
