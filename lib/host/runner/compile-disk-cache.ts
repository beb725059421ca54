import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { version as esbuildVersion } from 'esbuild';
import { z } from 'zod';
import type { JsonObject } from './types.ts';

/**
 * Compiled jobs kept on disk between processes, so a sync that starts (every
 * quarter, or an incremental run) does not spend a third of a second in
 * esbuild for jobs that have not changed. An entry is used only when every
 * file it bundled still has the same content (sha-256), under the same esbuild
 * version; anything unreadable or stale is a miss, and a cache that cannot be
 * written is no cache. Entries hold compiled code and source maps of the
 * project's own sources only: no data, no credentials.
 */
export const DEFAULT_COMPILE_CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../node_modules/.cache/primero-ona/jobs');

/** Bumped when the compile options or the entry format change. */
const FORMAT = 1;
/** The workflow has four jobs; edits and test fixtures add more. The oldest beyond this go. */
export const MAX_ENTRIES = 32;

const Entry = z.object({
  format: z.literal(FORMAT),
  esbuild: z.string(),
  /** Bundled project file -> sha-256 of its content when compiled. */
  inputs: z.record(z.string(), z.string()),
  code: z.string(),
  sourceMap: z.record(z.string(), z.unknown()),
});

export interface DiskCompiled {
  code: string;
  sourceMap: JsonObject;
  inputs: string[];
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

function entryPath(dir: string, key: string): string {
  return path.join(dir, `${sha256(`${FORMAT}\u0000${esbuildVersion}\u0000${key}`)}.json`);
}

async function contentHashes(files: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = sha256(await readFile(f));
  return out;
}

/** The compiled job stored for `key`, if every file it bundled is unchanged. */
export async function readCompiled(dir: string, key: string): Promise<DiskCompiled | undefined> {
  let entry: z.infer<typeof Entry>;
  try {
    const parsed = Entry.safeParse(JSON.parse(await readFile(entryPath(dir, key), 'utf8')));
    if (!parsed.success || parsed.data.esbuild !== esbuildVersion) return undefined;
    entry = parsed.data;
    const now = await contentHashes(Object.keys(entry.inputs));
    for (const [file, hash] of Object.entries(entry.inputs)) if (now[file] !== hash) return undefined;
  } catch {
    return undefined; // absent, unreadable, or a bundled file is gone
  }
  return { code: entry.code, sourceMap: entry.sourceMap as JsonObject, inputs: Object.keys(entry.inputs) };
}

/**
 * Stores a compiled job. The hashes are of the files as they are now: if one
 * changed while esbuild ran, the entry is simply stale next time. Written to a
 * temporary name and renamed, so a reader never sees half an entry.
 */
export async function writeCompiled(dir: string, key: string, compiled: DiskCompiled): Promise<void> {
  const target = entryPath(dir, key);
  const temp = `${target}.${randomUUID()}.tmp`;
  try {
    const entry: z.infer<typeof Entry> = {
      format: FORMAT,
      esbuild: esbuildVersion,
      inputs: await contentHashes(compiled.inputs),
      code: compiled.code,
      sourceMap: compiled.sourceMap,
    };
    await mkdir(dir, { recursive: true });
    await writeFile(temp, JSON.stringify(entry));
    await rename(temp, target);
    await prune(dir);
  } catch {
    await rm(temp, { force: true }).catch(() => {});
  }
}

/** Keeps the newest MAX_ENTRIES entries: each is most of a megabyte (zod is bundled in). */
async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const dated = await Promise.all(
    names.map(async (n) => ({ n, t: await stat(path.join(dir, n)).then((s) => s.mtimeMs, () => 0) })),
  );
  dated.sort((a, b) => b.t - a.t);
  await Promise.all(dated.slice(MAX_ENTRIES).map(({ n }) => rm(path.join(dir, n), { force: true })));
}
