/**
 * Writes the RFG(V) scores of the perpetrators read model. A person is a set of suspect party ids joined by staff's
 * links (a connected component; its canonical id is the lowest id). Everyone is scored again when the scoring day or
 * the configuration version changes (recency decays by the day; a new configuration changes every score), or after
 * a rebuild (the meta row is gone); otherwise only the people whose facts changed since (`perpetrators_stale`).
 */
import type Database from 'better-sqlite3';
import type { ProblemBehaviour, RiskIndicator } from '@hru/events';
import { statement } from '../framework/statements.js';
import type { RfgConfig } from './rfg-config.js';
import { scoreChangesOn, scorePerpetrator, type Incident } from './rfg-score.js';

export interface RescoreResult {
  mode: 'full' | 'stale' | 'none';
  people: number;
}

const list = (text: string) => (text === '' ? [] : text.split(','));

/** The party ids linked to `start`, itself included, following links both ways. */
function componentOf(db: Database.Database, start: string): string[] {
  const seen = new Set([start]);
  const queue = [start];
  const forward = statement<[string], { other: string }>(db, 'SELECT same_person_as AS other FROM perpetrators_links WHERE party_id = ?');
  const back = statement<[string], { other: string }>(db, 'SELECT party_id AS other FROM perpetrators_links WHERE same_person_as = ?');
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const { other } of [...forward.all(id), ...back.all(id)]) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return [...seen].sort();
}

/** Every suspect party id grouped into people, by union-find over the links. */
export function allComponents(db: Database.Database): string[][] {
  const suspects = statement<[], { party_id: string }>(db, `SELECT DISTINCT party_id FROM perpetrators_parties WHERE role = 'suspect'`).all();
  return linkComponents(db, suspects.map((row) => row.party_id));
}

/**
 * `seeds` (each a person of its own until a link joins it) and every party id the links name, grouped into people by
 * union-find over the links, each group sorted (the canonical id, the smallest, first).
 */
export function linkComponents(db: Database.Database, seeds: Iterable<string>): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let at = x; parent.get(at) !== root; ) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const id of seeds) parent.set(id, id);
  for (const link of statement<[], { party_id: string; same_person_as: string }>(db, 'SELECT party_id, same_person_as FROM perpetrators_links').all()) {
    if (!parent.has(link.party_id)) parent.set(link.party_id, link.party_id);
    if (!parent.has(link.same_person_as)) parent.set(link.same_person_as, link.same_person_as);
    const a = find(link.party_id);
    const b = find(link.same_person_as);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    const group = groups.get(root);
    if (group) group.push(id);
    else groups.set(root, [id]);
  }
  return [...groups.values()].map((g) => g.sort());
}

interface IncidentRow {
  referral_id: string;
  crime_on: string;
  area: string | null;
  problem_behaviour: string;
  offence_codes: string;
  indicators: string;
}

function dedupe(incidents: Incident[]): Incident[] {
  const seen = new Set<string>();
  return incidents.filter((i) => !seen.has(i.referralId) && seen.add(i.referralId) !== undefined);
}

/** The incidents of a person: every referral naming any of their party ids as a suspect, with its victims. */
export function incidentsOf(db: Database.Database, members: readonly string[]): Incident[] {
  const referrals = statement<[string], IncidentRow>(
    db,
    `SELECT r.referral_id, r.crime_on, r.area, r.problem_behaviour, r.offence_codes, r.indicators
       FROM perpetrators_parties p JOIN perpetrators_referrals r ON r.referral_id = p.referral_id
      WHERE p.party_id = ? AND p.role = 'suspect'`,
  );
  const victims = statement<[string], { party_id: string }>(db, `SELECT party_id FROM perpetrators_parties WHERE referral_id = ? AND role = 'victim' ORDER BY party_id`);
  const byReferral = new Map<string, Incident>();
  for (const member of members) {
    for (const row of referrals.all(member)) {
      if (byReferral.has(row.referral_id)) continue;
      byReferral.set(row.referral_id, {
        referralId: row.referral_id,
        on: row.crime_on,
        area: row.area,
        problemBehaviour: row.problem_behaviour as ProblemBehaviour,
        offenceCodes: list(row.offence_codes),
        indicators: list(row.indicators) as RiskIndicator[],
        victims: victims.all(row.referral_id).map((v) => v.party_id),
      });
    }
  }
  return [...byReferral.values()];
}

/**
 * Every suspect's incidents at once, for a full rescore: three table scans instead of a few lookups per person
 * (at 100,000 people the lookups cost more than the scoring).
 */
function allIncidentsBySuspect(db: Database.Database): Map<string, Incident[]> {
  const victims = new Map<string, string[]>();
  const suspects: { referral_id: string; party_id: string }[] = [];
  for (const p of statement<[], { referral_id: string; role: string; party_id: string }>(db, 'SELECT referral_id, role, party_id FROM perpetrators_parties').all()) {
    if (p.role === 'victim') {
      const list = victims.get(p.referral_id);
      if (list) list.push(p.party_id);
      else victims.set(p.referral_id, [p.party_id]);
    } else suspects.push(p);
  }
  const incidents = new Map<string, Incident>();
  for (const row of statement<[], IncidentRow>(db, 'SELECT referral_id, crime_on, area, problem_behaviour, offence_codes, indicators FROM perpetrators_referrals').all()) {
    incidents.set(row.referral_id, {
      referralId: row.referral_id,
      on: row.crime_on,
      area: row.area,
      problemBehaviour: row.problem_behaviour as ProblemBehaviour,
      offenceCodes: list(row.offence_codes),
      indicators: list(row.indicators) as RiskIndicator[],
      victims: (victims.get(row.referral_id) ?? []).sort(),
    });
  }
  const bySuspect = new Map<string, Incident[]>();
  for (const s of suspects) {
    const incident = incidents.get(s.referral_id);
    if (!incident) continue;
    const list = bySuspect.get(s.party_id);
    if (list) list.push(incident);
    else bySuspect.set(s.party_id, [incident]);
  }
  return bySuspect;
}

/** A person's row of `perpetrators_scores` in column order, or undefined for a person with no incident (not listed). */
export type ScoreValues = [string, string, number, number, number, number, number, number, number, number, string | null, string, string, string | null];

/** Pure: the row a person's incidents give as of `day`. */
export function scoreValuesOf(config: RfgConfig, members: readonly string[], incidents: readonly Incident[], day: string): ScoreValues | undefined {
  // A linked id with no referral of its own is still part of the person, but a person with no incident is not listed.
  if (incidents.length === 0) return undefined;
  const s = scorePerpetrator(config, incidents, day);
  const behaviours = [...new Set(incidents.map((i) => i.problemBehaviour))].sort();
  const areas = [...new Set(incidents.flatMap((i) => (i.area ? [i.area] : [])))].sort();
  return [
    members[0]!,
    members.join(','),
    s.score,
    s.recency,
    s.frequency,
    s.gravity,
    s.victims,
    s.incidentsInWindow,
    s.distinctVictims,
    incidents.length,
    s.lastIncidentOn,
    `,${behaviours.join(',')},`,
    `,${areas.join(',')},`,
    scoreChangesOn(config, incidents, day),
  ];
}

/** Replaces the person's row (`canonical`): with `values`, or none when they have no incident any more. */
export function writeScore(db: Database.Database, canonical: string, values: ScoreValues | undefined): void {
  if (values) statement(db, 'INSERT OR REPLACE INTO perpetrators_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...values);
  else statement(db, 'DELETE FROM perpetrators_scores WHERE canonical_id = ?').run(canonical);
}

export function writePerson(db: Database.Database, config: RfgConfig, members: readonly string[], asOf: string, known?: Map<string, Incident[]>): void {
  const canonical = members[0]!;
  const incidents = known ? dedupe(members.flatMap((m) => known.get(m) ?? [])) : incidentsOf(db, members);
  // Only linked people have member rows: at 100,000 people, a row for each one alone costs more than it answers.
  if (members.length > 1) for (const member of members) statement(db, 'INSERT OR REPLACE INTO perpetrators_members VALUES (?, ?)').run(member, canonical);
  const values = scoreValuesOf(config, members, incidents, asOf);
  if (values) writeScore(db, canonical, values);
}

/**
 * Brings the scores up to `asOf` (ISO date) under `config`: everyone, or the stale people only. One transaction, so
 * a reader sees the old ranking or the new one, never half of each.
 */
export function rescore(db: Database.Database, config: RfgConfig, asOf: string, options: { full?: boolean } = {}): RescoreResult {
  const day = asOf.slice(0, 10);
  // Most reads find nothing to do: say so without opening a transaction.
  const current = statement<[], { config_version: string; as_of: string }>(db, 'SELECT config_version, as_of FROM perpetrators_score_meta').get();
  const anyStale = statement<[], { one: number }>(db, 'SELECT 1 AS one FROM perpetrators_stale LIMIT 1').get();
  if (!options.full && current && current.config_version === config.version && current.as_of === day && !anyStale) return { mode: 'none', people: 0 };
  return db.transaction((): RescoreResult => {
    const meta = statement<[], { config_version: string; as_of: string }>(db, 'SELECT config_version, as_of FROM perpetrators_score_meta').get();
    if (options.full || !meta || meta.config_version !== config.version || meta.as_of !== day) {
      db.exec('DELETE FROM perpetrators_scores; DELETE FROM perpetrators_members; DELETE FROM perpetrators_stale;');
      const people = allComponents(db);
      const known = allIncidentsBySuspect(db);
      for (const members of people) writePerson(db, config, members, day, known);
      statement(db, 'INSERT OR REPLACE INTO perpetrators_score_meta VALUES (1, ?, ?)').run(config.version, day);
      return { mode: 'full', people: people.length };
    }
    const stale = statement<[], { party_id: string }>(db, 'SELECT party_id FROM perpetrators_stale').all();
    if (stale.length === 0) return { mode: 'none', people: 0 };
    // The people the stale ids belong to now, and the ones they belonged to before (an unlink splits a person).
    const before = statement<[string], { canonical_id: string }>(db, 'SELECT canonical_id FROM perpetrators_members WHERE party_id = ?');
    const canonicalBefore = (id: string) => before.get(id)?.canonical_id ?? id;
    const membersOf = statement<[string], { party_id: string }>(db, 'SELECT party_id FROM perpetrators_members WHERE canonical_id = ?');
    const touched = new Set<string>();
    for (const { party_id } of stale) {
      touched.add(party_id);
      for (const m of membersOf.all(canonicalBefore(party_id))) touched.add(m.party_id);
    }
    const people = new Map<string, string[]>();
    for (const id of touched) {
      const members = componentOf(db, id);
      people.set(members[0]!, members);
    }
    for (const id of touched) {
      statement(db, 'DELETE FROM perpetrators_scores WHERE canonical_id = ?').run(canonicalBefore(id));
      statement(db, 'DELETE FROM perpetrators_members WHERE party_id = ?').run(id);
    }
    for (const members of people.values()) {
      statement(db, 'DELETE FROM perpetrators_scores WHERE canonical_id = ?').run(members[0]!);
      writePerson(db, config, members, day);
    }
    db.exec('DELETE FROM perpetrators_stale');
    return { mode: 'stale', people: people.size };
  })();
}
