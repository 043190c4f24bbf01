/**
 * The console's case-study panel end to end: the real engine on a private Redis, a case study recorded through the
 * API, read on the Statistics page in headless Chromium by referral id, each ratio beside its two figures.
 */
import { describe, expect, it } from 'vitest';
import { mintDevToken } from '@hru/infra';
import { JWT_SECRET } from '../support/test-app.js';

const costs = {
  reportingYear: '2020/21',
  staffHourByAgency: { police: 60 },
  harmCosts: { violence_with_injury: { priceYear: '2020/21', state: { police: 1_000, courts: 1_000, health: 0 }, victim: { physical_emotional: 4_000, lost_output: 0 } } },
};
import { useConsole } from '../e2e/console-fixture.js';

const fixture = useConsole('hru-vfm-e2e-', { HRU_UNIT_COSTS: JSON.stringify(costs) });

describe('console: value-for-money case study', () => {
  it('a supervisor picks a referral and reads its case study, each ratio with what it divides', async () => {
    const { referralId } = await fixture.engine.intake();
    const officer = await mintDevToken(JWT_SECRET, { sub: 'pc-9', name: 'PC Nine', roles: ['officer'], agency: 'police' });
    const send = async (name: string, body: object) => {
      const res = await fetch(`${fixture.engine.baseUrl}/v1/referrals/${referralId}/commands/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.text()).toBe(200);
    };
    await send('triage', { decision: 'proceed', reason: 'fixated' });
    await send('screen', { decision: 'adopt', reason: 'escalating' });
    await send('log-time', { agency: 'police', minutes: 120, activity: 'case work' }); // £120
    await send('record-counterfactual-harm', { harm: 'violence_with_injury', perspectives: ['state', 'victim'], scenario: 'best_case', reason: 'Alex would have been hurt' });

    const { page } = await fixture.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${fixture.engine.baseUrl}/console/`);
    await page.getByRole('heading', { name: 'Development sign-in (development only)' }).waitFor();
    await page.getByLabel('Role').selectOption('supervisor');
    await page.getByLabel('Name', { exact: true }).fill('DS Smith');
    await page.getByLabel('User name (sub)').fill('ds.smith');
    await page.getByRole('button', { name: 'Sign in (development)' }).click();
    await page.locator('#who', { hasText: 'DS Smith' }).waitFor();
    await page.goto(`${fixture.engine.baseUrl}/console/#/stats`);
    await page.getByRole('heading', { name: 'Value for money: case study' }).waitFor();
    const panel = page.getByRole('region', { name: 'Value for money: case study' });
    await panel.getByLabel('Case study of referral').fill(referralId);
    await panel.getByRole('button', { name: 'Show' }).click();
    const table = panel.locator('table', { has: page.locator('caption', { hasText: 'Best case' }) });
    await table.waitFor();
    const text = await table.textContent();
    // State 2,000 / 120 = 16.67; victim 4,000 / 120 = 33.33; total 6,000 / 120 = 50.
    expect(text).toContain('×16.67 (£2,000.00 / £120.00)');
    expect(text).toContain('×33.33 (£4,000.00 / £120.00)');
    expect(text).toContain('×50 (£6,000.00 / £120.00)');
    expect(await panel.textContent()).not.toContain('Alex would have been hurt');
    await fixture.browser.screenshot(page, 'statistics-case-study');
    expect(problems).toEqual([]);
  });
});
