/**
 * Headless Chromium for the console's end-to-end tests, driven by playwright-core. By default the build that
 * `npm ci` brings (@sparticuz/chromium ships a brotli-compressed headless Chromium inside the registry package,
 * so a fresh machine needs no apt step and no browser download, which the build machines cannot do); the
 * system's Chromium only when HRU_CHROMIUM names one. A missing browser is a failure, never a silent skip: a
 * console nobody tested in a browser is not tested.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'console');

/**
 * The executable to launch: HRU_CHROMIUM when set, else the bundled build, inflated once per package version.
 *
 * We inflate `bin/chromium.br` ourselves rather than call the package's `executablePath()`: that one writes to
 * the fixed path `<tmp>/chromium` and returns whatever file is already there, so a copy half-written by an
 * interrupted or concurrent run (two checkouts testing at once), or another version's, would be launched as
 * is. Here each version has its own folder, filled under a private name and renamed into place whole.
 */
export async function chromiumExecutable(): Promise<string> {
  const named = process.env.HRU_CHROMIUM;
  if (named) {
    if (!existsSync(named)) throw new Error(`HRU_CHROMIUM names ${named}, which does not exist: unset it to use the Chromium that npm ci brings`);
    return named;
  }
  let packageDir: string;
  try {
    // The package exports no package.json; its CommonJS entry is build/cjs/index.cjs.
    packageDir = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
  } catch {
    throw new Error('@sparticuz/chromium is not installed: run `npm ci` at the repository root (or set HRU_CHROMIUM to a system Chromium)');
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const home = join(tmpdir(), `hru-chromium-${version}`);
  const executable = join(home, 'chromium');
  if (existsSync(executable)) return executable;
  const staging = mkdtempSync(`${home}.partial-`);
  try {
    await pipeline(createReadStream(join(packageDir, 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(join(staging, 'chromium'), { mode: 0o755 }));
    renameSync(staging, home);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another run renamed its complete copy into place first: use that one.
    if (!existsSync(executable)) throw error;
  }
  return executable;
}

export interface TestBrowser {
  browser: Browser;
  /** `timezoneId`: the zone the browser believes it is in (the machine's when absent). */
  newPage(options?: { viewport?: { width: number; height: number }; timezoneId?: string }): Promise<{ page: Page; context: BrowserContext }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  // playwright gives every launch a fresh --user-data-dir of its own (and refuses one in args), removed on close.
  // The flags are ours, not the package's `chromium.args`: those are for AWS Lambda and turn off web security
  // and site isolation, which would hide from the tests the very errors a real browser shows. The network
  // flags stay: this machine's network is closed, and Chromium's background fetches would only fail.
  const browser = await chromium.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}) });
      contexts.push(context);
      const page = await context.newPage();
      // Fail well inside the test's own timeout, so the error names the step that waited.
      page.setDefaultTimeout(10_000);
      return { page, context };
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}
