/**
 * An escalation reaches the supervisor wherever they are, and the alert list follows it without a reload: on an
 * engine whose acknowledgement deadline is a few seconds (HRU_ALERT_ACK_SLA), the timer worker escalates an
 * unacknowledged alert; the page plays the escalation's double tone, says it in the live region, shows the notice
 * with the tier now addressed, and the alert list moves the alert's level and tier in place.
 */
import { describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.js';

const fixture = useConsole('hru-e2e-escalation-', { HRU_ALERT_ACK_SLA: '3s', HRU_ALERT_ESCALATION_TIERS: 'detective_sergeant,duty_inspector,superintendent' });

describe('escalation on shift', () => {
  it('supervisor on the statistics page hears the escalation; the alert list shows the new tier without a reload', async () => {
    const { page } = await fixture.browser.newPage();
    await page.addInitScript(`
      window.__tones = 0;
      const original = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function () {
        window.__tones++;
        return original.call(this);
      };
    `);
    await fixture.signIn(page, 'supervisor', 'DS Smith', 'ds.smith');
    await page.getByRole('button', { name: 'Alert sound: off' }).click();
    await page.goto(`${fixture.engine.baseUrl}/console/#/stats`);
    await page.getByRole('heading', { name: 'Statistics' }).first().waitFor();

    const { referralId } = await fixture.engine.intake({ indicators: ['weapon'] });
    await page.locator('#alert-notice', { hasText: 'New urgent alert' }).waitFor({ timeout: 10_000 });
    // Nobody acknowledges: the worker escalates it to level 1, addressed to the next tier.
    await page.locator('#alert-notice', { hasText: 'Alert escalated to level 1' }).waitFor({ timeout: 20_000 });
    await expect(page.locator('#alert-notice').textContent()).resolves.toContain('now addressed to duty inspector');
    await page.locator('#announcer', { hasText: 'escalated to level 1' }).waitFor();
    // One tone for the new alert, two for its escalation.
    expect(Number(await page.evaluate('window.__tones'))).toBeGreaterThanOrEqual(3);
    await page.locator('#nav-alert-count.urgent', { hasText: '1' }).waitFor();

    // The alert list, opened by the menu (no reload), shows the level and tier as they now stand, and follows the next.
    await page.getByRole('link', { name: /^Alerts/ }).click();
    const row = page.locator(`li[data-alert-id^="${referralId}"]`);
    await row.waitFor();
    await row.locator('.badge', { hasText: /Escalated: level [12]/ }).waitFor();
    await page.locator(`li[data-alert-id^="${referralId}"] .tier`, { hasText: /duty inspector|superintendent/ }).waitFor();
    await row.locator('.badge', { hasText: 'Escalated: level 2' }).waitFor({ timeout: 20_000 });
    await expect(row.locator('.tier').textContent()).resolves.toBe('Now addressed to: superintendent');
    await fixture.browser.screenshot(page, 'shift-escalated');
  }, 60_000);
});
