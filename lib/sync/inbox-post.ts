/**
 * Where and how a job posts to the inbox: the step's configuration carries the
 * inbox URL and shared secret (never the message).
 */
export const SECRET_HEADER = 'x-inbox-secret';

export interface InboxConfiguration {
  inboxUrl: string;
  inboxSecret: string;
}

export function inboxOf(configuration: unknown): InboxConfiguration {
  const c = configuration as Partial<InboxConfiguration> | undefined;
  if (!c || typeof c.inboxUrl !== 'string' || typeof c.inboxSecret !== 'string') {
    throw new Error('configuration lacks inboxUrl and inboxSecret (credential "ona-inbox")');
  }
  return { inboxUrl: c.inboxUrl, inboxSecret: c.inboxSecret };
}
