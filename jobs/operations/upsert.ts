import { fn, fnIf, sql } from '@openfn/language-postgresql';
import { FetchedBatch, parseAt, type UpsertedBatch } from '../../lib/core/job-states.ts';
import {
  DELETE_SERVICES_OF,
  EXISTING_CASES,
  LOAD_DISTRICTS,
  LOAD_OPTION_LABELS,
  RECORD_NOTES,
  SERVICE_HOLDERS,
} from '../../lib/sql/ledger.ts';
import { dropServiceConflicts, planBatch, settleConflicts, type BatchPlan, type SettledBatch } from '../../lib/core/batch-plan.ts';
import { countBatch, keyHolders, noteRows } from '../../lib/core/batch-counts.ts';
import { COUNT_REMOVALS, mergeRemovals, membershipRemovals, RECORD_DISABLED_REMOVED, removalRows, REMOVE_CASES, removedCounts, withoutDisabled } from '../../lib/core/removals.ts';
import { RECORD_UNKNOWN_CODES, unknownCodes } from '../../lib/core/mapping/unknown-codes.ts';
import { bookmarkAfter, CLAIM_BATCH, claimBatch, LOCK_RUN_FOR_BATCH, RECORD_BATCH } from '../../lib/core/bookmark.ts';
import { referenceFromRows } from '../../lib/core/reference/rows.ts';
import { referenceUpdate, TABLE_COLUMNS, type ReferenceUpdate } from '../../lib/core/reference/update.ts';
import { writeRowsSql } from '../../lib/sql/write-rows.ts';

type S = Record<string, any>;
const batch = (s: S): FetchedBatch => s.batch;
const plan = (s: S): BatchPlan => s.plan;
const settled = (s: S): SettledBatch => s.plan;
const rows = (s: S): any[] => (Array.isArray(s.data) ? s.data : []);
/** After reading a statement's rows: drop them and the adaptor's `references`, so state does not grow statement by statement. */
const cleared = (s: S) => ({ ...s, data: null, references: [], result: undefined });
/** A dry run writes nothing; nor does a repeated delivery of a batch already committed. */
const writing = (s: S) => !batch(s).message.dryRun && !s.duplicate;
/** Reference data comes with a run's first batch (and every batch of a dry run): fetch read it then. */
const withReference = (s: S) => batch(s).reference !== null;
const refreshing = (s: S) => writing(s) && withReference(s);
/** A dry run maps with what Primero serves now, as a real run would after its refresh. */
const mapsFromFetched = (s: S) => !writing(s) && withReference(s);
const update = (s: S): ReferenceUpdate => s.referenceUpdate;

export const readBatch = fn((s: S) => ({ ...s, data: null, batch: parseAt(FetchedBatch, s.data, 'upsert input'), removed: { left: 0, disabled: 0 } }));

// Every statement of a step runs on the step's one connection: BEGIN ... COMMIT is one transaction,
// and a failure anywhere ends the connection, which rolls it back.
export const begin = [
  fnIf(writing, sql('BEGIN')),
  // One batch of a run writes at a time; then: is this batch the run's bookmark, or a repeated delivery (a webhook may deliver twice)?
  fnIf(writing, sql((s: S) => ({ text: LOCK_RUN_FOR_BATCH, values: [batch(s).message.runId] }))),
  fnIf(writing, sql((s: S) => ({ text: CLAIM_BATCH, values: [batch(s).message.runId] }))),
  fnIf(
    writing,
    fn((s: S) => {
      const claim = claimBatch(rows(s)[0], batch(s).message);
      if (claim.decision === 'refuse') throw new Error(`${claim.why}; batch not written`);
      if (claim.decision === 'duplicate') console.log(`batch ${batch(s).message.batch} of run ${batch(s).message.runId} was committed already: this repeated delivery writes nothing`);
      return { ...cleared(s), duplicate: claim.decision === 'duplicate' };
    }),
  ),
];
export const commit = [fnIf(writing, sql('COMMIT')), fnIf((s: S) => s.duplicate === true, sql('ROLLBACK'))];

/** The dictionary is replaced as a whole (an option removed in Primero disappears); locations are upserted. */
export const refreshReference = [
  fnIf(withReference, sql(TABLE_COLUMNS)),
  fnIf(
    withReference,
    fn(async (s: S) => {
      const u = await referenceUpdate(batch(s).reference!, rows(s));
      for (const w of u.warnings) console.warn(`reference data: ${w}`);
      return { ...cleared(s), referenceUpdate: u };
    }),
  ),
  fnIf(refreshing, sql('DELETE FROM data_dictionary')),
  fnIf((s: S) => refreshing(s) && update(s).dictionary.length > 0, sql((s: S) => writeRowsSql('data_dictionary', update(s).dictionary, { kind: 'none' }))),
  fnIf(
    (s: S) => refreshing(s) && update(s).locations !== null && update(s).locations!.length > 0,
    sql((s: S) => writeRowsSql('locations_lookup', update(s).locations!, { kind: 'update', key: 'code' })),
  ),
];

/** Option labels and districts the mapping reads: from the tables, or (dry run) from what fetch read. */
export const loadReference = [
  fnIf((s: S) => !mapsFromFetched(s), sql(LOAD_OPTION_LABELS)),
  fn((s: S) => ({ ...cleared(s), optionRows: mapsFromFetched(s) ? update(s).dictionary : rows(s) })),
  fnIf((s: S) => !mapsFromFetched(s), sql(LOAD_DISTRICTS)),
  fn((s: S) => ({ ...cleared(s), districtRows: mapsFromFetched(s) ? (update(s).locations ?? []) : rows(s) })),
];

export const planTheBatch = fn((s: S) => {
  const { ref } = referenceFromRows(s.optionRows, s.districtRows);
  // Cases Primero disabled leave `cases`: out of the rows to write, into the removals.
  const { plan, disabled } = withoutDisabled(planBatch(batch(s).cases, batch(s).withoutId, ref));
  return { ...s, optionRows: undefined, districtRows: undefined, referenceUpdate: undefined, plan, disabled };
});

/** A case_id another Primero record already holds is a reject, never an overwrite. */
export const settleCaseIds = [
  sql((s: S) => ({ text: EXISTING_CASES, values: [plan(s).cases.map((c) => c.case_id)] })),
  fn((s: S) => {
    const settledPlan = settleConflicts(plan(s), keyHolders(rows(s)));
    const loaded = new Set(settledPlan.cases.map((c) => c.primero_id));
    return { ...cleared(s), plan: settledPlan, removals: mergeRemovals(s.disabled, membershipRemovals(batch(s).membership, loaded)), disabled: undefined };
  }),
];

/** Cases Primero disabled, and cases that left both indicators (a child who turned 18, a re-typed case); a dry run only counts them. */
export const removeCases = [
  fnIf((s: S) => s.removals.length > 0, sql((s: S) => ({ text: writing(s) ? REMOVE_CASES : COUNT_REMOVALS, values: [removalRows(s.removals)] }))),
  fn((s: S) => ({ ...cleared(s), removed: s.removals.length > 0 ? removedCounts(rows(s)) : { left: 0, disabled: 0 }, removals: undefined })),
];

export const writeCases = [
  fnIf((s: S) => writing(s) && settled(s).cases.length > 0, sql((s: S) => writeRowsSql('cases', settled(s).cases, { kind: 'update', key: 'case_id' }))),
  fn(cleared),
];

/** A reloaded case's services are replaced; a service another case holds is skipped by the insert and reported. */
export const writeServices = [
  fnIf((s: S) => writing(s) && settled(s).reloaded.length > 0, sql((s: S) => ({ text: DELETE_SERVICES_OF, values: [settled(s).reloaded] }))),
  fnIf((s: S) => writing(s) && plan(s).services.length > 0, sql((s: S) => writeRowsSql('services', plan(s).services, { kind: 'skip', key: 'unique_id' }))),
  fn((s: S) => ({ ...cleared(s), servicesInserted: writing(s) ? rows(s).length : 0 })),
  fnIf(
    (s: S) => plan(s).services.length > 0 && (!writing(s) || s.servicesInserted < plan(s).services.length),
    sql((s: S) => ({ text: SERVICE_HOLDERS, values: [plan(s).services.map((x) => x.unique_id)] })),
  ),
  fnIf(
    (s: S) => plan(s).services.length > 0 && (!writing(s) || s.servicesInserted < plan(s).services.length),
    fn((s: S) => {
      const settledPlan = dropServiceConflicts(settled(s), keyHolders(rows(s)));
      // What was skipped must be exactly what another case holds, or the counts would lie.
      if (writing(s) && settledPlan.services.length !== s.servicesInserted) {
        throw new Error(`services: ${settledPlan.services.length} to load but ${s.servicesInserted} inserted; batch not written`);
      }
      return { ...cleared(s), plan: settledPlan };
    }),
  ),
];

/** Rejects and nulled values per record; unknown codes per field and code with how many cases carry them (no case id). */
export const recordNotes = [
  fnIf((s: S) => writing(s) && plan(s).notes.length > 0, sql((s: S) => ({ text: RECORD_NOTES, values: [batch(s).message.runId, noteRows(plan(s))] }))),
  fn((s: S) => ({ ...cleared(s), unknownCodes: unknownCodes(plan(s).notes, new Set(plan(s).cases.map((c) => c.primero_id))) })),
  fnIf((s: S) => writing(s) && s.unknownCodes.length > 0, sql((s: S) => ({ text: RECORD_UNKNOWN_CODES, values: [batch(s).message.runId, JSON.stringify(s.unknownCodes)] }))),
  fnIf((s: S) => writing(s) && s.removed.disabled > 0, sql((s: S) => ({ text: RECORD_DISABLED_REMOVED, values: [batch(s).message.runId, s.removed.disabled] }))),
  fn((s: S) => ({ ...cleared(s), unknownCodes: undefined })),
];

/** The bookmark moves in the batch's own transaction: committed with the data, or not at all. */
export const moveBookmark = [
  fn((s: S) => ({
    ...cleared(s),
    next: s.duplicate ? null : bookmarkAfter(batch(s).message, batch(s).advanced),
    counts: s.duplicate ? countBatch({ cases: [], services: [], notes: [] }, 0, 0) : countBatch(plan(s), s.removed.left, s.removed.disabled),
  })),
  fnIf(
    writing,
    sql((s: S) => ({
      text: RECORD_BATCH,
      values: [
        batch(s).message.runId,
        batch(s).message.batch,
        JSON.stringify(batch(s).advanced),
        s.next === null ? null : JSON.stringify(s.next),
        s.counts.cases,
        s.counts.services,
        s.counts.rejects,
        s.counts.removed,
        s.counts.notes,
      ],
    })),
  ),
  fnIf(
    writing,
    fn((s: S) => {
      // Claimed above under the row lock, so this holds; if not, the error ends the connection and rolls everything back.
      if (rows(s).length !== 1) throw new Error(`run ${batch(s).message.runId} is not running any more; batch not written`);
      return cleared(s);
    }),
  ),
];

/** Counts and cursors only from here on: no case data past this step. */
export const handOnCounts = fn((s: S) => {
  const out: UpsertedBatch = { message: batch(s).message, next: s.next, advanced: batch(s).advanced, counts: s.counts, duplicate: s.duplicate === true };
  return { data: out };
});
