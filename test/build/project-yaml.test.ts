import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import Project from '@openfn/project';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';

/**
 * dist/project.yaml, what `openfn deploy` sends to Lightning: read by
 * OpenFn's own @openfn/project, and checked against the rules Lightning
 * applies to names, adaptors, triggers and edges (openfn-deployability.md §3).
 */
const file = path.join(PROJECT_ROOT, 'dist', 'project.yaml');
const text = await readFile(file, 'utf8');
type Json = Record<string, any>;
const spec = parse(text) as Json;
const workflows = Object.entries(spec.workflows as Record<string, Json>);

const JOB_NAME = /^[a-zA-Z0-9_\- ]*$/;
const OFFICIAL = new Set(['@openfn/language-postgresql@8.1.2', '@openfn/language-primero@4.1.2', '@openfn/language-http@7.3.2']);
const JOB_CONDITIONS = new Set(['always', 'on_job_success', 'on_job_failure', 'js_expression']);
const TRIGGER_CONDITIONS = new Set(['always', 'js_expression']);

describe('dist/project.yaml', () => {
  it('is read by @openfn/project as two workflows with every step and its pinned adaptor', async () => {
    const project = await Project.from('path', file);
    expect(project.name).toBe('primero-ona-sync');
    const steps = project.workflows.map((w) => (w.steps as Json[]).map((s) => [s.id, s.adaptor ?? null]));
    expect(steps).toEqual([
      [['cron', null], ['init', '@openfn/language-postgresql@8.1.2'], ['next-batch', '@openfn/language-http@7.3.2']],
      [['webhook', null], ['fetch', '@openfn/language-primero@4.1.2'], ['upsert', '@openfn/language-postgresql@8.1.2'], ['next-batch', '@openfn/language-http@7.3.2']],
    ]);
  });

  it('has job names, adaptors and credentials Lightning accepts, and bodies that exist', async () => {
    for (const [, w] of workflows) {
      for (const [id, job] of Object.entries(w.jobs as Record<string, Json>)) {
        expect(job.name, id).toMatch(JOB_NAME);
        expect(job.name.length, id).toBeLessThanOrEqual(100);
        expect(OFFICIAL.has(job.adaptor), `${id}: ${job.adaptor}`).toBe(true);
        expect(Object.keys(spec.credentials)).toContain(job.credential);
        await expect(access(path.resolve(path.dirname(file), job.body.path))).resolves.toBeUndefined();
      }
    }
  });

  it('starts each workflow with one trigger: a daily cron for the start, a webhook for the batches', () => {
    const [start, batch] = workflows.map(([, w]) => w);
    expect(Object.values(start!.triggers)).toEqual([{ type: 'cron', cron_expression: '0 2 * * *', enabled: true }]);
    expect(new Cron('0 2 * * *', { timezone: 'UTC' }).nextRun(new Date('2026-03-31T12:00:00Z'))?.toISOString()).toBe('2026-04-01T02:00:00.000Z');
    expect(Object.values(batch!.triggers)).toEqual([{ type: 'webhook', enabled: true }]);
  });

  it('chains every job by an edge Lightning accepts, each job reached exactly once', () => {
    for (const [name, w] of workflows) {
      const jobs = new Set(Object.keys(w.jobs));
      const triggers = new Set(Object.keys(w.triggers));
      const inbound = new Map<string, number>();
      for (const [key, edge] of Object.entries(w.edges as Record<string, Json>)) {
        expect(jobs.has(edge.target_job), `${name} ${key}`).toBe(true);
        if (edge.source_trigger) {
          expect(triggers.has(edge.source_trigger)).toBe(true);
          expect(TRIGGER_CONDITIONS.has(edge.condition_type)).toBe(true);
        } else {
          expect(jobs.has(edge.source_job)).toBe(true);
          expect(JOB_CONDITIONS.has(edge.condition_type)).toBe(true);
        }
        if (edge.condition_type === 'js_expression') {
          expect(edge.condition_label).toBeTruthy();
          expect(edge.condition_expression.length).toBeLessThanOrEqual(255);
          expect(edge.condition_expression).not.toMatch(/\b(import|require|process|await|eval)\b/);
        }
        expect(key).toBe(`${edge.source_trigger ?? edge.source_job}->${edge.target_job}`);
        inbound.set(edge.target_job, (inbound.get(edge.target_job) ?? 0) + 1);
      }
      expect([...jobs].map((j) => inbound.get(j))).toEqual([...jobs].map(() => 1));
    }
  });
});
