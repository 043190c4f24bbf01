/**
 * `npm run bench`: runs every scenario under tests/bench/scenarios (or those whose file name contains an
 * argument), each in its own process, prints one table (scenario, ours, floor, ratio, target) and writes it
 * as JSON.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratio, round, type BenchResult } from './harness.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(join(here, 'scenarios'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

/** One scenario in a fresh process (run-scenario.ts), with this process's flags (tsx, source conditions). */
function runScenario(file: string): Promise<BenchResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, 'run-scenario.ts'), [join(here, 'scenarios', file)], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let results: BenchResult[] | undefined;
    child.on('message', (message) => (results = message as BenchResult[]));
    child.on('error', reject);
    child.on('exit', (code) => (results && code === 0 ? resolve(results) : reject(new Error(`${file} failed (exit ${code})`))));
  });
}

const results: BenchResult[] = [];
for (const file of files) {
  const started = Date.now();
  results.push(...(await runScenario(file)));
  process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
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
