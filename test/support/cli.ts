import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `primero-ona` CLI as a child process, as an operator starts it: every
 * byte it writes is kept, and a test can wait for progress lines or kill it.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/primero-ona.mjs');

export interface CliRun {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code, or the signal's name. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stderr holds `count` lines matching `pattern` (false if the process ended first). */
  waitForLines(pattern: RegExp, count: number): Promise<boolean>;
}

export function startCli(args: string[], env: Record<string, string>, cwd: string = ROOT): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    // Only what the command needs: no inherited secrets, a plain (non-TTY) progress output.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const watchers: (() => void)[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => {
    err.push(b);
    for (const w of [...watchers]) w();
  });
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      ended = true;
      for (const w of [...watchers]) w();
      resolve({ code, signal });
    }),
  );
  const stderr = () => Buffer.concat(err).toString('utf8');
  return {
    child,
    get stdout() {
      return Buffer.concat(out).toString('utf8');
    },
    get stderr() {
      return stderr();
    },
    exited,
    waitForLines: (pattern, count) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          const n = stderr().split('\n').filter((l) => pattern.test(l)).length;
          if (n >= count || ended) {
            watchers.splice(watchers.indexOf(check), 1);
            resolve(n >= count);
          }
        };
        watchers.push(check);
        check();
      }),
  };
}
