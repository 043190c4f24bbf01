/**
 * The statistics' queries as they were before issue #20 (SQL over every fact row of the period), kept as the
 * oracle the pre-aggregated queries are checked against (tests/projections/statistics-differential.spec.ts).
 */
import type Database from 'better-sqlite3';
import { harmKinds, perspectives, type HarmKind, type Perspective, type ProblemBehaviour } from '@hru/events';
import type { CohortScenario, ReoffendingQuery, UnitCosts, ValueForMoneyLine } from '@hru/projections';
import { pence, priceHarm, priceIndexLines, priceYearsOf } from '../../../../projections/src/value-for-money/harm-pricing.js';
import { cohortMembers } from './reoffending-queries.js';

const cohortScenarioNames = ['best_case', 'worst_case'] as const;


/**
 * Both cases for the cohort of `q`, against `costOfIntervention` (the cohort's logged staff time, as `valueForMoney`
 * works it out: pass its figure so the two always agree).
 */
export function cohortScenarios(db: Database.Database, q: ReoffendingQuery, costs: UnitCosts, costOfIntervention: number): CohortScenario[] {
  const members = cohortMembers(db, 'started_on', q);
  const behaviours = [...new Set(members.map((m) => m.problemBehaviour as ProblemBehaviour))].sort();
  return cohortScenarioNames.map((scenario) => {
    const lines: ValueForMoneyLine[] = [];
    const line = (item: string, value: number | null, unit: string, source: string) => {
      lines.push({ item: `${scenario}.${item}`, value, unit, source });
      return value ?? 0;
    };
    const end = scenario === 'best_case' ? costs.baselineReoffendingRange.low : costs.baselineReoffendingRange.high;
    const baseline = line('baselineReoffendingPct', end.value, '%', `${scenario === 'best_case' ? 'low' : 'high'} end of the baseline range: ${end.source}`);
    const mixes = behaviours.map((b) => costs.harmMix.byProblemBehaviour[b]?.[scenario] ?? {});
    lines.push(...priceIndexLines(costs, mixes.flatMap((mix) => harmsOf(mix).flatMap((h) => priceYearsOf(costs, h, perspectives)))).map((l) => ({ ...l, item: `${scenario}.${l.item}` })));

    const byPerspective = new Map<Perspective, number>(perspectives.map((p) => [p, 0]));
    behaviours.forEach((behaviour, i) => {
      const group = members.filter((m) => m.problemBehaviour === behaviour);
      const cohort = line(`cohort.${behaviour}`, group.length, 'referrals', `referrals whose intervention started ${q.from} to ${q.to}`);
      const expected = line(`expectedReoffenders.${behaviour}`, pence((cohort * baseline) / 100), 'referrals', `cohort.${behaviour} × baselineReoffendingPct / 100`);
      const observed = line(`observedReoffenders.${behaviour}`, group.filter((m) => m.reoffended).length, 'referrals', `re-offended within ${q.windowMonths} months`);
      const avoided = line(`reoffendersAvoided.${behaviour}`, pence(expected - observed), 'referrals', `expectedReoffenders.${behaviour} − observedReoffenders.${behaviour}`);
      const mix = mixes[i]!;
      for (const harm of harmsOf(mix)) line(`harmMix.${behaviour}.${harm}`, mix[harm]!, 'share', costs.harmMix.source);
      for (const perspective of perspectives) {
        const unitCost = pence(harmsOf(mix).reduce((sum, harm) => sum + mix[harm]! * priceHarm(costs, harm, perspective).total, 0));
        const terms = harmsOf(mix).map((harm) => `harmMix.${behaviour}.${harm} × ${harm}.${perspective} (${priceHarm(costs, harm, perspective).total})`);
        line(`crimeUnitCost.${behaviour}.${perspective}`, unitCost, costs.currency, terms.length === 0 ? 'no harm mix configured for this behaviour' : terms.join(' + '));
        const value = line(`costsAvoided.${behaviour}.${perspective}`, pence(avoided * unitCost), costs.currency, `reoffendersAvoided.${behaviour} × crimeUnitCost.${behaviour}.${perspective}`);
        byPerspective.set(perspective, byPerspective.get(perspective)! + value);
      }
    });
    const costsAvoided = perspectives.map((perspective) => ({
      perspective,
      value: line(`costsAvoided.${perspective}`, pence(byPerspective.get(perspective)!), costs.currency, `sum of costsAvoided.*.${perspective}`),
    }));
    const total = line('costsAvoided', pence(costsAvoided.reduce((s, c) => s + c.value, 0)), costs.currency, 'sum of costsAvoided.state, .victim and .society');
    const ratio = (of: Perspective | 'total', avoided: number) => {
      const item = of === 'total' ? 'costsAvoided' : `costsAvoided.${of}`;
      const value = costOfIntervention === 0 ? null : pence(avoided / costOfIntervention);
      line(of === 'total' ? 'benefitCostRatio' : `benefitCostRatio.${of}`, value, 'ratio', `${scenario}.${item} / costOfIntervention (none when no staff time was logged)`);
      return { of, costsAvoided: avoided, costOfIntervention, ratio: value };
    };
    const ratios = [...costsAvoided.map((c) => ratio(c.perspective, c.value)), ratio('total', total)];
    return { scenario, baselineReoffendingPct: baseline, costsAvoided, total, ratios, lines };
  });
}

function harmsOf(mix: Readonly<Partial<Record<HarmKind, number>>>): HarmKind[] {
  return harmKinds.filter((h) => mix[h] !== undefined);
}
