/** The default clock table is valid by its own schema, and HRU_CLOCKS changes it field by field or fails clearly. */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { clockNames, clockSchema, defaultClocks, parseClockOverrides } from '@hru/workflows';

function configurationErrorOf(json: string): ConfigurationError {
  try {
    parseClockOverrides(json);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error(`expected ${json} to be refused`);
}

describe('the default clock table', () => {
  it('has every named clock, each valid by the schema and citing a source', () => {
    expect(Object.keys(defaultClocks).sort()).toEqual([...clockNames].sort());
    for (const name of clockNames) {
      expect(clockSchema.parse(defaultClocks[name]), name).toEqual(defaultClocks[name]);
    }
  });

  it('carries the figures of the issue: owners and leads', () => {
    expect(defaultClocks.spo_notification).toMatchObject({ rule: { unit: 'calendar_days_beginning_with', days: 3 }, owner: 'officer', warnLead: 'PT24H' });
    expect(defaultClocks.dvpo_hearing.rule).toEqual({ unit: 'hours', hours: 48, disregard: ['sunday', 'bank_holiday', 'christmas_day', 'good_friday'] });
    expect([3, 6, 9].map((n) => defaultClocks[`bail_${n}_months` as 'bail_3_months'].rule)).toEqual([3, 6, 9].map((months) => ({ unit: 'months_beginning_with', months })));
    expect(defaultClocks.victim_contact_enhanced.rule).toEqual({ unit: 'working_days', days: 1 });
    expect(defaultClocks.victim_contact_standard).toMatchObject({ rule: { unit: 'working_days', days: 5 }, warnLead: { workingDays: 1 } });
    expect(defaultClocks.mappa_review_level_2.owner).toBe('probation');
    expect(defaultClocks.plan_review).toMatchObject({ rule: { unit: 'calendar_days_after', days: 28 }, owner: 'supervisor', warnLead: 'P3D' });
  });
});

describe('HRU_CLOCKS overrides', () => {
  it('changes only the fields it names and keeps every other clock', () => {
    const table = parseClockOverrides(
      JSON.stringify({
        plan_review: { rule: { unit: 'calendar_days_after', days: 14 }, source: 'Force policy 2027: fortnightly plan reviews' },
        victim_contact_enhanced: { warnLead: 'PT2H', owner: 'victim_advocate' },
      }),
    );
    expect(table.plan_review).toEqual({ ...defaultClocks.plan_review, rule: { unit: 'calendar_days_after', days: 14 }, source: 'Force policy 2027: fortnightly plan reviews' });
    expect(table.victim_contact_enhanced).toEqual({ ...defaultClocks.victim_contact_enhanced, warnLead: 'PT2H', owner: 'victim_advocate' });
    for (const name of clockNames.filter((n) => n !== 'plan_review' && n !== 'victim_contact_enhanced')) expect(table[name]).toEqual(defaultClocks[name]);
    expect(parseClockOverrides('{}')).toEqual(defaultClocks);
  });

  it('fills an hours rule’s disregarded days with none when left out', () => {
    const table = parseClockOverrides('{"dvpo_hearing":{"rule":{"unit":"hours","hours":72},"source":"test"}}');
    expect(table.dvpo_hearing.rule).toEqual({ unit: 'hours', hours: 72, disregard: [] });
  });

  it('refuses what is not JSON, a misspelt clock, a bad rule, a bad lead, an unknown role, and a changed rule without a source', () => {
    expect(configurationErrorOf('{plan_review').message).toMatch(/^HRU_CLOCKS is not JSON/);
    expect(configurationErrorOf('{"plan_reviw":{"warnLead":"P1D"}}').message).toMatch(/plan_reviw/);
    const badRule = configurationErrorOf('{"plan_review":{"rule":{"unit":"fortnights","n":2},"source":"x"}}');
    expect(badRule.details.errors).toEqual([expect.objectContaining({ path: '/plan_review/rule/unit' })]);
    expect(configurationErrorOf('{"plan_review":{"rule":{"unit":"working_days","days":0},"source":"x"}}').message).toMatch(/\/plan_review\/rule\/days/);
    expect(configurationErrorOf('{"plan_review":{"warnLead":"three days"}}').message).toMatch(/\/plan_review\/warnLead .*ISO 8601/);
    expect(configurationErrorOf('{"plan_review":{"warnLead":"PT0S"}}').message).toMatch(/\/plan_review\/warnLead/);
    expect(configurationErrorOf('{"plan_review":{"owner":"chief"}}').message).toMatch(/\/plan_review\/owner/);
    expect(configurationErrorOf('{"plan_review":{"rule":{"unit":"calendar_days_after","days":14}}}').message).toMatch(/\/plan_review\/source a changed rule needs its source/);
    expect(configurationErrorOf('{"plan_review":{"surprise":1}}').message).toMatch(/surprise/);
    expect(configurationErrorOf('[]').code).toBe('configuration_invalid');
  });
});
