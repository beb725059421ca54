import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { bundleJob } from './bundle-job.ts';
import { bundleCli } from './bundle-cli.ts';
import { recordInputs } from './freshness.ts';
import { ADAPTORS, MAX_JOB_BYTES, WORKFLOWS } from './project.ts';
import { projectYaml } from './project-yaml.ts';
import { jobFile, workflowJson } from './workflow-json.ts';

/** What `npm run build` writes: dist/jobs/<step>.js, dist/workflow.json, dist/project.yaml. */
export interface BuildResult {
  dir: string;
  jobs: { id: string; file: string; bytes: number }[];
  /** Whether the CLI and the stand-in adaptors were built too (dist/cli/, dist/adaptors/). */
  cli: boolean;
}

export interface BuildOptions {
  root: string;
  outDir?: string;
  credentialOwner?: string;
  /** Build the CLI and the stand-in adaptors too (default); false builds only what OpenFn runs. */
  cli?: boolean;
}

export async function buildDist(options: BuildOptions): Promise<BuildResult> {
  const dir = path.resolve(options.root, options.outDir ?? 'dist');
  const jobs = WORKFLOWS.flatMap((w) => w.jobs);
  // Each job is bundled on its own: esbuild runs them side by side.
  const built = await Promise.all(jobs.map((j) => bundleJob(j.source, ADAPTORS[j.adaptor].name, options.root)));
  const tooLarge = jobs.map((j, i) => ({ j, bytes: Buffer.byteLength(built[i]!.code) })).filter((x) => x.bytes > MAX_JOB_BYTES);
  if (tooLarge.length > 0) {
    const list = tooLarge.map((x) => `${x.j.id} (${Math.round(x.bytes / 1024)} KB)`).join(', ');
    throw new UserError(`built jobs over ${MAX_JOB_BYTES / 1024} KB: ${list}`, 'OpenFn compiles every job on every run: keep libraries such as zod out of the jobs (zod/mini)');
  }
  // Written aside, then swapped in: a process reading dist/ meanwhile sees the old build or the new one.
  const staging = `${dir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.join(staging, 'jobs'), { recursive: true });
  const cli = options.cli ?? true;
  const result: BuildResult = { dir, jobs: [], cli };
  for (const [i, job] of jobs.entries()) {
    await writeFile(path.join(staging, jobFile(job.id)), built[i]!.code);
    result.jobs.push({ id: job.id, file: path.join(dir, jobFile(job.id)), bytes: Buffer.byteLength(built[i]!.code) });
  }
  await writeFile(path.join(staging, 'workflow.json'), `${JSON.stringify(workflowJson(), null, 2)}\n`);
  await writeFile(path.join(staging, 'project.yaml'), projectYaml(options.credentialOwner));
  const cliInputs = cli ? await bundleCli(options.root, staging, dir) : [];
  // The declarations of the workflows are an input too: they decide what dist/ holds.
  await recordInputs(staging, options.root, [...built.flatMap((b) => b.inputs), ...cliInputs, ...DECLARATIONS.map((d) => path.join(options.root, d))]);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return result;
}

/** Files that decide dist/ besides what the jobs and the CLI bundle. */
const DECLARATIONS = ['lib/build/project.ts', 'lib/build/workflow-json.ts', 'lib/build/project-yaml.ts', 'lib/build/bundle-job.ts', 'lib/build/openfn-shape.ts', 'lib/build/bundle-cli.ts'];
