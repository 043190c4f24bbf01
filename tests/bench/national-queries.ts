/**
 * The year's statistics and the console's lists timed in process on an existing data dir's read models (issue 20):
 * what `npm run bench -- scale` asks over HTTP, without the HTTP, for a national year whose full scale run does not
 * fit a session. Read-only; run it after `hru projections rebuild` on that data dir.
 *
 *   node --conditions=@hru/source --import tsx tests/bench/national-queries.ts <data dir> [year's last day, default today]
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { countByStage, headlineStats, listQueue, monthlyTrend, outcomeStats, pageAlerts, pageCaseload } from '@hru/projections';
import { percentile } from './harness.js';

const [dataDir, lastDay = new Date().toISOString().slice(0, 10)] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: national-queries.ts <data dir> [YYYY-MM-DD]');
const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
const end = new Date(`${lastDay}T00:00:00Z`);
const year = { from: new Date(end.getTime() - 364 * 86_400_000).toISOString().slice(0, 10), to: lastDay };
const RUNS = 30;

const queries: [string, () => unknown][] = [
  ['headline statistics, a year', () => headlineStats(db, year)],
  ['outcome statistics, a year', () => outcomeStats(db, year)],
  ['trend by month, a year', () => monthlyTrend(db, year)],
  ['caseload, first page of 50', () => pageCaseload(db, { limit: 50 }, end)],
  ['caseload, under management', () => pageCaseload(db, { stage: 'under_management', limit: 50 }, end)],
  ['caseload, advice only', () => pageCaseload(db, { stage: 'advice_only', limit: 50 }, end)],
  ['caseload, urgent', () => pageCaseload(db, { urgent: true, limit: 50 }, end)],
  ['caseload counts by stage', () => countByStage(db, lastDay)],
  ['stage queue: triage (200)', () => listQueue(db, 'triage', { limit: 200 })],
  ['stage queue: screening (200)', () => listQueue(db, 'screening', { limit: 200 })],
  ['stage queue: reviews due (200)', () => listQueue(db, 'reviews_due', { limit: 200 })],
  ['alerts, open (200)', () => pageAlerts(db, { status: 'open', limit: 200 })],
  ['alerts, all (200)', () => pageAlerts(db, { status: 'all', limit: 200 })],
];

console.log(`${(db.prepare('SELECT count(*) AS n FROM caseload_cases').get() as { n: number }).n} cases; the year ${year.from} to ${year.to}; ${RUNS} runs each after one`);
for (const [name, run] of queries) {
  run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
  }
  console.log(`${name.padEnd(34)} p50 ${percentile(wall, 50).toFixed(1).padStart(8)} ms  p99 ${percentile(wall, 99).toFixed(1).padStart(8)} ms  CPU p50 ${percentile(cpu, 50).toFixed(1).padStart(7)} ms`);
}
db.close();
