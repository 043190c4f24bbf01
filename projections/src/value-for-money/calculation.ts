/**
 * Value for money (DOMAIN.md §5) as lines an analyst can check one by one: each line is an input with its
 * source, or a sum or product of lines above it, computed from their values as shown (rounded to pence).
 *
 * - Cost of the intervention: the staff time logged on the cohort's referrals (all of it, whenever logged, so
 *   the cost and the benefit are of the same cases), priced per agency. Costs outside `TimeLogged` (commissioned
 *   treatment, premises, partners' time nobody logged) are not in it.
 * - Costs avoided, per problem behaviour: re-offenders expected at the baseline rate, minus those observed
 *   (the re-offending read model, same window), times the unit cost of one crime. Each avoided re-offender is
 *   counted as one crime, which understates persistent offenders. A negative figure means more re-offending
 *   than the baseline and is shown as it is.
 */
import type Database from 'better-sqlite3';
import { cohortCounts, type ReoffendingQuery } from '../reoffending/queries.js';
import { cohortStaffMinutes } from '../reoffending/staff-time.js';
import type { UnitCosts } from './unit-costs.js';

export interface ValueForMoneyLine extends Record<string, unknown> {
  item: string;
  value: number | null;
  unit: string;
  source: string;
}

export interface ValueForMoney {
  from: string;
  to: string;
  windowMonths: number;
  asOf: string;
  currency: string;
  lines: ValueForMoneyLine[];
  costOfIntervention: number;
  costsAvoided: number;
  /** Costs avoided per pound of intervention; null when no cost was logged. */
  benefitCostRatio: number | null;
  /** Cohort members whose window had not ended by `asOf` and who have not re-offended yet. */
  stillInFollowUp: number;
}

const pence = (x: number) => Math.round(x * 100) / 100;

export function valueForMoney(db: Database.Database, q: ReoffendingQuery, costs: UnitCosts): ValueForMoney {
  // Per problem behaviour, summed over the members counted by intervention start (the re-offending read model).
  const groups = cohortCounts(db, 'started_on', q);
  const lines: ValueForMoneyLine[] = [];
  const line = (item: string, value: number | null, unit: string, source: string) => {
    lines.push({ item, value, unit, source });
    return value ?? 0;
  };
  const cohortSource = `referrals whose intervention started ${q.from} to ${q.to} (re-offending read model)`;
  line('cohort', groups.reduce((t, g) => t + g.cohort, 0), 'referrals', cohortSource);

  let costOfIntervention = 0;
  for (const { agency, minutes } of cohortStaffMinutes(db, q)) {
    const rate = costs.staffHourByAgency[agency] ?? costs.otherAgenciesStaffHour;
    line(`staffMinutes.${agency}`, minutes, 'minutes', 'TimeLogged on the cohort’s referrals');
    line(`staffHourCost.${agency}`, rate.value, `${costs.currency}/hour`, rate.source);
    costOfIntervention += line(`staffCost.${agency}`, pence((minutes / 60) * rate.value), costs.currency, `staffMinutes.${agency} / 60 × staffHourCost.${agency}`);
  }
  costOfIntervention = line('costOfIntervention', pence(costOfIntervention), costs.currency, 'sum of staffCost.*');

  const baseline = line('baselineReoffendingPct', costs.baselineReoffendingPct.value, '%', costs.baselineReoffendingPct.source);
  let costsAvoided = 0;
  for (const group of groups) {
    const behaviour = group.problemBehaviour;
    const crimeCost = costs.crimeByProblemBehaviour[behaviour as keyof UnitCosts['crimeByProblemBehaviour']];
    const cohort = line(`cohort.${behaviour}`, group.cohort, 'referrals', cohortSource);
    const expected = line(`expectedReoffenders.${behaviour}`, pence((cohort * baseline) / 100), 'referrals', `cohort.${behaviour} × baselineReoffendingPct / 100`);
    const observed = line(
      `observedReoffenders.${behaviour}`,
      group.reoffended,
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
    stillInFollowUp: groups.reduce((t, g) => t + g.stillInFollowUp, 0),
  };
}

export const valueForMoneyCsvColumns = [
  { header: 'item', value: (l: ValueForMoneyLine) => l.item },
  { header: 'value', value: (l: ValueForMoneyLine) => l.value },
  { header: 'unit', value: (l: ValueForMoneyLine) => l.unit },
  { header: 'source', value: (l: ValueForMoneyLine) => l.source },
];
