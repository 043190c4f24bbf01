/**
 * The console specs' one setup: headless Chromium first (a missing browser fails at once with the install command),
 * a private Redis, the real engine with development sign-in on (off unless asked for), and a temporary data dir,
 * all torn down after the file. `signIn` goes through the console's own development sign-in form.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { engineEnv, startTestEngine, type TestEngine } from '../support/test-engine.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { tempDir } from '../support/temp-dir.js';
import { launchBrowser, type TestBrowser } from './browser.js';

export interface ConsoleFixture {
  readonly engine: TestEngine;
  readonly browser: TestBrowser;
  signIn(page: Page, role: string, name: string, sub: string): Promise<void>;
}

/** Registers the file's beforeAll/afterAll; `env` adds to the engine's environment. */
export function useConsole(dataPrefix: string, env: Record<string, string> = {}): ConsoleFixture {
  let redis: PrivateRedis | undefined;
  let engine: TestEngine | undefined;
  let browser: TestBrowser | undefined;
  const data = tempDir(dataPrefix);

  beforeAll(async () => {
    browser = await launchBrowser();
    redis = await startPrivateRedis();
    engine = await startTestEngine({ ...engineEnv(data.dir, redis.url, ''), HRU_DEV_SIGN_IN: 'true', ...env });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
    await redis?.stop();
    data.cleanup();
  }, 60_000);

  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`the console fixture's ${name} is not started (used outside a test?)`);
    return part;
  };
  return {
    get engine() {
      return started(engine, 'engine');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async signIn(page, role, name, sub) {
      await page.goto(`${started(engine, 'engine').baseUrl}/console/`);
      await page.getByRole('heading', { name: 'Development sign-in (development only)' }).waitFor();
      await page.getByLabel('Role').selectOption(role);
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('User name (sub)').fill(sub);
      await page.getByRole('button', { name: 'Sign in (development)' }).click();
      await page.locator('#who', { hasText: name }).waitFor();
    },
  };
}
