import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@hru/infra';
import {
  cohortScenarios,
  defaultPriceIndex,
  defaultReportingYear,
  defaultUnitCosts,
  priceHarm,
  toCsv,
  unitCostsWith,
  valueForMoney,
  valueForMoneyCsvColumns,
  type ValueForMoneyLine,
} from '@hru/projections';
import { quarter, reoffendingHistory, staffTimeHistory } from './support/reoffending-history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const q = { ...quarter, windowMonths: 12, asOf: '2026-06-30' };
const valuesOf = (lines: readonly ValueForMoneyLine[]) => Object.fromEntries(lines.map((l) => [l.item, l.value]));

/**
 * The cohort and re-offending of reoffending.spec.ts (5 referrals; re-offended: B of 1 serial domestic abuse,
 * A and F of 4 stalking), priced line by line; every figure below is worked out by hand.
 */
describe('value for money', () => {
  let rm: ReadModels;
  beforeAll(async () => {
    rm = await startReadModels();
    await rm.given([...reoffendingHistory, ...staffTimeHistory]);
  });
  afterAll(() => rm.close());

  it('prices the cohort’s staff time and the re-offending avoided against the default baseline', () => {
    const vfm = valueForMoney(rm.db, q, defaultUnitCosts);
    expect(valuesOf(vfm.lines)).toEqual({
      cohort: 5,
      'staffMinutes.advocacy': 120,
      'staffHourCost.advocacy': 30,
      'staffCost.advocacy': 60,
      'staffMinutes.forensic_psychology': 180, // C, two entries
      'staffHourCost.forensic_psychology': 70,
      'staffCost.forensic_psychology': 210,
      'staffMinutes.nhs': 60,
      'staffHourCost.nhs': 55,
      'staffCost.nhs': 55,
      'staffMinutes.police': 120, // A 90 + B 30; E's 600 is outside the cohort
      'staffHourCost.police': 40,
      'staffCost.police': 80,
      'staffMinutes.victim_services': 45,
      'staffHourCost.victim_services': 40, // the rate for other agencies
      'staffCost.victim_services': 30,
      costOfIntervention: 435,
      baselineReoffendingPct: 30,
      'cohort.serial_domestic_abuse': 1,
      'expectedReoffenders.serial_domestic_abuse': 0.3,
      'observedReoffenders.serial_domestic_abuse': 1,
      'reoffendersAvoided.serial_domestic_abuse': -0.7,
      'crimeUnitCost.serial_domestic_abuse': 34_015,
      'costsAvoided.serial_domestic_abuse': -23_810.5,
      'cohort.stalking': 4,
      'expectedReoffenders.stalking': 1.2,
      'observedReoffenders.stalking': 2,
      'reoffendersAvoided.stalking': -0.8,
      'crimeUnitCost.stalking': 5_930,
      'costsAvoided.stalking': -4_744,
      costsAvoided: -28_554.5,
      benefitCostRatio: -65.64, // −28,554.50 / 435: more re-offending than this baseline, shown as it is
    });
    expect(vfm).toMatchObject({ costOfIntervention: 435, costsAvoided: -28_554.5, benefitCostRatio: -65.64, currency: 'GBP', stillInFollowUp: 0 });
    expect(vfm.lines.find((l) => l.item === 'crimeUnitCost.stalking')?.source).toContain('Heeks');
    expect(vfm.lines.find((l) => l.item === 'staffCost.police')?.source).toBe('staffMinutes.police / 60 × staffHourCost.police');
  });

  it('uses a force’s own figures, naming their source, where it gives them', () => {
    const costs = unitCostsWith({ source: 'force finance 2026', baselineReoffendingPct: 80, crimeByProblemBehaviour: { stalking: 10_000 }, staffHourByAgency: { police: 60 } });
    const vfm = valueForMoney(rm.db, q, costs);
    const values = valuesOf(vfm.lines);
    expect(values).toMatchObject({
      'staffCost.police': 120, // 120 minutes at £60
      costOfIntervention: 475, // 60 + 210 + 55 + 120 + 30
      'expectedReoffenders.serial_domestic_abuse': 0.8,
      'costsAvoided.serial_domestic_abuse': -6_803, // −0.2 × 34,015
      'expectedReoffenders.stalking': 3.2,
      'reoffendersAvoided.stalking': 1.2,
      'costsAvoided.stalking': 12_000,
      costsAvoided: 5_197,
      benefitCostRatio: 10.94, // 5,197 / 475
    });
    const source = (item: string) => vfm.lines.find((l) => l.item === item)?.source;
    expect(source('staffHourCost.police')).toBe('HRU_UNIT_COSTS: force finance 2026');
    expect(source('staffHourCost.nhs')).toBe(defaultUnitCosts.staffHourByAgency.nhs!.source);
    expect(source('baselineReoffendingPct')).toBe('HRU_UNIT_COSTS: force finance 2026');
  });

  it('has no ratio when no staff time was logged, and writes CSV line by line', () => {
    const empty = valueForMoney(rm.db, { ...q, from: '2024-01-01', to: '2024-12-31' }, defaultUnitCosts);
    expect(empty).toMatchObject({ costOfIntervention: 0, costsAvoided: 0, benefitCostRatio: null });
    const csv = toCsv(valueForMoney(rm.db, q, defaultUnitCosts).lines, valueForMoneyCsvColumns).split('\r\n');
    expect(csv[0]).toBe('item,value,unit,source');
    expect(csv).toContain('costOfIntervention,435,GBP,sum of staffCost.*');
    expect(csv).toContain("costsAvoided.stalking,-4744,GBP,reoffendersAvoided.stalking × crimeUnitCost.stalking");
  });
});

/** Per perspective, best and worst case, on the same cohort; every figure below is worked out by hand. */
describe('value for money per perspective, best and worst case', () => {
  let rm: ReadModels;
  beforeAll(async () => {
    rm = await startReadModels();
    await rm.given([...reoffendingHistory, ...staffTimeHistory]);
  });
  afterAll(() => rm.close());

  const inYear = '2020/21';
  const costs = unitCostsWith({
    source: 'spec table',
    reportingYear: inYear,
    baselineReoffendingRange: { low: 50, high: 100 },
    harmCosts: {
      // state 300, victim 1,000, society 50
      stalking_and_harassment: { priceYear: inYear, state: { police: 100, courts: 200, health: 0 }, victim: { physical_emotional: 1_000, lost_output: 0 }, society: { wider: 50 } },
      // state 3,000, victim 12,000, society 500
      violence_with_injury: { priceYear: inYear, state: { police: 1_000, courts: 1_000, health: 1_000 }, victim: { physical_emotional: 10_000, lost_output: 2_000 }, society: { wider: 500 } },
      // state 1,000, victim 5,000, society 0
      domestic_abuse: { priceYear: inYear, state: { police: 500, courts: 500, health: 0 }, victim: { physical_emotional: 5_000, lost_output: 0 }, society: { wider: 0 } },
    },
    harmMix: {
      stalking: { best_case: { stalking_and_harassment: 1 }, worst_case: { stalking_and_harassment: 0.5, violence_with_injury: 0.5 } },
      serial_domestic_abuse: { best_case: { domestic_abuse: 1 }, worst_case: { domestic_abuse: 0.5, violence_with_injury: 0.5 } },
    },
  });

  it('takes the low end of the baseline and the mild mix in the best case, the high end and the severe mix in the worst', () => {
    const [best, worst] = cohortScenarios(rm.db, q, costs, 435);
    // Best, 50%: stalking 4 × 50% = 2 expected, 2 observed, 0 avoided; serial DA 0.5 expected, 1 observed: −0.5 × DA.
    expect(best).toMatchObject({ scenario: 'best_case', baselineReoffendingPct: 50, total: -3_000 });
    expect(best!.costsAvoided).toEqual([
      { perspective: 'state', value: -500 },
      { perspective: 'victim', value: -2_500 },
      { perspective: 'society', value: 0 },
    ]);
    expect(best!.ratios.at(-1)).toEqual({ of: 'total', costsAvoided: -3_000, costOfIntervention: 435, ratio: -6.9 });
    // Worst, 100%: stalking 4 expected, 2 observed, 2 avoided at half harassment, half violence with injury:
    // state 0.5 × 300 + 0.5 × 3,000 = 1,650; victim 6,500; society 275. Serial DA: 1 expected, 1 observed, 0 avoided.
    const values = valuesOf(worst!.lines);
    expect(values).toMatchObject({
      'worst_case.baselineReoffendingPct': 100,
      'worst_case.reoffendersAvoided.stalking': 2,
      'worst_case.crimeUnitCost.stalking.state': 1_650,
      'worst_case.crimeUnitCost.stalking.victim': 6_500,
      'worst_case.crimeUnitCost.stalking.society': 275,
      'worst_case.costsAvoided.stalking.victim': 13_000,
      'worst_case.reoffendersAvoided.serial_domestic_abuse': 0,
      'worst_case.crimeUnitCost.serial_domestic_abuse.victim': 8_500,
      'worst_case.costsAvoided.serial_domestic_abuse.victim': 0,
      'worst_case.costsAvoided': 16_850,
    });
    expect(worst!.ratios).toEqual([
      { of: 'state', costsAvoided: 3_300, costOfIntervention: 435, ratio: 7.59 },
      { of: 'victim', costsAvoided: 13_000, costOfIntervention: 435, ratio: 29.89 },
      { of: 'society', costsAvoided: 550, costOfIntervention: 435, ratio: 1.26 },
      { of: 'total', costsAvoided: 16_850, costOfIntervention: 435, ratio: 38.74 },
    ]);
    const source = (item: string) => worst!.lines.find((l) => l.item === item)?.source;
    expect(source('worst_case.crimeUnitCost.stalking.state')).toBe(
      'harmMix.stalking.violence_with_injury × violence_with_injury.state (3000) + harmMix.stalking.stalking_and_harassment × stalking_and_harassment.state (300)',
    );
    expect(source('worst_case.baselineReoffendingPct')).toBe('high end of the baseline range: HRU_UNIT_COSTS: spec table');
  });

  it('uplifts the default table to the reporting year and names its sources, marked (check)', () => {
    const priced = priceHarm(defaultUnitCosts, 'violence_with_injury', 'state');
    const factor = defaultPriceIndex.byYear[defaultReportingYear]! / defaultPriceIndex.byYear['2015/16']!;
    expect(priced.components.map((c) => c.value)).toEqual([760, 1_240, 1_390].map((v) => Math.round(v * factor * 100) / 100));
    expect(priced.components[0]!.source).toContain('Heeks et al., 2018');
    expect(priced.components[0]!.source).toContain('(check)');
    const [best] = cohortScenarios(rm.db, q, defaultUnitCosts, 435);
    expect(best!.lines.map((l) => l.item)).toEqual(expect.arrayContaining([`best_case.priceIndex.${defaultReportingYear}`, 'best_case.priceIndex.2015/16']));
  });

  it('keeps the figures it is not given, and refuses a price year the index lacks, naming the figure', () => {
    const partly = unitCostsWith({ harmCosts: { rape: { state: { police: 2_000 } } } });
    expect(partly.harmCosts.rape.state.police).toEqual({ value: 2_000, source: 'HRU_UNIT_COSTS', priceYear: '2015/16' });
    expect(partly.harmCosts.rape.state.courts).toEqual(defaultUnitCosts.harmCosts.rape.state.courts);
    expect(() => unitCostsWith({ harmCosts: { rape: { priceYear: '1990/91', state: { police: 1 } } } })).toThrow(/harmCosts\/rape\/state\/police: the price index has no 1990\/91/);
    expect(() => unitCostsWith({ reportingYear: '2040/41' })).toThrow(/reportingYear: the price index has no 2040\/41/);
    expect(unitCostsWith({ reportingYear: '2040/41', priceIndex: { '2040/41': 150 } }).reportingYear.value).toBe('2040/41');
  });

  it('refuses malformed per-perspective settings at start, naming the variable and the field', () => {
    const load = (costs: object) => () => loadConfig({ HRU_UNIT_COSTS: JSON.stringify(costs) });
    expect(load({ harmMix: { stalking: { best_case: { homicide: 0.5 }, worst_case: { homicide: 1 } } } })).toThrow(/HRU_UNIT_COSTS\/harmMix\/stalking\/best_case: the shares must sum to 1/);
    expect(load({ harmCosts: { burglary: { state: { police: 1 } } } })).toThrow(/HRU_UNIT_COSTS/);
    expect(load({ harmCosts: { rape: { state: { prisons: 1 } } } })).toThrow(/HRU_UNIT_COSTS/);
    expect(load({ reportingYear: '2015/17' })).toThrow(/HRU_UNIT_COSTS\/reportingYear: expected consecutive years/);
    expect(load({ baselineReoffendingRange: { low: 60, high: 40 } })).toThrow(/HRU_UNIT_COSTS\/baselineReoffendingRange\/high/);
    expect(load({ staffHourByAgency: { police: 60 }, crimeByProblemBehaviour: { stalking: 1_000 } })().unitCostOverrides).toEqual({ staffHourByAgency: { police: 60 }, crimeByProblemBehaviour: { stalking: 1_000 } });
  });
});
