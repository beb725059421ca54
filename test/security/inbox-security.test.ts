import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInbox, type Inbox } from '../../lib/host/inbox/server.ts';
import { newSecret, API_KEY_HEADER, secretMatches } from '../../lib/host/inbox/secret.ts';
import { createLogger } from '../../lib/log/logger.ts';
import { firstCursor } from '../../lib/core/messages.ts';
import { databaseTargets } from '../support/databases.ts';
import { expectedCases, expectedServices } from '../support/oracle.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import { sampleMessage } from '../support/batch-message.ts';

/**
 * The inbox is the only way into a run from outside. Without the shared
 * secret nothing is read (401); with it, a body over the limit is refused
 * (413) and a message that is not a valid batch message is refused (422),
 * `configuration` included; none of them is queued, so no run starts. During a
 * real sync, a stranger's posts change nothing.
 */
const valid = sampleMessage({}, 100);
const PLANTED_PASSWORD = 'planted-Pa55word-in-a-message';

const malformed: [string, unknown][] = [
  ['configuration with credentials', { ...valid, configuration: { password: PLANTED_PASSWORD } }],
  ['an unknown top-level key', { ...valid, state: { references: [] } }],
  ['no runId', { ...valid, runId: undefined }],
  ['a runId that is not a UUID', { ...valid, runId: "1'; DROP TABLE sync_runs; --" }],
  ['batch 0', { ...valid, batch: 0 }],
  ['a window that ends before it starts', { ...valid, window: { from: '2024-05-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } }],
  ['a window date without a zone', { ...valid, window: { from: '2024-01-01 00:00', to: '2024-04-01T00:00:00Z' } }],
  ['a page size over 1000', { ...valid, queries: { ...valid.queries, membership: { ...firstCursor(100), per: 5000 } } }],
  ['an unknown query', { ...valid, queries: { ...valid.queries, everything: firstCursor(100) } }],
  ['a missing query', { ...valid, queries: { indicator_4_8: firstCursor(100), indicator_4_11a: firstCursor(100) } }],
  ['an array', [valid]],
  ['a string', 'run everything'],
  ['null', null],
];

describe('the inbox refuses strangers and malformed messages', () => {
  let inbox: Inbox;
  const secret = newSecret();
  const logged: string[] = [];
  beforeAll(async () => {
    inbox = await startInbox({ secret, logger: createLogger({ level: 'debug', write: (l) => logged.push(l) }) });
  });
  afterAll(() => inbox.stop());

  const post = (body: string, headers: Record<string, string>) =>
    fetch(inbox.url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it.each([
    ['no secret', {}],
    ['an empty secret', { [API_KEY_HEADER]: '' }],
    ['a wrong secret of the same length', { [API_KEY_HEADER]: secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }],
    ['the secret as a bearer token', { authorization: `Bearer ${secret}` }],
    ['the secret under another header', { 'x-secret': secret }],
  ])('401 with %s, nothing queued', async (_name, headers) => {
    const r = await post(JSON.stringify(valid), headers);
    expect(r.status).toBe(401);
    expect(inbox.messages.size).toBe(0);
  });

  it('401 before reading a big body from a stranger; 413 for a big body with the secret', async () => {
    const big = JSON.stringify({ ...valid, pad: 'x'.repeat(200_000) });
    expect((await post(big, {})).status).toBe(401);
    expect((await post(big, { [API_KEY_HEADER]: secret })).status).toBe(413);
    // Without a content-length (chunked), the limit still holds.
    const chunked = await fetch(inbox.url, {
      method: 'POST',
      headers: { [API_KEY_HEADER]: secret },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(inbox.messages.size).toBe(0);
  });

  it.each(malformed)('422 for %s, nothing queued, nothing echoed', async (_name, body) => {
    const r = await post(JSON.stringify(body), { [API_KEY_HEADER]: secret });
    expect(r.status).toBe(422);
    const text = await r.text();
    expect(text).not.toContain(PLANTED_PASSWORD);
    expect(inbox.messages.size).toBe(0);
  });

  it('logs no secret and no message content', () => {
    const all = logged.join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(PLANTED_PASSWORD);
  });

  it('compares the secret in constant time: no prefix of a guess is worth more than another', () => {
    // Both sides are hashed before timingSafeEqual, so any guess, of any length, costs the same.
    for (const guess of ['', 'a', secret.slice(0, -1), `${secret}x`, 'x'.repeat(100_000)]) expect(secretMatches(guess, secret)).toBe(false);
    const time = (guess: string) => {
      const t = process.hrtime.bigint();
      for (let i = 0; i < 20_000; i++) secretMatches(guess, secret);
      return Number(process.hrtime.bigint() - t);
    };
    const near = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const far = 'Z'.repeat(secret.length);
    time(near); // warm up
    const ratios = [0, 1, 2].map(() => time(near) / time(far));
    const median = ratios.sort((a, b) => a - b)[1]!;
    expect(median).toBeGreaterThan(0.5);
    expect(median).toBeLessThan(2);
  });
});

describe.each(databaseTargets().slice(0, 1))('a stranger posting during a real sync (%s database)', (kind) => {
  let h: SyncHarness;
  afterAll(async () => h?.close());

  it('changes nothing: one run, the data exactly as Primero has it', async () => {
    h = await startSyncHarness(kind, { cases: 120, seed: 'inbox-attack' });
    const secret = newSecret();
    const inbox = await startInbox({ secret, logger: createLogger({ level: 'silent' }) });
    const statuses = new Set<number>();
    let attacking = true;
    const attack = (async () => {
      while (attacking) {
        for (const [headers, body] of [
          [{}, { ...valid, runId: randomUUID() }],
          [{ [API_KEY_HEADER]: 'guess' }, valid],
          [{ [API_KEY_HEADER]: secret }, { ...valid, configuration: { url: 'http://evil.example.org' } }],
        ] as const) {
          const r = await fetch(inbox.url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }).catch(() => null);
          if (r) statuses.add(r.status);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      await h.sync({ pageSize: 20, inbox: { inbox, secret } });
    } finally {
      attacking = false;
      await attack;
      await inbox.stop();
    }
    expect([...statuses].sort()).toEqual([401, 422]);
    const records = h.sim.records();
    expect(await h.casesInDb()).toEqual(expectedCases(records));
    expect(await h.servicesInDb()).toEqual(expectedServices(records));
    expect(await h.query('SELECT status FROM sync_runs')).toEqual([{ status: 'completed' }]);
  });
});
