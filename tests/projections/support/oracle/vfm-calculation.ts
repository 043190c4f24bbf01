/**
 * The statistics' queries as they were before issue #20 (SQL over every fact row of the period), kept as the
 * oracle the pre-aggregated queries are checked against (tests/projections/statistics-differential.spec.ts).
 */
import type Database from 'better-sqlite3';
import type { ReoffendingQuery, UnitCosts, ValueForMoney, ValueForMoneyLine } from '@hru/projections';
import { cohortMembers } from './reoffending-queries.js';

const pence = (x: number) => Math.round(x * 100) / 100;

function staffMinutesByAgency(db: Database.Database, referralIds: readonly string[]): { agency: string; minutes: number }[] {
  return db
    .prepare(
      `SELECT agency, sum(minutes) AS minutes FROM staff_time_by_agency
       WHERE referral_id IN (SELECT value FROM json_each(?)) GROUP BY agency ORDER BY agency`,
    )
    .all(JSON.stringify(referralIds)) as { agency: string; minutes: number }[];
}

export function valueForMoney(db: Database.Database, q: ReoffendingQuery, costs: UnitCosts): ValueForMoney {
  const members = cohortMembers(db, 'started_on', q);
  const lines: ValueForMoneyLine[] = [];
  const line = (item: string, value: number | null, unit: string, source: string) => {
    lines.push({ item, value, unit, source });
    return value ?? 0;
  };
  const cohortSource = `referrals whose intervention started ${q.from} to ${q.to} (re-offending read model)`;
  line('cohort', members.length, 'referrals', cohortSource);

  let costOfIntervention = 0;
  for (const { agency, minutes } of staffMinutesByAgency(db, members.map((m) => m.referralId))) {
    const rate = costs.staffHourByAgency[agency] ?? costs.otherAgenciesStaffHour;
    line(`staffMinutes.${agency}`, minutes, 'minutes', 'TimeLogged on the cohort’s referrals');
    line(`staffHourCost.${agency}`, rate.value, `${costs.currency}/hour`, rate.source);
    costOfIntervention += line(`staffCost.${agency}`, pence((minutes / 60) * rate.value), costs.currency, `staffMinutes.${agency} / 60 × staffHourCost.${agency}`);
  }
  costOfIntervention = line('costOfIntervention', pence(costOfIntervention), costs.currency, 'sum of staffCost.*');

  const baseline = line('baselineReoffendingPct', costs.baselineReoffendingPct.value, '%', costs.baselineReoffendingPct.source);
  let costsAvoided = 0;
  for (const behaviour of [...new Set(members.map((m) => m.problemBehaviour))].sort()) {
    const group = members.filter((m) => m.problemBehaviour === behaviour);
    const crimeCost = costs.crimeByProblemBehaviour[behaviour as keyof UnitCosts['crimeByProblemBehaviour']];
    const cohort = line(`cohort.${behaviour}`, group.length, 'referrals', cohortSource);
    const expected = line(`expectedReoffenders.${behaviour}`, pence((cohort * baseline) / 100), 'referrals', `cohort.${behaviour} × baselineReoffendingPct / 100`);
    const observed = line(
      `observedReoffenders.${behaviour}`,
      group.filter((m) => m.reoffended).length,
      'referrals',
      `re-offended within ${q.windowMonths} months of the intervention start (re-offending read model)`,
    );
    const avoided = line(`reoffendersAvoided.${behaviour}`, pence(expected - observed), 'referrals', `expectedReoffenders.${behaviour} − observedReoffenders.${behaviour}`);
    if (!crimeCost) {
      // Only a behaviour the events allow but the table lacks gets here: say so instead of pricing it at zero.
      line(`crimeUnitCost.${behaviour}`, null, costs.currency, 'no unit cost configured: left out of costsAvoided');
      continue;
    }
    const unitCost = line(`crimeUnitCost.${behaviour}`, crimeCost.value, costs.currency, crimeCost.source);
    costsAvoided += line(`costsAvoided.${behaviour}`, pence(avoided * unitCost), costs.currency, `reoffendersAvoided.${behaviour} × crimeUnitCost.${behaviour}`);
  }
  costsAvoided = line('costsAvoided', pence(costsAvoided), costs.currency, 'sum of costsAvoided.*');
  const benefitCostRatio = costOfIntervention === 0 ? null : pence(costsAvoided / costOfIntervention);
  line('benefitCostRatio', benefitCostRatio, 'ratio', 'costsAvoided / costOfIntervention (none when no staff time was logged)');
  return {
    from: q.from,
    to: q.to,
    windowMonths: q.windowMonths,
    asOf: q.asOf,
    currency: costs.currency,
    lines,
    costOfIntervention,
    costsAvoided,
    benefitCostRatio,
    stillInFollowUp: members.filter((m) => !m.reoffended && m.followUpTo > q.asOf).length,
  };
}
