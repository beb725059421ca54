// Start workflow step 2 and batch workflow step 3 (http): post the message
// init or upsert handed on to the batch workflow's webhook (Lightning's, or
// primero-ona's inbox), with its API key; nothing when there is none.
import { readHanded, postMessage, handOnPosted } from './operations/next-batch.ts';

export default [readHanded, postMessage, handOnPosted];
