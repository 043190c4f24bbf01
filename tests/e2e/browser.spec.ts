/**
 * Which Chromium the console's end-to-end tests launch: the one `npm ci` brought unless HRU_CHROMIUM names
 * another, and never a half-inflated copy when two runs start at once.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { chromiumExecutable } from './browser.js';

const saved = { HRU_CHROMIUM: process.env.HRU_CHROMIUM, TMPDIR: process.env.TMPDIR };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('the browser the end-to-end tests launch', () => {
  it('a missing HRU_CHROMIUM is an error naming it, not a skip', async () => {
    process.env.HRU_CHROMIUM = '/nonexistent/chromium';
    await expect(chromiumExecutable()).rejects.toThrow(/HRU_CHROMIUM names \/nonexistent\/chromium/);
  });

  it('by default, the npm-installed build, inflated whole once even when two runs ask at the same time', async () => {
    delete process.env.HRU_CHROMIUM;
    // A private temporary folder, so this test inflates for itself whatever earlier runs left behind.
    const tmp = tempDir('hru-chromium-test-');
    process.env.TMPDIR = tmp.dir;
    try {
      const [first, second] = await Promise.all([chromiumExecutable(), chromiumExecutable()]);
      expect(second).toBe(first);
      expect(first.startsWith(tmp.dir)).toBe(true);
      expect(statSync(first).mode & 0o111).not.toBe(0);
      expect(execFileSync(first, ['--version'], { encoding: 'utf8' })).toMatch(/^Chromium \d+\./);
      // The loser's staging folder is gone; only the version's own folder remains.
      expect(readdirSync(tmp.dir)).toEqual([join(first, '..').slice(tmp.dir.length + 1)]);
    } finally {
      tmp.cleanup();
    }
  }, 60_000);
});
