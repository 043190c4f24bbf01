/**
 * Properties of the RFG(V) score (fast-check): monotonic in each component (one more incident, a graver incident,
 * one more victim, a more recent incident never lower it), recency decays as the scoring day moves on, and linking
 * two party ids (scoring the union of their incidents) never lowers frequency or victims. Plus the configuration:
 * defaults with a version, overrides that change the version, and refusals that name the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { problemBehaviourSchema, riskIndicatorSchema } from '@hru/events';
import { rfgConfigFrom, scorePerpetrator, type Incident } from '@hru/projections';

const config = rfgConfigFrom(undefined);
const AS_OF = '2026-11-30';
const DAY = 86_400_000;
const dayBefore = (days: number) => new Date(Date.parse(`${AS_OF}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10);

let seq = 0;
const incidentArb: fc.Arbitrary<Incident> = fc
  .record({
    daysAgo: fc.integer({ min: 0, max: 1_200 }),
    problemBehaviour: fc.constantFrom(...problemBehaviourSchema.options),
    indicators: fc.uniqueArray(fc.constantFrom(...riskIndicatorSchema.options), { maxLength: 4 }),
    offence: fc.constantFrom('8/65', '8/64', '8/1', '8/71', '99/9'),
    victims: fc.uniqueArray(fc.integer({ min: 1, max: 12 }).map((n) => `pty-v${n}`), { minLength: 1, maxLength: 2 }),
  })
  .map((f) => ({
    referralId: `ref-${(seq++).toString(16).padStart(32, '0')}`,
    on: dayBefore(f.daysAgo),
    problemBehaviour: f.problemBehaviour,
    offenceCodes: [f.offence],
    indicators: f.indicators,
    victims: f.victims,
  }));
const incidentsArb = fc.array(incidentArb, { maxLength: 12 });
const score = (incidents: Incident[], asOf = AS_OF) => scorePerpetrator(config, incidents, asOf);

describe('RFG(V) score properties', () => {
  it('one more incident never lowers the score or any component', () => {
    fc.assert(
      fc.property(incidentsArb, incidentArb, (incidents, extra) => {
        const before = score(incidents);
        const after = score([...incidents, extra]);
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        for (const k of ['recency', 'frequency', 'gravity', 'victims'] as const) expect(after[k]).toBeGreaterThanOrEqual(before[k]);
      }),
    );
  });

  it('a graver incident (one more indicator) never lowers gravity or the score', () => {
    fc.assert(
      fc.property(incidentsArb, incidentArb, fc.constantFrom(...riskIndicatorSchema.options), (incidents, incident, indicator) => {
        const graver = { ...incident, indicators: [...new Set([...incident.indicators, indicator])] };
        expect(score([...incidents, graver]).gravity).toBeGreaterThanOrEqual(score([...incidents, incident]).gravity);
        expect(score([...incidents, graver]).score).toBeGreaterThanOrEqual(score([...incidents, incident]).score);
      }),
    );
  });

  it('one more victim on an incident never lowers the victims component or the score', () => {
    fc.assert(
      fc.property(incidentsArb, incidentArb, (incidents, incident) => {
        const more = { ...incident, victims: [...incident.victims, 'pty-another-victim'] };
        expect(score([...incidents, more]).victims).toBeGreaterThanOrEqual(score([...incidents, incident]).victims);
        expect(score([...incidents, more]).score).toBeGreaterThanOrEqual(score([...incidents, incident]).score);
      }),
    );
  });

  it('a more recent incident never lowers recency', () => {
    fc.assert(
      fc.property(incidentsArb, incidentArb, fc.integer({ min: 1, max: 400 }), (incidents, incident, closer) => {
        const days = Math.round((Date.parse(`${AS_OF}T00:00:00Z`) - Date.parse(`${incident.on}T00:00:00Z`)) / DAY);
        const recent = { ...incident, on: dayBefore(Math.max(0, days - closer)) };
        expect(score([...incidents, recent]).recency).toBeGreaterThanOrEqual(score([...incidents, incident]).recency);
      }),
    );
  });

  it('recency decays: as the scoring day moves on with no new incident, recency never rises', () => {
    fc.assert(
      fc.property(incidentsArb, fc.integer({ min: 1, max: 900 }), (incidents, later) => {
        const then = new Date(Date.parse(`${AS_OF}T00:00:00Z`) + later * DAY).toISOString().slice(0, 10);
        expect(score(incidents, then).recency).toBeLessThanOrEqual(score(incidents).recency);
      }),
    );
    // And it reaches nothing: an incident older than the last band scores no recency.
    expect(score([{ referralId: 'ref-x', on: dayBefore(800), problemBehaviour: 'stalking', offenceCodes: [], indicators: [], victims: ['pty-v'] }]).recency).toBe(0);
  });

  it('linking two party ids (scoring the union of their incidents) never lowers frequency or victims', () => {
    fc.assert(
      fc.property(incidentsArb, incidentsArb, fc.nat({ max: 3 }), (mine, theirs, shared) => {
        // The two ids may share referrals (both named as suspects of one crime): the union counts each once.
        const union = [...mine, ...theirs, ...mine.slice(0, shared)];
        const joined = score(union);
        for (const alone of [score(mine), score(theirs)]) {
          expect(joined.frequency).toBeGreaterThanOrEqual(alone.frequency);
          expect(joined.incidentsInWindow).toBeGreaterThanOrEqual(alone.incidentsInWindow);
          expect(joined.distinctVictims).toBeGreaterThanOrEqual(alone.distinctVictims);
          expect(joined.victims).toBeGreaterThanOrEqual(alone.victims);
        }
      }),
    );
  });

  it('explains each incident: its gravity parts add up to what it contributed, and the window decides what counts', () => {
    fc.assert(
      fc.property(incidentsArb, (incidents) => {
        const s = score(incidents);
        let gravity = 0;
        for (const c of s.explanation) {
          const parts = c.parts.behaviour + Object.values(c.parts.indicators).reduce((a, b) => a + b, 0) + (c.parts.offence?.points ?? 0);
          expect(c.gravity).toBe(c.inWindow ? parts : 0);
          gravity += c.gravity;
        }
        expect(s.gravity).toBeCloseTo(gravity, 6);
        expect(s.incidentsInWindow).toBe(s.explanation.filter((c) => c.inWindow).length);
      }),
    );
  });
});

describe('RFG(V) configuration (HRU_RFG)', () => {
  it('has documented defaults with a version that names them', () => {
    expect(config.version).toMatch(/^default@[0-9a-f]{10}$/);
    expect(rfgConfigFrom(undefined).version).toBe(config.version);
    expect(config.frequency.lookbackDays).toBe(730);
  });

  it('merges overrides onto the defaults, and any change gives a new version', () => {
    const custom = rfgConfigFrom(JSON.stringify({ label: 'northumbria', gravity: { indicators: { strangulation: 8 } } }));
    expect(custom.gravity.indicators.strangulation).toBe(8);
    expect(custom.gravity.indicators.weapon).toBe(config.gravity.indicators.weapon);
    expect(custom.version).toMatch(/^northumbria@/);
    expect(rfgConfigFrom(JSON.stringify({ weights: { gravity: 0.6 } })).version).not.toBe(rfgConfigFrom(JSON.stringify({ weights: { gravity: 0.7 } })).version);
    // Same content in another order: same version.
    const bands = [{ atLeast: 1, points: 1 }, { atLeast: 4, points: 3 }];
    expect(rfgConfigFrom(JSON.stringify({ frequency: { bands } })).version).toBe(rfgConfigFrom(JSON.stringify({ frequency: { bands: [...bands].reverse() } })).version);
  });

  it('refuses what is not a configuration, naming the field', () => {
    expect(() => rfgConfigFrom('{')).toThrow(/HRU_RFG: not JSON/);
    expect(() => rfgConfigFrom(JSON.stringify({ weights: { recency: -1 } }))).toThrow(/HRU_RFG\/weights\/recency/);
    expect(() => rfgConfigFrom(JSON.stringify({ gravity: { indicators: { not_an_indicator: 3 } } }))).toThrow(/HRU_RFG/);
    expect(() => rfgConfigFrom(JSON.stringify({ surprise: 1 }))).toThrow(/HRU_RFG/);
  });
});

describe('HRU_RFG in the engine configuration', () => {
  it('is kept as given when a JSON object, and refused at start otherwise, naming the variable', async () => {
    const { loadConfig } = await import('@hru/infra');
    const base = { HRU_DATA_DIR: '/tmp/hru-rfg-config-spec' };
    expect(loadConfig({ ...base, HRU_RFG: '{"weights":{"victims":2}}' }).rfgJson).toBe('{"weights":{"victims":2}}');
    expect(loadConfig(base).rfgJson).toBeUndefined();
    for (const bad of ['[1]', 'weights', '"x"']) expect(() => loadConfig({ ...base, HRU_RFG: bad })).toThrow(/HRU_RFG/);
  });
});
