import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header a poster must send, as on a Lightning webhook with API-key auth; the value is the inbox's key. */
export { API_KEY_HEADER } from '../../core/webhook.ts';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison: both sides are hashed first so their lengths match
 * and the time taken does not tell how much of a guess was right.
 */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
