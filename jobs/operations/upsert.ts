import { fn, sql } from '@openfn/language-postgresql';
import { FetchedBatch, type BatchCounts, type UpsertedBatch } from '../../lib/core/job-states.ts';
import { parseAt } from '../../lib/core/schema.ts';
import { CLAIM_BATCH, LOCK_RUN_FOR_BATCH, RECORD_BATCH, RECORD_FAILURE, RECORD_NOTES, RECORD_UNKNOWN_CODES } from '../../lib/sql/ledger.ts';
import { DELETE_SERVICES_OF, EXISTING_CASES, LOAD_REFERENCE, REFRESH_REFERENCE, REMOVE_CASES, SERVICE_HOLDERS, writeRowsSql } from '../../lib/sql/writes.ts';
import { dropServiceConflicts, planBatch, settleConflicts, type SettledBatch } from '../../lib/core/batch-plan.ts';
import { countBatch, freshCases, keyHolders, noteRows } from '../../lib/core/batch-counts.ts';
import { removedCounts, type RemovedCounts } from '../../lib/core/removals.ts';
import { unknownCodes } from '../../lib/core/mapping/unknown-codes.ts';
import { bookmarkAfter, claimBatch } from '../../lib/core/bookmark.ts';
import { batchesLeft } from '../../lib/core/paging.ts';
import { referenceFromRows } from '../../lib/core/reference/rows.ts';
import { BatchRefused, classifyDatabaseFailure, NotThisBatch } from '../../lib/core/database-failure.ts';
import { kindOf } from '../../lib/core/retry.ts';

/** The upsert job's working state, as its operations fill it in. */
interface UpsertState {
  data: any;
  batch: FetchedBatch;
  /** When the run started (its cases written since are this run's); null on a dry run. */
  runStarted: string | null;
  duplicate?: { complete: boolean };
  plan: SettledBatch;
  fresh: Set<string>;
  removed: RemovedCounts;
  recorded: { kind: string }[];
  counts: BatchCounts;
}
type Op = (s: UpsertState) => UpsertState | Promise<UpsertState>;
/** The adaptor's `sql`, typed for this job's state. */
const statement = (query: (s: UpsertState) => string | { text: string; values: unknown[] }): Op => sql(query as never) as unknown as Op;
const run = async (query: string | { text: string; values: unknown[] }, s: UpsertState): Promise<UpsertState> => (await sql(query)(s)) as UpsertState;

const batch = (s: UpsertState) => s.batch;
const runId = (s: UpsertState) => s.batch.message.runId;
const dryRun = (s: UpsertState) => s.batch.message.dryRun;
const rows = (s: UpsertState): any[] => (Array.isArray(s.data) ? s.data : []);
/** After reading a statement's rows: drop them and the adaptor's `references`, so state does not grow statement by statement. */
const cleared = (s: UpsertState): UpsertState => ({ ...s, data: null, references: [], result: undefined } as UpsertState);
const failedFetch = (s: UpsertState) => s.batch.failure !== undefined;

export const readBatch = fn((s: UpsertState) => ({ ...s, data: null, batch: parseAt(FetchedBatch, s.data, 'upsert input'), runStarted: null }));

/**
 * Every statement of a step runs on the step's one connection: BEGIN ...
 * COMMIT is one transaction, and a failure anywhere ends the connection, which
 * rolls it back. A dry run does all of it and rolls back: nothing it did stays.
 */
export const begin = sql('BEGIN');

/** One batch of a run writes at a time; then: is this batch the run's bookmark, or a repeated delivery (a webhook may deliver twice)? */
const claim: Op[] = [
  statement((s: UpsertState) => ({ text: LOCK_RUN_FOR_BATCH, values: [runId(s)] })),
  statement((s: UpsertState) => ({ text: CLAIM_BATCH, values: [runId(s)] })),
  (s) => {
    const row = rows(s)[0];
    const claimed = claimBatch(row, batch(s).message);
    if (claimed.decision === 'refuse') throw new NotThisBatch(`${claimed.why}; batch not written`);
    if (claimed.decision === 'duplicate') console.log(`batch ${batch(s).message.batch} of run ${runId(s)} was committed already: this repeated delivery writes nothing`);
    // A Date would reach the adaptor as {} (expandReferences rebuilds objects): an ISO string.
    return { ...cleared(s), runStarted: new Date(row.started_at).toISOString(), ...(claimed.decision === 'duplicate' ? { duplicate: { complete: claimed.complete } } : {}) };
  },
];

/** A run's first batch: data_dictionary and locations_lookup from what fetch read of Primero (migration 016). */
const refreshReference: Op[] = [
  statement((s: UpsertState) => {
    const r = batch(s).reference!;
    return { text: REFRESH_REFERENCE, values: [r.lookups && JSON.stringify(r.lookups), r.forms && JSON.stringify(r.forms), r.locations && JSON.stringify(r.locations)] };
  }),
  (s) => {
    for (const r of rows(s)) console.warn(`reference data: ${r.warning}`);
    return cleared(s);
  },
];

/** Maps the batch with the option labels and districts the tables hold now. */
const planTheBatch: Op[] = [
  statement(() => LOAD_REFERENCE),
  (s) => {
    const ref = referenceFromRows(rows(s)[0].options, rows(s)[0].districts);
    return { ...cleared(s), plan: { ...planBatch(batch(s).cases, batch(s).withoutId, ref), reloaded: [] } };
  },
];

/** A case_id another Primero record already holds is a reject, never an overwrite; a case this run wrote already is not counted again. */
const settleCaseIds: Op[] = [
  statement((s: UpsertState) => ({ text: EXISTING_CASES, values: [s.plan.cases.map((c) => c.case_id), s.runStarted] })),
  (s) => {
    const plan = settleConflicts(s.plan, keyHolders(rows(s)));
    return { ...cleared(s), plan, fresh: freshCases(plan, rows(s)) };
  },
];

/** Cases Primero disabled, and cases that left both indicators (a child who turned 18, a re-typed case), as fetch found them. */
const removeCases: Op[] = [
  async (s) => {
    const removals = batch(s).removals;
    if (removals.length === 0) return { ...s, removed: { left: 0, disabled: 0 } };
    const next = await run({ text: REMOVE_CASES, values: [JSON.stringify(removals)] }, s);
    return { ...cleared(next), removed: removedCounts(rows(next)) };
  },
];

const writeCases: Op[] = [async (s) => (s.plan.cases.length > 0 ? cleared(await run(writeRowsSql('cases', s.plan.cases, { kind: 'update', key: 'case_id' }), s)) : s)];

/** A reloaded case's services are replaced; a service another case holds is skipped by the insert and reported. */
const writeServices: Op[] = [
  async (s) => (s.plan.reloaded.length > 0 ? cleared(await run({ text: DELETE_SERVICES_OF, values: [s.plan.reloaded] }, s)) : s),
  async (s) => {
    const services = s.plan.services;
    if (services.length === 0) return cleared(s);
    const inserted = rows(await run(writeRowsSql('services', services, { kind: 'skip', key: 'unique_id' }), s)).length;
    if (inserted === services.length) return cleared(s);
    const holders = keyHolders(rows(await run({ text: SERVICE_HOLDERS, values: [services.map((x) => x.unique_id)] }, s)));
    const plan = dropServiceConflicts(s.plan, holders);
    // What was skipped must be exactly what another case holds, or the counts would lie.
    if (plan.services.length !== inserted) throw new BatchRefused(`services: ${plan.services.length} to load but ${inserted} inserted; batch not written`);
    return { ...cleared(s), plan };
  },
];

/** Rejects and nulled values per record, once per run; unknown codes per field and code with how many cases carry them (no case id). */
const recordNotes: Op[] = [
  async (s) => {
    if (dryRun(s)) return { ...s, recorded: s.plan.notes.filter((n) => n.kind !== 'unknown_code') };
    const recorded = rows(await run({ text: RECORD_NOTES, values: [runId(s), noteRows(s.plan, s.fresh)] }, s));
    await run({ text: RECORD_UNKNOWN_CODES, values: [runId(s), JSON.stringify(unknownCodes(s.plan.notes, s.fresh))] }, s);
    return { ...cleared(s), recorded };
  },
];

/** The bookmark moves in the batch's own transaction, and the run closes with its last batch: committed with the data, or not at all. */
const moveBookmark: Op[] = [
  async (s) => {
    const counts = countBatch(s.plan, s.fresh, s.recorded, s.removed);
    if (dryRun(s)) return { ...s, counts };
    const { message, advanced } = batch(s);
    const next = bookmarkAfter(message, advanced);
    const c = counts;
    const values = [runId(s), message.batch, JSON.stringify(advanced), next && JSON.stringify(next), c.cases, c.services, c.rejects, c.removed, c.removedDisabled, c.nulled];
    // Claimed above under the run's lock, so this holds; if not, the error ends the connection and rolls everything back.
    if (rows(await run({ text: RECORD_BATCH, values }, s)).length !== 1) throw new BatchRefused(`run ${runId(s)} is not running any more; batch not written`);
    return { ...cleared(s), counts };
  },
];

/**
 * The batch's writes, as one group. A fetch that could not read its pages is
 * recorded as the run's failure instead. When a write fails, the transaction
 * is rolled back and the failure is on record at once (the run's ledger row
 * says failed, the step and the first line), unless the connection itself is
 * gone; a message that is not this run's bookmark records nothing.
 */
export const writeBatch = fn(async (state: UpsertState) => {
  let s = state;
  try {
    if (!dryRun(s)) for (const op of claim) s = await op(s);
    if (s.duplicate) return s;
    if (failedFetch(s)) {
      const f = batch(s).failure!;
      return dryRun(s) ? s : cleared(await run({ text: RECORD_FAILURE, values: [runId(s), `batch ${batch(s).message.batch}: ${f.error}`, f.step, f.kind] }, s));
    }
    const steps = [...(batch(s).reference ? refreshReference : []), ...planTheBatch, ...settleCaseIds, ...removeCases, ...writeCases, ...writeServices, ...recordNotes, ...moveBookmark];
    for (const op of steps) s = await op(s);
    return s;
  } catch (e) {
    if (dryRun(s) || e instanceof NotThisBatch) throw e;
    const failure = classifyDatabaseFailure(e);
    try {
      await run('ROLLBACK', s);
      await run({ text: RECORD_FAILURE, values: [runId(s), `batch ${batch(s).message.batch}: ${failure.line}`, 'upsert', kindOf(failure)] }, s);
    } catch (unrecorded) {
      // The connection is gone: the run stays `running` and the next start resumes it from its bookmark.
    }
    throw e;
  }
});

/** Kept: a batch's writes, or a fetch's failure on record. Rolled back: a dry run, a repeated delivery. */
export const end = statement((s: UpsertState) => (!dryRun(s) && !s.duplicate ? 'COMMIT' : 'ROLLBACK'));

/** A failed fetch is the batch's failure: the workflow run fails here, with the line the ledger holds. */
export const failWithFetch = fn((s: UpsertState) => {
  if (failedFetch(s)) throw new Error(`batch ${batch(s).message.batch} not written: ${batch(s).failure!.error}`);
  return s;
});

/** Counts and cursors only from here on: no case data past this step. */
export const handOnOutcome = fn((s: UpsertState) => {
  if (dryRun(s) && s.counts) {
    const c = s.counts;
    console.log(`dry run, batch ${batch(s).message.batch}: would write ${c.cases} cases and ${c.services} services, remove ${c.removed + c.removedDisabled} cases; ${c.rejects} records not loaded, ${c.nulled} values NULL; nothing written`);
  }
  const { message, advanced } = batch(s);
  const next = s.duplicate ? null : bookmarkAfter(message, advanced);
  const counts = s.counts ?? { cases: 0, services: 0, rejects: 0, nulled: 0, removed: 0, removedDisabled: 0 };
  const out: UpsertedBatch = {
    // A dry run posts its next batch too: the chain runs through, writing nothing.
    message: next,
    outcome: {
      runId: message.runId,
      batch: message.batch,
      batchesLeft: next === null ? 0 : batchesLeft(advanced),
      counts,
      complete: s.duplicate ? s.duplicate.complete : next === null,
      dryRun: message.dryRun,
      duplicate: s.duplicate !== undefined,
    },
  };
  return { data: out };
});
