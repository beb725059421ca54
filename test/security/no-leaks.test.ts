import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInbox, type Inbox } from '../../lib/host/inbox/server.ts';
import { newSecret } from '../../lib/host/inbox/secret.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { officialDatabaseCredential } from '../../lib/db/official-credential.ts';
import { REINTEGRATION_TYPE } from '../../lib/core/queries.ts';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';
import { AS_OF, WORKFLOW } from '../support/sync-harness.ts';
import { startCli, type CliRun } from '../support/cli.ts';

/**
 * Every byte the CLI writes (stdout, stderr) and every file it writes, over a
 * full sync with Primero faults and rejects, a failed sync, and single jobs run
 * with `primero-ona run -o`, checked for the generator's identifying values
 * (names, dates of birth, case notes) and for every credential. The Primero
 * page is served with all fields, as by a server that ignores `fields=`, so
 * the personal data does reach the sync and has to be kept in.
 */
const USER = 'sync.user';
const PRIMERO_PASSWORD = 'Pr1mero-Secret-Pw';
const WRONG_PASSWORD = 'Wr0ng-Guess-Pw';
const DB_PASSWORD = 'Db-Secret-Pw-77';
/** Free text typed into a select (a coded field): never reported anywhere. */
const PLANTED_SEX = 'Planted free text in the sex field';
/**
 * An unknown option code: codes come from Primero's lookups and are not personal
 * data, so it is reported, but only aggregated (field, code, number of cases),
 * never next to a case id, and never in a job's output state.
 */
const PLANTED_CODE = 'robot_sex_code';
const PAGE = 15;

describe.each(databaseTargets().filter((k) => k === 'server'))('no personal data or credentials in anything the CLI writes (%s database)', (kind) => {
  let sim: Simulator;
  let db: TestDatabase;
  let dir: string;
  let inbox: Inbox;
  const inboxSecret = newSecret();
  const runs: { what: string; cli: CliRun }[] = [];
  const files: { name: string; text: string }[] = [];
  let rejects: string;

  beforeAll(async () => {
    sim = await startSimulator({ cases: 150, seed: 'leaks', asOf: AS_OF, user: USER, password: PRIMERO_PASSWORD, maxFailedAttempts: 0 });
    db = await createTestDatabase(kind);
    dir = await mkdtemp(path.join(tmpdir(), 'pos-leaks-'));
    inbox = await startInbox({ secret: inboxSecret, logger: silentLogger });
    const url = new URL(db.url);
    url.password = DB_PASSWORD; // the server trusts loopback: the password is only there to be leaked, or not
    const env = { PRIMERO_URL: sim.url, PRIMERO_USER: USER, PRIMERO_PASSWORD, DATABASE_URL: url.toString() };

    // 1. A sync refused by Primero (wrong password): its error lines are output too.
    const refused = startCli(['sync'], { ...env, PRIMERO_PASSWORD: WRONG_PASSWORD });
    expect((await refused.exited).code).toBe(1);
    runs.push({ what: 'sync with a wrong password', cli: refused });

    // 2. A full sync with faults and rejects, verbose: the most the CLI ever says.
    const reintegration = sim
      .records()
      .filter((r) => r.type_of_case === REINTEGRATION_TYPE)
      .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
    const first = reintegration.slice(0, PAGE);
    const bad = [
      { ...first[0], id: 'not-a-uuid', case_id_display: 'leak-1' },
      { ...first[1], id: '00000000-0000-4000-8000-00000000beef', case_id_display: '  ' },
      { ...first[2], id: '00000000-0000-4000-8000-00000000cafe', case_id_display: 'leak-3', age: 'ten', sex: PLANTED_SEX, protection_concerns: 'x', services_section: { note: 'free text' } },
      { ...first[3], id: '00000000-0000-4000-8000-00000000d00d', case_id_display: 'leak-4', sex: PLANTED_CODE, services_section: [] },
    ];
    sim.queueResponses({ status: 200, path: '/api/v2/cases', body: { data: [...bad, ...first], metadata: { total: reintegration.length, per: PAGE, page: 1 } } });
    sim.setFaults({ rate: 0.15, kinds: ['500', '502', '503', '429', 'reset'], retryAfterSeconds: 0 });
    const synced = startCli(['--verbose', 'sync', '--page-size', String(PAGE)], env);
    const done = await synced.exited;
    expect(done.code, synced.stderr).toBe(0);
    expect(sim.requests.filter((r) => r.status >= 500 || r.status === 429 || r.status === 0).length).toBeGreaterThan(0);
    sim.clearFaults();
    runs.push({ what: 'sync with faults and rejects', cli: synced });
    rejects = JSON.stringify((await withClient(db.url, (c) => c.query('SELECT * FROM sync_rejects'))).rows);
    expect(rejects).toContain('not a UUID');

    // 3. Single jobs through `primero-ona run`, each writing its output state file.
    const credentials = path.join(dir, 'credentials.json');
    await writeFile(credentials, JSON.stringify({
      primero: { url: sim.url, user: USER, password: PRIMERO_PASSWORD, basicAuth: true },
      ona: officialDatabaseCredential(url.toString()),
      'ona-inbox': { inboxUrl: inbox.url, inboxApiKey: inboxSecret },
    }));
    const state = async (name: string, data: unknown) => {
      const file = path.join(dir, name);
      await writeFile(file, JSON.stringify({ data }));
      return file;
    };
    const run = async (what: string, args: string[]) => {
      const cli = startCli(['run', WORKFLOW, '-c', credentials, ...args], {});
      const { code } = await cli.exited;
      expect(code, `${what}: ${cli.stderr}`).toBe(0);
      runs.push({ what, cli });
    };
    await run('run --start cron (the start workflow)', ['--start', 'cron', '-s', await state('init.json', { since: '2000-01-01T00:00:00Z', pageSize: PAGE, when: 'now' }), '-o', path.join(dir, 'out-init.json')]);
    const message = await inbox.messages.take(5000);
    expect(message).not.toBeNull();
    sim.queueResponses({ status: 200, path: '/api/v2/cases', body: { data: [...bad, ...first], metadata: { total: reintegration.length, per: PAGE, page: 1 } } });
    await run('run --only fetch', ['--only', 'fetch', '-s', await state('message.json', message), '-o', path.join(dir, 'out-fetch.json')]);
    sim.queueResponses({ status: 200, path: '/api/v2/cases', body: { data: [...bad, ...first], metadata: { total: reintegration.length, per: PAGE, page: 1 } } });
    await run('run --start webhook (one whole batch)', ['--start', 'webhook', '-s', path.join(dir, 'message.json'), '-o', path.join(dir, 'out-batch.json')]);
    for (const name of await readdir(dir)) if (name.startsWith('out-')) files.push({ name, text: await readFile(path.join(dir, name), 'utf8') });
    expect(files.map((f) => f.name).sort()).toEqual(['out-batch.json', 'out-fetch.json', 'out-init.json']);
  }, 180_000);

  afterAll(async () => {
    await inbox?.stop();
    await sim?.stop();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * Names, notes, and dates of birth; a date of birth that is also some
   * record's registration, creation, update or service date is left out, as
   * finding it would prove nothing.
   */
  const identifying = () => {
    const records = sim.records();
    const otherDates = new Set(
      JSON.stringify(records.map(({ date_of_birth: _dob, ...rest }) => rest)).match(/\d{4}-\d{2}-\d{2}/g) ?? [],
    );
    return records.flatMap((r) =>
      [r.name, r.case_notes, otherDates.has(String(r.date_of_birth)) ? null : r.date_of_birth].filter((v): v is string => typeof v === 'string' && v.length > 0),
    );
  };
  const credentials = () => [PRIMERO_PASSWORD, WRONG_PASSWORD, DB_PASSWORD, inboxSecret, Buffer.from(`${USER}:${PRIMERO_PASSWORD}`).toString('base64')];

  function expectNone(where: string, text: string, values: string[]): void {
    const found = values.filter((v) => text.includes(v));
    expect(found, `${where} contains ${found.length} forbidden value(s)`).toEqual([]);
  }

  it('the data set really carries identifying values, and they reached the sync', () => {
    expect(identifying().length).toBeGreaterThan(300);
    expect(identifying().some((v) => v.startsWith('CASE NOTE: '))).toBe(true);
  });

  it('stdout and stderr of every command: no credential, name, date of birth or case note', () => {
    for (const { what, cli } of runs) {
      expectNone(`${what} (stdout)`, cli.stdout, [...credentials(), ...identifying()]);
      expectNone(`${what} (stderr)`, cli.stderr, [...credentials(), ...identifying()]);
    }
    const all = runs.map((r) => r.cli.stdout + r.cli.stderr).join('\n');
    expect(all).toMatch(/retrying|trying again/); // the faults did happen, and were logged
    // The sync's own inbox secret is random: 32 bytes in base64url, 43 characters; none may appear.
    const tokens = all.match(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g) ?? [];
    expect(tokens.filter((t) => /[A-Z]/.test(t) && /[a-z]/.test(t) && /\d/.test(t))).toEqual([]);
  });

  it('stdout and stderr carry no case record: no age, sex or other case fields', () => {
    const all = runs.map((r) => r.cli.stdout + r.cli.stderr).join('\n');
    for (const key of ['"age"', '"sex"', '"date_of_birth"', '"name"', '"services_section"', PLANTED_SEX]) expect(all).not.toContain(key);
    // The unknown code is in the summary's list of codes (field, code, cases), with no case id beside it.
    const lines = all.split('\n').filter((l) => l.includes(PLANTED_CODE));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/^\s+sex\s+"robot_sex_code"\s+1 case$/);
      expect(line).not.toMatch(/leak-4|d00d/);
    }
  });

  it('output state files: no credential, name, date of birth or case note', () => {
    for (const f of files) expectNone(f.name, f.text, [...credentials(), ...identifying()]);
  });

  it('output states after init and after a whole batch hold counts and cursors, no case record', () => {
    for (const f of files.filter((x) => x.name !== 'out-fetch.json')) {
      for (const key of ['"age"', '"sex"', '"case_id_display"', '"services_section"', PLANTED_SEX, PLANTED_CODE]) expect(f.text, f.name).not.toContain(key);
    }
  });

  it('sync_rejects holds ids, fields and reasons: no credential, identifying value, or free text', () => {
    expectNone('sync_rejects', rejects, [...credentials(), ...identifying(), PLANTED_SEX, 'free text']);
  });

  it('sync_rejects holds an unknown option code only aggregated: field, code and number of cases, no case id', () => {
    const rows = (JSON.parse(rejects) as Record<string, unknown>[]).filter((r) => JSON.stringify(r).includes(PLANTED_CODE));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatchObject({ kind: 'unknown_code', field: 'sex', code: PLANTED_CODE, primero_id: null, case_id: null });
    // The free text typed into the same field is counted, under a placeholder.
    expect((JSON.parse(rejects) as Record<string, unknown>[]).some((r) => r.field === 'sex' && r.code === '(not an option id)')).toBe(true);
  });
});
