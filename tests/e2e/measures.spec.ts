/**
 * Legal measures and their clocks in the console, end to end: the real engine (API, projector, worker, the
 * working-day calendar) on a private Redis, driven through headless Chromium. An officer records an SPO's steps
 * through the form generated from the command's schema (a step selector, then that step's fields); the "Due and
 * overdue" page lists an overdue deadline above one still to come; axe finds no serious accessibility issue on
 * the new page or on the referral page's measures. Screenshots go to test-output/console/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mintDevToken } from '@hru/infra';
import { JWT_SECRET } from '../support/test-app.js';
import { useConsole } from './console-fixture.js';
import { seriousAccessibilityIssues } from './axe.js';

const fixture = useConsole('hru-e2e-measures-');
const DAY = 24 * 60 * 60_000;

const signIn = (page: Page, role: string, name: string, sub: string) => fixture.signIn(page, role, name, sub);

async function openReferral(page: Page, referralId: string) {
  await page.goto(`${fixture.engine.baseUrl}/console/#/referral/${referralId}`);
  await page.getByLabel('Justification').fill('Review of the legal measures');
  await page.getByRole('button', { name: 'Show the referral' }).click();
  await page.getByRole('heading', { name: 'Legal measures' }).waitFor();
}

const officerToken = () => mintDevToken(JWT_SECRET, { sub: 'pc-m', name: 'PC Measures', roles: ['officer'], agency: 'police' });

async function command(referralId: string, name: string, body: unknown) {
  const res = await fetch(`${fixture.engine.baseUrl}/v1/referrals/${referralId}/commands/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await officerToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, `${name}: ${await res.clone().text()}`).toBe(200);
}

async function referral(referralId: string): Promise<{ measures: { measureId: string; kind: string; status: string; steps: { step: string; at: string }[] }[] }> {
  const res = await fetch(`${fixture.engine.baseUrl}/v1/referrals/${referralId}`, { headers: { authorization: `Bearer ${await officerToken()}`, 'x-justification': 'e2e check' } });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

describe('legal measures in the console', () => {
  it('officer: records an SPO step through the generated form (a step selector, then that step’s fields), typed in London time', async () => {
    const { referralId } = await fixture.engine.intake();
    // A browser that believes it is in New York: what is typed and shown is London time all the same.
    const { page } = await fixture.browser.newPage({ timezoneId: 'America/New_York' });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page, 'officer', 'PC Jones', 'pc.jones');
    await openReferral(page, referralId);
    await page.locator('#no-measures').waitFor();

    await page.getByRole('button', { name: 'Record SPO', exact: true }).click();
    const form = page.locator('form[data-form="record-spo"]');
    // The step is a union: its fields appear only once a step is chosen.
    await expect(form.getByLabel('Order', { exact: true }).count()).resolves.toBe(0);
    await form.getByLabel('Step', { exact: true }).selectOption({ label: 'Applied' });
    await form.getByLabel('Order', { exact: true }).selectOption('interim');
    // 10:30 on 1 July is British Summer Time: 09:30 UTC, whatever zone the browser runs in.
    await form.getByLabel('At', { exact: true }).fill('2026-07-01T10:30');
    await fixture.browser.screenshot(page, 'measure-form');
    await form.getByRole('button', { name: 'Record SPO' }).click();

    const measure = page.locator('#measures [data-measure-id="m1"]');
    await measure.locator('.measure-status', { hasText: 'Applied' }).waitFor();
    await expect(measure.locator('h3').textContent()).resolves.toContain('Stalking Protection Order');
    await expect(measure.locator('.steps').textContent()).resolves.toContain('Applied on 1 Jul 2026, 10:30 BST');
    const recorded = (await referral(referralId)).measures[0];
    expect(recorded?.kind).toBe('spo');
    expect(recorded?.steps[0]).toMatchObject({ step: 'applied', at: '2026-07-01T09:30:00.000Z' });

    // A time entered wrongly is corrected: the measure and its step are picked from lists.
    await page.getByRole('button', { name: 'Correct measure step', exact: true }).click();
    const correct = page.locator('form[data-form="correct-measure-step"]');
    await correct.getByLabel('Measure id', { exact: true }).selectOption('m1');
    await correct.getByLabel('Step', { exact: true }).selectOption({ label: 'Applied (m1)' });
    await correct.getByLabel('At', { exact: true }).fill('2026-07-01T11:00');
    await correct.getByLabel('Reason', { exact: true }).fill('The application time was entered wrongly.');
    await correct.getByRole('button', { name: 'Correct measure step' }).click();
    await page.locator('#measures .steps', { hasText: 'Applied on 1 Jul 2026, 11:00 BST' }).waitFor();

    // The next step of the same order: its measure is offered by name, not typed.
    await page.getByRole('button', { name: 'Record SPO', exact: true }).click();
    await form.getByLabel('Measure id (optional)').selectOption('m1');
    await form.getByLabel('Step', { exact: true }).selectOption({ label: 'Withdrawn' });
    await form.getByLabel('At', { exact: true }).fill('2026-11-02T09:00');
    await form.getByRole('button', { name: 'Record SPO' }).click();
    await measure.locator('.measure-status', { hasText: 'Withdrawn' }).waitFor();
    await expect(measure.locator('.steps').textContent()).resolves.toContain('Withdrawn on 2 Nov 2026, 09:00 GMT');
    expect((await referral(referralId)).measures.map((m) => [m.measureId, m.status])).toEqual([['m1', 'withdrawn']]);
    await fixture.browser.screenshot(page, 'referral-measures');
    expect(problems).toEqual([]);
  });

  it('every measure command’s form offers each step of its kind, then that step’s own fields', async () => {
    const { referralId } = await fixture.engine.intake();
    const doc = (await (await fetch(`${fixture.engine.baseUrl}/openapi.json`)).json()) as { paths: Record<string, { post?: { requestBody?: { content: { 'application/json': { schema: { properties: { step: { oneOf?: { properties: Record<string, unknown> }[]; anyOf?: { properties: Record<string, unknown> }[] } } } } } } } }> };
    const { page } = await fixture.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    await openReferral(page, referralId);
    for (const [name, button] of [['record-spo', 'Record SPO'], ['record-dvpo', 'Record DVPO'], ['record-bail', 'Record bail'], ['record-mappa', 'Record MAPPA'], ['record-disclosure-scheme', 'Record disclosure scheme']] as const) {
      const step = doc.paths[`/v1/referrals/{id}/commands/${name}`]?.post?.requestBody?.content['application/json'].schema.properties.step;
      const variants = step?.oneOf ?? step?.anyOf ?? [];
      expect(variants.length, name).toBeGreaterThan(2);
      await page.getByRole('button', { name: button, exact: true }).click();
      const form = page.locator(`form[data-form="${name}"]`);
      const select = form.getByLabel('Step', { exact: true });
      // "Choose…" and one option per step (polled: the form renders after the click, later on a loaded machine).
      await expect.poll(() => select.locator('option').count(), { timeout: 10_000 }).toBe(variants.length + 1);
      for (let i = 0; i < variants.length; i++) {
        await select.selectOption(String(i));
        // The chosen step's own fields (all but `step`) and nothing else inside the step's fieldset.
        const own = Object.keys(variants[i]?.properties ?? {}).filter((k) => k !== 'step').length;
        await expect.poll(() => form.locator('fieldset').first().locator('.field').count(), { message: `${name} step ${i}`, timeout: 10_000 }).toBe(own + 1);
      }
    }
    expect(problems).toEqual([]);
  });

  it('in the browser: countdowns in words, and times typed and shown on the London clock across both clock changes', async () => {
    const { page } = await fixture.browser.newPage({ timezoneId: 'Asia/Tokyo' });
    await page.goto(`${fixture.engine.baseUrl}/console/`);
    const now = Date.parse('2026-11-30T12:00:00Z');
    const H = 3_600_000;
    // The console's own module, as the browser loads it (its Intl time-zone data is what users get).
    const got = await page.evaluate(`import('./js/clocks.js').then((c) => ({
      typed: ['2026-07-01T10:30', '2026-11-02T09:00', '2026-03-29T01:30', '2026-03-29T02:30', '2026-10-25T01:30', '2026-10-25T02:30'].map(c.londonWallClockToIso),
      shown: ['2026-07-01T09:30:00Z', '2026-12-01T09:30:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z'].map(c.londonTime),
      words: [
        c.countdown({ status: 'open', dueAt: new Date(${now} + 3.5 * ${H}).toISOString() }, ${now}),
        c.countdown({ status: 'due', dueAt: new Date(${now} + 30 * 1000).toISOString() }, ${now}),
        c.countdown({ status: 'due', dueAt: new Date(${now} + 3 * 24 * ${H}).toISOString() }, ${now}),
        c.countdown({ status: 'overdue', dueAt: new Date(${now} - 53 * ${H}).toISOString() }, ${now}),
        c.countdown({ status: 'missed', dueAt: new Date(${now} - 1 * ${H}).toISOString(), missedAt: new Date(${now} - 1 * ${H}).toISOString() }, ${now}),
        c.countdown({ status: 'met', dueAt: new Date(${now} - 5 * ${H}).toISOString(), closedAt: new Date(${now} - 2 * ${H}).toISOString(), late: true }, ${now}),
        c.countdown({ status: 'met', dueAt: new Date(${now} + 5 * ${H}).toISOString(), closedAt: new Date(${now}).toISOString(), late: false }, ${now}),
        c.countdown({ status: 'cancelled', dueAt: new Date(${now} - 5 * ${H}).toISOString() }, ${now}),
      ].map((x) => x.words + ' / ' + x.tone),
      // A badge rendered now says something else two hours on, once refreshed (a page left open stays true).
      refreshed: (() => {
        const root = document.createElement('div');
        root.append(c.countdownBadge({ status: 'open', dueAt: new Date(${now} + 1 * ${H}).toISOString() }, ${now}));
        const before = root.textContent + ' / ' + root.firstElementChild.className;
        c.refreshCountdowns(root, ${now} + 2 * ${H} + 60 * 1000);
        return [before, root.textContent + ' / ' + root.firstElementChild.className];
      })(),
    }))`);
    expect(got).toEqual({
      typed: [
        '2026-07-01T09:30:00.000Z', // BST
        '2026-11-02T09:00:00.000Z', // GMT
        '2026-03-29T01:30:00.000Z', // skipped when the clocks went forward: read as GMT (02:30 BST)
        '2026-03-29T01:30:00.000Z', // 02:30 BST is the same instant
        '2026-10-25T00:30:00.000Z', // happens twice when the clocks go back: the first (BST) is meant
        '2026-10-25T02:30:00.000Z', // after the change: GMT
      ],
      shown: ['1 Jul 2026, 10:30 BST', '1 Dec 2026, 09:30 GMT', '25 Oct 2026, 01:30 BST', '25 Oct 2026, 01:30 GMT'],
      words: [
        'Due in 3 hours / near',
        'Due in less than a minute / near',
        'Due in 3 days / ok',
        'Overdue by 2 days / over',
        'Missed: overdue by 1 hour / over',
        'Met late, 3 hours after it was due / near',
        'Met in time / ok',
        'Cancelled: no longer applies / done',
      ],
      refreshed: ['Due in 1 hour / badge age-near', 'Overdue by 1 hour / badge age-over'],
    });
  });

  it('the due view lists an overdue deadline first, then those still to come; filters by kind; axe finds no serious issue', async () => {
    const now = Date.now();
    const iso = (t: number) => new Date(t).toISOString();
    // An interim SPO served 8 days ago: the subject's 3-day notification is long past, so it is missed at once.
    const late = await fixture.engine.intake();
    await command(late.referralId, 'record-spo', { at: iso(now - 10 * DAY), step: { step: 'applied', order: 'interim' } });
    await command(late.referralId, 'record-spo', { measureId: 'm1', at: iso(now - 9 * DAY), step: { step: 'granted', order: 'interim', endsOn: null } });
    await command(late.referralId, 'record-spo', { measureId: 'm1', at: iso(now - 8 * DAY), step: { step: 'served' } });
    // An arrest a minute ago: the victim must be told within the Victims' Code's working days, still ahead.
    const coming = await fixture.engine.intake({ problemBehaviour: 'serial_domestic_abuse' });
    await command(coming.referralId, 'record-arrest', { at: iso(now - 60_000) });

    const { page } = await fixture.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    await page.getByRole('link', { name: 'Due and overdue' }).click();
    await page.getByRole('heading', { name: 'Due and overdue' }).waitFor();
    // Far enough ahead that a Victims' Code contact is inside whatever holidays follow today.
    await page.getByLabel('Due within').selectOption('P28D');
    // The list is a read model: it catches up with the commands above within moments.
    const rows = page.locator('#due-list tbody tr');
    const lateRow = page.locator(`#due-list tbody tr[data-referral-id="${late.referralId}"]`).filter({ hasText: 'SPO: subject to notify the police' });
    const comingRow = page.locator(`#due-list tbody tr[data-referral-id="${coming.referralId}"]`);
    for (let i = 0; i < 100 && !((await lateRow.count()) && (await comingRow.count())); i++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(100);
    }
    await expect(lateRow.textContent()).resolves.toMatch(/overdue by \d+ days/i);
    // The case as the list carries it (no personal data): crime reference, offence, problem behaviour, DASH, stage and assignee.
    await expect(lateRow.locator('.case').textContent()).resolves.toMatch(/^Crime CC\/26\/\S+Stalking involving fear of violence \(8\/65\) · Stalking · DASH 6 of 27Awaiting triage · unassigned$/);
    await expect(comingRow.textContent()).resolves.toMatch(/Due in \d+ (minutes?|hours?|days?)/);
    await expect(comingRow.locator('.case').textContent()).resolves.toContain('Serial domestic abuse');

    // Overdue first: every overdue row above every row still to come, and the first row is overdue.
    const order = await rows.evaluateAll((trs) => trs.map((tr) => ({ state: tr.getAttribute('data-state'), referralId: tr.getAttribute('data-referral-id') })));
    expect(order[0]?.state).toBe('overdue');
    const lastOverdue = order.map((r) => r.state).lastIndexOf('overdue');
    const firstDue = order.map((r) => r.state).indexOf('due');
    expect(firstDue).toBeGreaterThan(lastOverdue);
    expect(order.findIndex((r) => r.referralId === late.referralId)).toBeLessThan(order.findIndex((r) => r.referralId === coming.referralId));
    await fixture.browser.screenshot(page, 'due-and-overdue');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);

    // A filter by kind: only SPO notifications, so the arrest's contact clock goes.
    await page.getByLabel('Kind').selectOption('spo_notification');
    await comingRow.waitFor({ state: 'detached' });
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''))).resolves.toSatisfy((texts: string[]) => texts.length > 0 && texts.every((t) => t.includes('SPO: subject to notify the police')));

    // The referral it links to shows the measure and its missed clock.
    await lateRow.getByRole('link').click();
    await page.getByLabel('Justification').fill('Overdue SPO notification');
    await page.getByRole('button', { name: 'Show the referral' }).click();
    const clocks = page.locator('#clocks');
    await clocks.waitFor();
    await expect(clocks.textContent()).resolves.toMatch(/Missed: overdue by \d+ days/);
    await expect(page.locator('#measures [data-measure-id="m1"] .measure-status').textContent()).resolves.toBe('Served: the subject did not notify in time');
    await page.getByRole('button', { name: 'Record SPO', exact: true }).click();
    await page.locator('form[data-form="record-spo"]').getByLabel('Step', { exact: true }).selectOption({ label: 'Notified' });
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await fixture.browser.screenshot(page, 'referral-clocks');
    expect(problems).toEqual([]);
  });
});
