/**
 * The statutory and practice clocks the unit runs, as data: each a rule (how its due time follows from its trigger),
 * a warning lead, the role that owns it and where the figure comes from. Figures marked "(check)" are configuration
 * (HRU_CLOCKS) with these defaults; the README lists them with their sources.
 */
import { Duration } from 'luxon';
import { z } from 'zod';
import { ConfigurationError, fieldErrorsOf, roleSchema, type Role } from '@hru/events';

/** Days an hours clock does not run through (a whole Europe/London day, 00:00 to 24:00, whatever its length). */
export const disregardedDays = ['saturday', 'sunday', 'bank_holiday', 'christmas_day', 'good_friday'] as const;
export type DisregardedDay = (typeof disregardedDays)[number];

const count = (max: number) => z.number().int().min(1).max(max);

/** How a due time follows from a trigger; `deadline.ts` states each unit exactly. */
export const clockRuleSchema = z.discriminatedUnion('unit', [
  z.strictObject({ unit: z.literal('working_days'), days: count(366) }),
  z.strictObject({ unit: z.literal('calendar_days_beginning_with'), days: count(3660) }),
  z.strictObject({ unit: z.literal('calendar_days_after'), days: count(3660) }),
  z.strictObject({ unit: z.literal('months_beginning_with'), months: count(120) }),
  z.strictObject({
    unit: z.literal('hours'),
    hours: count(24 * 366),
    disregard: z.array(z.enum(disregardedDays)).max(disregardedDays.length).default([]),
  }),
]);
export type ClockRule = z.output<typeof clockRuleSchema>;

/**
 * How long before its due time a clock warns. Either an ISO 8601 duration, subtracted in Europe/London (hours,
 * minutes and seconds are elapsed time; days, weeks, months and years are calendar ones that keep the wall-clock
 * time, so `P1D` before 23:59:59.999 is 23:59:59.999 the day before even across a clock change), or a number of
 * working days (`{ "workingDays": 1 }`: the same wall-clock time on the Nth working day before the due day).
 */
export const warnLeadSchema = z.union([
  z
    .string()
    .max(40)
    .refine((text) => {
      const lead = Duration.fromISO(text);
      return lead.isValid && lead.toMillis() > 0;
    }, 'expected a positive ISO 8601 duration such as PT12H, P1D or P14D'),
  z.strictObject({ workingDays: count(30) }),
]);
export type WarnLead = z.output<typeof warnLeadSchema>;

export const clockSchema = z.strictObject({
  rule: clockRuleSchema,
  warnLead: warnLeadSchema,
  owner: roleSchema,
  /** Where the figure comes from (Act and section, guidance and paragraph, or unit practice). */
  source: z.string().min(1).max(1_000),
});
export type Clock = z.output<typeof clockSchema>;

export const clockNames = [
  'spo_notification',
  'dvpo_hearing',
  'bail_3_months',
  'bail_6_months',
  'bail_9_months',
  'disclosure_decision',
  'victim_contact_enhanced',
  'victim_contact_standard',
  'mappa_review_level_1',
  'mappa_review_level_2',
  'mappa_review_level_3',
  'plan_review',
] as const;
export type ClockName = (typeof clockNames)[number];
export type ClockTable = Readonly<Record<ClockName, Clock>>;

const officer: Role = 'officer';
const WEEK = 7;

export const defaultClocks: ClockTable = {
  // Stalking Protection Act 2019 s9(1): the defendant must notify the police "within the period of 3 days beginning
  // with the day on which the order is served", so the service day is day 1 and the clock ends with day 3.
  spo_notification: {
    rule: { unit: 'calendar_days_beginning_with', days: 3 },
    warnLead: 'PT24H',
    owner: officer,
    source: 'Stalking Protection Act 2019 s9(1): within the period of 3 days beginning with the day the order is served',
  },
  // Crime and Security Act 2010 s27(3): the DVPO application must be heard "not later than 48 hours after the DVPN
  // was served"; s27(4): Christmas Day, Good Friday, any Sunday and any bank holiday are disregarded (check the
  // subsection numbers against the revised Act). Saturdays count. Where the Domestic Abuse Act 2021 notice and order
  // (DAPN/DAPO) replace them, its s29(2)-(3) keeps the same 48 hours and the same disregarded days.
  dvpo_hearing: {
    rule: { unit: 'hours', hours: 48, disregard: ['sunday', 'bank_holiday', 'christmas_day', 'good_friday'] },
    warnLead: 'PT12H',
    owner: officer,
    source: 'Crime and Security Act 2010 s27(3)-(4): hearing within 48 hours of service of the DVPN, disregarding Sundays, bank holidays, Christmas Day and Good Friday (check)',
  },
  // PACE 1984 as amended by the Police, Crime, Sentencing and Courts Act 2022 (Sch. 4, in force 28 October 2022):
  // s47ZB(1)(b) the applicable bail period of a standard case is 3 months beginning with the bail start date;
  // s47ZD an inspector may extend it to 6 months, s47ZDA a superintendent to 9 months; beyond that a magistrates'
  // court (s47ZF) or, in a case the DPP designates exceptionally complex, a commander or ACC to 12 months (s47ZE).
  bail_3_months: {
    rule: { unit: 'months_beginning_with', months: 3 },
    warnLead: 'P14D',
    owner: officer,
    source: 'PACE 1984 s47ZB(1)(b) as amended by PCSCA 2022 Sch. 4: 3 months beginning with the bail start date',
  },
  bail_6_months: {
    rule: { unit: 'months_beginning_with', months: 6 },
    warnLead: 'P14D',
    owner: officer,
    source: 'PACE 1984 s47ZD as amended by PCSCA 2022 Sch. 4: extended by an inspector to 6 months beginning with the bail start date',
  },
  bail_9_months: {
    rule: { unit: 'months_beginning_with', months: 9 },
    warnLead: 'P14D',
    owner: officer,
    source: 'PACE 1984 s47ZDA as inserted by PCSCA 2022 Sch. 4: extended by a superintendent to 9 months beginning with the bail start date',
  },
  // Domestic Violence Disclosure Scheme statutory guidance (Home Office, under Domestic Abuse Act 2021 s77; the 2022
  // revision cut the overall timescale from 35 to 28 days): a disclosure decision within 28 calendar days of the
  // application (check against the current edition; urgent cases are expected much sooner).
  disclosure_decision: {
    rule: { unit: 'calendar_days_after', days: 28 },
    warnLead: 'P5D',
    owner: officer,
    source: 'Domestic Violence Disclosure Scheme statutory guidance (Domestic Abuse Act 2021 s77): decision within 28 days of the application (check)',
  },
  // Code of Practice for Victims of Crime in England and Wales (in force 1 April 2021): victims are told of key
  // decisions (arrest, charge, bail and its changes) within 5 working days, or 1 working day when entitled to
  // enhanced rights, which victims of the most serious crime, persistently targeted and vulnerable or intimidated
  // victims (most stalking victims) are (check against the Code in force).
  victim_contact_enhanced: {
    rule: { unit: 'working_days', days: 1 },
    warnLead: 'PT4H',
    owner: officer,
    source: "Code of Practice for Victims of Crime in England and Wales (2020, in force April 2021): 1 working day for victims entitled to enhanced rights (check)",
  },
  victim_contact_standard: {
    rule: { unit: 'working_days', days: 5 },
    warnLead: { workingDays: 1 },
    owner: officer,
    source: "Code of Practice for Victims of Crime in England and Wales (2020, in force April 2021): 5 working days (check)",
  },
  // MAPPA Guidance (Ministry of Justice/HMPPS), chapter 13a on meetings: level 3 cases reviewed at least every 8
  // weeks and level 2 at least every 16 weeks (check). Level 1 has no national cadence (the lead agency reviews under
  // its own policy): 16 weeks here is this unit's choice (check with the lead agency).
  mappa_review_level_1: {
    rule: { unit: 'calendar_days_after', days: 16 * WEEK },
    warnLead: 'P7D',
    owner: 'probation',
    source: 'MAPPA Guidance: level 1 reviews by the lead agency under its own policy; 16 weeks is the unit default (check)',
  },
  mappa_review_level_2: {
    rule: { unit: 'calendar_days_after', days: 16 * WEEK },
    warnLead: 'P7D',
    owner: 'probation',
    source: 'MAPPA Guidance ch. 13a: level 2 cases reviewed at least every 16 weeks (check)',
  },
  mappa_review_level_3: {
    rule: { unit: 'calendar_days_after', days: 8 * WEEK },
    warnLead: 'P7D',
    owner: 'probation',
    source: 'MAPPA Guidance ch. 13a: level 3 cases reviewed at least every 8 weeks (check)',
  },
  // No statute: the unit's own practice for reviewing a management plan, hence configuration.
  plan_review: {
    rule: { unit: 'calendar_days_after', days: 28 },
    warnLead: 'P3D',
    owner: 'supervisor',
    source: 'Unit practice: management plans reviewed every 28 days (configuration)',
  },
};

/**
 * HRU_CLOCKS: changes to named clocks, field by field. A name that is not a clock is refused (a misspelt name would
 * otherwise change nothing, silently), and a changed rule must say where its figure comes from.
 */
export const clockOverridesSchema = z.partialRecord(
  z.enum(clockNames),
  z
    .strictObject({ rule: clockRuleSchema, warnLead: warnLeadSchema, owner: roleSchema, source: clockSchema.shape.source })
    .partial()
    .refine((o) => o.rule === undefined || o.source !== undefined, { message: 'a changed rule needs its source', path: ['source'] }),
);
export type ClockOverrides = z.output<typeof clockOverridesSchema>;

export function mergeClockOverrides(overrides: ClockOverrides, base: ClockTable = defaultClocks): ClockTable {
  const merged = { ...base };
  for (const name of clockNames) {
    const change = overrides[name];
    if (change) merged[name] = { ...base[name], ...change };
  }
  return merged;
}

/** Reads HRU_CLOCKS (JSON) into the whole table, or fails with one line naming each bad field. */
export function parseClockOverrides(json: string, base: ClockTable = defaultClocks): ClockTable {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigurationError(`HRU_CLOCKS is not JSON: ${(error as Error).message}`, [{ path: '/', message: 'expected JSON' }]);
  }
  const parsed = clockOverridesSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error);
    throw new ConfigurationError(`HRU_CLOCKS is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  return mergeClockOverrides(parsed.data, base);
}
