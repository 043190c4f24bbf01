/**
 * The latest Home Office outcome of each crime, with the problem behaviour of its referral, for the
 * charged / cautioned / victim-withdrawal rates (DOMAIN.md §5). A disposal (MoPI RetentionReviewed) leaves the
 * rows: they are the rates' counts, and a crime reference names a crime, not a person (the stream keeps it too).
 */
import type Database from 'better-sqlite3';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { tablesEmpty } from '../rebuild/empty-shadow.js';
import { keepingOutcomeCounts, outcomeCountsHeldBack, outcomesDailySchema, recountOutcomes } from './daily.js';
import { statement } from '../framework/statements.js';

const outcomesEventTypes = ['ReferralReceived', 'ReferralDetailsUpdated', 'CrimeOutcomeRecorded'] as const;
const outcomesTables = ['outcomes_referrals', 'outcomes_crimes', 'outcomes_daily'];

export const outcomesProjection = defineProjection({
  name: 'outcomes',
  // 2: counts pre-aggregated by outcome date (issue #20), shared by every referral: a rebuild loads them in one pass.
  version: 2,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts).
  rebuildWeight: 0.4,
  splitsByStream: false,
  tables: outcomesTables,
  schema: `
    CREATE TABLE outcomes_referrals (referral_id TEXT PRIMARY KEY, problem_behaviour TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE outcomes_crimes (
      crime_reference TEXT NOT NULL,
      referral_id     TEXT NOT NULL,
      outcome_code    TEXT NOT NULL,
      outcome_date    TEXT NOT NULL,   -- ISO date: crimes count in the period of their outcome date
      PRIMARY KEY (referral_id, crime_reference)
    ) WITHOUT ROWID;
    ${outcomesDailySchema};
  `,
  eventTypes: outcomesEventTypes,
  apply(db, event) {
    keepingOutcomeCounts(db, event.data.referralId, () => applyToRows(db, event));
  },
  shadowApplier(db) {
    // Into a shadow it fills from empty, the rows alone, counted once at the end (one GROUP BY, where moving the counts
    // per referral and batch read each referral's crimes twice: 0.5 s of the bench's 1,000,000-event rebuild).
    if (tablesEmpty(db, outcomesTables)) return { apply: (event) => applyToRows(db, event), flush() {}, finish: () => recountOutcomes(db) };
    const counts = outcomeCountsHeldBack(db);
    return {
      apply(event) {
        counts.before(event.data.referralId);
        applyToRows(db, event);
      },
      flush: () => counts.flush(),
    };
  },
});

function applyToRows(db: Database.Database, event: ProjectedEvent<(typeof outcomesEventTypes)[number]>): void {
  switch (event.type) {
    case 'ReferralReceived':
      statement(db, 'INSERT OR REPLACE INTO outcomes_referrals VALUES (?, ?)').run(event.data.referralId, event.data.problemBehaviour);
      return;
    case 'ReferralDetailsUpdated':
      if (event.data.problemBehaviour) {
        statement(db, 'UPDATE outcomes_referrals SET problem_behaviour = ? WHERE referral_id = ?').run(
          event.data.problemBehaviour,
          event.data.referralId,
        );
      }
      return;
    case 'CrimeOutcomeRecorded':
      // A later outcome for the same crime replaces the earlier one.
      statement(db, 'INSERT OR REPLACE INTO outcomes_crimes VALUES (?, ?, ?, ?)').run(
        event.data.crimeReference,
        event.data.referralId,
        event.data.outcomeCode,
        event.data.outcomeDate,
      );
      return;
    default:
      return event satisfies never;
  }
}
