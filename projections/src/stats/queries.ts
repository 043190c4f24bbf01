/**
 * The unit's headline statistics for a period (DOMAIN.md §5), each a count over facts the events produced, read from
 * counts pre-aggregated by day (./counts.ts). Periods are ISO dates, both ends inclusive. "Cases" are distinct
 * referrals; event counts are events.
 */
import type Database from 'better-sqlite3';
import type { CsvColumn } from '../framework/csv.js';
import { casesInPeriod, dayCount, openDuring, runningCountsByCounter } from './counts.js';
import { openDuringCounters } from './contributions.js';
import { measureStats, measureStatsRows, type MeasureStats } from './measure-queries.js';
import type { FactKind } from './schema.js';

export interface Period {
  from: string;
  to: string;
}

export interface HeadlineStats extends MeasureStats {
  from: string;
  to: string;
  /** Cases whose victim was offered advocate contact in the period, and those who engaged. */
  victimEngagement: { offered: number; engaged: number; ratePct: number | null };
  /** Cases whose victim engaged with an advocate (direct support) in the period. */
  victimsReceivingDirectAdvocateSupport: number;
  /** Cases (one crime each) given a tactical or investigative review in the period. */
  crimesGivenTacticalOrInvestigativeReview: number;
  /** SPOs advised in the period (the same as `spo.advised`). */
  spoAdvised: number;
  /** SPO applications made or supported in the period (the same as `spo.applied`). */
  spoApplicationsMadeOrSupported: number;
  /** Cases open during the period with a MAPPA referral accepted (or legacy MAPPA support) on or before its end. */
  mappaCasesSupported: number;
  daDisclosuresToProbation: number;
  directCaseInterventionsByConstables: number;
  /** Cases open during the period that were directed to, or planned with, a health pathway by its end. */
  casesOpenToHealthProfessionals: number;
  therapeuticInterventionsForPerpetrators: number;
  /** Cases open at the end of the period. */
  activeCaseload: { total: number; byProblemBehaviour: Record<string, number> };
}

const events = (db: Database.Database, kind: FactKind, p: Period) => dayCount(db, `fact:${kind}`, p);

const casesWith = (db: Database.Database, kind: FactKind, p: Period) => casesInPeriod(db, `cases:${kind}`, p);

export function headlineStats(db: Database.Database, p: Period): HeadlineStats {
  const offered = casesWith(db, 'advocate_contact_offered', p);
  const engaged = casesWith(db, 'advocate_contact_engaged', p);
  // Cases open at the period's end, by problem behaviour: openings less closings up to it.
  const active = runningCountsByCounter(db, 'open:', p.to).map((r) => ({ pb: r.counter.slice('open:'.length), n: r.n }));
  const measures = measureStats(db, p);
  return {
    from: p.from,
    to: p.to,
    victimEngagement: { offered, engaged, ratePct: offered === 0 ? null : Math.round((engaged / offered) * 1000) / 10 },
    victimsReceivingDirectAdvocateSupport: engaged,
    crimesGivenTacticalOrInvestigativeReview: casesWith(db, 'tactical_or_investigative_review', p),
    spoAdvised: measures.spo.advised,
    spoApplicationsMadeOrSupported: measures.spo.applied,
    mappaCasesSupported: openDuring(db, openDuringCounters.mappa, p),
    daDisclosuresToProbation: events(db, 'da_disclosure_to_probation', p),
    directCaseInterventionsByConstables: events(db, 'direct_constable_intervention', p),
    casesOpenToHealthProfessionals: openDuring(db, openDuringCounters.health, p),
    therapeuticInterventionsForPerpetrators: events(db, 'therapeutic_intervention_started', p),
    activeCaseload: { total: active.reduce((t, r) => t + r.n, 0), byProblemBehaviour: Object.fromEntries(active.map((r) => [r.pb, r.n])) },
    ...measures,
  };
}

export interface HeadlineRow {
  statistic: string;
  value: number | string | null;
}

/** One `statistic,value` row per figure, for CSV. */
export function headlineStatsRows(stats: HeadlineStats): HeadlineRow[] {
  return [
    { statistic: 'from', value: stats.from },
    { statistic: 'to', value: stats.to },
    { statistic: 'victimEngagement.offered', value: stats.victimEngagement.offered },
    { statistic: 'victimEngagement.engaged', value: stats.victimEngagement.engaged },
    { statistic: 'victimEngagement.ratePct', value: stats.victimEngagement.ratePct },
    { statistic: 'victimsReceivingDirectAdvocateSupport', value: stats.victimsReceivingDirectAdvocateSupport },
    { statistic: 'crimesGivenTacticalOrInvestigativeReview', value: stats.crimesGivenTacticalOrInvestigativeReview },
    { statistic: 'spoAdvised', value: stats.spoAdvised },
    { statistic: 'spoApplicationsMadeOrSupported', value: stats.spoApplicationsMadeOrSupported },
    { statistic: 'mappaCasesSupported', value: stats.mappaCasesSupported },
    { statistic: 'daDisclosuresToProbation', value: stats.daDisclosuresToProbation },
    { statistic: 'directCaseInterventionsByConstables', value: stats.directCaseInterventionsByConstables },
    { statistic: 'casesOpenToHealthProfessionals', value: stats.casesOpenToHealthProfessionals },
    { statistic: 'therapeuticInterventionsForPerpetrators', value: stats.therapeuticInterventionsForPerpetrators },
    { statistic: 'activeCaseload.total', value: stats.activeCaseload.total },
    ...Object.entries(stats.activeCaseload.byProblemBehaviour).map(([pb, n]) => ({ statistic: `activeCaseload.${pb}`, value: n })),
    ...measureStatsRows({
      victimsCodeCompliance: stats.victimsCodeCompliance,
      spoNotificationCompliance: stats.spoNotificationCompliance,
      spo: stats.spo,
      dvpo: stats.dvpo,
      bail: stats.bail,
    }),
  ];
}

export const headlineCsvColumns: CsvColumn<HeadlineRow>[] = [
  { header: 'statistic', value: (r) => r.statistic },
  { header: 'value', value: (r) => r.value },
];
