/** The MoPI rule (pure) and its configuration: groups from a case's classification, review dates, HRU_RETENTION_TABLE. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { loadConfig, retentionTableSchema } from '@hru/infra';
import { addYears, defaultRetentionTable, mayDispose, mopiGroupOf, retentionRuleOf, reviewDueFrom, type RetentionFacts, type RetentionTable } from '@hru/workflows';

const facts = (overrides: Partial<RetentionFacts> = {}): RetentionFacts => ({
  problemBehaviour: 'querulance',
  principalOffenceCode: '8/1',
  indicators: [],
  services: [],
  ...overrides,
});

describe('the MoPI group of a case (default table)', () => {
  const group = (f: Partial<RetentionFacts>) => mopiGroupOf(defaultRetentionTable, facts(f));

  it('puts public protection matters in group 1: sexual violence, or a case directed to MAPPA', () => {
    expect(group({ problemBehaviour: 'sexual_violence' })).toBe(1);
    expect(group({ indicators: ['escalating', 'sexual_violence'] })).toBe(1);
    expect(group({ problemBehaviour: 'stalking', services: ['victim_advocate', 'mappa'] })).toBe(1);
  });

  it('puts stalking, serial domestic abuse and violent risk in group 2', () => {
    expect(group({ problemBehaviour: 'stalking' })).toBe(2);
    expect(group({ problemBehaviour: 'serial_domestic_abuse' })).toBe(2);
    expect(group({ indicators: ['strangulation'] })).toBe(2);
    expect(group({ indicators: ['threats_to_kill'] })).toBe(2);
  });

  it('leaves everything else in group 3', () => {
    expect(group({})).toBe(3);
    expect(group({ problemBehaviour: null, principalOffenceCode: null, indicators: ['escalating'], services: ['marac'] })).toBe(3);
  });

  it('follows a configured table: offence codes, indicators, services', () => {
    const table: RetentionTable = {
      ...defaultRetentionTable,
      group1: { problemBehaviours: [], principalOffenceCodes: ['1/1'], indicators: [], services: [] },
      group2: { problemBehaviours: [], principalOffenceCodes: ['8/65'], indicators: ['weapon'], services: ['marac'] },
    };
    expect(mopiGroupOf(table, facts({ principalOffenceCode: '1/1' }))).toBe(1);
    expect(mopiGroupOf(table, facts({ problemBehaviour: 'sexual_violence' }))).toBe(3);
    expect(mopiGroupOf(table, facts({ principalOffenceCode: '8/65' }))).toBe(2);
    expect(mopiGroupOf(table, facts({ services: ['marac'] }))).toBe(2);
    expect(mopiGroupOf(table, facts({ problemBehaviour: 'stalking' }))).toBe(3);
  });
});

describe('review dates', () => {
  it('are the group’s period after the start of the clear period (10, 10 and 6 years by default)', () => {
    expect(reviewDueFrom(defaultRetentionTable, 1, '2026-11-20')).toBe('2036-11-20');
    expect(reviewDueFrom(defaultRetentionTable, 2, '2026-11-20T23:59:00Z')).toBe('2036-11-20');
    expect(reviewDueFrom(defaultRetentionTable, 3, '2026-11-20')).toBe('2032-11-20');
  });

  it('fall on 28 February for a clear period that started on 29 February, never later', () => {
    expect(addYears('2028-02-29', 6)).toBe('2034-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
    expect(addYears('2026-12-31', 10)).toBe('2036-12-31');
  });

  it('dispose of groups 2 and 3 only: group 1 is kept until the subject is deemed 100', () => {
    expect([1, 2, 3].map((g) => mayDispose(defaultRetentionTable, g as 1 | 2 | 3))).toEqual([false, true, true]);
  });

  it('the queue’s rule is the decision’s: same group, same dates, and the shortest period', () => {
    const rule = retentionRuleOf({ ...defaultRetentionTable, reviewYears: { '1': 12, '2': 8, '3': 5 } });
    expect(rule.shortestYears).toBe(5);
    expect(rule.groupOf(facts({ problemBehaviour: 'stalking' }))).toBe(2);
    expect(rule.reviewDue(2, '2026-01-15')).toBe('2034-01-15');
  });
});

describe('HRU_RETENTION_TABLE', () => {
  const base = { HRU_DATA_DIR: '/tmp/unused' };

  it('is unset by default: the engine then uses the documented default table', () => {
    expect(loadConfig(base).retentionTable).toBeUndefined();
  });

  it('takes a whole table as JSON', () => {
    const table = { ...defaultRetentionTable, reviewYears: { '1': 10, '2': 12, '3': 7 }, disposableGroups: [3] };
    expect(loadConfig({ ...base, HRU_RETENTION_TABLE: JSON.stringify(table) }).retentionTable).toEqual(table);
  });

  it('refuses a table it cannot use, naming the variable and the fault', () => {
    const bad = (value: unknown) => {
      try {
        loadConfig({ ...base, HRU_RETENTION_TABLE: typeof value === 'string' ? value : JSON.stringify(value) });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('{not json')).toMatch(/HRU_RETENTION_TABLE.*expected JSON/);
    expect(bad({ ...defaultRetentionTable, reviewYears: { '1': 10, '2': 0, '3': 6 } })).toMatch(/HRU_RETENTION_TABLE/);
    expect(bad({ ...defaultRetentionTable, disposableGroups: [4] })).toMatch(/HRU_RETENTION_TABLE/);
    expect(bad({ ...defaultRetentionTable, group2: { ...defaultRetentionTable.group2, indicators: ['not_an_indicator'] } })).toMatch(/HRU_RETENTION_TABLE/);
    const { group1: _dropped, ...partial } = defaultRetentionTable;
    expect(bad(partial)).toMatch(/HRU_RETENTION_TABLE/);
  });

  it('the default the README writes out is the one the engine uses, and a valid setting', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Retention review (MoPI)'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(json, 'a ```json block in the README section').toBeDefined();
    expect(JSON.parse(json!)).toEqual(defaultRetentionTable);
    expect(retentionTableSchema.parse(JSON.parse(json!))).toEqual(defaultRetentionTable);
  });
});
