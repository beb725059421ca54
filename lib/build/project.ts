/**
 * The OpenFn project, declared once: four jobs (init, fetch, upsert,
 * next-batch) in two workflows as Lightning wants them (one adaptor per step,
 * each workflow started by one trigger), the adaptor versions the jobs are
 * written against, and the credentials the steps name. `npm run build` turns
 * each job's TypeScript into dist/jobs/<job>.js, and this into workflow.json
 * (the openfn CLI's plan, at the project's root) and dist/project.yaml
 * (`openfn deploy`).
 */

/** The official adaptors the jobs are written against: their API, and nothing more. */
export const ADAPTORS = {
  postgresql: { name: '@openfn/language-postgresql', version: '8.1.2' },
  primero: { name: '@openfn/language-primero', version: '4.1.2' },
  http: { name: '@openfn/language-http', version: '7.3.2' },
} as const;
export type AdaptorKey = keyof typeof ADAPTORS;

/** Credential ids the steps name; the CLI builds them from its settings, Lightning holds them. */
export const CREDENTIALS = {
  primero: { id: 'primero', name: 'Primero API', keys: ['url', 'user', 'password', 'basicAuth'] },
  ona: { id: 'ona', name: 'ONA database', keys: ['host', 'port', 'database', 'user', 'password', 'ssl', 'ca'] },
  inbox: { id: 'ona-inbox', name: 'Batch webhook', keys: ['inboxUrl', 'inboxApiKey'] },
} as const;
export type CredentialKey = keyof typeof CREDENTIALS;

export interface JobDeclaration {
  /** Step id, and the name of its built file (dist/jobs/<id>.js). */
  id: string;
  /** Lightning job name: letters, digits, space, _ and - only. */
  name: string;
  adaptor: AdaptorKey;
  /** TypeScript source, relative to the project root. */
  source: string;
  credential: CredentialKey;
}

/** The four jobs. next-batch is the last step of both workflows: one built file. */
export const JOBS = {
  init: { id: 'init', name: 'init', adaptor: 'postgresql', source: 'jobs/init.ts', credential: 'ona' },
  fetch: { id: 'fetch', name: 'fetch', adaptor: 'primero', source: 'jobs/fetch.ts', credential: 'primero' },
  upsert: { id: 'upsert', name: 'upsert', adaptor: 'postgresql', source: 'jobs/upsert.ts', credential: 'ona' },
  nextBatch: { id: 'next-batch', name: 'next batch', adaptor: 'http', source: 'jobs/next-batch.ts', credential: 'inbox' },
} as const satisfies Record<string, JobDeclaration>;

export interface WorkflowDeclaration {
  id: string;
  name: string;
  trigger: { id: 'cron'; type: 'cron'; cron: string } | { id: 'webhook'; type: 'webhook' };
  /** Run in this order: the trigger starts the first, each later one runs when the one before succeeded. */
  jobs: JobDeclaration[];
}

/**
 * Daily, 02:00 UTC (09:00 in Phnom Penh). The start job opens a run only when
 * the quarter's run is due and otherwise resumes a chain that stopped, so a
 * missed quarter or a failed batch waits a day, not three months.
 */
export const START_CRON = '0 2 * * *';

export const START_WORKFLOW: WorkflowDeclaration = {
  id: 'start',
  name: 'primero-ona start',
  trigger: { id: 'cron', type: 'cron', cron: START_CRON },
  jobs: [JOBS.init, JOBS.nextBatch],
};

export const BATCH_WORKFLOW: WorkflowDeclaration = {
  id: 'batch',
  name: 'primero-ona batch',
  trigger: { id: 'webhook', type: 'webhook' },
  jobs: [JOBS.fetch, JOBS.upsert, JOBS.nextBatch],
};

export const WORKFLOWS: readonly WorkflowDeclaration[] = [START_WORKFLOW, BATCH_WORKFLOW];

export const PROJECT_NAME = 'primero-ona-sync';

/**
 * The largest each built job may be: OpenFn compiles every job on every run,
 * in time proportional to its size. 16 KB a job, 6 KB for next-batch, 60 KB in
 * all; upsert is allowed 24 KB: mapping a case to its rows (about 9.5 KB of
 * it) must run beside the database reads it needs (labels, the rows already
 * there), and without it upsert is 14 KB.
 */
export const MAX_JOB_BYTES: Readonly<Record<string, number>> = { init: 16 * 1024, fetch: 16 * 1024, upsert: 24 * 1024, 'next-batch': 6 * 1024 };
export const MAX_JOBS_BYTES = 60 * 1024;

export const pinned = (adaptor: AdaptorKey): string => `${ADAPTORS[adaptor].name}@${ADAPTORS[adaptor].version}`;
