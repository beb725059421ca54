#!/usr/bin/env node
// Entry point of the `primero-ona` CLI.
// @openfn/runtime evaluates jobs as vm.SourceTextModule, which Node only provides
// behind --experimental-vm-modules. When this process was started without it, we
// start one child with the flag and mirror its exit; otherwise we load the CLI here,
// in one process (npm scripts pass the flag directly so nothing is spawned twice).
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const flags = JSON.parse(readFileSync(new URL('./node-flags.json', import.meta.url), 'utf8'));

if (typeof vm.SourceTextModule !== 'function') {
  const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
  const extra = command === 'sync' || command === 'serve' ? flags.sync : [];
  const child = spawn(
    process.execPath,
    [...flags.always, ...extra, self, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + 1 : 1);
  });
} else {
  // TypeScript sources are loaded through tsx's ESM hook: no build step, no build output.
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../lib/cli/main.ts');
  await main(process.argv);
}
