/**
 * The unit costs value for money is priced with. Every figure carries its source so the response can show
 * it beside the figure; DOMAIN.md marks these as "(check)": a force sets its own through `HRU_UNIT_COSTS`.
 */
import type { ProblemBehaviour } from '@hru/events';
import type { UnitCostOverrides } from '@hru/infra';

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
}

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
  };
}
