import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';

/**
 * Which Chromium the browser tests drive, found the way a user's machine allows:
 *   1. CHROMIUM_PATH, when set (it must be an executable file);
 *   2. a browser installed on the system at one of the usual paths;
 *   3. the headless Chromium that the npm package @sparticuz/chromium ships inside
 *      itself (Linux x64), unpacked once into node_modules/.cache, so that
 *      `npm ci && npm test` needs no apt step and no download.
 */
export type FoundChromium = {
  executablePath: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
  /** Extra environment for the browser process (the packaged browser's own NSS libraries). */
  env: Record<string, string>;
};

export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

const PACKAGE = '@sparticuz/chromium';

export type FindOptions = {
  env?: NodeJS.ProcessEnv;
  systemPaths?: readonly string[];
  /** Where the packaged browser is unpacked (default node_modules/.cache/primero-ona-chromium). */
  cacheDir?: string;
};

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findChromium(options: FindOptions = {}): Promise<FoundChromium> {
  const env = options.env ?? process.env;
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (await isExecutable(configured)) return { executablePath: configured, source: 'CHROMIUM_PATH', env: {} };
    throw new Error(`CHROMIUM_PATH is set to ${configured}, which is not an executable file`);
  }
  for (const candidate of options.systemPaths ?? SYSTEM_CHROMIUM_PATHS) {
    if (await isExecutable(candidate)) return { executablePath: candidate, source: 'system', env: {} };
  }
  return unpackPackagedChromium(options.cacheDir);
}

/** The package's folder, or null when it is not installed (its exports name no package.json: found from its entry). */
function packageDir(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve(PACKAGE);
    return entry.slice(0, entry.lastIndexOf(`${path.sep}build${path.sep}`));
  } catch {
    return null;
  }
}

async function unpackPackagedChromium(cacheDir?: string): Promise<FoundChromium> {
  const dir = packageDir();
  if (!dir || process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `no Chromium found: set CHROMIUM_PATH, install one at ${SYSTEM_CHROMIUM_PATHS[0]}, or install the dev dependency ${PACKAGE} (Linux x64)`,
    );
  }
  const { version } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  const root = cacheDir ?? path.join(dir, '..', '..', '.cache', 'primero-ona-chromium');
  const target = path.join(root, version);
  const found: FoundChromium = {
    executablePath: path.join(target, 'chromium'),
    source: PACKAGE,
    // Its NSS libraries (built with it), so it runs whether or not the system has libnss3.
    env: { LD_LIBRARY_PATH: path.join(target, 'lib') },
  };
  if (await isExecutable(found.executablePath)) return found;

  // Unpacked into a folder of this process's own, then renamed into place: test
  // files (or worktrees) that unpack at the same time never see half a browser.
  await mkdir(root, { recursive: true });
  const staging = await mkdtemp(`${target}.unpacking-`);
  try {
    await pipeline(createReadStream(path.join(dir, 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(path.join(staging, 'chromium'), { mode: 0o755 }));
    await pipeline(createReadStream(path.join(dir, 'bin', 'al2023.tar.br')), createBrotliDecompress(), extract(staging));
    try {
      await rename(staging, target);
    } catch (e) {
      // Another process won the race: its copy is as good as ours.
      if (!(await isExecutable(found.executablePath))) throw e;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return found;
}
