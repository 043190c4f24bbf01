/**
 * Turns events into headline-statistic facts (DOMAIN.md §5) and case open intervals. A disposal (MoPI
 * RetentionReviewed) leaves them: they are the unit's statistics, ids, kinds and dates with nothing about people.
 */
import type Database from 'better-sqlite3';
import type { InterventionKind } from '@hru/events';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { deadlineFact, deadlineFactEventTypes, legacyMeasureFact, measureStepCorrection, measureStepEventTypes, measureStepFact, stepBatch } from './measure-facts.js';
import { RowBatch } from '../rebuild/row-batch.js';
import { countsHeldBack, keepingCounts } from './aggregates.js';
import { recountStatistics } from './recount.js';
import { tablesEmpty } from '../rebuild/empty-shadow.js';
import { statsSchema, statsTables, type FactKind } from './schema.js';

const FACT_INSERT = 'INSERT INTO stats_facts (referral_id, kind, on_date, position) VALUES';

/** Where `applyToFacts` adds rows: by statement for `apply`; many to a statement in a rebuild into an empty shadow. */
interface FactRows {
  facts: RowBatch;
  steps: RowBatch;
}

function fact(db: Database.Database, event: ProjectedEvent, kind: FactKind, onDate: string, rows: FactRows | undefined): void {
  const values = [event.data.referralId, kind, onDate, event.position];
  if (rows) rows.facts.add(...values);
  else statement(db, `${FACT_INSERT} (?, ?, ?, ?)`).run(values);
}

/**
 * Which headline facts an intervention is; completions feed no headline count, and the kinds that were legal measures
 * (SPO, MAPPA) count as the measure steps they stand for (./measure-facts.ts).
 */
function factsOf(kind: InterventionKind, advocateOutcome: string | undefined): FactKind[] {
  switch (kind) {
    case 'da_disclosure_to_probation':
      return ['da_disclosure_to_probation'];
    case 'victim_advocate_contact':
      return advocateOutcome === 'engaged' ? ['advocate_contact_offered', 'advocate_contact_engaged'] : ['advocate_contact_offered'];
    case 'therapeutic_intervention_started':
      return ['therapeutic_intervention_started'];
    case 'tactical_review':
    case 'investigative_review':
      return ['tactical_or_investigative_review'];
    case 'direct_constable_intervention':
      return ['direct_constable_intervention'];
    case 'spo_advised':
    case 'spo_applied':
    case 'spo_granted':
    case 'mappa_support':
    case 'therapeutic_intervention_completed':
      return [];
    default:
      return kind satisfies never;
  }
}

const dateOf = (event: ProjectedEvent) => event.metadata.occurredAt.slice(0, 10);

const statsEventTypes = [
  'ReferralReceived',
  'ReferralDetailsUpdated',
  'ReferralClosed',
  'ReferralReopened',
  'InterventionRecorded',
  'DirectedToService',
  'ManagementPlanAgreed',
  ...measureStepEventTypes,
  'MeasureStepCorrected',
  ...deadlineFactEventTypes,
] as const;
type StatsEventType = (typeof statsEventTypes)[number];

export const statsProjection = defineProjection({
  name: 'stats',
  // 2: legal measures' steps and clocks (issue #17), legacy SPO and MAPPA interventions counted with them.
  // 3: pre-aggregated counts (issue #20): a national year's figures in milliseconds.
  version: 3,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts).
  rebuildWeight: 2.7,
  // The counts are shared by every referral: a rebuild loads them in one pass over the log.
  splitsByStream: false,
  tables: statsTables,
  schema: statsSchema,
  eventTypes: statsEventTypes,
  apply(db, event) {
    keepingCounts(db, event.data.referralId, () => applyToFacts(db, event));
  },
  shadowApplier(db) {
    // Into a shadow it fills from empty, the fact rows alone, counted once at the end.
    if (tablesEmpty(db, statsTables)) {
      const rows: FactRows = { facts: new RowBatch(db, FACT_INSERT, 4), steps: stepBatch(db) };
      const flush = () => {
        rows.facts.flush();
        rows.steps.flush();
      };
      return {
        apply(event) {
          // A correction moves a step already written.
          if (event.type === 'MeasureStepCorrected') rows.steps.flush();
          applyToFacts(db, event, rows);
        },
        flush,
        finish() {
          flush();
          recountStatistics(db);
        },
      };
    }
    const counts = countsHeldBack(db);
    return {
      apply(event) {
        counts.before(event.data.referralId);
        applyToFacts(db, event);
      },
      flush: () => counts.flush(),
    };
  },
});

/** The event's change to its referral's fact rows; `apply` moves the counts by it. */
function applyToFacts(db: Database.Database, event: ProjectedEvent<StatsEventType>, rows?: FactRows): void {
  switch (event.type) {
    case 'ReferralReceived':
      statement(db, 'INSERT OR IGNORE INTO stats_open_intervals VALUES (?, ?, ?, NULL)').run(
        event.data.referralId,
        event.data.problemBehaviour,
        dateOf(event),
      );
      return;
    case 'ReferralDetailsUpdated':
      if (event.data.problemBehaviour) {
        statement(db, 'UPDATE stats_open_intervals SET problem_behaviour = ? WHERE referral_id = ?').run(
          event.data.problemBehaviour,
          event.data.referralId,
        );
      }
      return;
    case 'ReferralClosed':
      statement(db, 'UPDATE stats_open_intervals SET closed_on = ? WHERE referral_id = ? AND closed_on IS NULL').run(
        dateOf(event),
        event.data.referralId,
      );
      return;
    case 'ReferralReopened':
      statement(
        db,
        `INSERT OR REPLACE INTO stats_open_intervals
         SELECT referral_id, problem_behaviour, ?, NULL FROM stats_open_intervals WHERE referral_id = ? ORDER BY opened_on DESC LIMIT 1`,
      ).run(dateOf(event), event.data.referralId);
      return;
    case 'InterventionRecorded': {
      const i = event.data.intervention;
      for (const kind of factsOf(i.kind, i.kind === 'victim_advocate_contact' ? i.outcome : undefined)) fact(db, event, kind, event.data.occurredOn, rows);
      legacyMeasureFact(db, event, rows?.steps);
      return;
    }
    case 'SpoStepRecorded':
    case 'DvpoStepRecorded':
    case 'BailStepRecorded':
    case 'MappaStepRecorded':
    case 'DisclosureSchemeStepRecorded':
      measureStepFact(db, event, rows?.steps);
      return;
    case 'MeasureStepCorrected':
      measureStepCorrection(db, event);
      return;
    case 'DeadlineSet':
    case 'DeadlineMissed':
    case 'DeadlineClosed':
      deadlineFact(db, event);
      return;
    case 'DirectedToService':
      if (event.data.service === 'health_pathway') fact(db, event, 'health_involvement', dateOf(event), rows);
      return;
    case 'ManagementPlanAgreed':
      if (event.data.actions.some((a) => a.kind === 'health_pathway_consultation')) fact(db, event, 'health_involvement', dateOf(event), rows);
      return;
    default:
      return event satisfies never;
  }
}
