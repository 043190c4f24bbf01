/**
 * The statistics' queries as they were before issue #20 (SQL over every fact row of the period), kept as the
 * oracle the pre-aggregated queries are checked against (tests/projections/statistics-differential.spec.ts).
 */
import type Database from 'better-sqlite3';
import { measureStats, openCasesWithStep } from './stats-measure-queries.js';
import type { FactKind, HeadlineStats, Period } from '@hru/projections';

function events(db: Database.Database, kind: FactKind, p: Period): number {
  return (db.prepare('SELECT count(*) AS n FROM stats_facts WHERE kind = ? AND on_date BETWEEN ? AND ?').get(kind, p.from, p.to) as { n: number }).n;
}

function casesWith(db: Database.Database, kind: FactKind, p: Period): number {
  return (
    db.prepare('SELECT count(DISTINCT referral_id) AS n FROM stats_facts WHERE kind = ? AND on_date BETWEEN ? AND ?').get(kind, p.from, p.to) as {
      n: number;
    }
  ).n;
}

/** Cases with the fact by the period's end that were open at some time during the period. */
function openCasesWith(db: Database.Database, kind: FactKind, p: Period): number {
  return (
    db
      .prepare(
        `SELECT count(DISTINCT f.referral_id) AS n FROM stats_facts f
         WHERE f.kind = ? AND f.on_date <= ? AND EXISTS (
           SELECT 1 FROM stats_open_intervals o WHERE o.referral_id = f.referral_id
             AND o.opened_on <= ? AND (o.closed_on IS NULL OR o.closed_on >= ?))`,
      )
      .get(kind, p.to, p.to, p.from) as { n: number }
  ).n;
}

export function headlineStats(db: Database.Database, p: Period): HeadlineStats {
  const offered = casesWith(db, 'advocate_contact_offered', p);
  const engaged = casesWith(db, 'advocate_contact_engaged', p);
  const active = db
    .prepare(
      `SELECT problem_behaviour AS pb, count(DISTINCT referral_id) AS n FROM stats_open_intervals
       WHERE opened_on <= ? AND (closed_on IS NULL OR closed_on > ?) GROUP BY 1 ORDER BY 1`,
    )
    .all(p.to, p.to) as { pb: string; n: number }[];
  const measures = measureStats(db, p);
  return {
    from: p.from,
    to: p.to,
    victimEngagement: { offered, engaged, ratePct: offered === 0 ? null : Math.round((engaged / offered) * 1000) / 10 },
    victimsReceivingDirectAdvocateSupport: engaged,
    crimesGivenTacticalOrInvestigativeReview: casesWith(db, 'tactical_or_investigative_review', p),
    spoAdvised: measures.spo.advised,
    spoApplicationsMadeOrSupported: measures.spo.applied,
    mappaCasesSupported: openCasesWithStep(db, 'mappa', 'accepted', p),
    daDisclosuresToProbation: events(db, 'da_disclosure_to_probation', p),
    directCaseInterventionsByConstables: events(db, 'direct_constable_intervention', p),
    casesOpenToHealthProfessionals: openCasesWith(db, 'health_involvement', p),
    therapeuticInterventionsForPerpetrators: events(db, 'therapeutic_intervention_started', p),
    activeCaseload: { total: active.reduce((t, r) => t + r.n, 0), byProblemBehaviour: Object.fromEntries(active.map((r) => [r.pb, r.n])) },
    ...measures,
  };
}
