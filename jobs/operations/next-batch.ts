import { fn, fnIf, post } from '@openfn/language-http';
import { int, nullable, object, parseAt, string, type Infer } from '../../lib/core/schema.ts';
import { API_KEY_HEADER, webhookOf, type WebhookConfiguration } from '../../lib/core/webhook.ts';

/**
 * What next-batch reads from init or upsert: the message to post (null:
 * nothing to post) beside what goes on. It checks only what it uses; the batch
 * workflow's fetch checks the whole message when it arrives.
 */
const Handed = object({ message: nullable(object({ runId: string(), batch: int(1) }, false)) }, false);
type Handed = Infer<typeof Handed>;

interface NextState {
  data: unknown;
  configuration?: unknown;
  handed: Handed;
  webhook: WebhookConfiguration | null;
}

const posting = (s: NextState) => s.handed.message !== null && s.webhook !== null;

// The URL and key come from the step's credential, never from the message.
export const readHanded = fn((s: NextState) => {
  const handed = parseAt(Handed, s.data, 'next-batch input');
  const webhook = handed.message ? webhookOf(s.configuration) : null;
  if (handed.message && !webhook) console.log(`no webhook (inboxUrl is empty): batch ${handed.message.batch} is this output's data.message; run the batch workflow on it (--start webhook)`);
  return { ...s, handed, webhook };
});

export const postMessage = fnIf(posting, fn((s: NextState) => post(s.webhook!.inboxUrl, s.handed.message!, { headers: { [API_KEY_HEADER]: s.webhook!.inboxApiKey } })(s)));

/** What came in goes on (the run or the batch's outcome), and whether a message was posted: the workflow's last state. */
export const handOnPosted = fn((s: NextState) => ({ data: { ...s.handed, posted: posting(s) } }));
