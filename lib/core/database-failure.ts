import type { Failure } from './retry.ts';

/**
 * Database failures classified by type, for the upsert job's failure record
 * and the CLI's retries: PostgreSQL's SQLSTATE class, or the network error's
 * code. What may pass on its own: the connection lost or refused (class 08,
 * network codes, and pg's own connection errors, which carry no code), the
 * server out of resources or shutting down (53, 57P), a serialization failure
 * or deadlock (40001, 40P01). Anything else (a constraint, a syntax error, a
 * batch the job refused) would only fail again.
 */

/** The job refused to write a batch (its counts would lie, the run moved on): permanent. */
export class BatchRefused extends Error {
  override readonly name = 'BatchRefused';
}

/** A message that is not its run's bookmark (not in the ledger, out of order, the run no longer running): nothing to record. */
export class NotThisBatch extends Error {
  override readonly name = 'NotThisBatch';
}

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ECONNABORTED']);

export function classifyDatabaseFailure(error: unknown): Failure {
  const e = (error ?? {}) as { message?: unknown; code?: unknown };
  const line = (typeof e.message === 'string' ? e.message : String(error)).split('\n')[0]!.slice(0, 300);
  if (error instanceof BatchRefused || error instanceof NotThisBatch) return { transient: false, line };
  const code = typeof e.code === 'string' ? e.code : null;
  // pg's own connection errors ("Connection terminated unexpectedly") are plain Errors without a code; a TypeError is a bug.
  if (code === null) return { transient: error instanceof Error && error.constructor === Error, line };
  if (NETWORK.has(code)) return { transient: true, line };
  const transient = /^(08|53|57P)/.test(code) || code === '40001' || code === '40P01';
  return { transient, line: /^[0-9A-Z]{5}$/.test(code) ? `${line} (SQLSTATE ${code})` : line };
}
