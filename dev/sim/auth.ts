/**
 * Authentication as Primero does it (§1): HTTP Basic on every request (current
 * servers), and the legacy ≤ v2.10 token mode where POST /api/v2/tokens returns
 * a JWT that expires a fixed time after issue. User names are case-insensitive
 * and stripped; too many failed attempts lock the account (lockable).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AUTH_MESSAGES } from './errors.ts';

export type AuthMode = 'basic' | 'token';

export interface AuthOptions {
  user: string;
  password: string;
  mode: AuthMode;
  tokenTtlMs: number;
  /** Failed attempts before the account locks (Devise maximum_attempts = 6); 0 disables locking. */
  maxFailedAttempts: number;
  lockMs: number;
  now: () => number;
}

export type AuthResult = { ok: true; user: string } | { ok: false; message: string };

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class Authenticator {
  private readonly secret = randomBytes(32);
  private failures = 0;
  private lockedUntil = 0;
  private tokenCounter = 0;
  readonly userId = 1;

  constructor(readonly options: AuthOptions) {}

  private normalize(userName: string): string {
    return userName.trim().toLowerCase();
  }

  /** Checks a user name and password, counting failures towards the lock. */
  checkPassword(userName: string, password: string): AuthResult {
    const now = this.options.now();
    const sameUser = this.normalize(userName) === this.normalize(this.options.user);
    if (sameUser && this.lockedUntil > now) return { ok: false, message: AUTH_MESSAGES.invalid }; // paranoid mode
    if (sameUser && password === this.options.password) {
      this.failures = 0;
      return { ok: true, user: this.normalize(userName) };
    }
    if (sameUser && this.options.maxFailedAttempts > 0 && ++this.failures >= this.options.maxFailedAttempts) {
      this.lockedUntil = now + this.options.lockMs;
      this.failures = 0;
    }
    return { ok: false, message: AUTH_MESSAGES.invalid };
  }

  /** A JWT shaped like devise-jwt's (HS256, exp fixed at issue). */
  issueToken(user: string): string {
    const now = this.options.now();
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({ sub: String(this.userId), scp: 'user', iat: Math.floor(now / 1000), exp: (now + this.options.tokenTtlMs) / 1000, jti: `${++this.tokenCounter}-${user}` }),
    );
    const sig = b64url(createHmac('sha256', this.secret).update(`${header}.${payload}`).digest());
    return `${header}.${payload}.${sig}`;
  }

  verifyToken(token: string): AuthResult {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, message: 'Not enough or too many segments' };
    const [header, payload, sig] = parts as [string, string, string];
    const expected = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, message: AUTH_MESSAGES.badSignature };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number };
    if (claims.exp * 1000 <= this.options.now()) return { ok: false, message: AUTH_MESSAGES.expired };
    return { ok: true, user: this.normalize(this.options.user) };
  }

  /** Authorization header of an API request -> who, or the Devise failure message. */
  authenticate(header: string | undefined): AuthResult {
    if (!header) return { ok: false, message: AUTH_MESSAGES.unauthenticated };
    const [scheme, value = ''] = header.split(/\s+/, 2) as [string, string?];
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { ok: false, message: AUTH_MESSAGES.invalid };
      return this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
    }
    if (/^bearer$/i.test(scheme)) {
      // Current (native) Primero ignores a Bearer header: no session, so "sign in".
      if (this.options.mode !== 'token') return { ok: false, message: AUTH_MESSAGES.unauthenticated };
      return this.verifyToken(value);
    }
    return { ok: false, message: AUTH_MESSAGES.unauthenticated };
  }
}
