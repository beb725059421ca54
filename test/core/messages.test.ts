import { describe, expect, it } from 'vitest';
import { firstCursor, parseBatchMessage } from '../../lib/core/messages.ts';
import { sampleMessage } from '../support/batch-message.ts';

const valid = sampleMessage();

describe('inbox message schema', () => {
  it('accepts a first-batch message and defaults dryRun to false', () => {
    const r = parseBatchMessage(valid);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.message.dryRun).toBe(false);
  });

  it('refuses a message that carries configuration', () => {
    const r = parseBatchMessage({ ...valid, configuration: { password: 'x' } });
    expect(r).toEqual({ ok: false, error: expect.stringContaining('configuration') });
  });

  it.each([
    ['a missing window', { ...valid, window: undefined }, 'window'],
    ['a window that ends before it starts', { ...valid, window: { from: '2024-05-01T00:00:00Z', to: '2024-04-01T00:00:00Z' } }, 'window'],
    ['a non-uuid run id', { ...valid, runId: 'run-1' }, 'runId'],
    ['a page size over Primero\'s cap', { ...valid, queries: { ...valid.queries, membership: { ...firstCursor(1000), per: 5000 } } }, 'queries.membership.per'],
    ['a page below 1', { ...valid, queries: { ...valid.queries, indicator_4_8: { ...firstCursor(10), page: 0 } } }, 'queries.indicator_4_8.page'],
    ['an unknown query', { ...valid, queries: { ...valid.queries, extra: firstCursor(1) } }, 'extra'],
    ['a non-object body', 'hello', '(body)'],
  ])('refuses %s with a one-line reason naming the field', (_name, body, field) => {
    const r = parseBatchMessage(body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(field);
      expect(r.error).not.toContain('\n');
    }
  });
});
