/**
 * Where and how a job posts the next batch's message: the step's credential
 * ("ona-inbox") holds the webhook's URL and API key; Lightning's webhooks and
 * primero-ona's inbox both check the key in the `x-api-key` header.
 */
export const API_KEY_HEADER = 'x-api-key';

export interface WebhookConfiguration {
  inboxUrl: string;
  inboxApiKey: string;
}

export function webhookOf(configuration: unknown): WebhookConfiguration {
  const c = configuration as Partial<WebhookConfiguration> | undefined;
  if (!c || typeof c.inboxUrl !== 'string' || typeof c.inboxApiKey !== 'string') {
    throw new Error('configuration lacks inboxUrl and inboxApiKey (credential "ona-inbox")');
  }
  return { inboxUrl: c.inboxUrl, inboxApiKey: c.inboxApiKey };
}
