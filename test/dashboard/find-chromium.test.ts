import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS } from '../support/browser.ts';
import { findChromium } from '../support/find-chromium.ts';

/**
 * The browser tests need no apt step: without CHROMIUM_PATH and without a system
 * Chromium, the one that @sparticuz/chromium ships is unpacked and driven.
 */
const temp = await mkdtemp(path.join(os.tmpdir(), 'find-chromium-'));
afterAll(() => rm(temp, { recursive: true, force: true }));

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, and names it when it is not an executable', async () => {
    const missing = path.join(temp, 'no-such-chromium');
    await expect(findChromium({ env: { CHROMIUM_PATH: missing } })).rejects.toThrow(`CHROMIUM_PATH is set to ${missing}, which is not an executable file`);
    const script = path.join(temp, 'my-chromium');
    await writeFile(script, '#!/bin/sh\n', { mode: 0o755 });
    expect(await findChromium({ env: { CHROMIUM_PATH: script } })).toMatchObject({ executablePath: script, source: 'CHROMIUM_PATH' });
  });

  it('takes a system browser before the packaged one', async () => {
    const script = path.join(temp, 'system-chromium');
    await writeFile(script, '#!/bin/sh\n', { mode: 0o755 });
    expect(await findChromium({ env: {}, systemPaths: [path.join(temp, 'absent'), script] })).toMatchObject({ executablePath: script, source: 'system' });
  });

  it('without either, unpacks the packaged Chromium once (two at a time agree) and it renders a page', async () => {
    const cacheDir = path.join(temp, 'cache');
    const [a, b] = await Promise.all([findChromium({ env: {}, systemPaths: [], cacheDir }), findChromium({ env: {}, systemPaths: [], cacheDir })]);
    expect(a.source).toBe('@sparticuz/chromium');
    expect(b.executablePath).toBe(a.executablePath);
    expect(a.executablePath.startsWith(cacheDir)).toBe(true);
    const browser = await chromium.launch({ executablePath: a.executablePath, args: CHROMIUM_FLAGS, headless: true, env: { ...process.env, ...a.env } });
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="x">ready</p><script>document.getElementById("x").textContent += " " + (6 * 7)</script>');
      expect(await page.textContent('#x')).toBe('ready 42');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
