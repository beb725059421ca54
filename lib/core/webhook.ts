/**
 * Where and how next-batch posts the next batch's message: the step's
 * credential ("ona-inbox") holds the webhook's URL and API key; Lightning's
 * webhooks and primero-ona's inbox both check the key in the `x-api-key`
 * header. An empty `inboxUrl` says there is no webhook: whoever runs the
 * workflows (the openfn CLI by hand) runs the batch workflow on the output.
 */
export const API_KEY_HEADER = 'x-api-key';

export interface WebhookConfiguration {
  inboxUrl: string;
  inboxApiKey: string;
}

/** The webhook to post to, null for none (an empty inboxUrl); a credential without the keys is refused. */
export function webhookOf(configuration: unknown): WebhookConfiguration | null {
  const c = configuration as Partial<WebhookConfiguration> | undefined;
  if (c?.inboxUrl === '') return null;
  if (!c || typeof c.inboxUrl !== 'string' || typeof c.inboxApiKey !== 'string') {
    throw new Error('configuration lacks inboxUrl and inboxApiKey (credential "ona-inbox"; an empty inboxUrl: no webhook)');
  }
  return { inboxUrl: c.inboxUrl, inboxApiKey: c.inboxApiKey };
}
