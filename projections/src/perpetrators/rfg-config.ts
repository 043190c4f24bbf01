/**
 * The configuration of the Recency-Frequency-Gravity(-Victims) score: every band, weight and window, with the
 * documented defaults below (each marked "(check)" in the README with its source). `HRU_RFG` (JSON) overrides any
 * part; the version names the configuration a score was computed with, so a tasking decision can say which one the
 * meeting saw, and a change of configuration (a new version) rescores every perpetrator.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigurationError, fieldErrorsOf, problemBehaviourSchema, riskIndicatorSchema } from '@hru/events';

const points = z.number().min(0).max(1_000);

export const rfgConfigSchema = z.strictObject({
  /** A label for people; the version adds a digest of the content, so two different configurations never share one. */
  label: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
  recency: z.strictObject({
    /** Points by days since the last incident: the first band the gap fits in (`withinDays` ascending). */
    bands: z.array(z.strictObject({ withinDays: z.number().int().min(0).max(36_500), points })).min(1).max(20),
  }),
  frequency: z.strictObject({
    /** Incidents counted for frequency, gravity and victims: those in this many days up to the scoring day. */
    lookbackDays: z.number().int().min(1).max(36_500),
    /** Points by incidents in the window: the highest band reached (`atLeast` ascending). */
    bands: z.array(z.strictObject({ atLeast: z.number().int().min(1).max(10_000), points })).min(1).max(20),
  }),
  gravity: z.strictObject({
    /** Points per incident by its problem behaviour. */
    behaviour: z.partialRecord(problemBehaviourSchema, points),
    /** Points per incident for each risk indicator recorded at intake. */
    indicators: z.partialRecord(riskIndicatorSchema, points),
    /** Points per incident by Home Office offence classification of any of its offences (the highest one counts). */
    offences: z.record(z.string().min(1).max(16), points),
  }),
  victims: z.strictObject({
    /** Points per distinct victim in the window, up to `max` victims. */
    perVictim: points,
    max: z.number().int().min(1).max(1_000),
  }),
  /** The weight of each component in the total. */
  weights: z.strictObject({ recency: points, frequency: points, gravity: points, victims: points }),
});
export type RfgSettings = z.output<typeof rfgConfigSchema>;
export type RfgConfig = RfgSettings & { version: string };

/**
 * The defaults (each "(check)" in the README): the MATAC matrix of Northumbria Police scores recency, frequency and
 * gravity of domestic abuse offending over two years; its bands are local practice, these are a starting point.
 */
export const defaultRfgSettings: RfgSettings = {
  label: 'default',
  recency: {
    bands: [
      { withinDays: 30, points: 5 },
      { withinDays: 90, points: 4 },
      { withinDays: 180, points: 3 },
      { withinDays: 365, points: 2 },
      { withinDays: 730, points: 1 },
    ],
  },
  frequency: {
    lookbackDays: 730,
    bands: [
      { atLeast: 1, points: 1 },
      { atLeast: 2, points: 2 },
      { atLeast: 3, points: 3 },
      { atLeast: 5, points: 4 },
      { atLeast: 8, points: 5 },
    ],
  },
  gravity: {
    behaviour: { stalking: 3, serial_domestic_abuse: 3, sexual_violence: 5, querulance: 1 },
    indicators: {
      strangulation: 5,
      threats_to_kill: 4,
      weapon: 4,
      sexual_violence: 5,
      breach_of_order: 2,
      escalating: 2,
      attending_address: 1,
      children_at_risk: 2,
      pregnancy: 2,
      suicide_threat: 1,
    },
    // Home Office classifications: stalking with fear of violence, stalking, harassment, coercive control.
    offences: { '8/65': 3, '8/64': 2, '8/1': 1, '8/71': 3 },
  },
  victims: { perVictim: 2, max: 10 },
  weights: { recency: 1, frequency: 1, gravity: 0.5, victims: 1 },
};

/** Stable JSON (keys sorted) so that the digest depends on the content, not on the order it was written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function withVersion(settings: RfgSettings): RfgConfig {
  const sorted: RfgSettings = {
    ...settings,
    recency: { bands: [...settings.recency.bands].sort((a, b) => a.withinDays - b.withinDays) },
    frequency: { ...settings.frequency, bands: [...settings.frequency.bands].sort((a, b) => a.atLeast - b.atLeast) },
  };
  const digest = createHash('sha256').update(canonical(sorted)).digest('hex').slice(0, 10);
  return { ...sorted, version: `${sorted.label}@${digest}` };
}

const overridesSchema = z.strictObject({
  label: rfgConfigSchema.shape.label.optional(),
  recency: rfgConfigSchema.shape.recency.optional(),
  frequency: rfgConfigSchema.shape.frequency.partial().optional(),
  gravity: rfgConfigSchema.shape.gravity.partial().optional(),
  victims: rfgConfigSchema.shape.victims.partial().optional(),
  weights: rfgConfigSchema.shape.weights.partial().optional(),
});

/**
 * The configuration from `HRU_RFG` (a JSON object of overrides; each given part replaces the default's part, each
 * map of points is merged key by key), or the defaults. Throws a ConfigurationError naming what is wrong.
 */
export function rfgConfigFrom(json: string | undefined): RfgConfig {
  if (json === undefined) return withVersion(defaultRfgSettings);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigurationError('Invalid configuration: HRU_RFG: not JSON', [{ path: 'HRU_RFG', message: 'not JSON' }]);
  }
  const parsed = overridesSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error).map((e) => ({ ...e, path: `HRU_RFG${e.path}` }));
    throw new ConfigurationError(`Invalid configuration: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  }
  const o = parsed.data;
  const d = defaultRfgSettings;
  return withVersion({
    label: o.label ?? (Object.keys(o).length > 0 ? 'custom' : d.label),
    recency: o.recency ?? d.recency,
    frequency: { ...d.frequency, ...o.frequency },
    gravity: {
      behaviour: { ...d.gravity.behaviour, ...o.gravity?.behaviour },
      indicators: { ...d.gravity.indicators, ...o.gravity?.indicators },
      offences: { ...d.gravity.offences, ...o.gravity?.offences },
    },
    victims: { ...d.victims, ...o.victims },
    weights: { ...d.weights, ...o.weights },
  });
}
