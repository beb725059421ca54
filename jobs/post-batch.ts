// Start workflow step 2 and batch workflow step 4 (http): post the message
// that starts the next batch to the batch workflow's webhook (Lightning's, or
// primero-ona's inbox), with its API key; nothing when there is none.
import { readMessage, postMessage, handOnPosted } from './operations/post-batch.ts';

export default [readMessage, postMessage, handOnPosted];
