/**
 * Test controls for misbehaviour: faults injected at a rate or from a scripted
 * queue. Pure decision logic; server.ts carries them out.
 */
import { createRng } from './prng.ts';

export type FaultKind = '500' | '502' | '503' | '429' | 'hang' | 'reset' | '401' | '403';
/** A scripted answer: a fault kind, or a literal response (e.g. a body that breaks the schema). */
export type ScriptedResponse =
  | FaultKind
  | { kind: FaultKind; path?: string }
  | { status: number; body?: unknown; rawBody?: string; headers?: Record<string, string>; path?: string };

export interface FaultOptions {
  /** Probability (0-1) that a request gets a fault. */
  rate: number;
  kinds: FaultKind[];
  /** Retry-After on 503 (and 429 when set). Default 60 for 503, none for 429. */
  retryAfterSeconds?: number;
  /** Only requests whose path starts with this get faults. Default '/api/v2/'. */
  pathPrefix?: string;
}

export class FaultPlan {
  private options: FaultOptions = { rate: 0, kinds: [] };
  private queue: ScriptedResponse[] = [];
  private rng = createRng('faults');

  set(options: FaultOptions): void {
    this.options = options;
  }

  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }

  enqueue(...responses: ScriptedResponse[]): void {
    this.queue.push(...responses);
  }

  clear(): void {
    this.options = { rate: 0, kinds: [] };
    this.queue = [];
  }

  /** The fault for this request, if any (scripted responses first). */
  next(path: string): Exclude<ScriptedResponse, FaultKind> | undefined {
    const i = this.queue.findIndex((r) => typeof r === 'string' || r.path === undefined || path.startsWith(r.path));
    if (i >= 0) {
      const [r] = this.queue.splice(i, 1) as [ScriptedResponse];
      return typeof r === 'string' ? { kind: r } : r;
    }
    const { rate, kinds, pathPrefix = '/api/v2/' } = this.options;
    if (rate > 0 && kinds.length > 0 && path.startsWith(pathPrefix) && this.rng.next() < rate) return { kind: this.rng.pick(kinds) };
    return undefined;
  }
}
