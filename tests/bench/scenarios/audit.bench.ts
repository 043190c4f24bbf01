/**
 * Audit benchmarks: (a) state as of a revision for a 500-event referral, replayed through the workflow
 * machine by the command handler's foldAt (target p99 <= 20 ms); (b) hash-chain verification over
 * 1,000,000 events, beside its floor: the same rows read raw and hashed once each with no checks.
 */
import { ReferralCommandHandler } from '@hru/application';
import { join } from 'node:path';
import type { Actor } from '@hru/events';
import { SqliteEventStore } from '@hru/infra';
import { referralIdFor } from '@hru/workflows';
import { testEvent } from '../../support/events.js';
import { tempDir } from '../../support/temp-dir.js';
import { nowMs, percentile, round, type BenchResult, type BenchScenario } from '../harness.js';
import { intakeBody } from '../../support/intake-body.js';
import { rawLogHash } from '../support/raw-log-hash.js';

const REFERRAL_EVENTS = 500;
const REPLAYS = 300;
const VERIFY_EVENTS = 1_000_000;
const VERIFY_STREAM_LENGTH = 500;

const officer: Actor = { kind: 'person', sub: 'bench-officer', name: 'Bench Officer', roles: ['officer'], agency: 'police' };

async function buildReferral(store: SqliteEventStore): Promise<{ handler: ReferralCommandHandler; referralId: string }> {
  const handler = new ReferralCommandHandler(store, { alertAckSlaMs: 15 * 60_000, cacheSize: 1 });
  const crimeReference = 'CC/26/BENCH-1';
  const referralId = referralIdFor('niche', crimeReference);
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const ctx = (actor: Actor) => ({
    actor,
    correlationId: 'bench',
    now: new Date((clock += 60_000)).toISOString(),
  });
  await handler.handle(
    referralId,
    {
      name: 'receive-referral',
      payload: intakeBody({}, crimeReference),
    },
    ctx({ kind: 'system', system: 'niche' }),
  );
  await handler.handle(referralId, { name: 'triage', payload: { decision: 'proceed', reason: 'Fixated contact' } }, ctx(officer));
  for (let revision = await store.streamRevision(referralId); revision! < REFERRAL_EVENTS - 1; revision = await store.streamRevision(referralId)) {
    await handler.handle(referralId, { name: 'log-time', payload: { agency: 'police', minutes: 30, activity: 'Enquiries with the victim' } }, ctx(officer));
  }
  return { handler, referralId };
}

/**
 * As-of replays at random revisions of a 500-event referral: (warm) through one handler, as an API node
 * serves auditors, folding from the nearest snapshot mark; (cold) through a fresh handler each time, which
 * must fold from the first event: the worst case.
 */
async function asOfReplay(dir: string): Promise<BenchResult[]> {
  const store = new SqliteEventStore(join(dir, 'replay.sqlite'), { synchronous: 'OFF' });
  try {
    const { handler, referralId } = await buildReferral(store);
    const head = (await store.streamRevision(referralId))!;
    let seed = 7;
    const randomRevision = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % (head + 1));
    const measure = async (fold: (revision: number) => Promise<{ revision: number }>) => {
      const samples: number[] = [];
      for (let i = 0; i < REPLAYS + 20; i++) {
        const revision = randomRevision();
        const started = nowMs();
        const state = await fold(revision);
        const took = nowMs() - started;
        if (state.revision !== revision) throw new Error(`replayed to ${state.revision}, expected ${revision}`);
        if (i >= 20) samples.push(took); // the first runs warm up the JIT
      }
      return samples;
    };
    await handler.load(referralId); // an API node has folded the referral before: marks exist
    const warm = await measure((revision) => handler.foldAt(referralId, { revision }));
    const cold = await measure((revision) => new ReferralCommandHandler(store, { alertAckSlaMs: 60_000, cacheSize: 0 }).foldAt(referralId, { revision }));
    const result = (samples: number[], label: string): BenchResult => {
      const p99 = percentile(samples, 99);
      return {
        scenario: `state as of a random revision, ${head + 1}-event referral, ${label}`,
        unit: 'ms p99',
        ours: p99,
        higherIsBetter: false,
        target: 'p99 <= 20 ms',
        met: p99 <= 20,
        extra: { p50: round(percentile(samples, 50), 3), max: round(Math.max(...samples), 3), replays: samples.length },
      };
    };
    return [result(warm, 'warm (snapshot marks)'), result(cold, 'cold (fold from the first event)')];
  } finally {
    await store.close();
  }
}

async function fillChainedLog(file: string): Promise<void> {
  const store = new SqliteEventStore(file, { synchronous: 'OFF' });
  const streams = VERIFY_EVENTS / VERIFY_STREAM_LENGTH;
  const perTurn = 20;
  for (let s = 0; s < streams; s += perTurn) {
    // Appends made in the same turn share one transaction (group commit): 20 streams of 500 events each.
    await Promise.all(
      Array.from({ length: Math.min(perTurn, streams - s) }, (_, k) =>
        store.appendToStream(
          `ref-${String(s + k).padStart(6, '0')}`,
          Array.from({ length: VERIFY_STREAM_LENGTH }, (_, i) =>
            testEvent('Read', { i, decision: 'proceed', reason: 'a reason of realistic length for a triage decision' }),
          ),
          { expectedRevision: 'no_stream' },
        ),
      ),
    );
  }
  await store.close();
}

async function verifyThroughput(dir: string): Promise<BenchResult> {
  const file = join(dir, 'verify.sqlite');
  const fillStarted = nowMs();
  await fillChainedLog(file);
  const fillSeconds = (nowMs() - fillStarted) / 1000;
  const floor = rawLogHash(file).eventsPerSecond;
  const store = new SqliteEventStore(file);
  try {
    const started = nowMs();
    const report = await store.verifyChains();
    const seconds = (nowMs() - started) / 1000;
    if (!report.ok || report.events !== VERIFY_EVENTS) throw new Error(`verify found ${report.events} events, ok=${report.ok}`);
    return {
      scenario: `hash-chain verification (${VERIFY_EVENTS.toLocaleString('en-GB')} events, ${VERIFY_EVENTS / VERIFY_STREAM_LENGTH} streams)`,
      unit: 'events/s',
      ours: report.events / seconds,
      floor,
      floorLabel: 'raw SELECT + one SHA-256 per row',
      higherIsBetter: true,
      target: 'report (no target set)',
      extra: { seconds: round(seconds, 2), chainedFillEventsPerSecond: round(VERIFY_EVENTS / fillSeconds, 0) },
    };
  } finally {
    await store.close();
  }
}

const scenario: BenchScenario = {
  name: 'audit (as-of replay, chain verification)',
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-audit-');
    try {
      return [...(await asOfReplay(dir)), await verifyThroughput(dir)];
    } finally {
      cleanup();
    }
  },
};

export default scenario;
