// Posts a batch message to the inbox with its shared secret, as a job posts to
// its workflow's webhook on the OpenFn platform. The URL and secret come from
// the step's configuration (credential "ona-inbox"), never from the message.
import { post } from '@openfn/language-http';
import { inboxOf, SECRET_HEADER } from '../../lib/sync/inbox-post.ts';

export const postToInbox = (state: Record<string, any>, message: unknown) => {
  const inbox = inboxOf(state.configuration);
  return post(inbox.inboxUrl, message as object, { headers: { [SECRET_HEADER]: inbox.inboxSecret } })(state);
};
