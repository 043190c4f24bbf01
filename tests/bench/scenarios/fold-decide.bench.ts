/**
 * Command-path cost on a long case: a referral with 1,000 events, then a command decided against it
 * through ReferralCommandHandler over the embedded SQLite store. The command is a late escalation
 * timer for a resolved alert, which the machine ignores, so what is timed is load + fold + decide
 * without an append: cold (no cache: read and fold all 1,000 events) and cached (read the empty tail,
 * decide). A full command with its durable append is reported beside them.
 */
import { ReferralCommandHandler } from '@hru/application';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@hru/infra';
import { eventRegistry, type Actor, type ReferralEvent } from '@hru/events';
import { commandSchemas, decide, defaultIntakeRules, foldEvents, MACHINE_VERSION, referralIdFor, type CommandEvent, type CommandName, type ReferralSnapshot } from '@hru/workflows';
import { tempDir } from '../../support/temp-dir.js';
import { nowMs, percentile, round, type BenchResult, type BenchScenario } from '../harness.js';

const CASE_EVENTS = 1_000;
const COLD_RUNS = 200;
const CACHED_RUNS = 2_000;
const APPEND_RUNS = 200;
const SLA_MS = 15 * 60_000;
const options = { intakeRules: defaultIntakeRules, alertAckSlaMs: SLA_MS, maxEscalationLevel: 3 };
const system: Actor = { kind: 'system', system: 'bench' };
const officer: Actor = { kind: 'person', sub: 'u-off', name: 'PC', roles: ['officer'], agency: 'police' };
const timer: Actor = { kind: 'system', system: 'alert-timer' };
const referralId = referralIdFor('niche', 'BENCH/1');
const alertId = `${referralId}.ua1`;

const intake = {
  source: { system: 'niche', crimeReference: 'BENCH/1', recordedAt: '2026-01-01T09:00:00Z' },
  offences: [{ code: '8/65', description: 'Stalking', principal: true }],
  problemBehaviour: 'stalking',
  summary: 'A long-running case.',
  victim: { ref: 'P-1', name: 'V' },
  suspect: { ref: 'P-2', name: 'S' },
  risk: { dashYesCount: 16 },
  indicators: ['weapon'],
};

/** Commands that take the case to management, then the ordinary traffic of a long case. */
function* lifeOfACase(): Generator<[CommandName, unknown]> {
  yield ['receive-referral', intake];
  yield ['acknowledge-urgent-action', { alertId, note: 'seen' }];
  yield ['resolve-urgent-action', { alertId, resolution: 'arrested' }];
  yield ['triage', { decision: 'proceed', reason: 'stalking' }];
  yield ['screen', { decision: 'adopt', reason: 'value' }];
  yield ['record-case-discussion', { heldAt: '2026-01-08T10:00:00Z', attendees: [{ agency: 'police', discipline: 'police', count: 1 }], decisions: ['plan'] }];
  yield ['agree-management-plan', { actions: [{ kind: 'victim_safety_planning', description: 'plan', owner: { sub: 'u', agency: 'police' }, dueDate: '2026-02-01' }] }];
  for (let i = 0; ; i++) {
    switch (i % 4) {
      case 0:
        yield ['log-time', { agency: 'police', minutes: 30, activity: 'contact' }];
        break;
      case 1:
        yield ['record-intervention', { intervention: { kind: 'victim_advocate_contact', outcome: 'engaged' }, occurredOn: '2026-02-01' }];
        break;
      case 2:
        yield ['review', { summary: 'Contact continues' }];
        break;
      default:
        yield ['record-risk-assessment', { assessedOn: '2026-02-01', dashYesCount: 12, rationale: 'stable' }];
    }
  }
}

function buildCase(): ReferralEvent[] {
  const events: ReferralEvent[] = [];
  let snapshot: ReferralSnapshot = foldEvents([]);
  for (const [name, payload] of lifeOfACase()) {
    if (events.length >= CASE_EVENTS) break;
    const now = new Date(Date.parse('2026-01-01T10:00:00Z') + events.length * 60_000).toISOString();
    const parsed = commandSchemas[name].parse(payload);
    const drafts = decide(snapshot, { type: name, payload: parsed, meta: { now, options } } as CommandEvent);
    const actor = name === 'receive-referral' ? system : officer;
    const stored = drafts.map((d) =>
      eventRegistry.prepare<string, unknown>({
        type: d.type,
        data: d.data,
        metadata: { eventId: randomUUID(), occurredAt: now, actor, correlationId: 'bench', causationId: null, schemaVersion: 1, machineVersion: MACHINE_VERSION },
      }),
    ) as ReferralEvent[];
    snapshot = foldEvents(stored, snapshot);
    events.push(...stored);
  }
  return events.slice(0, CASE_EVENTS);
}

async function timeRuns(runs: number, once: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = nowMs();
    await once();
    samples.push(nowMs() - started);
  }
  return samples;
}

const scenario: BenchScenario = {
  name: 'fold + decide on a long case',
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-fold-');
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));
    try {
      const events = buildCase();
      for (let i = 0; i < events.length; i += 100) {
        await store.appendToStream(referralId, events.slice(i, i + 100), { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }
      const ignoredTimer = { name: 'escalate-urgent-action', payload: { alertId, level: 1 } };
      const context = { actor: timer, correlationId: 'bench', now: '2026-06-01T00:00:00Z' };

      const cold = new ReferralCommandHandler(store, { alertAckSlaMs: SLA_MS, cacheSize: 0 });
      await timeRuns(20, () => cold.handle(referralId, ignoredTimer, context)); // warm the JIT, not the cache
      const coldSamples = await timeRuns(COLD_RUNS, () => cold.handle(referralId, ignoredTimer, context));
      const readOnly = await timeRuns(COLD_RUNS, () => store.readStream(referralId));

      const cached = new ReferralCommandHandler(store, { alertAckSlaMs: SLA_MS });
      await timeRuns(50, () => cached.handle(referralId, ignoredTimer, context));
      const cachedSamples = await timeRuns(CACHED_RUNS, () => cached.handle(referralId, ignoredTimer, context));

      const logTime = { name: 'log-time', payload: { agency: 'police', minutes: 5, activity: 'bench' } };
      const appendSamples = await timeRuns(APPEND_RUNS, () => cached.handle(referralId, logTime, { ...context, actor: officer }));

      const coldP99 = percentile(coldSamples, 99);
      const cachedP99 = percentile(cachedSamples, 99);
      return [
        {
          scenario: `fold + decide, ${CASE_EVENTS}-event case, cold (no cache)`,
          unit: 'ms p99',
          ours: coldP99,
          floor: percentile(readOnly, 99),
          floorLabel: 'readStream of the same events alone',
          higherIsBetter: false,
          extra: { p50: round(percentile(coldSamples, 50), 3) },
        },
        {
          scenario: `fold + decide, ${CASE_EVENTS}-event case, cached`,
          unit: 'ms p99',
          ours: cachedP99,
          higherIsBetter: false,
          target: 'p99 <= 5 ms',
          met: cachedP99 <= 5,
          extra: { p50: round(percentile(cachedSamples, 50), 3) },
        },
        {
          scenario: `full command with durable append, cached, on a ${CASE_EVENTS}+-event case`,
          unit: 'ms p99',
          ours: percentile(appendSamples, 99),
          higherIsBetter: false,
          extra: { p50: round(percentile(appendSamples, 50), 3) },
        },
      ];
    } finally {
      await store.close();
      cleanup();
    }
  },
};

export default scenario;
