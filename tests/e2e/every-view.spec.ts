/**
 * Every view of the console at a desktop size (1366×768) and a phone size (390×844): axe-core finds no violation
 * of impact serious or critical, and the page never scrolls sideways at 390 px (WCAG 1.4.10 reflow: a data table
 * may scroll inside its own focusable wrapper, the page may not). Each view is a row of `views`: a new view is
 * one more row. A screenshot of every view at both sizes goes to test-output/console/every-view-<name>-<width>.png.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useConsole } from './console-fixture.js';
import { seedCaseFile } from './case-file-seed.js';
import { horizontalOverflow, seriousAccessibilityIssues } from './axe.js';
import { eventually } from '../support/eventually.js';

const fixture = useConsole('hru-e2e-views-', { HRU_OUTCOME_COMPARATOR: JSON.stringify({ label: 'force comparator', chargedPct: 14.6, cautionedPct: 2.3 }) });

interface ViewCase {
  name: string;
  /** Who looks at it; null: nobody signed in. */
  role: string | null;
  /** The console's hash route; `{ref}` is the seeded referral's id, `{party}` its suspect's party id. */
  hash: string;
  /** A selector present once the view has finished loading. */
  ready: string;
  /** The view asks why before it shows the referral (or the perpetrator: `justifyButton`). */
  justify?: boolean;
  justifyButton?: string;
  /** Elements that must sit wholly inside the screen's width on a phone (not scrolled off in a table). */
  onScreenOnPhone?: string[];
}

const views: ViewCase[] = [
  { name: 'sign-in', role: null, hash: '#/sign-in', ready: '#dev-sign-in' },
  { name: 'alerts', role: 'supervisor', hash: '#/alerts', ready: 'body[data-alerts-ready="true"]' },
  {
    name: 'queues',
    role: 'officer',
    hash: '#/queues/triage',
    ready: '#queue',
    onScreenOnPhone: ['#queue tbody tr:first-child td[data-label="Urgent"]', '#queue tbody tr:first-child .badge'],
  },
  { name: 'queue-case-discussion', role: 'supervisor', hash: '#/queues/awaiting_case_discussion', ready: '#queue, #queue-empty' },
  { name: 'due', role: 'officer', hash: '#/due', ready: '#due-count, #due-empty' },
  {
    name: 'caseload',
    role: 'officer',
    hash: '#/caseload/all',
    ready: '#caseload, #caseload-empty',
    onScreenOnPhone: ['#caseload tbody tr:first-child td[data-label="Urgent"]', '#caseload tbody tr:first-child .badge'],
  },
  { name: 'caseload-mine', role: 'supervisor', hash: '#/caseload/mine', ready: '#caseload, #caseload-empty' },
  { name: 'audit-supervisor', role: 'supervisor', hash: '#/audit', ready: '#auditor-only' },
  { name: 'referral', role: 'officer', hash: '#/referral/{ref}', ready: '#timeline', justify: true },
  { name: 'referral-supervisor', role: 'supervisor', hash: '#/referral/{ref}', ready: '#timeline', justify: true },
  { name: 'audit', role: 'auditor', hash: '#/audit', ready: '#integrity' },
  { name: 'audit-referral', role: 'auditor', hash: '#/audit/{ref}', ready: '#access-log', justify: true },
  { name: 'stats', role: 'supervisor', hash: '#/stats', ready: 'body[data-dashboard-ready="true"]' },
  { name: 'tasking', role: 'supervisor', hash: '#/tasking', ready: '#tasking-table, #tasking-summary' },
  { name: 'perpetrator', role: 'supervisor', hash: '#/perpetrator/{party}', ready: '#rfg-score', justify: true, justifyButton: 'Show the perpetrator' },
  { name: 'not-found', role: 'officer', hash: '#/no-such-page', ready: 'main h1' },
];

const sizes = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];

let referralId = '';
let partyId = '';
beforeAll(async () => {
  ({ referralId } = await seedCaseFile(fixture.engine));
  // A second, quiet case so the triage queue holds a row; the views read projections, so wait until it has one.
  await fixture.engine.intake();
  const token = await fixture.engine.supervisorToken();
  await eventually(
    async () => (await (await fetch(`${fixture.engine.baseUrl}/v1/queues/triage`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] },
    (b) => b.items.length > 0,
  );
  // The seeded referral's suspect, once the perpetrators' model holds them.
  const perpetrators = await eventually(
    async () => (await (await fetch(`${fixture.engine.baseUrl}/v1/perpetrators`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { partyId: string }[] },
    (b) => b.items.length > 0,
  );
  partyId = perpetrators.items[0]!.partyId;
}, 60_000);

/** The elements sticking out past the viewport's right edge, deepest first: what to fix when the page overflows. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = { tagName: string; id: string; className: unknown; children: ArrayLike<El>; getBoundingClientRect(): { right: number }; parentElement: El | null; closest(s: string): El | null };
    const g = globalThis as unknown as { innerWidth: number; document: { querySelectorAll(s: string): ArrayLike<El> } };
    const out: string[] = [];
    for (const el of Array.from(g.document.querySelectorAll('body *'))) {
      if (el.closest('.table-wrap') && el.tagName !== 'DIV') continue;
      const right = el.getBoundingClientRect().right;
      if (right > g.innerWidth + 0.5 && Array.from(el.children).every((c) => c.getBoundingClientRect().right <= g.innerWidth + 0.5)) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : ''} right=${Math.round(right)}`);
      }
    }
    return out.slice(0, 10);
  });
}

describe('every view, at both sizes', () => {
  for (const size of sizes) {
    describe(`${size.width}×${size.height}`, () => {
      /** One page per role at this size, signed in once. */
      const pages = new Map<string, Page>();
      async function pageFor(role: string | null): Promise<Page> {
        const key = role ?? 'nobody';
        const known = pages.get(key);
        if (known) return known;
        const { page } = await fixture.browser.newPage({ viewport: size });
        if (role) await fixture.signIn(page, role, `Test ${role}`, `test.${role}`);
        pages.set(key, page);
        return page;
      }

      for (const view of views) {
        it(`${view.name}: no serious or critical axe violation${size.width < 600 ? ', no horizontal scroll' : ''}`, async () => {
          const page = await pageFor(view.role);
          const hash = view.hash.replace('{ref}', referralId).replace('{party}', partyId);
          await page.goto(`${fixture.engine.baseUrl}/console/${hash}`);
          // A referral asks why once per tab: wait for the question or, asked already, for the view itself.
          if (view.justify && (await page.locator(`textarea[name="justification"], ${view.ready}`).first().waitFor(), await page.getByLabel('Justification').count())) {
            await page.getByLabel('Justification').fill('Accessibility check of every view');
            await page.getByRole('button', { name: view.justifyButton ?? 'Show the referral' }).click();
          }
          await page.locator(view.ready).first().waitFor();
          await fixture.browser.screenshot(page, `every-view-${view.name}-${size.width}`);
          expect(await seriousAccessibilityIssues(page)).toEqual([]);
          if (size.width < 600) {
            const overflow = await horizontalOverflow(page);
            expect(overflow, `${view.name} is ${overflow} px wider than the screen: ${(await overflowing(page)).join('; ')}`).toBeLessThanOrEqual(0);
            for (const selector of view.onScreenOnPhone ?? []) {
              const box = await page.locator(selector).first().boundingBox();
              expect(box, selector).not.toBeNull();
              expect(box!.x, selector).toBeGreaterThanOrEqual(0);
              expect(box!.x + box!.width, selector).toBeLessThanOrEqual(size.width);
            }
          }
        }, 30_000);
      }
    });
  }
});
