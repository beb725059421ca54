import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { bundleJob } from './bundle-job.ts';
import { bundleCli } from './bundle-cli.ts';
import { recordInputs } from './freshness.ts';
import { ADAPTORS, JOBS, MAX_JOB_BYTES, MAX_JOBS_BYTES, type JobDeclaration } from './project.ts';
import { projectYaml } from './project-yaml.ts';
import { workflowJson } from './workflow-json.ts';

/** What `npm run build` writes: dist/jobs/<job>.js, dist/project.yaml, the CLI (dist/cli/), the adaptors it runs (dist/linked-adaptors/) and the stand-ins as installed packages (dist/adaptors/), and workflow.json at the root. */
export interface BuildResult {
  dir: string;
  jobs: { id: string; file: string; bytes: number }[];
  /** Whether the CLI and the stand-in adaptors were built too. */
  cli: boolean;
}

export interface BuildOptions {
  root: string;
  outDir?: string;
  credentialOwner?: string;
  /** Build the CLI and the stand-in adaptors too (default); false builds only what OpenFn runs. */
  cli?: boolean;
}

/** The plan the openfn CLI runs, at the project's root; committed, and rewritten by the build when the declarations change. */
export const WORKFLOW_FILE = 'workflow.json';

/** Each job's limit: OpenFn compiles every job on every platform run, in time proportional to its size. */
function sizeProblems(built: { job: JobDeclaration; bytes: number }[]): string[] {
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const limit = (job: JobDeclaration) => MAX_JOB_BYTES[job.id] ?? 16 * 1024;
  const problems = built.filter(({ job, bytes }) => bytes > limit(job)).map(({ job, bytes }) => `${job.id} is ${kb(bytes)} (at most ${kb(limit(job))})`);
  const total = built.reduce((sum, b) => sum + b.bytes, 0);
  if (total > MAX_JOBS_BYTES) problems.push(`the jobs are ${kb(total)} together (at most ${kb(MAX_JOBS_BYTES)})`);
  return problems;
}

export async function buildDist(options: BuildOptions): Promise<BuildResult> {
  const dir = path.resolve(options.root, options.outDir ?? 'dist');
  const jobs: JobDeclaration[] = Object.values(JOBS);
  // Each job is bundled on its own: esbuild runs them side by side.
  const built = await Promise.all(jobs.map((j) => bundleJob(j.source, ADAPTORS[j.adaptor].name, options.root)));
  const sized = jobs.map((job, i) => ({ job, bytes: Buffer.byteLength(built[i]!.code) }));
  // What ships (dist/) must fit; a throwaway build elsewhere (a test's third indicator) may not.
  const problems = (options.outDir ?? 'dist') === 'dist' ? sizeProblems(sized) : [];
  if (problems.length > 0) throw new UserError(`built jobs too large: ${problems.join('; ')}`, 'OpenFn compiles every job on every run: keep what a job inlines to what it uses');
  // Written aside, then swapped in: a process reading dist/ meanwhile sees the old build or the new one.
  const staging = `${dir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.join(staging, 'jobs'), { recursive: true });
  const cli = options.cli ?? true;
  const result: BuildResult = { dir, jobs: [], cli };
  for (const [i, job] of jobs.entries()) {
    await writeFile(path.join(staging, 'jobs', `${job.id}.js`), built[i]!.code);
    result.jobs.push({ id: job.id, file: path.join(dir, 'jobs', `${job.id}.js`), bytes: sized[i]!.bytes });
  }
  await writeFile(path.join(staging, 'project.yaml'), projectYaml(options.credentialOwner));
  const cliInputs = cli ? await bundleCli(options.root, staging, dir) : [];
  // The declarations of the workflows are an input too: they decide what dist/ holds.
  await recordInputs(staging, options.root, [...built.flatMap((b) => b.inputs), ...cliInputs, ...DECLARATIONS.map((d) => path.join(options.root, d))]);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  if ((options.outDir ?? 'dist') === 'dist') await writeIfChanged(path.join(options.root, WORKFLOW_FILE), `${JSON.stringify(workflowJson(), null, 2)}\n`);
  return result;
}

/** An unchanged file keeps its modification time (and a clean `git status`). */
async function writeIfChanged(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current !== text) await writeFile(file, text);
}

/** Files that decide dist/ besides what the jobs and the CLI bundle. */
const DECLARATIONS = ['lib/build/project.ts', 'lib/build/workflow-json.ts', 'lib/build/project-yaml.ts', 'lib/build/bundle-job.ts', 'lib/build/openfn-shape.ts', 'lib/build/bundle-cli.ts', 'lib/build/bundle-adaptors.ts', 'lib/build/adaptor-layout.ts'];
