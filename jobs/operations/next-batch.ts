import { fn, fnIf, post } from '@openfn/language-http';
import { int, nullable, object, parseAt, string, type Infer } from '../../lib/core/schema.ts';
import { API_KEY_HEADER, webhookOf } from '../../lib/core/webhook.ts';

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
}

const hasMessage = (s: NextState) => s.handed.message !== null;

export const readHanded = fn((s: NextState) => ({ ...s, handed: parseAt(Handed, s.data, 'next-batch input') }));

// The URL and key come from the step's credential, never from the message.
export const postMessage = fnIf(
  hasMessage,
  fn((s: NextState) => {
    const webhook = webhookOf(s.configuration);
    return post(webhook.inboxUrl, s.handed.message!, { headers: { [API_KEY_HEADER]: webhook.inboxApiKey } })(s);
  }),
);

/** What came in goes on (the run or the batch's outcome), and whether a message was posted: the workflow's last state. */
export const handOnPosted = fn((s: NextState) => ({ data: { ...s.handed, posted: hasMessage(s) } }));
