import { fn, fnIf, post } from '@openfn/language-http';
import { parseAt, ToPost } from '../../lib/core/job-states.ts';
import { API_KEY_HEADER, webhookOf } from '../../lib/core/webhook.ts';

type S = Record<string, any>;
const hasMessage = (s: S) => s.handed.message !== null;

export const readMessage = fn((s: S) => ({ ...s, handed: parseAt(ToPost, s.data, 'post input') }));

// The URL and key come from the step's credential, never from the message.
export const postMessage = fnIf(
  hasMessage,
  fn((s: S) => {
    const webhook = webhookOf(s.configuration);
    return post(webhook.inboxUrl, s.handed.message, { headers: { [API_KEY_HEADER]: webhook.inboxApiKey } })(s);
  }),
);

/** What came in goes on (the run, the outcome): the last state of the workflow run. */
export const handOnPosted = fn((s: S) => ({ data: { ...s.handed, posted: hasMessage(s) } }));
