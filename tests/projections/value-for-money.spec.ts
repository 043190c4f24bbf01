import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUnitCosts, toCsv, unitCostsWith, valueForMoney, valueForMoneyCsvColumns, type ValueForMoneyLine } from '@hru/projections';
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
