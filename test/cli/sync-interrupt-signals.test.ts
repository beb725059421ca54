import { describe, expect, it } from 'vitest';
import { watchInterrupt } from '../../lib/cli/commands/sync/interrupt.ts';

/** The signals `sync` answers: the first stops after the batch, a later one at once; one key press seen twice is one. */
describe('sync: Ctrl-C and SIGTERM', () => {
  it('the first signal aborts the run after its batch; the same press arriving twice is one; a later one exits at once with the signal code', () => {
    const before = process.listenerCount('SIGINT');
    let clock = 0;
    const lines: string[] = [];
    const exits: number[] = [];
    const interrupt = watchInterrupt((t) => lines.push(t), (c) => exits.push(c), () => clock);
    try {
      expect(interrupt.signal.aborted).toBe(false);
      process.emit('SIGINT', 'SIGINT');
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.exitCode()).toBe(130);
      expect(lines.join('')).toMatch(/^primero-ona: interrupted: stopping after the batch under way \(press Ctrl-C again to stop at once\)\n$/);
      clock = 200; // forwarded by the launcher: the same press
      process.emit('SIGINT', 'SIGINT');
      expect(exits).toEqual([]);
      clock = 5000;
      process.emit('SIGINT', 'SIGINT');
      expect(exits).toEqual([130]);
      expect(lines.at(-1)).toMatch(/^primero-ona: sync stopped at once; the batch under way was not committed\n {2}the next `primero-ona sync` resumes the run from its last committed batch/);
    } finally {
      interrupt.dispose();
    }
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('SIGTERM asks for exit 143', () => {
    const interrupt = watchInterrupt(() => {}, () => {});
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.exitCode()).toBe(143);
    } finally {
      interrupt.dispose();
    }
  });
});
