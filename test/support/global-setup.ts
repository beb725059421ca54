import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildDist } from '../../lib/build/build-dist.ts';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { staleReason } from '../../bin/dist-freshness.mjs';

/**
 * Decides once per test run which real PostgreSQL server the integration tests
 * use besides the embedded one: TEST_DATABASE_URL when set (empty = none), else
 * the machine's server on 127.0.0.1:5432 when it answers.
 */
export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    serverDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // The tests run what ships: dist/ (the jobs, the CLI, the worker and the adaptors it links),
  // built here when a source changed, once, before any test process reads it.
  const rebuilt = staleReason(PROJECT_ROOT);
  if (rebuilt) {
    await buildDist({ root: PROJECT_ROOT });
    process.stderr.write(`built dist/ first: ${rebuilt}\n`);
  }
  const configured = process.env.TEST_DATABASE_URL;
  let url = configured ?? DEFAULT_SERVER_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (configured) throw new Error(`TEST_DATABASE_URL does not answer: ${why}`);
      process.stderr.write(`\nWARNING: no PostgreSQL server at ${url} (${why}); integration tests run against the embedded database only.\n\n`);
      url = '';
    } finally {
      await client.end().catch(() => {});
    }
  } else {
    process.stderr.write('\nWARNING: TEST_DATABASE_URL is empty; integration tests run against the embedded database only.\n\n');
  }
  project.provide('serverDatabaseUrl', url);
}
