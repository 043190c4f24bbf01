/**
 * axe-core in a page (evaluated, so the console's Content-Security-Policy stays as it ships), and the one rule the
 * console specs hold every view to: no violation of impact serious or critical.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical violations, one line each (rule, impact, help, where). */
export async function seriousAccessibilityIssues(page: Page): Promise<string[]> {
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    // This runs in the page (no DOM types in this project's Node build): the page's axe and document, typed here.
    type Axe = { run(context: unknown, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> };
    const page = globalThis as unknown as { axe: Axe; document: unknown };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}

/** How far the page is wider than its viewport (0 or less: no horizontal scroll; WCAG 1.4.10 at 320 CSS px and up). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
}
