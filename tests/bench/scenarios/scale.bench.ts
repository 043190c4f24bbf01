/**
 * Issue 20, on one node: a year of a unit's referrals at scale, and what the engine costs at that size. By default
 * 100,000 referrals (CI-friendly time); `HRU_SCALE_REFERRALS=1000000` is the national year. Phases, each beside
 * its floor where one exists:
 *
 * 1. Write: `hru demo`'s generator and script player through the real command handler (every rule, the machine,
 *    the encryption, the hash chain, synchronous=FULL), 32 referrals in flight as `hru demo` plays them; floor:
 *    the same number of events appended to the bare SQLite store in group-committed batches.
 *    Access-log entries (s62) spread over the year are written beside them, so the access-log searches have a
 *    year to search.
 * 2. Rebuild of every read model from the log (as `hru projections rebuild`): events/s and peak RSS; floor:
 *    raw SELECT + JSON.parse of the same log.
 * 3. `hru audit verify`'s full check; floor: raw SELECT + one SHA-256 per row.
 * 4. Start-up of the whole engine on that data dir to `/readyz` 200: the first start, and a restart; then the time
 *    the timers already due fire in (a log written without a worker running, as the demo's, holds a year's clocks
 *    past due), so that the queries are not timed beside that work.
 * 5. Query p99 over HTTP at that size, each target <= 100 ms: every list the console offers and the audit reads.
 * 6. The engine's RSS before and after `HRU_SCALE_SOAK_SECONDS` (default 60) of 50 intakes/s.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { AccessLog, type EventStore } from '@hru/application';
import { Queue, type ConnectionOptions } from 'bullmq';
import { TIMER_QUEUE, canVerifyChains, createRedis, eventStoreSettings, loadConfig, mintDevToken, openEventStore, openSqlite, SqliteEventStore } from '@hru/infra';
import { referralIdFor } from '@hru/workflows';
import { CASE_SEARCH_PROJECTION, caseloadCursorAfter, encodeCaseloadCursor, openReadModelDb, pageCaseload } from '@hru/projections';
import { openStore, referralCommandHandler, startEngine } from '../../../services/cli/src/engine.js';
import { rebuildReadModels } from '../../../services/cli/src/rebuild-read-models.js';
import { MAX_CASELOAD_OFFSET } from '@hru/api';
import { playScript } from '../../../services/cli/src/demo/play-script.js';
import { Random } from '../../../services/cli/src/demo/random.js';
import { syntheticCase } from '../../../services/cli/src/demo/synthetic-case.js';
import { startPrivateRedis } from '../../support/redis-server.js';
import { JWT_SECRET, SOURCE_KEYS } from '../../support/test-app.js';
import { intakeBody } from '../../support/intake-body.js';
import { testEvent } from '../../support/events.js';
import { tempDir } from '../../support/temp-dir.js';
import { rawLogRead } from '../support/raw-log-read.js';
import { rawLogHash } from '../support/raw-log-hash.js';
import { nowMs, percentile, round, type BenchResult, type BenchScenario } from '../harness.js';

/**
 * A data dir `hru demo` already wrote (the national year takes an hour to write): phase 1 then only adds the access
 * log and the long referral, reports the store's append floor alone (the demo prints its own rate), and the
 * referral count is read from the log. The data dir is kept.
 */
const EXISTING_DATA_DIR = process.env.HRU_SCALE_DATA_DIR;
let REFERRALS = Number(process.env.HRU_SCALE_REFERRALS ?? 100_000);
const SOAK_SECONDS = Number(process.env.HRU_SCALE_SOAK_SECONDS ?? 60);
const IN_FLIGHT = 32;
/** Access-log entries written over the year: one read for every two referrals, by 40 members of staff. */
const accessEntries = () => Math.max(1_000, Math.floor(REFERRALS / 2));
const STAFF = 40;
const QUERY_RUNS = 100;
const QUERY_WARMUP = 10;
/** A query far over its target is not run 100 times: after this long it stops with at least 10 samples. */
const QUERY_BUDGET_MS = 20_000;
const LONG_STREAM_EVENTS = 1_000;
const MB = 1024 * 1024;
const DAY = 86_400_000;

function progress(label: string, done: number, total: number, started: number): void {
  const seconds = (nowMs() - started) / 1000;
  process.stderr.write(`  ${label}: ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} (${Math.round(done / Math.max(seconds, 0.001))}/s)\n`);
}

/** Phase 1: the demo's referrals through the command handler, `IN_FLIGHT` at a time; returns the referral ids. */
async function writeYear(commands: ReturnType<typeof referralCommandHandler>, now: number): Promise<{ ids: string[]; seconds: number }> {
  const random = new Random(2026);
  const span = 365 * DAY;
  const ids: string[] = new Array(REFERRALS);
  let next = 0;
  let done = 0;
  const started = nowMs();
  const lane = async () => {
    while (next < REFERRALS) {
      const i = next++;
      const played = await playScript(commands, syntheticCase(i, random, new Date(now - span + (span * i) / REFERRALS)), now);
      ids[i] = played.referralId;
      if (++done % 10_000 === 0) progress('referrals written', done, REFERRALS, started);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return { ids, seconds: (nowMs() - started) / 1000 };
}

/** s62 entries across the year: staff reading referrals, as the access-log searches will find them. */
async function writeAccessLog(store: EventStore, ids: readonly string[], now: number): Promise<void> {
  const log = new AccessLog(store);
  for (let i = 0; i < accessEntries(); i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, accessEntries() - i) }, (_, k) => {
        const n = i + k;
        const sub = `staff-${n % STAFF}`;
        return log.record({
          referralId: ids[(n * 7919) % ids.length]!,
          resource: 'referral',
          justification: 'Case review',
          actor: { kind: 'person', sub, name: `Staff ${n % STAFF}`, roles: ['officer'], agency: 'police' },
          correlationId: `bench-${n}`,
          requestId: randomUUID(),
          at: new Date(now - 365 * DAY + (365 * DAY * n) / accessEntries()),
        });
      }),
    );
  }
}

/** A referral with a long history: an as-of read replays up to 1,000 events. */
async function writeLongStream(commands: ReturnType<typeof referralCommandHandler>, now: number): Promise<string> {
  const body = intakeBody({}, 'CC/26/SCALE-LONG');
  const at = (k: number) => new Date(now - 30 * DAY + k * 60_000).toISOString();
  const officer = { kind: 'person' as const, sub: 'pc-long', name: 'PC Long', roles: ['officer' as const], agency: 'police' };
  const referralId = referralIdFor('niche', 'CC/26/SCALE-LONG');
  if (((await commands.load(referralId))?.revision ?? -1) >= LONG_STREAM_EVENTS - 1) return referralId; // an earlier run's
  await commands.handle(referralId, { name: 'receive-referral', payload: body }, { actor: { kind: 'system', system: 'niche' }, correlationId: 'scale-long', now: at(0) });
  await commands.handle(referralId, { name: 'triage', payload: { decision: 'proceed', reason: 'Fixated contact' } }, { actor: officer, correlationId: 'scale-long', now: at(1) });
  for (let k = 2; ((await commands.load(referralId))?.revision ?? 0) < LONG_STREAM_EVENTS - 1; k++) {
    await commands.handle(referralId, { name: 'log-time', payload: { agency: 'police', minutes: 30, activity: 'Enquiries' } }, { actor: officer, correlationId: 'scale-long', now: at(k) });
  }
  return referralId;
}

/** The referral ids of a log, in the order received. */
function receivedIds(file: string): string[] {
  const db = openSqlite(file, { readonly: true });
  try {
    return (db.prepare("SELECT stream_id FROM events WHERE type = 'ReferralReceived' AND stream_id LIKE 'ref-%' ORDER BY position").raw().all() as [string][]).map((r) => r[0]);
  } finally {
    db.close();
  }
}

/** The floor of phase 1: as many events appended to the bare store in group-committed batches of 20 streams. */
async function appendFloor(file: string, events: number): Promise<number> {
  const store = new SqliteEventStore(file);
  const perStream = 10;
  const streams = Math.ceil(events / perStream);
  const started = nowMs();
  for (let s = 0; s < streams; s += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, streams - s) }, (_, k) =>
        store.appendToStream(
          `ref-floor-${s + k}`,
          Array.from({ length: perStream }, (_, i) => testEvent('Read', { i, decision: 'proceed', reason: 'a reason of realistic length for a triage decision' })),
          { expectedRevision: 'no_stream' },
        ),
      ),
    );
  }
  const seconds = (nowMs() - started) / 1000;
  await store.close();
  return (streams * perStream) / seconds;
}

async function timeQueries(base: string, queries: readonly { name: string; path: string; headers: Record<string, string> }[]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const q of queries) {
    const samples: number[] = [];
    let bytes = 0;
    const queryStarted = nowMs();
    for (let i = 0; i < QUERY_RUNS + QUERY_WARMUP; i++) {
      if (samples.length >= 10 && nowMs() - queryStarted > QUERY_BUDGET_MS) break;
      const started = nowMs();
      const response = await fetch(`${base}${q.path}`, { headers: q.headers });
      // The reply's bytes, not a string: decoding 1.4 MB of UTF-8 (the research extract's page) is the client's work,
      // 8–14 ms of it, and this client shares the engine's process and event loop.
      const body = await response.arrayBuffer();
      const took = nowMs() - started;
      if (response.status !== 200) throw new Error(`${q.name}: ${response.status} ${Buffer.from(body).toString('utf8', 0, 300)}`);
      bytes = body.byteLength;
      if (i >= QUERY_WARMUP || took > 1_000) samples.push(took);
    }
    const p99 = percentile(samples, 99);
    results.push({
      scenario: `query at ${REFERRALS.toLocaleString('en-GB')} referrals: ${q.name}`,
      unit: 'ms p99',
      ours: p99,
      higherIsBetter: false,
      target: 'p99 <= 100 ms',
      met: p99 <= 100,
      extra: { p50: round(percentile(samples, 50), 2), runs: samples.length, bytes, path: q.path.split('?')[0] ?? q.path },
    });
  }
  return results;
}

/**
 * Waits until no timer is due (none waiting or firing, three looks in a row): the clocks a log written without a
 * worker holds past due fire at start-up, each a command with its events and projections, and the first requests
 * after `/readyz` would otherwise be timed beside them (27 ms of CPU per request for a minute on 2,000 referrals).
 */
async function timerBacklog(redisUrl: string): Promise<BenchResult> {
  const connection = createRedis(redisUrl, 'producer');
  const timers = new Queue(TIMER_QUEUE, { connection: connection as unknown as ConnectionOptions });
  try {
    const due = async () => {
      const counts = await timers.getJobCounts('waiting', 'active', 'prioritized');
      return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0);
    };
    const started = nowMs();
    const atReady = await due();
    let most = atReady;
    for (let quiet = 0; quiet < 3; ) {
      const now = await due();
      most = Math.max(most, now);
      quiet = now === 0 ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return {
      scenario: 'timers already due at the restart, fired before the queries (a log written without a worker holds clocks past due)',
      unit: 's',
      ours: (nowMs() - started) / 1000,
      higherIsBetter: false,
      target: 'report',
      extra: { dueAtReadyz: atReady, mostDueAtOnce: most },
    };
  } finally {
    await timers.close();
    connection.disconnect();
  }
}

const scenario: BenchScenario = {
  name: 'scale (a year of referrals on one node)',
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-scale-');
    const redis = await startPrivateRedis();
    const dataDir = EXISTING_DATA_DIR ?? join(dir, 'data');
    const env = {
      HRU_DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      PORT: '0',
      HRU_JWT_SECRET: JWT_SECRET,
      HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}`,
      HRU_RATE_LIMIT_PER_MINUTE: '10000000',
      LOG_LEVEL: 'info',
    };
    const config = loadConfig(env);
    const results: BenchResult[] = [];
    const now = Date.now();
    try {
      // 1. Write (or, with HRU_SCALE_DATA_DIR, take the log `hru demo` wrote).
      let store = await openStore(config);
      const commands = referralCommandHandler(store, config);
      const written = EXISTING_DATA_DIR ? { ids: receivedIds(join(dataDir, 'events.sqlite')), seconds: 0 } : await writeYear(commands, now);
      REFERRALS = written.ids.length;
      const referralEvents = Number(await store.headPosition());
      await writeAccessLog(store, written.ids, now);
      const longId = await writeLongStream(commands, now);
      const head = Number(await store.headPosition());
      await store.close();
      const floorEventsPerSecond = await appendFloor(join(dir, 'floor.sqlite'), Math.min(referralEvents, 1_000_000));
      results.push({
        scenario: EXISTING_DATA_DIR
          ? `the store's batched-append floor (hru demo wrote the ${REFERRALS.toLocaleString('en-GB')} referrals and printed its rate)`
          : `write ${REFERRALS.toLocaleString('en-GB')} referrals through the command handler (${IN_FLIGHT} in flight)`,
        unit: 'events/s',
        ours: EXISTING_DATA_DIR ? floorEventsPerSecond : referralEvents / written.seconds,
        ...(EXISTING_DATA_DIR ? {} : { floor: floorEventsPerSecond, floorLabel: 'bare SQLite store, group-committed batches of 20 streams x 10 events' }),
        higherIsBetter: true,
        target: 'report',
        extra: {
          ...(EXISTING_DATA_DIR ? {} : { referralsPerSecond: round(REFERRALS / written.seconds, 1), seconds: round(written.seconds, 1) }),
          events: referralEvents,
          eventsPerReferral: round(referralEvents / REFERRALS, 1),
          logEvents: head,
          logMB: Math.round(statSync(join(dataDir, 'events.sqlite')).size / MB),
        },
      });

      // 2. Rebuild every read model into the data dir's read models, as `hru projections rebuild` does.
      const db = openReadModelDb(join(dataDir, 'read-models.sqlite'));
      global.gc?.();
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const rebuildStarted = nowMs();
      // Every read model the engine runs (the alerts model with its receivers, and the case search's blind index from
      // the opened intakes), with the very function `hru projections rebuild` calls.
      const reports = await rebuildReadModels(config, db);
      const rebuildSeconds = (nowMs() - rebuildStarted) / 1000;
      clearInterval(sampler);
      db.close();
      const floorRead = rawLogRead(join(dataDir, 'events.sqlite'), 2_000);
      results.push({
        scenario: `rebuild of every read model, ${head.toLocaleString('en-GB')} events`,
        unit: 'events/s',
        ours: head / rebuildSeconds,
        floor: floorRead.eventsPerSecond,
        floorLabel: 'raw SELECT + JSON.parse of the same log',
        higherIsBetter: true,
        target: 'report',
        extra: {
          seconds: round(rebuildSeconds, 1),
          peakRssMB: Math.round(peakRss / MB),
          projections: reports.flatMap((r) => r.projections).length,
          caseSearchSeconds: round(reports.find((r) => r.projections.includes(CASE_SEARCH_PROJECTION))?.seconds ?? 0, 1),
        },
      });

      // 3. The full chain check.
      const verifyStore = await openEventStore(eventStoreSettings(config));
      if (!canVerifyChains(verifyStore)) throw new Error('the embedded store verifies its chains');
      const verifyStarted = nowMs();
      const verified = await verifyStore.verifyChains();
      const verifySeconds = (nowMs() - verifyStarted) / 1000;
      await verifyStore.close();
      if (!verified.ok || verified.events !== head) throw new Error(`verify: ok=${verified.ok}, ${verified.events} of ${head} events`);
      const floorHash = rawLogHash(join(dataDir, 'events.sqlite'));
      results.push({
        scenario: `hru audit verify, ${head.toLocaleString('en-GB')} events`,
        unit: 'events/s',
        ours: head / verifySeconds,
        floor: floorHash.eventsPerSecond,
        floorLabel: 'raw SELECT + one SHA-256 per row',
        higherIsBetter: true,
        target: 'report',
        extra: { seconds: round(verifySeconds, 1) },
      });

      // 4. Start-up to /readyz: the first start on this data dir (the integrity monitor has no state yet, so its
      // first check of the whole log runs beside start-up), then a restart (it resumes from what it verified).
      const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
      const startToReady = async () => {
        const started = nowMs();
        const running = await startEngine(config, logger, { api: true, projector: true, worker: true });
        const url = `http://127.0.0.1:${(running.app!.server.address() as { port: number }).port}`;
        for (;;) {
          const ready = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
          if (ready === 200) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return { running, url, seconds: (nowMs() - started) / 1000 };
      };
      const first = await startToReady();
      await first.running.stop();
      const { running: engine, url: base, seconds: restartSeconds } = await startToReady();
      results.push({
        scenario: `start-up to /readyz 200, ${head.toLocaleString('en-GB')}-event log: restart`,
        unit: 's',
        ours: restartSeconds,
        floor: first.seconds,
        floorLabel: 'first start on the data dir (the first integrity check of the whole log beside it)',
        higherIsBetter: false,
        target: 'report',
      });
      store = engine.store;
      results.push(await timerBacklog(redis.url));

      // 5. Queries.
      try {
        const token = async (role: string) => ({
          authorization: `Bearer ${await mintDevToken(JWT_SECRET, { sub: `bench-${role}`, name: `Bench ${role}`, roles: [role as never], agency: 'police' })}`,
        });
        const supervisor = await token('supervisor');
        const auditor = { ...(await token('auditor')), 'x-justification': 'Scale benchmark' };
        const dp = { ...(await token('data_protection')), 'x-justification': 'Scale benchmark' };
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
        const yearFrom = day(now - 365 * DAY);
        const yearTo = day(now);
        const iso = (ms: number) => new Date(ms).toISOString();
        // A referral the access log names (entry n reads ids[(n * 7919) % length]).
        const sampleId = written.ids[(7 * 7919) % REFERRALS]!;
        const asOf = { ...supervisor, 'x-justification': 'Scale benchmark' };
        const deepRow = pageCaseload(engine.readModels!, { includeClosed: true, offset: Math.floor(REFERRALS * 0.9), limit: 1 }).rows[0]!;
        const deepCursor = encodeCaseloadCursor(caseloadCursorAfter(deepRow));
        // The ranking is scored in the background after a rebuild (the routes answer 503 until then): how long that takes.
        const scoring = nowMs();
        while ((await fetch(`${base}/v1/perpetrators?limit=1`, { headers: supervisor }).then((r) => r.text().then(() => r.status))) === 503) {
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        results.push({
          scenario: `perpetrators ranking scored in the background after start-up (no ranking after a rebuild), ${REFERRALS.toLocaleString('en-GB')} referrals`,
          unit: 's',
          ours: (nowMs() - scoring) / 1000,
          higherIsBetter: false,
          target: 'report',
        });
        const alertsCursor = ((await (await fetch(`${base}/v1/alerts?status=all&limit=200`, { headers: supervisor })).json()) as { nextCursor: string | null }).nextCursor;
        const queries = [
          { name: 'caseload, first page of 50', path: '/v1/caseload?limit=50', headers: supervisor },
          { name: 'caseload, under management', path: '/v1/caseload?stage=under_management&limit=50', headers: supervisor },
          { name: 'caseload, urgent', path: '/v1/caseload?urgent=true&limit=50', headers: supervisor },
          { name: 'caseload, one owner', path: '/v1/caseload?owner=pc.demo&limit=50', headers: supervisor },
          { name: 'caseload, reviews due', path: '/v1/caseload?reviewDue=true&limit=50', headers: supervisor },
          { name: 'caseload, a deadline overdue', path: '/v1/caseload?deadlineStatus=overdue&limit=50', headers: supervisor },
          // The console pages by cursor: the deep page is the one after the row 90 % of the way down.
          { name: 'caseload, deep page (cursor, 90 % down)', path: `/v1/caseload?limit=50&includeClosed=true&cursor=${deepCursor}`, headers: supervisor },
          // The deprecated offset is bounded (a deeper one is a 400 that names the cursor): its deepest page.
          { name: `caseload, deepest page by offset (deprecated, ${MAX_CASELOAD_OFFSET})`, path: `/v1/caseload?limit=50&offset=${Math.min(MAX_CASELOAD_OFFSET, REFERRALS - 50)}&includeClosed=true`, headers: supervisor },
          { name: 'stage queue: triage', path: '/v1/queues/triage', headers: supervisor },
          { name: 'stage queue: screening', path: '/v1/queues/screening', headers: supervisor },
          { name: 'stage queue: reviews due', path: '/v1/queues/reviews_due', headers: supervisor },
          { name: 'alerts, open', path: '/v1/alerts?status=open', headers: supervisor },
          { name: 'alerts, all (200)', path: '/v1/alerts?status=all&limit=200', headers: supervisor },
          { name: 'deadlines overdue', path: '/v1/deadlines?status=overdue', headers: supervisor },
          { name: 'access log by referral, a year', path: `/v1/audit/access-log?referralId=${sampleId}&from=${iso(now - 365 * DAY)}&to=${iso(now)}`, headers: auditor },
          { name: 'access log by actor, a year', path: `/v1/audit/access-log?actor=staff-7&from=${iso(now - 365 * DAY)}&to=${iso(now)}&limit=500`, headers: auditor },
          { name: 'headline statistics, a year', path: `/v1/stats/headline?from=${yearFrom}&to=${yearTo}`, headers: supervisor },
          { name: 'outcome statistics, a year', path: `/v1/stats/outcomes?from=${yearFrom}&to=${yearTo}`, headers: supervisor },
          { name: 're-offending, a year', path: `/v1/stats/reoffending?from=${yearFrom}&to=${yearTo}`, headers: supervisor },
          { name: 'value for money, a year', path: `/v1/stats/value-for-money?from=${yearFrom}&to=${yearTo}`, headers: supervisor },
          { name: `as-of state, ${LONG_STREAM_EVENTS}-event referral`, path: `/v1/referrals/${longId}/state?revision=${LONG_STREAM_EVENTS - 2}`, headers: asOf },
          { name: 'perpetrators ranked by RFG(V), first page (scored)', path: '/v1/perpetrators?limit=50', headers: supervisor },
          ...(alertsCursor ? [{ name: 'alerts, all, the next page (cursor)', path: `/v1/alerts?status=all&limit=200&cursor=${alertsCursor}`, headers: supervisor }] : []),
          { name: 'tasking list for a meeting', path: `/v1/tasking?meeting=${day(now)}`, headers: supervisor },
          { name: 'research extract, one month', path: `/v1/research/extract?from=${month(now - 60 * DAY)}&to=${month(now - 60 * DAY)}`, headers: dp },
        ];
        results.push(...(await timeQueries(base, queries)));

        // 6. Memory under a steady intake.
        global.gc?.();
        const rssBefore = process.memoryUsage().rss;
        const soakStarted = nowMs();
        let sent = 0;
        while (nowMs() - soakStarted < SOAK_SECONDS * 1000) {
          const tick = nowMs();
          await Promise.all(
            Array.from({ length: 5 }, () =>
              fetch(`${base}/v1/referrals`, {
                method: 'POST',
                headers: { authorization: `ApiKey ${SOURCE_KEYS.niche}`, 'content-type': 'application/json' },
                body: JSON.stringify(intakeBody({}, `CC/26/SOAK-${sent++}`)),
              }).then((r) => r.text()),
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (nowMs() - tick))));
        }
        global.gc?.();
        const rssAfter = process.memoryUsage().rss;
        results.push({
          scenario: `engine RSS after ${SOAK_SECONDS} s of 50 intakes/s on the ${head.toLocaleString('en-GB')}-event log`,
          unit: 'MB',
          ours: rssAfter / MB,
          floor: rssBefore / MB,
          floorLabel: 'RSS before the soak',
          higherIsBetter: false,
          target: 'flat (report)',
          extra: { intakes: sent, growthMB: round((rssAfter - rssBefore) / MB, 1) },
        });
      } finally {
        await engine.stop();
      }
      return results;
    } finally {
      await redis.stop();
      cleanup();
    }
  },
};

export default scenario;
