/**
 * The configuration of the host's Primero client (lib/primero/client.ts),
 * validated with zod: the official adaptor's keys (`url`, `user`, `password`,
 * `basicAuth`) plus retry/timeout knobs. The adaptor itself (adaptors/primero.ts)
 * reads only the official keys and neither retries nor times out.
 */
import { z } from 'zod';

export const primeroConfigSchema = z
  .object({
    url: z.url({ message: 'configuration.url must be the Primero base URL, e.g. https://primero.example.org' }),
    user: z.string().min(1, 'configuration.user is required'),
    password: z.string().min(1, 'configuration.password is required'),
    /** 'basic' (default; current Primero) or 'token' (legacy POST /api/v2/tokens login). */
    authMode: z.enum(['basic', 'token']).optional(),
    /** The official adaptor's switch: basicAuth=false means token login. */
    basicAuth: z.boolean().optional(),
    timeoutMs: z.number().int().positive().optional(),
    maxAttempts: z.number().int().min(1).max(20).optional(),
    maxRetryMs: z.number().int().nonnegative().optional(),
    /** First backoff delay (ms); grows ×2 per retry, with jitter. */
    minRetryDelayMs: z.number().int().nonnegative().optional(),
    /** No effect: the adaptor no longer reads a page ahead (issue 11); accepted so existing configurations still parse. */
    readAhead: z.boolean().optional(),
  })
  .loose();

export type PrimeroConfigInput = z.input<typeof primeroConfigSchema>;

export interface PrimeroConfig {
  url: string;
  user: string;
  password: string;
  authMode: 'basic' | 'token';
  timeoutMs: number;
  maxAttempts: number;
  maxRetryMs: number;
  minRetryDelayMs: number;
}

/**
 * The Primero base URL as the client needs it: `https://host` (or a sub-path).
 * Operators paste the API root or a trailing slash as often as the base
 * (`https://host/api/v2/`); both mean the same server, and without this every
 * request went to `/api/v2/api/v2/cases` and failed behind retries.
 */
export function normalisePrimeroBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api\/v2$/i, '').replace(/\/+$/, '');
}

export const CONFIG_DEFAULTS = { timeoutMs: 60_000, maxAttempts: 5, maxRetryMs: 120_000, minRetryDelayMs: 500 } as const;

/** Validates and fills defaults. Messages never include the password. */
export function parsePrimeroConfig(input: unknown): PrimeroConfig {
  const result = primeroConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'configuration'}: ${i.message}`).join('; ');
    throw new Error(`Invalid Primero configuration: ${problems}`);
  }
  const c = result.data;
  return {
    url: normalisePrimeroBaseUrl(c.url),
    user: c.user,
    password: c.password,
    authMode: c.authMode ?? (c.basicAuth === false ? 'token' : 'basic'),
    timeoutMs: c.timeoutMs ?? CONFIG_DEFAULTS.timeoutMs,
    maxAttempts: c.maxAttempts ?? CONFIG_DEFAULTS.maxAttempts,
    maxRetryMs: c.maxRetryMs ?? CONFIG_DEFAULTS.maxRetryMs,
    minRetryDelayMs: c.minRetryDelayMs ?? CONFIG_DEFAULTS.minRetryDelayMs,
  };
}
