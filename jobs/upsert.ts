// Job 2: map the batch's cases and services (ona-mapping.md) and write them,
// the records that could not be loaded, and the run's progress, in one
// transaction. A case's services are replaced as a whole; cases that left both
// indicators are removed; a dry run reads and maps but writes nothing.
import { fn, fnIf, insertMany, sql, transaction, upsertMany } from '@openfn/language-postgresql';
import { FetchedBatch, parseAt, type UpsertedBatch } from '../lib/sync/job-states.ts';
import {
  DELETE_SERVICES_OF,
  EXISTING_CASES,
  LOAD_DISTRICTS,
  LOAD_OPTION_LABELS,
  RECORD_BATCH,
  RECORD_NOTES,
  SERVICE_HOLDERS,
} from '../lib/sync/ledger-sql.ts';
import { casesByLoaded, dropServiceConflicts, planBatch, settleConflicts, type BatchPlan, type SettledBatch } from '../lib/sync/batch-plan.ts';
import { countBatch, keyHolders, noteRows } from '../lib/sync/batch-counts.ts';
import { COUNT_REMOVALS, mergeRemovals, membershipRemovals, RECORD_DISABLED_REMOVED, removalRows, REMOVE_CASES, removedCounts, withoutDisabled } from '../lib/indicators/removals.ts';
import { RECORD_UNKNOWN_CODES, unknownCodes } from '../lib/mapping/unknown-codes.ts';
import { nextMessage } from '../lib/sync/paging.ts';
import { referenceFromRows } from '../lib/sync/reference-rows.ts';
import { referenceUpdate, TABLE_COLUMNS, type ReferenceUpdate } from '../lib/sync/reference-update.ts';

type S = Record<string, any>;
const nextOrNull = (m: unknown) => (m === null ? null : JSON.stringify(m));
const batch = (s: S): FetchedBatch => s.batch;
const plan = (s: S): BatchPlan => s.plan;
const settled = (s: S): SettledBatch => s.plan;
const writing = (s: S) => !batch(s).message.dryRun;
/** Reference data comes with a run's first batch (and every batch of a dry run): fetch read it then. */
const withReference = (s: S) => batch(s).reference !== null;
const refreshing = (s: S) => writing(s) && withReference(s);
/** A dry run maps with what Primero serves now, as a real run would after its refresh. */
const mapsFromFetched = (s: S) => !writing(s) && withReference(s);
const update = (s: S): ReferenceUpdate => s.referenceUpdate;
/** Services to look up: a dry run asks about all; a real run only when its insert skipped some. */
const servicesSkipped = (s: S) => plan(s).services.length > 0 && (!writing(s) || s.servicesInserted < plan(s).services.length);

export default [
  fn((state: S) => ({ ...state, data: null, batch: parseAt(FetchedBatch, state.data, 'upsert input'), removed: { left: 0, disabled: 0 } })),
  transaction(
    fnIf(withReference, sql(TABLE_COLUMNS)),
    fnIf(
      withReference,
      fn(async (s: S) => {
        const u = await referenceUpdate(batch(s).reference!, s.data);
        for (const w of u.warnings) console.warn(`reference data: ${w}`);
        return { ...s, data: null, referenceUpdate: u };
      }),
    ),
    // The dictionary is replaced as a whole: an option removed in Primero disappears.
    fnIf(refreshing, sql('DELETE FROM data_dictionary')),
    fnIf(refreshing, insertMany('data_dictionary', (s: S) => update(s).dictionary)),
    fnIf((s: S) => refreshing(s) && update(s).locations !== null, upsertMany('locations_lookup', 'code', (s: S) => update(s).locations!)),
    fnIf((s: S) => !mapsFromFetched(s), sql(LOAD_OPTION_LABELS)),
    fn((s: S) => ({ ...s, optionRows: mapsFromFetched(s) ? update(s).dictionary : s.data })),
    fnIf((s: S) => !mapsFromFetched(s), sql(LOAD_DISTRICTS)),
    fn((s: S) => {
      const districts = mapsFromFetched(s) ? (update(s).locations ?? []) : s.data;
      const { ref } = referenceFromRows(s.optionRows, districts);
      // Cases Primero disabled leave `cases`: out of the rows to write, into the removals.
      const { plan, disabled } = withoutDisabled(planBatch(batch(s).cases, batch(s).withoutId, ref));
      return { ...s, optionRows: undefined, referenceUpdate: undefined, data: null, plan, disabled };
    }),
    sql((s: S) => ({ text: EXISTING_CASES, values: [plan(s).cases.map((c) => c.case_id)] })),
    fn((s: S) => {
      const settled = settleConflicts(plan(s), keyHolders(s.data));
      const loaded = new Set(settled.cases.map((c) => c.primero_id));
      return { ...s, data: null, plan: settled, removals: mergeRemovals(s.disabled, membershipRemovals(batch(s).membership, loaded)), disabled: undefined };
    }),
    fnIf(
      (s: S) => s.removals.length > 0,
      sql((s: S) => ({ text: writing(s) ? REMOVE_CASES : COUNT_REMOVALS, values: [removalRows(s.removals)] })),
    ),
    fn((s: S) => ({ ...s, data: null, removed: s.removals.length > 0 ? removedCounts(s.data) : { left: 0, disabled: 0 }, removals: undefined })),
    // Cases not in the table yet are inserted (a first load writes them all this way); the others upserted.
    fn((s: S) => ({ ...s, caseRows: casesByLoaded(settled(s)) })),
    fnIf((s: S) => writing(s) && s.caseRows.fresh.length > 0, insertMany('cases', (s: S) => s.caseRows.fresh)),
    fnIf((s: S) => writing(s) && s.caseRows.reloaded.length > 0, upsertMany('cases', 'case_id', (s: S) => s.caseRows.reloaded)),
    fn((s: S) => ({ ...s, caseRows: undefined })),
    fnIf(
      (s: S) => writing(s) && settled(s).reloaded.length > 0,
      sql((s: S) => ({ text: DELETE_SERVICES_OF, values: [settled(s).reloaded] })),
    ),
    // With the reloaded cases' services gone, a service already there belongs to another case: skipped.
    fnIf((s: S) => writing(s) && plan(s).services.length > 0, insertMany('services', (s: S) => plan(s).services, { skipConflicts: true })),
    fn((s: S) => ({ ...s, data: null, servicesInserted: writing(s) && plan(s).services.length > 0 ? (s.result?.inserted ?? 0) : 0 })),
    fnIf(servicesSkipped, sql((s: S) => ({ text: SERVICE_HOLDERS, values: [plan(s).services.map((x) => x.unique_id)] }))),
    fnIf(
      servicesSkipped,
      fn((s: S) => {
        const settledPlan = dropServiceConflicts(settled(s), keyHolders(s.data));
        // What was skipped must be exactly what another case holds, or the counts would lie.
        if (writing(s) && settledPlan.services.length !== s.servicesInserted) {
          throw new Error(`services: ${settledPlan.services.length} to load but ${s.servicesInserted} inserted; batch not written`);
        }
        return { ...s, data: null, plan: settledPlan };
      }),
    ),
    fnIf(
      (s: S) => writing(s) && plan(s).notes.length > 0,
      sql((s: S) => ({ text: RECORD_NOTES, values: [batch(s).message.runId, noteRows(plan(s))] })),
    ),
    // Unknown codes of the cases written, one row per field and code with the number of cases.
    fn((s: S) => ({ ...s, unknownCodes: unknownCodes(plan(s).notes, new Set(plan(s).cases.map((c) => c.primero_id))) })),
    fnIf(
      (s: S) => writing(s) && s.unknownCodes.length > 0,
      sql((s: S) => ({ text: RECORD_UNKNOWN_CODES, values: [batch(s).message.runId, JSON.stringify(s.unknownCodes)] })),
    ),
    fnIf(
      (s: S) => writing(s) && s.removed.disabled > 0,
      sql((s: S) => ({ text: RECORD_DISABLED_REMOVED, values: [batch(s).message.runId, s.removed.disabled] })),
    ),
    fnIf(
      writing,
      sql((s: S) => {
        const b = batch(s);
        const counts = countBatch(plan(s), s.removed.left, s.removed.disabled);
        return {
          text: RECORD_BATCH,
          values: [
            b.message.runId,
            b.message.batch,
            JSON.stringify(b.advanced),
            nextOrNull(nextMessage(b.message, b.advanced)),
            counts.cases,
            counts.services,
            counts.rejects,
            counts.removed,
            counts.notes,
          ],
        };
      }),
    ),
    fn((s: S) => {
      // The bookmark moves only with the data: if the run is no longer ours, roll everything back.
      if (writing(s) && s.data.length !== 1) throw new Error(`run ${batch(s).message.runId} is not running any more; batch not written`);
      return s;
    }),
  ),
  fn((s: S) => {
    const out: UpsertedBatch = { message: batch(s).message, advanced: batch(s).advanced, counts: countBatch(plan(s), s.removed.left, s.removed.disabled) };
    // Counts and cursors only from here on: no case data past this job.
    return { data: out };
  }),
];
