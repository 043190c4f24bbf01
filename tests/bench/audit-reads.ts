/**
 * The auditor's reads at scale, timed in process (issue 20): the access-log searches of a year by actor and by
 * referral, and a referral's as-of state on a 1,000-event stream, through the real engine's API (inject, no TCP),
 * with the CPU each request costs (process.cpuUsage, every thread of the process) beside its wall time; and the
 * access-log search alone (queryAccessLog), to tell the query's share from the HTTP layer's; and the as-of state's
 * cold case, the first read of the referral by an API node (a restart), which opens and folds the whole stream.
 *
 *   node --conditions=@hru/source --import tsx tests/bench/audit-reads.ts [access-log entries, default 50,000]
 *
 * The entries are spread over the year as `npm run bench -- scale` writes them (40 members of staff; 50,000 is its
 * 100,000-referral run, 500,000 the national year's).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AccessLog, queryAccessLog, ReferralCommandHandler } from '@hru/application';
import type { Actor } from '@hru/events';
import { referralIdFor } from '@hru/workflows';
import { SqliteEventStore } from '@hru/infra';
import { createTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { intakeBody } from '../support/intake-body.js';
import { percentile } from './harness.js';

const ENTRIES = Number(process.argv[2] ?? 50_000);
const STAFF = 40;
const REFERRALS = ENTRIES * 2;
const LONG_STREAM_EVENTS = 1_000;
const RUNS = 100;
const WARMUP = 10;
const DAY = 86_400_000;

const now = Date.now();
const referralOf = (n: number) => referralIdFor('niche', `CC/26/A${(n * 7919) % REFERRALS}`);

// The entries are written to the data dir's log before the engine opens it, through the store itself (hash chains
// and all) but with synchronous=OFF: the reads are what is timed, and a year of entries one fsync'd group at a time
// takes 25 minutes at the national size on a shared machine.
const data = tempDir('hru-bench-audit-reads-');
const fill = new SqliteEventStore(join(data.dir, 'events.sqlite'), { synchronous: 'OFF' });
const started = performance.now();
{
  const log = new AccessLog(fill);
  for (let i = 0; i < ENTRIES; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, ENTRIES - i) }, (_, k) => {
        const n = i + k;
        const actor: Actor = { kind: 'person', sub: `staff-${n % STAFF}`, name: `Staff ${n % STAFF}`, roles: ['officer'], agency: 'police' };
        return log.record({
          referralId: referralOf(n),
          resource: 'referral',
          justification: 'Case review',
          actor,
          correlationId: `bench-${n}`,
          requestId: randomUUID(),
          at: new Date(now - 365 * DAY + (365 * DAY * n) / ENTRIES),
        });
      }),
    );
  }
  await fill.close();
}
console.log(`${ENTRIES.toLocaleString('en-GB')} access-log entries written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const app = await createTestApp({ now: () => new Date(now), env: { HRU_DATA_DIR: data.dir } });
try {
  const { deps } = app;
  // The integrity monitor's first check reads the whole log beside start-up: timed after it, not during it.
  while (!deps.integrity?.status().checkedAt) await new Promise((resolve) => setTimeout(resolve, 200));

  // A referral with a long history, as the scale bench writes it.
  const crimeReference = 'CC/26/LONG';
  const longId = referralIdFor('niche', crimeReference);
  const officer: Actor = { kind: 'person', sub: 'pc-long', name: 'PC Long', roles: ['officer'], agency: 'police' };
  const at = (k: number) => new Date(now - 30 * DAY + k * 60_000).toISOString();
  await deps.commands.handle(longId, { name: 'receive-referral', payload: intakeBody({}, crimeReference) }, { actor: { kind: 'system', system: 'niche' }, correlationId: 'long', now: at(0) });
  await deps.commands.handle(longId, { name: 'triage', payload: { decision: 'proceed', reason: 'Fixated contact' } }, { actor: officer, correlationId: 'long', now: at(1) });
  for (let k = 2; ((await deps.commands.load(longId))?.revision ?? 0) < LONG_STREAM_EVENTS - 1; k++) {
    await deps.commands.handle(longId, { name: 'log-time', payload: { agency: 'police', minutes: 30, activity: 'Enquiries' } }, { actor: officer, correlationId: 'long', now: at(k) });
  }

  const auditor = { authorization: `Bearer ${await app.token('auditor', 'bench-auditor')}`, 'x-justification': 'Audit benchmark' };
  const supervisor = { authorization: `Bearer ${await app.token('supervisor', 'bench-supervisor')}`, 'x-justification': 'Audit benchmark' };
  const iso = (ms: number) => new Date(ms).toISOString();
  const year = `from=${iso(now - 365 * DAY)}&to=${iso(now)}`;
  const sampleId = referralOf(7);

  const time = async (name: string, run: () => Promise<number>) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      size = await run();
      const took = performance.now() - t0;
      const used = process.cpuUsage(cpu0);
      if (i < WARMUP) continue;
      wall.push(took);
      cpu.push((used.user + used.system) / 1000);
    }
    const f = (v: number) => v.toFixed(2).padStart(8);
    console.log(`${name.padEnd(46)} wall p50 ${f(percentile(wall, 50))} p99 ${f(percentile(wall, 99))} ms | CPU p50 ${f(percentile(cpu, 50))} p99 ${f(percentile(cpu, 99))} ms | ${size}`);
  };
  const get = (url: string, headers: Record<string, string>) => async () => {
    const response = await app.app.inject({ method: 'GET', url, headers });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
    return response.body.length;
  };
  const period = { from: new Date(now - 365 * DAY), to: new Date(now) };
  await time('queryAccessLog by actor, a year, 500', async () => (await queryAccessLog(app.store, { ...period, actor: 'staff-7', limit: 500 })).entries.length);
  await time('queryAccessLog by referral, a year', async () => (await queryAccessLog(app.store, { ...period, referralId: sampleId, limit: 500 })).entries.length);
  await time('GET access log by actor, a year, 500', get(`/v1/audit/access-log?actor=staff-7&${year}&limit=500`, auditor));
  await time('GET access log by referral, a year', get(`/v1/audit/access-log?referralId=${sampleId}&${year}`, auditor));
  await time('GET access log, a day, 500', get(`/v1/audit/access-log?from=${iso(now - 100 * DAY)}&to=${iso(now - 99 * DAY)}&limit=500`, auditor));
  await time(`foldAt revision ${LONG_STREAM_EVENTS - 2}`, async () => (await deps.commands.foldAt(longId, { revision: LONG_STREAM_EVENTS - 2 })).revision);
  await time(`GET as-of state, revision ${LONG_STREAM_EVENTS - 2}`, get(`/v1/referrals/${longId}/state?revision=${LONG_STREAM_EVENTS - 2}`, supervisor));
  await time('GET as-of state, revision 500', get(`/v1/referrals/${longId}/state?revision=500`, supervisor));
  // The first read of the referral on an API node (after a restart): the whole stream opened and folded, no marks yet.
  await time(`cold: load + foldAt ${LONG_STREAM_EVENTS - 2} on a new handler`, async () => {
    const fresh = new ReferralCommandHandler(app.store, { alertAckSlaMs: 60_000 });
    await fresh.load(longId);
    return (await fresh.foldAt(longId, { revision: LONG_STREAM_EVENTS - 2 })).revision;
  });
} finally {
  await app.close();
  data.cleanup();
}
