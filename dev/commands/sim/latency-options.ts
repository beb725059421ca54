import { number } from '../../../lib/cli/option-parsers.ts';

/**
 * The simulator's latency model by default (`sim`, and the benchmark's latency
 * runs): a plausible Primero under load. A page of 1000 cases then takes
 * 0.8 + 1.5 = 2.3 s, in line with the "seconds per page" field reports of a
 * busy production Primero; the fixed part is a request's round trip through
 * the proxy, Rails and the session check, the per-record part rendering and
 * serialising each case.
 */
export const PLAUSIBLE_LATENCY = { latencyMs: 800, perRecordMs: 1.5 } as const;

/** Milliseconds: a number from 0 to one hour, fractions allowed (1.5 ms a record). */

/** Milliseconds: from 0 to one hour, fractions allowed (1.5 ms a record). */
export const milliseconds = number(0, 3_600_000, 'a number of milliseconds');
