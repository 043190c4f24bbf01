/**
 * Issue 20: the year's statistics at a national year, query by query, before and after the pre-aggregation.
 *
 * The read-model rows of `HRU_STATS_REFERRALS` referrals (default 1,000,000) over one year, shaped on `hru demo`'s mix
 * (triage, screening, adoption or advice, interventions, legal measures and their clocks, closures, crime outcomes,
 * urgent alerts), are bulk-loaded into the fact tables the projections keep, and the
 * pre-aggregated counts worked out from them (`recount*`, which the differential spec checks against what `apply`
 * keeps). Writing them through the command handler is the scale bench's job (an hour at this size); these queries
 * read the read model only.
 *
 * Each figure of a year is then timed as the routes compute it: ours (the pre-aggregated queries) beside the SQL they
 * replaced (tests/projections/support/oracle, on the same rows with the indexes it had), p50 and p99 over repeated
 * runs, with the CPU time per query and the load average. Both give the same answers (checked here once, and
 * over random periods by the differential spec).
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type Database from 'better-sqlite3';
import type { NewEvent } from '@hru/application';
import {
  alertsProjection,
  cohortScenarios,
  defaultUnitCosts,
  headlineStats,
  installSchema,
  monthlyTrend,
  outcomeStats,
  outcomesProjection,
  recountAlerts,
  recountOutcomes,
  recountStatistics,
  reoffendingProjection,
  reoffendingReport,
  staffTimeProjection,
  statsProjection,
  valueForMoney,
  type ProjectedEvent,
} from '@hru/projections';
import { openSqlite } from '@hru/infra';
import { Random } from '../../../services/cli/src/demo/random.js';
import { headlineStats as oldHeadline } from '../../projections/support/oracle/stats-queries.js';
import { monthlyTrend as oldTrend } from '../../projections/support/oracle/stats-trend.js';
import { outcomeStats as oldOutcomes } from '../../projections/support/oracle/outcomes-queries.js';
import { reoffendingStats as oldReoffending } from '../../projections/support/oracle/reoffending-queries.js';
import { valueForMoney as oldValueForMoney } from '../../projections/support/oracle/vfm-calculation.js';
import { cohortScenarios as oldScenarios } from '../../projections/support/oracle/vfm-cohort-perspectives.js';
import { given, referralId } from '../../projections/support/history.js';
import { crime, timeLogged } from '../../projections/support/perpetrators.js';
import { tempDir } from '../../support/temp-dir.js';
import { nowMs, percentile, round, type BenchResult, type BenchScenario } from '../harness.js';

const REFERRALS = Number(process.env.HRU_STATS_REFERRALS ?? 1_000_000);
const RUNS = Number(process.env.HRU_STATS_RUNS ?? 30);
/** The old SQL takes seconds a query: a few runs say enough (0: ours alone, without the comparison and its checks). */
const OLD_RUNS = Number(process.env.HRU_STATS_OLD_RUNS ?? 3);
const TARGET_P99_MS = 100;
const DAY = 86_400_000;
const YEAR_START = Date.UTC(2026, 0, 1);
const dayOf = (n: number) => new Date(YEAR_START + n * DAY).toISOString().slice(0, 10);

/** The secondary indexes the old SQL had (dropped with it): its "before" is timed as it ran. */
const oldIndexes = `
  CREATE INDEX old_stats_facts_by_kind ON stats_facts (kind, on_date);
  CREATE INDEX old_stats_open_intervals_by_dates ON stats_open_intervals (opened_on, closed_on);
  CREATE INDEX old_stats_measure_steps_by_step ON stats_measure_steps (measure_kind, step, on_date);
  CREATE INDEX old_stats_deadlines_by_kind ON stats_deadlines (kind, due_on);
  CREATE INDEX old_outcomes_crimes_by_date ON outcomes_crimes (outcome_date);
  CREATE INDEX old_reoffending_referrals_by_start ON reoffending_referrals (started_on);
  CREATE INDEX old_reoffending_referrals_by_therapy ON reoffending_referrals (therapy_completed_on);
  CREATE INDEX old_reoffending_parties_by_party ON reoffending_parties (party_id, role);
`;

/** Suspects named on thousands of referrals each: the shape that made the reverted pre-aggregation quadratic. */
const PROLIFIC_SUSPECTS = 2;
const PROLIFIC_SHARE = 0.004;

/**
 * The re-offending model's events of one referral (a year of `hru demo`-like lives, as the model reads them): the
 * crime recorded up to three weeks before it reaches the unit; most suspects on one referral, a third of referrals
 * by repeat suspects (about three each, often against the same victim), and two prolific suspects on about 2,000
 * referrals each; the intervention starting for a little over half, a plan or a second step on some (which change
 * nothing), a completed therapy on a few, staff time on those started, and a reopening link on some.
 */
function reoffendingEvents(i: number, random: Random): NewEvent[] {
  const id = referralId(0x1000000 + i);
  const opened = Math.floor((i * 365) / REFERRALS);
  const repeat = random.chance(0.3);
  const perpetrator = random.chance(PROLIFIC_SHARE)
    ? `pty-prolific-${random.int(0, PROLIFIC_SUSPECTS - 1)}`
    : repeat
      ? `pty-r${random.int(0, Math.floor(REFERRALS / 10))}`
      : `pty-u${i}`;
  const victim = repeat && random.chance(0.5) ? `${perpetrator}-v` : `pty-v${random.int(0, REFERRALS)}`;
  const out: NewEvent[] = [
    crime(id, {
      perpetrator,
      victim,
      recordedOn: dayOf(Math.max(0, opened - random.int(0, 21))),
      receivedOn: dayOf(opened),
      problemBehaviour: random.weighted([['stalking', 62], ['serial_domestic_abuse', 24], ['sexual_violence', 7], ['querulance', 7]] as const),
      breachOfOrder: random.chance(0.025),
    }),
  ];
  if (random.chance(0.57)) {
    const started = opened + random.int(5, 20);
    out.push(given.intervention(id, 1, dayOf(started), { kind: 'direct_constable_intervention' }));
    if (random.chance(0.5)) out.push(given.plan(id, `${dayOf(started + random.int(0, 10))}T10:00:00Z`));
    if (random.chance(0.04)) out.push(given.intervention(id, 2, dayOf(started + random.int(40, 120)), { kind: 'therapeutic_intervention_completed' }));
    out.push(timeLogged(id, dayOf(started + 1), 'police', random.int(60, 600)));
    if (random.chance(0.5)) out.push(timeLogged(id, dayOf(started + 3), random.pick(['nhs', 'advocacy']), random.int(60, 300)));
  }
  if (i > 0 && random.chance(0.01)) out.push(given.reopened(id, `${dayOf(opened + 30)}T10:00:00Z`, referralId(0x1000000 + random.int(Math.max(0, i - 5_000), i - 1))));
  return out;
}

const projected = (e: NewEvent, position: number): ProjectedEvent =>
  ({
    type: e.type,
    data: e.data,
    metadata: { occurredAt: e.metadata.occurredAt, schemaVersion: e.metadata.schemaVersion, actorId: 'u-1' },
    position: BigInt(position),
  }) as unknown as ProjectedEvent;

/**
 * Applies every referral's re-offending events through `apply`, as a rebuild does (one pass over the log, commits of
 * 10,000 referrals, the secondary indexes created afterwards), and the staff-time model's (the old SQL's cost side).
 * Timed: the model's share of a rebuild, without reading the log.
 */
function applyReoffending(db: Database.Database): { seconds: number; cpuSeconds: number; events: number } {
  const random = new Random(20);
  const started = nowMs();
  const cpu = process.cpuUsage();
  let events = 0;
  let staffSeconds = 0;
  for (let from = 0; from < REFERRALS; from += 10_000) {
    db.transaction(() => {
      for (let i = from; i < Math.min(REFERRALS, from + 10_000); i++) {
        for (const e of reoffendingEvents(i, random)) {
          const event = projected(e, ++events);
          reoffendingProjection.apply(db, event as Parameters<typeof reoffendingProjection.apply>[1]);
          if (e.type === 'TimeLogged') {
            const s = nowMs();
            staffTimeProjection.apply(db, event as Parameters<typeof staffTimeProjection.apply>[1]);
            staffSeconds += (nowMs() - s) / 1000;
          }
        }
      }
    })();
  }
  const indexes = reoffendingProjection.schema.split(';').filter((sql) => /CREATE INDEX/i.test(sql));
  for (const sql of indexes) db.exec(sql);
  const used = process.cpuUsage(cpu);
  return { seconds: (nowMs() - started) / 1000 - staffSeconds, cpuSeconds: (used.user + used.system) / 1e6 - staffSeconds, events };
}

/** The fact rows of one year of referrals, as the projections would have kept them from `hru demo`'s lives. */
function load(db: Database.Database): void {
  const random = new Random(2026);
  const st = (sql: string) => db.prepare(sql);
  const interval = st('INSERT OR IGNORE INTO stats_open_intervals VALUES (?, ?, ?, ?)');
  const close = st('UPDATE stats_open_intervals SET closed_on = ? WHERE referral_id = ?');
  let position = 0;
  const fact = st('INSERT INTO stats_facts VALUES (?, ?, ?, ?)');
  const step = st('INSERT INTO stats_measure_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const clock = st('INSERT INTO stats_deadlines VALUES (?, ?, ?, ?, 1, ?, ?, ?)');
  const outcomeReferral = st('INSERT INTO outcomes_referrals VALUES (?, ?)');
  const crime = st('INSERT INTO outcomes_crimes VALUES (?, ?, ?, ?)');
  const alert = st(
    `INSERT INTO alerts_items (alert_id, referral_id, raised_by, addressed_to, rules, raised_at, status, level, ack_due_at, acknowledged_at)
     VALUES (?, ?, 'intake_rule', 'supervisor', '[]', ?, 'acknowledged', ?, NULL, ?)`,
  );
  const pbs = [['stalking', 62], ['serial_domestic_abuse', 24], ['sexual_violence', 7], ['querulance', 7]] as const;
  db.transaction(() => {
    for (let i = 0; i < REFERRALS; i++) {
      const id = `ref-${i.toString(16).padStart(32, '0')}`;
      const opened = Math.floor((i * 365) / REFERRALS);
      const day = (after: number) => dayOf(Math.min(opened + after, 400));
      const pb = random.weighted(pbs);
      const urgent = random.chance(0.1);
      interval.run(id, pb, dayOf(opened), null);
      outcomeReferral.run(id, pb);
      const breachFlag = urgent && random.chance(0.25) ? 1 : 0;
      let started: string | null = null;
      let therapy: string | null = null;
      if (urgent) alert.run(`${id}.ua1`, id, `${dayOf(opened)}T10:00:00Z`, random.chance(0.9) ? 0 : 1, `${dayOf(opened)}T10:05:00Z`);
      const proceed = random.chance(0.86);
      const screen = proceed ? random.weighted([['adopt', 32], ['advice_only', 62], ['no_added_value', 6]] as const) : null;
      if (screen === 'advice_only' && random.chance(0.4)) {
        const on = day(random.int(5, 10));
        step.run(id, position++, null, 'spo', 'advised', null, on, null);
        started = on;
      }
      if (screen === 'adopt') {
        const plan = day(random.int(12, 20));
        started = plan;
        const contact = day(random.int(20, 30));
        fact.run(id, 'advocate_contact_offered', contact, position);
        if (random.chance(0.7)) fact.run(id, 'advocate_contact_engaged', contact, position);
        position++;
        if (random.chance(0.5)) fact.run(id, 'tactical_or_investigative_review', day(random.int(25, 35)), position++);
        if (random.chance(0.2)) step.run(id, position++, null, 'mappa', 'accepted', null, day(random.int(25, 40)), null);
        if (random.chance(0.25)) {
          fact.run(id, 'therapeutic_intervention_started', day(random.int(25, 45)), position++);
          if (random.chance(0.2)) therapy = day(random.int(60, 120));
        }
        if (random.chance(0.3)) fact.run(id, 'direct_constable_intervention', day(random.int(25, 45)), position++);
        if (random.chance(0.15)) fact.run(id, 'da_disclosure_to_probation', day(random.int(25, 45)), position++);
        if (random.chance(0.3)) fact.run(id, 'health_involvement', day(random.int(30, 50)), position++);
        if (random.chance(0.35)) {
          const m = `m${i}`;
          for (const [s, after] of [['applied', 35], ['granted', 42], ['served', 43], ['notified', 44]] as const) {
            step.run(id, position++, m, 'spo', s, `${day(after)}T10:00:00Z`, day(after), null);
          }
          clock.run(id, 'victim_contact', 'victim_contact', day(43), 'met', 0, random.chance(0.1) ? 1 : 0);
          clock.run(id, 'spo_notification', 'spo_notification', day(46), random.chance(0.92) ? 'met' : 'open', 0, 0);
          if (random.chance(0.1)) step.run(id, position++, m, 'spo', 'breached', `${day(55)}T10:00:00Z`, day(54), null);
          if (random.chance(0.2)) {
            step.run(id, position++, `b${i}`, 'bail', 'granted', `${day(36)}T10:00:00Z`, day(36), null);
            if (random.chance(0.5)) step.run(id, position++, `b${i}`, 'bail', 'extended', `${day(60)}T10:00:00Z`, day(60), random.pick(['inspector', 'superintendent', 'court']));
          }
          if (random.chance(0.1)) {
            step.run(id, position++, `d${i}`, 'dvpo', 'notice_issued', `${day(37)}T10:00:00Z`, day(37), null);
            if (random.chance(0.7)) step.run(id, position++, `d${i}`, 'dvpo', 'order_granted', `${day(39)}T10:00:00Z`, day(39), null);
          }
        }
        // Staff time: drawn as before so the seeded mix of what follows stays the same.
        random.int(60, 600);
        random.int(60, 300);
        if (random.chance(0.45)) close.run(day(random.int(60, 120)), id);
      }
      if (screen === 'adopt' || screen === 'advice_only') crime.run(`DEMO/${i}`, id, random.weighted([['1', 20], ['3', 1], ['16', 12], ['15', 30], ['18', 5]] as const), day(random.int(30, 90)));
    }
  })();
}

interface Query {
  name: string;
  ours: () => unknown;
  old: () => unknown;
}

function time(run: () => unknown, runs: number): { p50: number; p99: number; cpuMs: number } {
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = nowMs();
    run();
    samples.push(nowMs() - started);
  }
  const used = process.cpuUsage(cpu);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), cpuMs: (used.user + used.system) / 1000 / runs };
}

const scenario: BenchScenario = {
  name: 'stats-year',
  async run() {
    const dir = tempDir('hru-stats-year-');
    try {
      const db = openSqlite(join(dir.dir, 'read-models.sqlite'));
      for (const p of [statsProjection, outcomesProjection, alertsProjection({ webhookTargets: [] })]) installSchema(db, p);
      installSchema(db, reoffendingProjection, { withIndexes: false });
      installSchema(db, staffTimeProjection);
      const loadStarted = nowMs();
      load(db);
      db.exec(oldIndexes.split(';').filter((sql) => !/reoffending/.test(sql)).join(';'));
      process.stderr.write(`  loaded ${REFERRALS.toLocaleString('en-GB')} referrals' rows in ${round((nowMs() - loadStarted) / 1000, 1)} s\n`);
      const rebuild = applyReoffending(db);
      db.exec(oldIndexes.split(';').filter((sql) => /reoffending/.test(sql)).join(';'));
      process.stderr.write(
        `  re-offending model applied: ${rebuild.events.toLocaleString('en-GB')} events in ${round(rebuild.seconds, 1)} s (${round(rebuild.cpuSeconds, 1)} s CPU, ${Math.round(rebuild.events / rebuild.seconds).toLocaleString('en-GB')} events/s); load ${round(loadavg()[0]!)}\n`,
      );
      const countStarted = nowMs();
      db.transaction(() => {
        recountStatistics(db);
        recountOutcomes(db);
        recountAlerts(db);
      })();
      const counting = round((nowMs() - countStarted) / 1000, 1);
      process.stderr.write(`  counted in ${counting} s\n`);
      db.exec('ANALYZE');
      const year = { from: '2026-01-01', to: '2026-12-31' };
      // As the routes ask: a 12-month window read at the year's end; the JSON's first page of 100 members each.
      const cohortYear = { ...year, windowMonths: 12, asOf: '2026-12-31' };
      const vfm = () => {
        const v = valueForMoney(db, cohortYear, defaultUnitCosts);
        return { ...v, scenarios: cohortScenarios(db, cohortYear, defaultUnitCosts, v.costOfIntervention) };
      };
      const oldVfm = () => {
        const v = oldValueForMoney(db, cohortYear, defaultUnitCosts);
        return { ...v, scenarios: oldScenarios(db, cohortYear, defaultUnitCosts, v.costOfIntervention) };
      };
      // The route lists a page of members; the old SQL listed them all, so the rates are what is compared.
      const rates = (r: { afterInterventionStart: unknown; afterCompletedTherapeuticIntervention: unknown }) => [r.afterInterventionStart, r.afterCompletedTherapeuticIntervention];
      const queries: Query[] = [
        { name: 'headline', ours: () => headlineStats(db, year), old: () => oldHeadline(db, year) },
        { name: 'trend by month', ours: () => monthlyTrend(db, year), old: () => oldTrend(db, year) },
        { name: 'outcomes', ours: () => outcomeStats(db, year), old: () => oldOutcomes(db, year) },
        { name: 're-offending (12-month window)', ours: () => reoffendingReport(db, cohortYear, { limit: 100 }), old: () => oldReoffending(db, cohortYear) },
        { name: 'value for money (12-month window)', ours: vfm, old: oldVfm },
      ];
      // The same answers.
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
      const compared = OLD_RUNS > 0;
      const checks = !compared ? {} : {
        headline: same(headlineStats(db, year), oldHeadline(db, year)),
        trend: same(monthlyTrend(db, year), oldTrend(db, year)),
        outcomes: same(outcomeStats(db, year), oldOutcomes(db, year)),
        reoffending: same(rates(reoffendingReport(db, cohortYear, { limit: 100 })), rates(oldReoffending(db, cohortYear))),
        valueForMoney: same(vfm(), oldVfm()),
      };
      if (compared) process.stderr.write(`  same answers: ${JSON.stringify(checks)}\n`);
      const results: BenchResult[] = [];
      for (const query of queries) {
        query.ours();
        const ours = time(query.ours, RUNS);
        const before = compared ? time(query.old, OLD_RUNS) : { p50: NaN, p99: NaN, cpuMs: NaN };
        results.push({
          scenario: `stats-year: ${query.name}, a year of ${REFERRALS.toLocaleString('en-GB')} referrals`,
          unit: 'ms p99',
          ours: round(ours.p99),
          ...(compared ? { floor: round(before.p99), floorLabel: 'the SQL it replaced (p99)' } : {}),
          higherIsBetter: false,
          target: `p99 <= ${TARGET_P99_MS} ms`,
          met: ours.p99 <= TARGET_P99_MS,
          extra: {
            p50: round(ours.p50),
            cpuMsPerQuery: round(ours.cpuMs),
            oldP50: round(before.p50),
            oldCpuMsPerQuery: round(before.cpuMs),
            loadAverage1m: round(loadavg()[0]!),
            sameAnswers: compared ? String(Object.values(checks).every(Boolean)) : 'not compared',
          },
        });
        process.stderr.write(`  ${query.name}: ours p50 ${round(ours.p50)} p99 ${round(ours.p99)} ms; before p50 ${round(before.p50)} p99 ${round(before.p99)} ms; load ${round(loadavg()[0]!)}\n`);
      }
      db.close();
      results.push({
        scenario: `stats-year: the re-offending model's share of a rebuild, ${REFERRALS.toLocaleString('en-GB')} referrals (${rebuild.events.toLocaleString('en-GB')} events, ${PROLIFIC_SUSPECTS} suspects on ~${Math.round((REFERRALS * PROLIFIC_SHARE) / PROLIFIC_SUSPECTS).toLocaleString('en-GB')} referrals each)`,
        unit: 's',
        ours: round(rebuild.seconds, 1),
        higherIsBetter: false,
        extra: { cpuSeconds: round(rebuild.cpuSeconds, 1), eventsPerSecond: Math.round(rebuild.events / rebuild.seconds), loadAverage1m: round(loadavg()[0]!) },
      });
      return results;
    } finally {
      dir.cleanup();
    }
  },
};

export default scenario;
