/**
 * Issue 18: the console's first render in headless Chromium against the real engine holding 1,000 cases (one in
 * five urgent, so about 200 open alerts): from navigation start to the alert list on screen (`hru:alerts-rendered`)
 * and to a 1,000-case caseload page on screen (`hru:caseload-rendered`), each over fresh loads in a new browser
 * context with the session in place. Target p95 <= 300 ms. Beside it, the console's size: every shipped file
 * gzipped on its own and summed (what a first visit downloads at most).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mintDevToken } from '@hru/infra';
import { percentile, type BenchResult, type BenchScenario } from '../harness.js';
import { sourceHeaders, startBenchEngine } from '../support/bench-engine.js';
import { benchIntakeBody } from '../support/intake-bodies.js';
import { JWT_SECRET } from '../../support/test-app.js';
import { launchBrowser } from '../../e2e/browser.js';

const CASES = 1_000;
const LOADS = 20;
const TARGET_P95_MS = 300;
const PUBLIC = join(import.meta.dirname, '../../../services/console/public');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Shipped bytes, and gzipped bytes (each file on its own, summed). */
function consoleSize() {
  const all = files(PUBLIC);
  let raw = 0;
  let gz = 0;
  for (const f of all) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: all.length, rawKb: +(raw / 1024).toFixed(1), gzipKb: +(gz / 1024).toFixed(1) };
}

const scenario: BenchScenario = {
  name: 'console',
  async run(): Promise<BenchResult[]> {
    const engine = await startBenchEngine('');
    const browser = await launchBrowser();
    try {
      const runId = Date.now().toString(36);
      for (let n = 0; n < CASES; n += 20) {
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const res = await fetch(`${engine.baseUrl}/v1/referrals`, {
              method: 'POST',
              headers: { ...sourceHeaders, 'content-type': 'application/json' },
              body: JSON.stringify(benchIntakeBody(runId, n + i)),
            });
            if (res.status >= 300) throw new Error(`intake answered ${res.status}`);
          }),
        );
      }
      await engine.engine.projector!.runner.waitUntilCaughtUp(60_000);
      const token = await mintDevToken(JWT_SECRET, { sub: 'bench-sup', name: 'Bench Supervisor', roles: ['supervisor'], agency: 'police' });
      const measure = async (hash: string, ready: string, mark: string) => {
        const samples: number[] = [];
        for (let i = 0; i < LOADS; i++) {
          const { page, context } = await browser.newPage();
          await page.addInitScript(`sessionStorage.setItem('hru.console.token', ${JSON.stringify(token)});`);
          await page.goto(`${engine.baseUrl}/console/${hash}`);
          await page.locator(`body[${ready}="true"]`).waitFor({ timeout: 30_000 });
          samples.push(Number(await page.evaluate(`performance.getEntriesByName(${JSON.stringify(mark)})[0]?.startTime ?? -1`)));
          if (hash.includes('caseload')) {
            const rows = Number(await page.evaluate(`document.querySelectorAll('#caseload tbody tr').length`));
            if (rows !== CASES) throw new Error(`the caseload page showed ${rows} rows, expected ${CASES}`);
          }
          await context.close();
        }
        return samples;
      };
      const alertSamples = await measure('#/alerts', 'data-alerts-ready', 'hru:alerts-rendered');
      const caseloadSamples = await measure('#/caseload/all?pageSize=1000', 'data-caseload-ready', 'hru:caseload-rendered');
      const size = consoleSize();
      const result = (name: string, samples: number[]): BenchResult => {
        const p95 = percentile(samples, 95);
        return {
          scenario: name,
          unit: 'ms p95',
          ours: p95,
          higherIsBetter: false,
          target: `p95 <= ${TARGET_P95_MS} ms`,
          met: p95 <= TARGET_P95_MS,
          extra: { p50: percentile(samples, 50), max: Math.max(...samples), loads: samples.length },
        };
      };
      return [
        result(`console first render: alert list (${CASES} cases, ~${CASES / 5} open alerts)`, alertSamples),
        result(`console first render: a ${CASES}-case caseload page`, caseloadSamples),
        { scenario: 'console size, each file gzipped, summed', unit: 'KB', ours: size.gzipKb, higherIsBetter: false, extra: { files: size.files, rawKb: size.rawKb } },
      ];
    } finally {
      await browser.close();
      await engine.stop();
    }
  },
};

export default scenario;
