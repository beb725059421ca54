/**
 * The latency model (issue 15): every answer is delayed by A ms plus B ms per
 * record it serves, and nothing else changes (primero-api-facts.md: the same
 * bodies, statuses and headers as without latency). Requests wait side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../dev/sim/server.ts';
import { milliseconds, PLAUSIBLE_LATENCY } from '../../../dev/commands/sim/latency-options.ts';
import { call, fixtureSim } from './fixture.ts';

let sim: Simulator;
let instant: Simulator;
beforeAll(async () => {
  sim = await fixtureSim({ latencyMs: 120, perRecordMs: 20 });
  instant = await fixtureSim();
});
afterAll(async () => {
  await sim.stop();
  await instant.stop();
});

async function timed(s: Simulator, pathAndQuery: string) {
  const t = performance.now();
  const answer = await call(s, pathAndQuery);
  return { ms: performance.now() - t, answer };
}

// Timers never fire early; the upper bound leaves room for a loaded 2-core machine.
const SLACK_MS = 250;

describe('latency model: A + B x records', () => {
  it('a page of cases waits A + B per case', async () => {
    const { ms, answer } = await timed(sim, '/api/v2/cases?per=10&order_by=created_at&order=asc');
    expect(answer.body.data).toHaveLength(10);
    expect(ms).toBeGreaterThanOrEqual(120 + 20 * 10 - 5);
    expect(ms).toBeLessThan(120 + 20 * 10 + SLACK_MS);
  });

  it('an empty page waits only A; a single case A + B', async () => {
    const empty = await timed(sim, '/api/v2/cases?per=10&page=50');
    expect(empty.answer.body.data).toHaveLength(0);
    expect(empty.ms).toBeGreaterThanOrEqual(115);
    expect(empty.ms).toBeLessThan(120 + 20 * 3);
    const one = await timed(sim, '/api/v2/cases/00000000-0000-4000-8000-000000000001');
    expect(one.answer.status).toBe(200);
    expect(one.ms).toBeGreaterThanOrEqual(120 + 20 - 5);
  });

  it('reference lists count their records too (lookups, locations)', async () => {
    const lookups = await timed(sim, '/api/v2/lookups?per=5&page=1');
    expect(lookups.answer.body.data).toHaveLength(5);
    expect(lookups.ms).toBeGreaterThanOrEqual(120 + 20 * 5 - 5);
    const locations = await timed(sim, '/api/v2/locations?per=3&page=1');
    expect(locations.answer.body.data).toHaveLength(3);
    expect(locations.ms).toBeGreaterThanOrEqual(120 + 20 * 3 - 5);
  });

  it('changes nothing but the time: the same status and body as an instant simulator', async () => {
    for (const q of ['/api/v2/cases?per=4&order_by=created_at&order=desc&fields=age,sex', '/api/v2/lookups?per=2&page=2', '/api/v2/cases?per=0', '/api/v2/cases/nope']) {
      const slow = await call(sim, q);
      const fast = await call(instant, q);
      expect(slow.status, q).toBe(fast.status);
      expect(slow.body, q).toEqual(fast.body);
    }
  });

  it('two requests at once wait side by side, not one after the other', async () => {
    const t = performance.now();
    const answers = await Promise.all([call(sim, '/api/v2/cases?per=6&page=1'), call(sim, '/api/v2/cases?per=6&page=2')]);
    const ms = performance.now() - t;
    expect(answers.map((a) => a.body.data.length)).toEqual([6, 6]);
    // Each waits 120 + 6 x 20 = 240 ms; one after the other would be 480 ms at least.
    expect(ms).toBeGreaterThanOrEqual(240 - 5);
    expect(ms).toBeLessThan(480);
  });

  it('setLatency changes the model of a running simulator; 0 + 0 answers at once', async () => {
    const s = await startSimulator({ cases: 20, seed: 'latency' });
    try {
      s.setLatency(50, 10);
      const slow = await timed(s, '/api/v2/cases?per=20');
      expect(slow.ms).toBeGreaterThanOrEqual(50 + 10 * 20 - 5);
      s.setLatency(0, 0);
      const fast = await timed(s, '/api/v2/cases?per=20');
      expect(fast.ms).toBeLessThan(150);
    } finally {
      await s.stop();
    }
  });
});

describe('latency options (sim and bench)', () => {
  it('default to a plausible Primero under load: 800 ms + 1.5 ms a record', () => {
    expect(PLAUSIBLE_LATENCY).toEqual({ latencyMs: 800, perRecordMs: 1.5 });
  });

  it('take fractions and reject what is not a non-negative number of ms', () => {
    expect(milliseconds('1.5')).toBe(1.5);
    expect(milliseconds('0')).toBe(0);
    for (const bad of ['-1', 'abc', '', 'Infinity', '1e9']) expect(() => milliseconds(bad), bad).toThrow(/milliseconds/);
  });
});
