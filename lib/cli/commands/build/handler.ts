import path from 'node:path';
import { buildDist, WORKFLOW_FILE } from '../../../build/build-dist.ts';

export async function buildHandler(opts: { out: string; credentialOwner: string }, root: string, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const result = await buildDist({ root, outDir: opts.out, credentialOwner: opts.credentialOwner });
  for (const job of result.jobs) write(`built ${path.relative(process.cwd(), job.file)} (${(job.bytes / 1024).toFixed(1)} KB)`);
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  write(`wrote ${rel(path.join(result.dir, 'project.yaml'))}${opts.out === 'dist' ? ` and ${rel(path.join(root, WORKFLOW_FILE))}` : ''}`);
  if (result.cli) write(`built the CLI into ${rel(path.join(result.dir, 'cli'))}, the adaptors it runs into ${rel(path.join(result.dir, 'linked-adaptors'))} and the stand-ins as installed packages into ${rel(path.join(result.dir, 'adaptors'))}`);
}
