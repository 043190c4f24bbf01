/**
 * `npm run bench`: runs every scenario under tests/bench/scenarios (or those whose file name contains an
 * argument), prints one table (scenario, ours, floor, ratio, target) and writes it as JSON.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ratio, round, type BenchResult, type BenchScenario } from './harness.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(join(here, 'scenarios'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: BenchResult[] = [];
for (const file of files) {
  const scenario = (await import(pathToFileURL(join(here, 'scenarios', file)).href)).default as BenchScenario;
  process.stderr.write(`running ${scenario.name} …\n`);
  const started = Date.now();
  const produced = await scenario.run();
  process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  results.push(...produced);
}

const rows = results.map((r) => {
  const q = ratio(r);
  return {
    scenario: r.scenario,
    ours: `${round(r.ours)} ${r.unit}`,
    floor: r.floor === undefined ? '—' : `${round(r.floor)} ${r.unit}${r.floorLabel ? ` (${r.floorLabel})` : ''}`,
    ratio: q === undefined ? '—' : `${round(q * 100, 1)}%`,
    target: r.target ?? '—',
    met: r.met === undefined ? '—' : r.met ? 'yes' : 'NO',
  };
});
const headers = ['scenario', 'ours', 'floor', 'ratio', 'target', 'met'] as const;
const widths = headers.map((h) => Math.max(h.length, ...rows.map((row) => row[h].length)));
const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
console.log(line(headers));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line(headers.map((h) => row[h])));
for (const r of results.filter((r) => r.extra)) console.log(`  ${r.scenario}: ${JSON.stringify(r.extra)}`);

const out = join(here, '../../bench-results');
mkdirSync(out, { recursive: true });
const report = { at: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, results };
writeFileSync(join(out, 'latest.json'), JSON.stringify(report, (_, v) => (typeof v === 'bigint' ? Number(v) : v), 2));
console.log(`\nwritten to bench-results/latest.json`);
