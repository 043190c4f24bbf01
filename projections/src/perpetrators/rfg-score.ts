/**
 * The RFG(V) score of one perpetrator as of a day: pure, from their incidents (the crimes of their referrals) and
 * the configuration. Each component is points from a band or a sum, weighted into the total; the explanation says
 * which incident contributed what, so a meeting can see why someone ranks where they do.
 *
 * Properties the specs hold it to: more (or graver, or more recent) incidents never lower a component; as the
 * scoring day moves on, recency never rises; an incident outside the look-back window counts for nothing but
 * recency's own bands.
 */
import type { ProblemBehaviour, RiskIndicator } from '@hru/events';
import type { RfgConfig } from './rfg-config.js';

export interface Incident {
  referralId: string;
  /** The crime's recorded day (ISO date). */
  on: string;
  problemBehaviour: ProblemBehaviour;
  offenceCodes: readonly string[];
  indicators: readonly RiskIndicator[];
  /** The victims' party ids (pseudonyms, never names). */
  victims: readonly string[];
  /** The policing area that recorded it, when known (no part of the score: the tasking list filters by it). */
  area?: string | null;
}

export interface IncidentContribution {
  referralId: string;
  on: string;
  inWindow: boolean;
  /** Gravity points before the weight: behaviour + indicators + the highest offence. */
  gravity: number;
  parts: { behaviour: number; indicators: Partial<Record<RiskIndicator, number>>; offence: { code: string; points: number } | null };
}

export interface RfgScore {
  score: number;
  configVersion: string;
  asOf: string;
  lastIncidentOn: string | null;
  /** Points of each component before its weight. */
  recency: number;
  frequency: number;
  gravity: number;
  victims: number;
  incidentsInWindow: number;
  distinctVictims: number;
  explanation: IncidentContribution[];
}

const DAY_MS = 86_400_000;
const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) / DAY_MS);

/** Recency points for a gap of `days` since the last incident (none when no band holds it, or no incident). */
export function recencyPoints(config: RfgConfig, days: number | null): number {
  if (days === null || days < 0) return days === null ? 0 : recencyPoints(config, 0);
  // Bands ascending by `withinDays`; the first band that holds the gap wins. A closer band with fewer points than a
  // farther one would make recency rise with age: the max over the bands that hold the gap keeps it monotone.
  let best = 0;
  for (const band of config.recency.bands) if (days <= band.withinDays) best = Math.max(best, band.points);
  return best;
}

/** Frequency points for `count` incidents in the window (the highest band reached). */
export function frequencyPoints(config: RfgConfig, count: number): number {
  let best = 0;
  for (const band of config.frequency.bands) if (count >= band.atLeast) best = Math.max(best, band.points);
  return best;
}

export function incidentGravity(config: RfgConfig, incident: Incident): IncidentContribution['parts'] & { total: number } {
  const behaviour = config.gravity.behaviour[incident.problemBehaviour] ?? 0;
  const indicators: Partial<Record<RiskIndicator, number>> = {};
  let total = behaviour;
  for (const indicator of new Set(incident.indicators)) {
    const points = config.gravity.indicators[indicator] ?? 0;
    if (points > 0) {
      indicators[indicator] = points;
      total += points;
    }
  }
  let offence: { code: string; points: number } | null = null;
  for (const code of incident.offenceCodes) {
    const points = config.gravity.offences[code] ?? 0;
    if (points > 0 && (offence === null || points > offence.points)) offence = { code, points };
  }
  if (offence) total += offence.points;
  return { behaviour, indicators, offence, total };
}

/** Rounded to 2 decimals so that equal scores compare equal and a CSV shows what the ranking used. */
const round = (n: number) => Math.round(n * 100) / 100;

/** The score as of `asOf` (ISO date), counting only incidents on or before it. */
export function scorePerpetrator(config: RfgConfig, incidents: readonly Incident[], asOf: string): RfgScore {
  const today = dayNumber(asOf);
  const from = today - config.frequency.lookbackDays;
  let last: number | null = null;
  let lastOn: string | null = null;
  let inWindow = 0;
  let gravity = 0;
  const victims = new Set<string>();
  const explanation: IncidentContribution[] = [];
  const seen = new Set<string>();
  for (const incident of [...incidents].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.referralId < b.referralId ? -1 : 1))) {
    // One referral is one incident, even if a linked pair of ids names it twice.
    if (seen.has(incident.referralId)) continue;
    seen.add(incident.referralId);
    const day = dayNumber(incident.on);
    if (day > today) continue;
    if (last === null || day > last) {
      last = day;
      lastOn = incident.on.slice(0, 10);
    }
    const counted = day > from;
    const parts = incidentGravity(config, incident);
    if (counted) {
      inWindow += 1;
      gravity += parts.total;
      for (const victim of incident.victims) victims.add(victim);
    }
    explanation.push({
      referralId: incident.referralId,
      on: incident.on.slice(0, 10),
      inWindow: counted,
      gravity: counted ? parts.total : 0,
      parts: { behaviour: parts.behaviour, indicators: parts.indicators, offence: parts.offence },
    });
  }
  const recency = recencyPoints(config, last === null ? null : today - last);
  const frequency = frequencyPoints(config, inWindow);
  const victimPoints = Math.min(victims.size, config.victims.max) * config.victims.perVictim;
  const w = config.weights;
  return {
    score: round(w.recency * recency + w.frequency * frequency + w.gravity * gravity + w.victims * victimPoints),
    configVersion: config.version,
    asOf: asOf.slice(0, 10),
    lastIncidentOn: lastOn,
    recency,
    frequency,
    gravity: round(gravity),
    victims: victimPoints,
    incidentsInWindow: inWindow,
    distinctVictims: victims.size,
    explanation,
  };
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The first day after `asOf` on which these incidents would score differently with no new fact, or null if none:
 * the gap since the last incident passes a recency band, an incident leaves the look-back window, or an incident
 * dated after `asOf` comes into the count. Until then the day alone changes nothing, so a new day rescores only the
 * people whose day has come (`perpetrators_scores.changes_on`), not everyone.
 */
export function scoreChangesOn(config: RfgConfig, incidents: readonly Incident[], asOf: string): string | null {
  const today = dayNumber(asOf);
  let next = Number.POSITIVE_INFINITY;
  let last: number | null = null;
  for (const incident of incidents) {
    const day = dayNumber(incident.on);
    if (day > today) next = Math.min(next, day);
    else {
      if (last === null || day > last) last = day;
      // Counted while day > today - lookback: it leaves the window on day + lookback.
      if (day + config.frequency.lookbackDays > today) next = Math.min(next, day + config.frequency.lookbackDays);
    }
  }
  if (last !== null) {
    // The points of a gap change only when the gap passes a band's bound: the day after the next bound reached.
    for (const band of config.recency.bands) if (band.withinDays >= today - last) next = Math.min(next, last + band.withinDays + 1);
  }
  return Number.isFinite(next) ? isoDay(next) : null;
}
