#!/usr/bin/env node
// Entry point of the `primero-ona` CLI. The CLI is TypeScript built into dist/cli/
// (`npm run build`, which `npm ci` runs): this loads the built JavaScript, so
// nothing is transformed at run time. In a source checkout a source changed
// since the last build is built first, as a developer expects after an edit;
// `build` itself runs from the sources. `demo`, `sim` and `bench` are
// development tools with their own entry (dev/cli.ts), never imported by the
// product CLI. Workflows run in a worker thread started with the flags they
// need, so no command starts a second process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
const DEV_TOOLS = ['demo', 'sim', 'bench'];

if (command === 'build') {
  const { loadBuild } = await import('./dist-freshness.mjs');
  const { buildCommand, reportFailure } = await loadBuild(root);
  const args = process.argv.slice(2).filter((a) => a !== 'build');
  await buildCommand(root)
    .parseAsync(args, { from: 'user' })
    .catch((e) => (process.exitCode = reportFailure(e, args.includes('--verbose'))));
} else {
  if (existsSync(new URL('../lib/cli/main.ts', import.meta.url))) {
    const { staleReason } = await import('./dist-freshness.mjs');
    const reason = staleReason(root);
    if (reason) {
      process.stderr.write(`primero-ona: building dist/ first (${reason})\n`);
      const { loadBuild } = await import('./dist-freshness.mjs');
      const { buildDist, reportFailure } = await loadBuild(root);
      await buildDist({ root }).catch((e) => process.exit(reportFailure(e, process.argv.includes('--verbose'))));
    }
  }
  const { main } = await import(DEV_TOOLS.includes(command) ? '../dist/cli/dev.js' : '../dist/cli/primero-ona.js');
  await main(process.argv);
}
