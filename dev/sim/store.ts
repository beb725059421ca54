/**
 * The simulator's data set and its query cache. Answering a page must be cheap
 * while a benchmark pages 200 000 cases, so the filtered+sorted index list is
 * computed once per (filter signature, ordering, data version) and pages are
 * slices of it; only the page's records are rendered.
 */
import { createRng, type Rng } from './prng.ts';
import { generateCase, generateService, type SimCase } from './generator.ts';
import { compileCaseFilter, SqlError } from './filters.ts';
import { sortIndexes, type Ordering } from './ordering.ts';
import { renderCase } from './render.ts';
import { DATETIME_FIELDS } from './fields.ts';
import type { RackParams } from './query-params.ts';

export interface QueryResult {
  /** Positions in the store, in answer order. */
  indexes: readonly number[];
}

const CACHE_LIMIT = 32;

export class CaseStore {
  private readonly cases: SimCase[];
  private readonly byId = new Map<string, number>();
  private version = 0;
  private cache = new Map<string, QueryResult>();
  private readonly churnRng: Rng;

  constructor(cases: SimCase[], seed: string | number, private readonly now: () => number = Date.now) {
    this.cases = cases;
    cases.forEach((c, i) => this.byId.set(c.id, i));
    this.churnRng = createRng(`churn:${seed}`);
  }

  get size(): number {
    return this.cases.length;
  }

  at(index: number): SimCase {
    return this.cases[index] as SimCase;
  }

  find(id: string): SimCase | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.cases[i];
  }

  /** Filtered and sorted positions; an invalid filter (PostgreSQL error) yields none. */
  query(params: RackParams, ordering: Ordering): QueryResult {
    const filter = compileCaseFilter(params);
    const key = `${this.version}|${ordering.field}|${ordering.direction}|${filter.signature}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let indexes: number[] = [];
    if (!filter.invalid) {
      try {
        for (let i = 0; i < this.cases.length; i++) if (filter.predicate(this.cases[i] as SimCase)) indexes.push(i);
        indexes = sortIndexes(indexes, this.cases, ordering);
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        indexes = []; // ActiveRecord::StatementInvalid is rescued: empty 200.
      }
    }
    const result = { indexes };
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, result);
    return result;
  }

  private touch(c: SimCase): void {
    // last_updated_at is stamped on every save; never before created_at, never backwards.
    c.last_updated_at = Math.max(this.now(), c.created_at, c.last_updated_at + 1);
    this.version++;
    this.cache.clear();
  }

  /** Merges `patch` (API-shaped values) into the case and bumps last_updated_at. */
  updateCase(id: string, patch: Record<string, unknown> = {}): SimCase {
    const c = this.find(id);
    if (!c) throw new Error(`no case ${id}`);
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'id' || k === 'last_updated_at') continue;
      if (k === 'enabled') c.record_state = v === true;
      else if (v === undefined || v === null) delete c[k];
      else if (DATETIME_FIELDS.has(k) && typeof v === 'string') c[k] = Date.parse(v);
      else c[k] = structuredClone(v);
    }
    this.touch(c);
    return c;
  }

  /** Adds a new case (generated, then overridden by `overrides`), created now. */
  createCase(overrides: Record<string, unknown> = {}): SimCase {
    const now = this.now();
    const c = generateCase(this.churnRng, now, 1);
    c.created_at = now;
    c.last_updated_at = now;
    c.registration_date = new Date(now).toISOString().slice(0, 10);
    if (c.services_section) for (const s of c.services_section) {
      if (typeof s.service_implemented_day_time === 'number') s.service_implemented_day_time = now;
      s.service_response_day_time = now;
    }
    this.byId.set(c.id, this.cases.length);
    this.cases.push(c);
    this.version++;
    this.cache.clear();
    if (Object.keys(overrides).length > 0) {
      const { id, ...rest } = overrides;
      if (typeof id === 'string') {
        this.byId.delete(c.id);
        c.id = id;
        this.byId.set(id, this.cases.length - 1);
      }
      this.updateCase(c.id, rest);
      c.last_updated_at = Math.max(now, c.created_at);
    }
    return c;
  }

  /** Primero's DELETE: a soft disable (record_state=false). */
  disableCase(id: string): SimCase {
    const c = this.find(id);
    if (!c) throw new Error(`no case ${id}`);
    c.record_state = false;
    this.touch(c);
    return c;
  }

  /** `n` random edits, as other users would make between two requests. */
  churn(n: number): void {
    const rng = this.churnRng;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (u < 0.25 || this.cases.length === 0) {
        this.createCase();
        continue;
      }
      const c = this.cases[rng.int(0, this.cases.length - 1)] as SimCase;
      if (u < 0.4) {
        this.disableCase(c.id);
      } else if (u < 0.7) {
        const rows = c.services_section ?? [];
        if (rows.length < 6) rows.push(generateService(rng, c.created_at, this.now()));
        c.services_section = rows;
        this.touch(c);
      } else {
        this.touch(c); // a save that changes nothing visible still stamps last_updated_at
      }
    }
  }

  /** Deep copies of every case as the API renders it with all fields. */
  snapshot(): Record<string, unknown>[] {
    return this.cases.map((c) => renderCase(c, { kind: 'all' }));
  }
}
