/**
 * The console for three users, end to end in headless Chromium against the real engine: the practitioner reads a
 * referral as a case file (urgent banner, parties by category, risk, formulation in words, plan, a paged timeline
 * with both times); the manager reads the dashboard (tiles, trend, comparator, re-offending, value for money, CSV);
 * the auditor replays the case and reads the state at a revision as sections. Screenshots in test-output/console/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { useConsole } from './console-fixture.js';
import { SCREENSHOTS } from './browser.js';
import { SEEDED_EXTRA_EVENTS, seedCaseFile } from './case-file-seed.js';
import { horizontalOverflow } from './axe.js';

const comparator = { label: 'force comparator', chargedPct: 14.6, cautionedPct: 2.3, victimWithdrawalPct: 40 };
const fixture = useConsole('hru-e2e-casefile-', { HRU_OUTCOME_COMPARATOR: JSON.stringify(comparator) });

function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  return problems;
}

async function justify(page: Page, why: string) {
  await page.getByLabel('Justification').fill(why);
  await page.getByRole('button', { name: 'Show the referral' }).click();
}

describe('the referral as a case file, the dashboard and the replay', () => {
  it('practitioner: reads the case file, pages the timeline, and the page fits a phone', async () => {
    const { referralId, crimeReference } = await seedCaseFile(fixture.engine);
    for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
      const { page } = await fixture.browser.newPage({ viewport });
      const problems = watchErrors(page);
      await fixture.signIn(page, 'officer', 'PC Jones', 'pc.jones');
      await page.goto(`${fixture.engine.baseUrl}/console/#/referral/${referralId}`);
      await justify(page, 'Preparing the case discussion');

      const banner = page.locator('#urgent-banner');
      await banner.getByRole('heading', { name: 'Urgent action required' }).waitFor();
      await expect(banner.textContent()).resolves.toMatch(/Acknowledge by .*(GMT|BST)/);
      await expect(page.locator('#crime-reference').textContent()).resolves.toContain(crimeReference);
      // Parties grouped by their Part 3 category, each group headed with its count.
      await expect(page.locator('#parties tbody[data-category="victim"]').textContent()).resolves.toMatch(/Victims \(1\).*Alex Example/);
      await expect(page.locator('#parties tbody[data-category="suspect"]').textContent()).resolves.toMatch(/Suspects \(1\).*Sam Example/);
      const risk = await page.locator('#risk-current').textContent();
      expect(risk).toContain('14 of 27 questions answered yes');
      expect(risk).toContain('Violence high; persistence high; recurrence moderate; psychosocial damage high.');
      await expect(page.locator('#risk-earlier').textContent()).resolves.toContain('1 earlier assessment');
      await expect(page.locator('#risk-earlier').textContent()).resolves.toContain('DASH 10 of 27. First assessment at screening.');
      await expect(page.locator('#formulation').textContent()).resolves.toContain('Rejected: pursues a former partner');
      await expect(page.locator('#formulation-earlier').textContent()).resolves.toMatch(/Not yet formulated \(recorded .*(GMT|BST)\): Too early to say\./);
      const actions = page.locator('#plan-actions tbody tr');
      await expect(actions.count()).resolves.toBe(2);
      // Soonest due first.
      await expect(actions.first().textContent()).resolves.toContain('Apply for an interim SPO');
      await expect(page.locator('#next-review').textContent()).resolves.toMatch(/Next review: .*(GMT|BST).*Due in/);
      await expect(page.locator('#summary-section, section[aria-labelledby="summary-h"]').first().locator('.tree').count()).resolves.toBe(0);

      // The timeline: 20 a page, newest first, both times labelled; the next page goes back in time.
      const total = 1 + 1 + 1 + 1 + 1 + 1 + 1 + SEEDED_EXTRA_EVENTS; // at least: intake (and alert), triage, screen, discussion, risk, formulation, plan, time
      const status = page.locator('#timeline-status');
      await expect(status.textContent()).resolves.toMatch(/^Events 1 to 20 of \d+, newest first \(page 1 of \d+\)/);
      const head = Number(/of (\d+), newest/.exec((await status.textContent()) ?? '')?.[1]);
      expect(head).toBeGreaterThanOrEqual(total);
      await expect(page.locator('#timeline li').count()).resolves.toBe(20);
      await expect(page.locator('#timeline li').first().textContent()).resolves.toMatch(/Time logged.*Happened and recorded .*(GMT|BST)|Time logged.*Happened .*recorded .*(GMT|BST)/);
      const firstRevision = Number(await page.locator('#timeline li').first().getAttribute('data-revision'));
      await page.getByRole('button', { name: 'Older events' }).click();
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^Events 21 to \d+ of \d+/);
      const older = Number(await page.locator('#timeline li').first().getAttribute('data-revision'));
      expect(older).toBe(firstRevision - 20);
      await expect(page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).resolves.toBe('timeline-status');

      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      if (viewport.width < 600) {
        // The header and the development banner leave most of a phone's first screen to the case (was about 300 of 844 px).
        const chrome = Number(await page.evaluate("document.getElementById('dev-banner').getBoundingClientRect().bottom + window.scrollY"));
        console.log(`header and banner at 390×844: ${Math.round(chrome)} px`);
        expect(chrome).toBeLessThanOrEqual(220);
      }
      await fixture.browser.screenshot(page, `case-file-${viewport.width}`);
      // The first screen as the user sees it (the full-page shot above is too tall to judge the header by).
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(SCREENSHOTS, `case-file-${viewport.width}-first-screen.png`) });
      expect(problems).toEqual([]);
    }

    // Completing an action: the action is picked from the plan's open actions, not typed; the plan then shows one outstanding.
    const { page } = await fixture.browser.newPage();
    await fixture.signIn(page, 'officer', 'PC Jones', 'pc.jones');
    await page.goto(`${fixture.engine.baseUrl}/console/#/referral/${referralId}`);
    await justify(page, 'Recording the SPO application');
    await page.getByRole('button', { name: 'Complete plan action', exact: true }).click();
    const form = page.locator('form[data-form="complete-plan-action"]');
    // Polled: the form lists the plan's open actions once it has read the referral (later on a loaded machine).
    const planActions = async () =>
      (await form.getByLabel('Action id').locator('option').allTextContents()).filter((o) => /^p1\.a\d: /.test(o)).map((o) => o.replace(/, due \d{1,2} \w+ \d{4}$/, ''));
    await expect.poll(planActions, { timeout: 10_000 }).toEqual(['p1.a1: Victim safety planning', 'p1.a2: Legal proceedings']);
    await form.getByLabel('Action id').selectOption('p1.a2');
    await form.getByLabel('Note').fill('Interim SPO applied for at the magistrates’ court');
    await form.getByRole('button', { name: 'Complete plan action' }).click();
    // Polled: the old table (which has that row too) stays until the page has read the referral again.
    await expect.poll(() => page.locator('#plan-actions tbody tr').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('#plan-actions tbody tr', { hasText: 'Safety plan with the victim' }).waitFor();
    await expect(page.locator('#plan-section details summary').textContent()).resolves.toBe('1 completed action');
  }, 60_000);

  it('supervisor: acknowledges the alert from the case file’s banner (the officer, to whom it is not addressed, has no such button)', async () => {
    const { referralId } = await fixture.engine.intake({ indicators: ['threats_to_kill'] });
    const { page: officer } = await fixture.browser.newPage();
    await fixture.signIn(officer, 'officer', 'PC Jones', 'pc.jones');
    await officer.goto(`${fixture.engine.baseUrl}/console/#/referral/${referralId}`);
    await justify(officer, 'Triage of a new referral');
    await officer.locator('#urgent-banner').waitFor();
    await expect(officer.locator('#urgent-banner button').count()).resolves.toBe(0);

    const { page } = await fixture.browser.newPage();
    const problems = watchErrors(page);
    await fixture.signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    await page.goto(`${fixture.engine.baseUrl}/console/#/referral/${referralId}`);
    await justify(page, 'Urgent referral on shift');
    await page.locator('#urgent-banner').getByRole('button', { name: 'Acknowledge now' }).click();
    const form = page.locator('form[data-form="acknowledge-urgent-action"]');
    const alertId = form.getByLabel('Alert id');
    // The form opens with the focus on its first field: the alert, picked from the referral's open alerts.
    await expect(alertId.evaluate((e) => e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).resolves.toBe(true);
    await expect.poll(async () => (await alertId.locator('option').allTextContents()).filter((o) => o !== 'Choose…').length, { timeout: 10_000 }).toBe(1);
    await alertId.selectOption({ index: 1 });
    await form.getByRole('button', { name: 'Acknowledge urgent action' }).click();
    await page.locator('#urgent-banner').getByRole('heading', { name: 'Urgent action acknowledged, not yet resolved' }).waitFor();
    await expect(page.locator('#urgent-banner button').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it('manager: reads the dashboard (tiles, trend, comparator, re-offending, value for money) and downloads a CSV', async () => {
    await fixture.engine.intake({ indicators: ['weapon'] });
    const { page } = await fixture.browser.newPage({ viewport: { width: 390, height: 844 } });
    const problems = watchErrors(page);
    await fixture.signIn(page, 'supervisor', 'DI Manager', 'di.manager');
    await page.goto(`${fixture.engine.baseUrl}/console/#/stats`);
    await page.locator('body[data-dashboard-ready="true"]').waitFor();

    const referrals = Number(await page.locator('#tile-referrals .tile-value').textContent());
    expect(referrals).toBeGreaterThanOrEqual(1);
    await expect(page.locator('#tile-caseload .tile-value').textContent()).resolves.toMatch(/^\d+$/);
    await expect(page.locator('#tile-alerts .tile-label').textContent()).resolves.toMatch(/Alerts acknowledged within their deadline \(\d+ of \d+; \d+ raised\)/);
    await expect(page.locator('#tile-breaches .tile-value').textContent()).resolves.toBe('0');
    // A definition is a click away.
    const definition = page.locator('#tile-alerts details');
    await expect(definition.getByText('before their first escalation fell due').isVisible()).resolves.toBe(false);
    await definition.locator('summary').click();
    await definition.getByText('before their first escalation fell due').waitFor();

    // Twelve months of trend by default, this month last; the months add up to the tile.
    const months = page.locator('#trend tbody tr');
    await expect(months.count()).resolves.toBe(12);
    const received = await page.locator('#trend tbody tr td:nth-child(2)').allTextContents();
    expect(received.reduce((t, n) => t + Number(n), 0)).toBe(referrals);
    await page.locator('#comparator-chart', { hasText: 'force comparator' }).waitFor();
    await expect(page.locator('#outcomes').textContent()).resolves.toContain('force comparator');
    await page.locator('#reoffending-lead').waitFor();
    await page.locator('#vfm-lead').waitFor();
    await expect(page.locator('#reoffending-section details summary').textContent()).resolves.toBe('Definitions');

    // Chart text stays readable on a phone: 12 px or more.
    const sizes = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }).document;
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } };
      return Array.from(doc.querySelectorAll('.chart figcaption, .chart-label, .chart-value')).map((e) => parseFloat(view.getComputedStyle(e).fontSize));
    });
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#trend-section').getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^trend-.*\.csv$/);
    const csv = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(csv).toString('utf8').split('\r\n')[0]).toBe('month,from,to,referralsReceived,openAtEnd,closed,alertsRaised,alertsAcknowledgedInTime,alertsAcknowledgedLate');
    await fixture.browser.screenshot(page, 'dashboard-390');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-390-first-screen.png') });
    expect(problems).toEqual([]);
  }, 40_000);

  it('auditor: replays the case; the state at a revision reads as sections, with both times on the slider', async () => {
    const { referralId } = await seedCaseFile(fixture.engine);
    const { page } = await fixture.browser.newPage();
    const problems = watchErrors(page);
    await fixture.signIn(page, 'auditor', 'A Auditor', 'a.auditor');
    await page.goto(`${fixture.engine.baseUrl}/console/#/audit/${referralId}`);
    await justify(page, 'Quarterly audit sample');
    const state = page.locator('#state-as-of');
    await state.locator('#formulation').waitFor();
    await expect(state.locator('.tree').count()).resolves.toBe(0);
    await expect(state.getByRole('heading', { level: 3, name: 'Management plan' }).count()).resolves.toBe(1);
    await expect(page.locator('#revision-label').textContent()).resolves.toMatch(/happened .*(GMT|BST)/);
    await expect(page.locator('#urgent-as-of').textContent()).resolves.toBe('raised, not yet acknowledged (for supervisor)');

    // Back to the first revision: no formulation, no plan, stage awaiting triage.
    await page.locator('#revision-slider').focus();
    await page.keyboard.press('Home');
    await page.locator('#stage-as-of', { hasText: 'Awaiting triage' }).waitFor();
    await expect(state.locator('#formulation-section').textContent()).resolves.toContain('Not formulated yet.');
    await expect(state.locator('#plan-section').textContent()).resolves.toContain('No plan agreed yet.');
    await page.locator('#access-log').waitFor();
    await fixture.browser.screenshot(page, 'audit-replay');
    expect(problems).toEqual([]);
  }, 40_000);
});
