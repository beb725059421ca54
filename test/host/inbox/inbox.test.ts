import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInbox, type Inbox } from '../../../lib/host/inbox/server.ts';
import { API_KEY_HEADER, secretMatches } from '../../../lib/host/inbox/secret.ts';
import { silentLogger } from '../../../lib/log/logger.ts';
import { sampleMessage } from '../../support/batch-message.ts';

const message = sampleMessage({ batch: 2 });

describe('inbox', () => {
  let inbox: Inbox;
  const secret = 's3cret-value';
  beforeAll(async () => {
    inbox = await startInbox({ secret, logger: silentLogger, maxBodyBytes: 4096 });
  });
  afterAll(() => inbox.stop());

  const post = (body: string, headers: Record<string, string> = { [API_KEY_HEADER]: secret }) =>
    fetch(inbox.url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('listens on loopback only', () => {
    expect(new URL(inbox.url).hostname).toBe('127.0.0.1');
  });

  it('takes a valid message with the secret and queues it', async () => {
    const r = await post(JSON.stringify(message));
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ accepted: true, runId: message.runId, batch: 2 });
    expect(await inbox.messages.take(1000)).toMatchObject({ runId: message.runId, batch: 2 });
  });

  it.each([
    ['no secret', {}],
    ['a wrong secret', { [API_KEY_HEADER]: 'guess' }],
    ['the secret with a trailing character', { [API_KEY_HEADER]: `${secret}x` }],
  ])('refuses a post with %s (401) and queues nothing', async (_n, headers) => {
    const r = await post(JSON.stringify(message), headers);
    expect(r.status).toBe(401);
    expect(inbox.messages.size).toBe(0);
  });

  it('refuses bodies over the limit (413)', async () => {
    const r = await post(JSON.stringify({ ...message, pad: 'x'.repeat(5000) }));
    expect(r.status).toBe(413);
  });

  it.each([
    ['not JSON', '{"runId":'],
    ['a message with configuration', JSON.stringify({ ...message, configuration: { password: 'p' } })],
    ['a message without a window', JSON.stringify({ ...message, window: undefined })],
    ['an array', '[]'],
  ])('refuses %s (422) and queues nothing', async (_n, body) => {
    const r = await post(body);
    expect(r.status).toBe(422);
    expect(((await r.json()) as { error: string }).error).toBeTruthy();
    expect(inbox.messages.size).toBe(0);
  });

  it('answers only POST on its path', async () => {
    expect((await fetch(inbox.url, { headers: { [API_KEY_HEADER]: secret } })).status).toBe(405);
    expect((await fetch(inbox.url.replace('/inbox', '/other'), { method: 'POST' })).status).toBe(404);
  });

  it('times out a take on an empty queue', async () => {
    expect(await inbox.messages.take(20)).toBeNull();
  });

  it('compares secrets by value', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abd', 'abc')).toBe(false);
    expect(secretMatches(undefined, 'abc')).toBe(false);
  });
});
