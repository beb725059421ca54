import path from 'node:path';
import { buildDist } from '../../../build/build-dist.ts';

export async function buildHandler(opts: { out: string; credentialOwner: string }, root: string, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const result = await buildDist({ root, outDir: opts.out, credentialOwner: opts.credentialOwner });
  for (const job of result.jobs) write(`built ${path.relative(process.cwd(), job.file)} (${(job.bytes / 1024).toFixed(1)} KB)`);
  write(`wrote ${path.relative(process.cwd(), path.join(result.dir, 'workflow.json'))} and ${path.relative(process.cwd(), path.join(result.dir, 'project.yaml'))}`);
}
