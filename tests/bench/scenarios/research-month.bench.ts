/**
 * Issue 20: the research extract for a month at a national year, read from its read model (research v2: each case's
 * rows stored rendered as JSON beside its fold).
 *
 * `HRU_RESEARCH_REFERRALS` cases (default 1,000,000) received over one year, each with intake facts, a triage, a
 * few interventions, a crime outcome and (for some) a closure, are loaded into the research model through the
 * projection's own rebuild path (its shadow applier: the rows a rebuild of such a log would write), without a log:
 * writing the log through the command handler is the scale bench's job. Then the extract for one month is read as
 * the route reads it (`researchExtractTextFromModel`, its rows joined into the page's JSON; the route's default page
 * of 1,000 cases), the first page and pages after cursors drawn from anywhere in the month, with p50 / p99, the CPU
 * time and the rows' bytes per page, and the load.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { eventRegistry, type Intervention, type ReferralEventType } from '@hru/events';
import { createIndexes, installSchema, researchExtractTextFromModel, researchProjection, writeCheckpoint, type ProjectedEvent } from '@hru/projections';
import { openSqlite } from '@hru/infra';
import { Random } from '../../../services/cli/src/demo/random.js';
import { tempDir } from '../../support/temp-dir.js';
import { nowMs, percentile, round, type BenchResult, type BenchScenario } from '../harness.js';

const REFERRALS = Number(process.env.HRU_RESEARCH_REFERRALS ?? 1_000_000);
const RUNS = Number(process.env.HRU_RESEARCH_RUNS ?? 50);
const LIMIT = 1_000;
const TARGET_P99_MS = 100;
const DAY = 86_400_000;
const YEAR_START = Date.UTC(2026, 0, 1);

function projected(type: string, data: Record<string, unknown>, at: number, position: number): ProjectedEvent<ReferralEventType> {
  return {
    type,
    data,
    metadata: { occurredAt: new Date(at).toISOString(), schemaVersion: eventRegistry.definition(type as never).version, actorId: 'bench' },
    position: BigInt(position),
  } as unknown as ProjectedEvent<ReferralEventType>;
}

const kinds: readonly (readonly [Intervention, number])[] = [
  [{ kind: 'victim_advocate_contact', outcome: 'engaged' }, 30],
  [{ kind: 'tactical_review' }, 20],
  [{ kind: 'direct_constable_intervention' }, 15],
  [{ kind: 'spo_advised' }, 10],
  [{ kind: 'therapeutic_intervention_started' }, 10],
  [{ kind: 'da_disclosure_to_probation' }, 15],
];

const scenario: BenchScenario = {
  name: 'research-month',
  async run() {
    const dir = tempDir('hru-research-month-');
    try {
      const db = openSqlite(join(dir.dir, 'read-models.sqlite'));
      db.exec(`CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL, generation INTEGER NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID`);
      const key = randomBytes(32);
      const projection = researchProjection({ pseudonymKey: key });
      // As a rebuild loads a shadow: the rows first, the index after.
      installSchema(db, projection, { withIndexes: false });
      const random = new Random(2026);
      const loadStarted = nowMs();
      const applier = projection.shadowApplier!(db);
      let position = 0;
      const batch = db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const referralId = `ref-${i.toString(16).padStart(32, '0')}`;
          const at = YEAR_START + Math.floor((i * 365) / REFERRALS) * DAY + 10 * 3_600_000;
          applier.apply(
            projected(
              'ReferralReceived',
              {
                referralId,
                source: { system: 'niche', crimeReference: `CC/${i}`, recordedAt: new Date(at - DAY).toISOString() },
                offences: [{ code: '8/65', principal: true }, { code: '105A', principal: false }],
                problemBehaviour: random.chance(0.7) ? 'stalking' : 'serial_domestic_abuse',
                parties: [
                  { partyId: `pty-v${i}`, category: 'victim' },
                  { partyId: `pty-s${i % 700_000}`, category: 'suspect' },
                ],
                risk: { dashYesCount: random.int(0, 27) },
                indicators: random.chance(0.3) ? ['escalating'] : [],
                personal: {},
              },
              at,
              position++,
            ),
          );
          applier.apply(projected('TriageCompleted', { referralId, decision: 'proceed', personal: {} }, at + DAY, position++));
          for (let k = random.int(0, 4); k > 0; k--) {
            const on = new Date(at + random.int(5, 60) * DAY).toISOString().slice(0, 10);
            applier.apply(projected('InterventionRecorded', { referralId, interventionId: `i${k}`, intervention: random.weighted(kinds), occurredOn: on }, at + 5 * DAY, position++));
          }
          applier.apply(projected('CrimeOutcomeRecorded', { referralId, crimeReference: `CC/${i}`, outcomeCode: '1', outcomeDate: new Date(at + 40 * DAY).toISOString().slice(0, 10) }, at + 40 * DAY, position++));
          if (random.chance(0.45)) applier.apply(projected('ReferralClosed', { referralId, closedFrom: 'under_management', personal: {} }, at + 90 * DAY, position++));
        }
        applier.flush();
      });
      for (let from = 0; from < REFERRALS; from += 20_000) batch(from, Math.min(REFERRALS, from + 20_000));
      writeCheckpoint(db, { projection: projection.name, version: projection.version, position: BigInt(position - 1), generation: 1 });
      createIndexes(db, projection);
      db.exec('ANALYZE');
      process.stderr.write(`  loaded ${REFERRALS.toLocaleString('en-GB')} cases (${position.toLocaleString('en-GB')} events) in ${round((nowMs() - loadStarted) / 1000, 1)} s\n`);

      const month = '2026-06';
      const period = { from: month, to: month };
      const inMonth = db.prepare('SELECT case_pseudonym FROM research_cases WHERE received_month = ? ORDER BY case_pseudonym').pluck().all(month) as string[];
      // The first page, then pages after cursors from anywhere in the month (the last page may be short).
      const cursors = [undefined, ...Array.from({ length: RUNS - 1 }, () => `${month}|${inMonth[random.int(0, inMonth.length - 1)]!}`)];
      const read = (cursor: string | undefined) => {
        const page = researchExtractTextFromModel(db, { period, key, limit: LIMIT, cursor })!;
        // The route's rows as it joins them into its reply.
        const json = `[${page.cases.join(',')}],[${page.interventions.join(',')}]`;
        return { ...page, bytes: json.length };
      };
      const first = read(undefined);
      if (first.cases.length !== LIMIT || !first.nextCursor) throw new Error(`a full first page expected, got ${first.cases.length}`);
      const samples: number[] = [];
      const cpu = process.cpuUsage();
      let rows = 0;
      let bytes = 0;
      for (const cursor of cursors) {
        const started = nowMs();
        const page = read(cursor);
        samples.push(nowMs() - started);
        rows += page.cases.length + page.interventions.length;
        bytes += page.bytes;
      }
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000 / cursors.length;
      const p50 = percentile(samples, 50);
      const p99 = percentile(samples, 99);
      const load = round(loadavg()[0]!);
      process.stderr.write(`  a month's page (${inMonth.length.toLocaleString('en-GB')} cases in the month): p50 ${round(p50)} p99 ${round(p99)} ms, CPU ${round(cpuMs)} ms a page; load ${load}\n`);
      db.close();
      const result: BenchResult = {
        scenario: `research-month: a page of ${LIMIT.toLocaleString('en-GB')} cases of a month's extract, ${REFERRALS.toLocaleString('en-GB')} referrals`,
        unit: 'ms p99',
        ours: round(p99),
        higherIsBetter: false,
        target: `p99 <= ${TARGET_P99_MS} ms`,
        met: p99 <= TARGET_P99_MS,
        extra: { p50: round(p50), cpuMsPerPage: round(cpuMs), casesInMonth: inMonth.length, rowsPerPage: round(rows / cursors.length), rowBytesPerPage: Math.round(bytes / cursors.length), loadAverage1m: load },
      };
      return [result];
    } finally {
      dir.cleanup();
    }
  },
};

export default scenario;
