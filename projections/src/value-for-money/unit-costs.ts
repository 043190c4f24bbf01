/**
 * The unit costs value for money is priced with. Every figure carries its source so the response can show
 * it beside the figure; DOMAIN.md marks these as "(check)": a force sets its own through `HRU_UNIT_COSTS`.
 */
import { harmKinds, perspectives, type HarmKind, type Perspective, type ProblemBehaviour } from '@hru/events';
import type { UnitCostOverrides } from '@hru/infra';
import {
  checkPriceYears,
  defaultHarmCosts,
  defaultPriceIndex,
  defaultReportingYear,
  type ComponentOf,
  type HarmCost,
  type PricedFigure,
  type PriceIndex,
} from './harm-costs.js';

export interface Sourced {
  value: number;
  source: string;
}

export interface UnitCosts {
  currency: 'GBP';
  /** Cost of one staff hour, by the agency named on `TimeLogged`. */
  staffHourByAgency: Readonly<Record<string, Sourced>>;
  /** For an agency the table does not name. */
  otherAgenciesStaffHour: Sourced;
  /** Cost of one crime of the case's problem behaviour: what one avoided re-offence saves. */
  crimeByProblemBehaviour: Readonly<Record<ProblemBehaviour, Sourced>>;
  /** % of a comparable cohort expected to re-offend within the window without the unit's intervention. */
  baselineReoffendingPct: Sourced;
  /** The plausible ends of that rate: the cohort's best case takes the low end, its worst case the high end. */
  baselineReoffendingRange: { low: Sourced; high: Sourced };
  /** Each harm's cost per perspective and component, priced in its own year. */
  harmCosts: Readonly<Record<HarmKind, HarmCost>>;
  priceIndex: PriceIndex;
  /** The financial year every harm cost is uplifted to. */
  reportingYear: { value: string; source: string };
  /** What one avoided re-offence stands for, per problem behaviour, in the best and the worst case (shares sum to 1). */
  harmMix: { byProblemBehaviour: Readonly<Record<ProblemBehaviour, { best_case: HarmMix; worst_case: HarmMix }>>; source: string };
}

export type HarmMix = Readonly<Partial<Record<HarmKind, number>>>;

const illustrativeRate = 'default, illustrative (check): replace with the agency’s own fully loaded hourly cost';
const heeks = 'default (check): Home Office, The economic and social costs of crime (Heeks et al., 2018), 2015/16 prices';

export const defaultUnitCosts: UnitCosts = {
  currency: 'GBP',
  staffHourByAgency: {
    police: { value: 40, source: illustrativeRate },
    nhs: { value: 55, source: illustrativeRate },
    forensic_psychology: { value: 70, source: illustrativeRate },
    advocacy: { value: 30, source: illustrativeRate },
    probation: { value: 38, source: illustrativeRate },
  },
  otherAgenciesStaffHour: { value: 40, source: illustrativeRate },
  crimeByProblemBehaviour: {
    // Stalking and harassment are recorded as violence without injury; querulance is harassment of officials.
    stalking: { value: 5_930, source: `${heeks}, violence without injury` },
    querulance: { value: 5_930, source: `${heeks}, violence without injury` },
    serial_domestic_abuse: {
      value: 34_015,
      source: 'default (check): Home Office, The economic and social costs of domestic abuse (Oliver et al., 2019), per victim, 2016/17 prices',
    },
    sexual_violence: { value: 6_520, source: `${heeks}, other sexual offences` },
  },
  baselineReoffendingPct: {
    value: 30,
    source: 'default, illustrative (check): set from a comparable cohort without the unit, over the same window',
  },
  baselineReoffendingRange: {
    low: { value: 20, source: 'default, illustrative (check): the low end of re-offending reported for stalkers without treatment' },
    high: { value: 50, source: 'default, illustrative (check): the high end of re-offending reported for stalkers without treatment' },
  },
  harmCosts: defaultHarmCosts,
  priceIndex: defaultPriceIndex,
  reportingYear: { value: defaultReportingYear, source: 'default (check): the current financial year' },
  // Best case: the re-offence would have been the behaviour again; worst case: part of it escalates.
  harmMix: {
    byProblemBehaviour: {
      stalking: { best_case: { stalking_and_harassment: 1 }, worst_case: { stalking_and_harassment: 0.7, violence_with_injury: 0.25, homicide: 0.05 } },
      querulance: { best_case: { stalking_and_harassment: 1 }, worst_case: { stalking_and_harassment: 0.9, violence_without_injury: 0.1 } },
      serial_domestic_abuse: { best_case: { domestic_abuse: 1 }, worst_case: { domestic_abuse: 0.8, violence_with_injury: 0.15, homicide: 0.05 } },
      sexual_violence: { best_case: { sexual_offences: 1 }, worst_case: { sexual_offences: 0.7, rape: 0.3 } },
    },
    source: 'default, illustrative (check): a judgment, not a published figure; set the force’s own from its cases',
  },
};

/** The defaults with a force's own figures laid over them; overridden figures name the override's source. */
export function unitCostsWith(overrides: UnitCostOverrides): UnitCosts {
  const source = overrides.source ? `HRU_UNIT_COSTS: ${overrides.source}` : 'HRU_UNIT_COSTS';
  const sourced = (value: number): Sourced => ({ value, source });
  const mapValues = (record: Readonly<Record<string, number | undefined>>): Record<string, Sourced> =>
    Object.fromEntries(Object.entries(record).flatMap(([k, v]) => (v === undefined ? [] : [[k, sourced(v)]])));
  return {
    currency: 'GBP',
    staffHourByAgency: { ...defaultUnitCosts.staffHourByAgency, ...mapValues(overrides.staffHourByAgency ?? {}) },
    otherAgenciesStaffHour: overrides.otherAgenciesStaffHour === undefined ? defaultUnitCosts.otherAgenciesStaffHour : sourced(overrides.otherAgenciesStaffHour),
    // Keys are problem behaviours: the override schema allows no others.
    crimeByProblemBehaviour: { ...defaultUnitCosts.crimeByProblemBehaviour, ...mapValues(overrides.crimeByProblemBehaviour ?? {}) },
    baselineReoffendingPct:
      overrides.baselineReoffendingPct === undefined ? defaultUnitCosts.baselineReoffendingPct : sourced(overrides.baselineReoffendingPct),
    ...harmCostsWith(overrides, source),
  };
}

/** The per-perspective part of the table with the overrides laid over it; a bad price year is refused at start. */
function harmCostsWith(overrides: UnitCostOverrides, source: string): Omit<UnitCosts, 'currency' | 'staffHourByAgency' | 'otherAgenciesStaffHour' | 'crimeByProblemBehaviour' | 'baselineReoffendingPct'> {
  const d = defaultUnitCosts;
  const range = overrides.baselineReoffendingRange;
  const harmCosts = Object.fromEntries(harmKinds.map((kind) => [kind, harmCostWith(d.harmCosts[kind], overrides.harmCosts?.[kind], source)])) as Record<HarmKind, HarmCost>;
  const priceIndex = overrides.priceIndex ? { byYear: { ...d.priceIndex.byYear, ...overrides.priceIndex }, source: `${source} over ${d.priceIndex.source}` } : d.priceIndex;
  const reportingYear = overrides.reportingYear ? { value: overrides.reportingYear, source } : d.reportingYear;
  checkPriceYears(harmCosts, priceIndex, reportingYear.value);
  return {
    baselineReoffendingRange: range ? { low: { value: range.low, source }, high: { value: range.high, source } } : d.baselineReoffendingRange,
    harmCosts,
    priceIndex,
    reportingYear,
    harmMix: overrides.harmMix ? { byProblemBehaviour: { ...d.harmMix.byProblemBehaviour, ...overrides.harmMix }, source: `${source} where given; otherwise ${d.harmMix.source}` } : d.harmMix,
  };
}

type HarmCostOverride = NonNullable<NonNullable<UnitCostOverrides['harmCosts']>[HarmKind]>;

// The configuration schema (infra) names the components too: this fails to compile when the two lists part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const componentsAgree: { [P in Perspective]: Same<keyof NonNullable<HarmCostOverride[P]>, ComponentOf<P>> } = { state: true, victim: true, society: true };
void componentsAgree;

function harmCostWith(defaults: HarmCost, override: HarmCostOverride | undefined, source: string): HarmCost {
  if (!override) return defaults;
  const figureSource = override.source ? `HRU_UNIT_COSTS: ${override.source}` : source;
  const merged: Record<string, Record<string, PricedFigure>> = {};
  for (const perspective of perspectives) {
    const given = (override[perspective] ?? {}) as Record<string, number | undefined>;
    merged[perspective] = Object.fromEntries(
      Object.entries(defaults[perspective]).map(([component, figure]: [string, PricedFigure]) => {
        const value = given[component];
        // A figure given without a price year is taken to be in the default's year.
        return [component, value === undefined ? figure : { value, source: figureSource, priceYear: override.priceYear ?? figure.priceYear }];
      }),
    );
  }
  return merged as HarmCost;
}
