/**
 * The case study of one referral, in the seed's shape ("what could have happened (costs avoided)"): a line per
 * recorded harm and perspective, totals per perspective and for the scenario, and a ratio for each total against the
 * case's own logged intervention cost, each ratio shown with the figure it divides and the one it divides by.
 *
 * Harms tagged best or worst case count whole in that scenario; harms with a probability count at that share in the
 * `expected` scenario. A withdrawn harm is left out. The reasons are personal data: they are not priced and not here.
 */
import { perspectives, type HarmKind, type HarmWeight, type Perspective } from '@hru/events';
import type { UnitCosts } from './unit-costs.js';
import type { ValueForMoneyLine } from './calculation.js';
import { pence, priceHarm, priceIndexLines, priceYearsOf } from './harm-pricing.js';

export const caseStudyScenarioNames = ['best_case', 'worst_case', 'expected'] as const;
export type CaseStudyScenarioName = (typeof caseStudyScenarioNames)[number];

/** A recorded harm as the case study needs it (the referral state's, without its reason). */
export interface CaseStudyHarm {
  harmId: string;
  harm: HarmKind;
  perspectives: readonly Perspective[];
  weight: HarmWeight;
  recordedBy: string;
  recordedAt: string;
  withdrawnAt: string | null;
}

export interface CaseStudyInput {
  referralId: string;
  harms: readonly CaseStudyHarm[];
  /** The case's `TimeLogged` minutes per agency. */
  staffMinutesByAgency: Readonly<Record<string, number>>;
}

export interface CaseStudyRow {
  harmId: string;
  harm: HarmKind;
  perspective: Perspective;
  /** 1 for a best- or worst-case harm. */
  probability: number;
  value: number;
  recordedBy: string;
  recordedAt: string;
}

export interface CaseStudyRatio {
  /** A perspective's total, or `total` for the whole scenario. */
  of: Perspective | 'total';
  costsAvoided: number;
  costOfIntervention: number;
  /** costsAvoided / costOfIntervention, to 2 places; null when no time was logged. */
  ratio: number | null;
}

export interface CaseStudyScenario {
  scenario: CaseStudyScenarioName;
  rows: CaseStudyRow[];
  totals: { perspective: Perspective; value: number }[];
  total: number;
  ratios: CaseStudyRatio[];
}

export interface CaseStudy {
  referralId: string;
  currency: string;
  reportingYear: string;
  costOfIntervention: number;
  scenarios: CaseStudyScenario[];
  /** Every figure above as a line with its source, in order: what the CSV holds. */
  lines: ValueForMoneyLine[];
}

function scenarioOf(weight: HarmWeight): CaseStudyScenarioName {
  return weight.kind === 'scenario' ? weight.scenario : 'expected';
}

export function caseStudy(input: CaseStudyInput, costs: UnitCosts): CaseStudy {
  const lines: ValueForMoneyLine[] = [];
  const line = (item: string, value: number | null, unit: string, source: string) => {
    lines.push({ item, value, unit, source });
    return value ?? 0;
  };
  const money = costs.currency;

  let costOfIntervention = 0;
  for (const agency of Object.keys(input.staffMinutesByAgency).sort()) {
    const minutes = input.staffMinutesByAgency[agency]!;
    const rate = costs.staffHourByAgency[agency] ?? costs.otherAgenciesStaffHour;
    line(`staffMinutes.${agency}`, minutes, 'minutes', 'TimeLogged on this referral');
    line(`staffHourCost.${agency}`, rate.value, `${money}/hour`, rate.source);
    costOfIntervention += line(`staffCost.${agency}`, pence((minutes / 60) * rate.value), money, `staffMinutes.${agency} / 60 × staffHourCost.${agency}`);
  }
  costOfIntervention = line('costOfIntervention', pence(costOfIntervention), money, 'sum of staffCost.*');

  const standing = input.harms.filter((h) => h.withdrawnAt === null);
  lines.push(...priceIndexLines(costs, standing.flatMap((h) => priceYearsOf(costs, h.harm, h.perspectives))));

  const scenarios: CaseStudyScenario[] = [];
  for (const scenario of caseStudyScenarioNames) {
    const harms = standing.filter((h) => scenarioOf(h.weight) === scenario);
    if (harms.length === 0) continue;
    const rows: CaseStudyRow[] = [];
    for (const h of harms) {
      const probability = h.weight.kind === 'probability' ? h.weight.probability : 1;
      for (const perspective of h.perspectives) {
        const priced = priceHarm(costs, h.harm, perspective);
        const at = `${scenario}.${h.harmId}.${perspective}`;
        for (const c of priced.components) line(`${at}.${c.component}`, c.value, money, `${h.harm}: ${c.source}`);
        const weighed = probability === 1 ? `sum of ${at}.*` : `sum of ${at}.* × probability ${probability}`;
        const value = line(at, pence(priced.total * probability), money, `${weighed} (${h.harm}, recorded by ${h.recordedBy})`);
        rows.push({ harmId: h.harmId, harm: h.harm, perspective, probability, value, recordedBy: h.recordedBy, recordedAt: h.recordedAt });
      }
    }
    const totals = perspectives
      .filter((p) => rows.some((r) => r.perspective === p))
      .map((perspective) => {
        const sum = pence(rows.filter((r) => r.perspective === perspective).reduce((s, r) => s + r.value, 0));
        return { perspective, value: line(`${scenario}.total.${perspective}`, sum, money, `sum of ${scenario}.h*.${perspective}`) };
      });
    const total = line(`${scenario}.total`, pence(totals.reduce((s, t) => s + t.value, 0)), money, `sum of ${scenario}.total.*`);
    const ratio = (of: Perspective | 'total', costsAvoided: number): CaseStudyRatio => {
      const item = of === 'total' ? `${scenario}.total` : `${scenario}.total.${of}`;
      const value = costOfIntervention === 0 ? null : pence(costsAvoided / costOfIntervention);
      line(`${scenario}.ratio${of === 'total' ? '' : `.${of}`}`, value, 'ratio', `${item} / costOfIntervention (none when no staff time was logged)`);
      return { of, costsAvoided, costOfIntervention, ratio: value };
    };
    const ratios = [...totals.map((t) => ratio(t.perspective, t.value)), ratio('total', total)];
    scenarios.push({ scenario, rows, totals, total, ratios });
  }

  return { referralId: input.referralId, currency: money, reportingYear: costs.reportingYear.value, costOfIntervention, scenarios, lines };
}
