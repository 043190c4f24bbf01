/**
 * The console on shift (issue #18), in headless Chromium against the real engine: a supervisor working the queues
 * hears and sees a new alert without opening the alert list (the count in the menu and the tab title, the tone,
 * the screen-reader message, the notice) and acknowledges it from the notice; an officer finds a case by its
 * crime reference from the header and works it from the caseload.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mintDevToken } from '@hru/infra';
import { JWT_SECRET } from '../support/test-app.js';
import { useConsole } from './console-fixture.js';
import { seriousAccessibilityIssues } from './axe.js';

const fixture = useConsole('hru-e2e-shift-');

/** A crime reference of this run (the intake normalises to upper case; the header search accepts any case). */
const crime = (n: number) => `CC/26/${String(n).padStart(3, '0')}${String(process.pid).slice(-3)}`;
const source = (crimeReference: string) => ({ system: 'niche', crimeReference, recordedAt: '2026-11-20T10:00:00Z' });

/** Counts the tones the console plays: every beep is an oscillator of the page's AudioContext. */
async function countTones(page: Page) {
  // A string: the test's own TypeScript has no DOM types, and the script runs in the page.
  await page.addInitScript(`
    window.__tones = 0;
    const original = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () {
      window.__tones++;
      return original.call(this);
    };
  `);
}

describe('the console on shift', () => {
  it('supervisor on the queues page: hears and sees a new alert, and acknowledges it from the notice', async () => {
    const { page } = await fixture.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await countTones(page);
    await fixture.signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    // Sound is switched on by the user (the browser's gesture); the switch is in the header of every page.
    await page.getByRole('button', { name: 'Alert sound: off' }).click();
    await page.getByRole('button', { name: 'Alert sound: on' }).waitFor();
    await page.goto(`${fixture.engine.baseUrl}/console/#/queues/triage`);
    await page.locator('body[data-queue-ready="true"]').waitFor();
    await expect(page.title()).resolves.toBe('Queues – HRU console');
    const before = Number(await page.evaluate('window.__tones'));

    const reference = crime(1);
    const { referralId } = await fixture.engine.intake({ source: source(reference), indicators: ['threats_to_kill'], risk: { dashYesCount: 16 } });
    const notice = page.locator('#alert-notice');
    await notice.waitFor({ state: 'visible', timeout: 10_000 });
    await expect(notice.textContent()).resolves.toContain(`Crime ${reference}`);
    await expect(notice.textContent()).resolves.toContain('threats to kill');
    await expect(notice.textContent()).resolves.toMatch(/Acknowledge due in \d+ min/);
    await page.locator('#nav-alert-count', { hasText: '1' }).waitFor();
    await expect(page.title()).resolves.toBe('(1) Queues – HRU console');
    await page.locator('#announcer', { hasText: 'New urgent alert' }).waitFor();
    const tones = Number(await page.evaluate('window.__tones')) - before;
    expect(tones).toBe(1);
    // The queue reloads by itself: the new case is on it, urgent, in words.
    const row = page.locator(`tr[data-referral-id="${referralId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain('DASH 16 of 27');
    await fixture.browser.screenshot(page, 'shift-queue-notice');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);

    await notice.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(notice.getByRole('button', { name: 'Acknowledge', exact: true }).isHidden()).resolves.toBe(true);
    await notice.getByRole('button', { name: 'Confirm acknowledgement' }).click();
    await notice.waitFor({ state: 'hidden' });
    await page.locator('#nav-alert-count').waitFor({ state: 'hidden' });
    await expect(page.title()).resolves.toBe('Queues – HRU console');

    const reply = await fetch(`${fixture.engine.baseUrl}/v1/alerts?status=acknowledged&referralId=${referralId}`, {
      headers: { authorization: `Bearer ${await fixture.engine.supervisorToken()}` },
    });
    const items = ((await reply.json()) as { items: { acknowledgedBy: string | null }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]!.acknowledgedBy).toBeTruthy();
    expect(problems).toEqual([]);
  }, 60_000);

  it('supervisor at the alert list: escalated then overdue first, countdowns in words, one form per alert, focus moves to the next alert', async () => {
    const first = await fixture.engine.intake({ source: source(crime(2)), indicators: ['weapon'] });
    const second = await fixture.engine.intake({ source: source(crime(3)), indicators: ['breach_of_order'] });
    const { page } = await fixture.browser.newPage();
    await fixture.signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    await page.locator('body[data-alerts-ready="true"]').waitFor();
    const rows = page.locator('#alert-list > li');
    const firstRow = page.locator(`li[data-alert-id^="${first.referralId}"]`);
    const secondRow = page.locator(`li[data-alert-id^="${second.referralId}"]`);
    await firstRow.waitFor();
    await secondRow.waitFor();
    await expect(firstRow.textContent()).resolves.toContain(`Crime ${crime(2)}`);
    await expect(firstRow.textContent()).resolves.toContain('Now addressed to');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    const count = await rows.count();
    await firstRow.getByRole('button', { name: 'Acknowledge' }).click();
    // The button is gone while its form is open: there is no way to open a second form.
    await expect(firstRow.getByRole('button', { name: 'Acknowledge', exact: true }).count()).resolves.toBe(0);
    await expect(firstRow.locator('form').count()).resolves.toBe(1);
    await firstRow.getByRole('button', { name: 'Confirm acknowledgement' }).click();
    await firstRow.waitFor({ state: 'detached' });
    // Focus is on the next alert's Acknowledge button, not back at the top of the page.
    const focused = await page.evaluate(`document.activeElement?.closest('li')?.getAttribute('data-alert-id') ?? document.activeElement?.id ?? null`);
    expect(focused).not.toBeNull();
    expect(focused).toMatch(/^ref-/);
    await expect(rows.count()).resolves.toBe(count - 1);

    // The countdown's words, computed by the console's own module in the browser.
    const words = await page.evaluate(`import('./js/alert-monitor.js').then((m) => {
      const now = Date.parse('2026-11-30T10:00:00Z');
      return [m.ackCountdown('2026-11-30T10:11:30Z', now).words, m.ackCountdown('2026-11-30T09:55:10Z', now).words, m.ackCountdown('2026-11-30T12:05:00Z', now).words];
    })`);
    expect(words).toEqual(['due in 11 min', 'OVERDUE 4 min', 'due in 2 h 5 min']);
    // The list's order, by the console's own comparator: escalated (highest level) first, then overdue, then soonest due.
    const order = await page.evaluate(`import('./js/alert-monitor.js').then((m) => {
      const now = Date.parse('2026-11-30T10:00:00Z');
      const alert = (id, level, ackDueAt, raisedAt) => ({ alertId: id, referralId: 'ref-x', raisedBy: 'intake_rule', raisedAt, status: level ? 'escalated' : 'open', escalationLevel: level, ackDueAt });
      const list = [
        alert('later', 0, '2026-11-30T10:30:00Z', '2026-11-30T09:59:00Z'),
        alert('overdue', 0, '2026-11-30T09:58:00Z', '2026-11-30T09:40:00Z'),
        alert('level-1', 1, '2026-11-30T10:20:00Z', '2026-11-30T09:00:00Z'),
        alert('sooner', 0, '2026-11-30T10:05:00Z', '2026-11-30T09:50:00Z'),
        alert('level-2', 2, null, '2026-11-30T08:00:00Z'),
      ];
      return list.sort((a, b) => m.byUrgency(a, b, now)).map((a) => a.alertId);
    })`);
    expect(order).toEqual(['level-2', 'level-1', 'overdue', 'sooner', 'later']);
  }, 60_000);

  it('officer: finds a case by crime reference from the header and works it from the caseload', async () => {
    const reference = crime(4);
    const { referralId } = await fixture.engine.intake({ source: source(reference), risk: { dashYesCount: 7 }, indicators: ['attending_address'] });
    const { page } = await fixture.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await fixture.signIn(page, 'officer', 'PC Jones', 'pc.jones');
    // An officer sees the alerts addressed to officers, not a refusal and "no open alerts" together.
    await page.goto(`${fixture.engine.baseUrl}/console/#/alerts`);
    await page.locator('body[data-alerts-ready="true"]').waitFor();
    await expect(page.locator('main .error').count()).resolves.toBe(0);

    await page.getByLabel('Crime reference or referral id').fill(reference.toLowerCase());
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: 'All cases' }).waitFor();
    await expect(page.title()).resolves.toContain('Cases – HRU console');
    const row = page.locator(`#caseload tr[data-referral-id="${referralId}"]`);
    for (let i = 0; i < 50 && !(await row.count()); i++) {
      await page.getByRole('button', { name: 'Show cases' }).click();
      await page.waitForTimeout(100);
    }
    await expect(row.textContent()).resolves.toContain(`Crime ${reference}`);
    await expect(row.textContent()).resolves.toContain('attends the victim’s address');
    await expect(row.textContent()).resolves.toContain('DASH 7 of 27');
    // The filter is in the address: a reload shows the same list.
    expect(page.url()).toContain(`crimeReference=${encodeURIComponent(reference.toLowerCase())}`);
    await fixture.browser.screenshot(page, 'shift-caseload-found');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);

    await row.getByRole('link', { name: `Crime ${reference}` }).click();
    await page.getByLabel('Justification').fill('Caller gave the crime reference');
    await page.getByRole('button', { name: 'Show the referral' }).click();
    await page.locator('#stage', { hasText: 'Awaiting triage' }).waitFor();
    await page.getByRole('button', { name: 'Triage', exact: true }).click();
    const triage = page.locator('form[data-form="triage"]');
    await triage.getByLabel('Decision').selectOption('proceed');
    await triage.getByLabel('Reason').fill('Fixated and repeated contact: stalking.');
    await triage.getByRole('button', { name: 'Triage' }).click();
    await page.locator('#stage', { hasText: 'Awaiting screening' }).waitFor();

    // Back in the caseload, filtered by stage through the address, the case has moved on.
    await page.goto(`${fixture.engine.baseUrl}/console/#/caseload/all?stage=awaiting_screening&crimeReference=${encodeURIComponent(reference)}`);
    const moved = page.locator(`#caseload tr[data-referral-id="${referralId}"]`);
    for (let i = 0; i < 50 && !(await moved.count()); i++) {
      await page.getByRole('button', { name: 'Show cases' }).click();
      await page.waitForTimeout(100);
    }
    await expect(moved.textContent()).resolves.toContain('Awaiting screening');
    expect(problems).toEqual([]);
  }, 60_000);

  it('officer: the caseload follows a case moved by someone else, without a reload', async () => {
    const reference = crime(5);
    const { referralId } = await fixture.engine.intake({ source: source(reference) });
    const { page } = await fixture.browser.newPage();
    await fixture.signIn(page, 'officer', 'PC Jones', 'pc.jones');
    await page.goto(`${fixture.engine.baseUrl}/console/#/caseload/all?stage=awaiting_screening&crimeReference=${encodeURIComponent(reference)}`);
    await page.locator('#caseload-empty').waitFor();
    await page.locator('body[data-caseload-ready="true"]').waitFor();
    // A colleague triages it through the API; the stream says the case changed, and the list reads it again.
    const colleague = await mintDevToken(JWT_SECRET, { sub: 'pc-2', name: 'PC Two', roles: ['officer'], agency: 'police' });
    const triage = await fetch(`${fixture.engine.baseUrl}/v1/referrals/${referralId}/commands/triage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'proceed', reason: 'stalking' }),
    });
    expect(triage.status).toBe(200);
    await page.locator(`#caseload tr[data-referral-id="${referralId}"]`).waitFor({ timeout: 10_000 });
  }, 60_000);

  it('auditor picks a case by crime reference; a supervisor at the audit page is told once what is the auditor’s', async () => {
    const reference = crime(6);
    const { referralId } = await fixture.engine.intake({ source: source(reference) });
    const { page } = await fixture.browser.newPage();
    await fixture.signIn(page, 'auditor', 'A Auditor', 'a.auditor');
    await page.getByRole('heading', { name: 'Choose a case' }).waitFor();
    await expect(page.title()).resolves.toBe('Audit – HRU console');
    await page.locator('#case-picker-list').getByRole('link').first().waitFor();
    await page.getByLabel('Crime reference', { exact: true }).fill(reference);
    await page.getByRole('button', { name: 'Find', exact: true }).last().click();
    await page.locator('#case-picker-list').getByRole('link', { name: `Crime ${reference}` }).click();
    expect(page.url()).toContain(`#/audit/${referralId}`);
    await page.getByLabel('Justification').fill('Quarterly audit sample');
    await page.getByRole('button', { name: 'Show the referral' }).click();
    await page.locator('#stage-as-of', { hasText: 'Awaiting triage' }).waitFor();

    const { page: supervisorPage } = await fixture.browser.newPage();
    await fixture.signIn(supervisorPage, 'supervisor', 'DS Smith', 'ds.smith');
    await supervisorPage.goto(`${fixture.engine.baseUrl}/console/#/audit`);
    await supervisorPage.locator('#auditor-only').waitFor();
    await supervisorPage.locator('#case-picker-list').getByRole('link').first().waitFor();
    await expect(supervisorPage.locator('main .error').count()).resolves.toBe(0);
  }, 60_000);

  it('the caseload and the notice fit a phone-sized screen (no horizontal scroll at 390 px)', async () => {
    await fixture.engine.intake({ source: source(crime(7)), indicators: ['threats_to_kill', 'attending_address', 'weapon'], risk: { dashYesCount: 20 } });
    const { page } = await fixture.browser.newPage({ viewport: { width: 390, height: 844 } });
    await fixture.signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    await page.goto(`${fixture.engine.baseUrl}/console/#/caseload/all`);
    await page.locator('body[data-caseload-ready="true"]').waitFor();
    await page.locator('#caseload tbody tr').first().waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await fixture.browser.screenshot(page, 'shift-caseload-phone');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    // A new alert's notice on the phone: inside the screen too.
    await fixture.engine.intake({ source: source(crime(8)), indicators: ['breach_of_order'] });
    await page.locator('#alert-notice').waitFor({ state: 'visible', timeout: 10_000 });
    expect(Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'))).toBeLessThanOrEqual(0);
    await fixture.browser.screenshot(page, 'shift-notice-phone');
  }, 60_000);
});
