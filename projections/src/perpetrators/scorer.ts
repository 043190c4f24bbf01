/**
 * Keeps the ranking scored for today without holding a request (issue 20). `rescore` does the work in one go, which
 * is right for a few thousand people and wrong at a national year (a full rescore of 700,000 people held the event
 * loop for 22 s in the first read of a day). The scorer:
 *
 * - on a new day rescores only the people whose day has come (`changes_on` <= today: a recency band passed, an
 *   incident left the window), usually about 1 % of them;
 * - does that work in the request when it is small (at most `syncLimit` people), as `rescore` always did;
 * - otherwise does it in slices between turns of the event loop, serving the previous day's ranking (its `asOf`
 *   says so) until the new day's rows are written in one transaction, so a reader never sees two days mixed;
 * - when there is no ranking of this configuration at all (after a rebuild, or under a new configuration) counts
 *   and then scores everyone in slices, and until then answers that there is none (`asOf` undefined: the route
 *   says 503, with `progress()`: how many people of how many are scored, and so when to ask again).
 *
 * People whose facts change meanwhile stay marked stale and are rescored once the slices are done.
 */
import type Database from 'better-sqlite3';
import { readCheckpoint } from '../framework/checkpoints.js';
import { statement } from '../framework/statements.js';
import { perpetratorsProjection } from './projection.js';
import type { RfgConfig } from './rfg-config.js';
import { incidentsOf, linkComponents, rescore, scoreValuesOf, writePerson, writeScore, type ScoreValues } from './rescore.js';

export interface RankingState {
  /** The day the ranking served is scored for; undefined while there is none under this configuration. */
  asOf: string | undefined;
  /** Scoring is under way in the background (a new day, or everyone). */
  pending: boolean;
}

/** How far scoring everyone has come (there is no ranking until it ends). */
export interface ScoringProgress {
  /** People scored so far. */
  scored: number;
  /** People to score in all; undefined while they are still being counted (in slices, before any is scored). */
  people: number | undefined;
  /** Milliseconds since the scoring started, by the scorer's clock. */
  elapsedMs: number;
}

export interface RankingScorerOptions {
  /** At most this many people are scored inside a request; more are scored in slices. */
  syncLimit?: number;
  /** People per slice. */
  slice?: number;
  /** Runs the next slice after the current turn of the event loop (tests pass their own). */
  defer?: (run: () => void) => void;
  /** A slice that throws ends the job; it is reported here (and the next read starts again). */
  onError?: (error: unknown) => void;
  /** Milliseconds, for the progress's elapsed time (default: performance.now). */
  clock?: () => number;
}

interface Meta {
  config_version: string;
  as_of: string;
}

const metaOf = (db: Database.Database) => statement<[], Meta>(db, 'SELECT config_version, as_of FROM perpetrators_score_meta').get();

export class RankingScorer {
  private job: { day: string; everyone?: { scored: number; people: number | undefined; startedAt: number } } | undefined;
  private readonly syncLimit: number;
  private readonly slice: number;
  private readonly defer: (run: () => void) => void;
  private readonly clock: () => number;

  constructor(
    private readonly db: Database.Database,
    readonly config: RfgConfig,
    private readonly options: RankingScorerOptions = {},
  ) {
    this.syncLimit = options.syncLimit ?? 2_000;
    this.slice = options.slice ?? 500;
    this.defer = options.defer ?? ((run) => void setImmediate(run));
    this.clock = options.clock ?? (() => performance.now());
  }

  /** While everyone is being scored (no ranking to serve yet): how far it has come. Otherwise undefined. */
  progress(): ScoringProgress | undefined {
    const everyone = this.job?.everyone;
    if (!everyone) return undefined;
    // Suspects the projector adds meanwhile may be scored beyond the count: never more scored than there are people.
    const people = everyone.people === undefined ? undefined : Math.max(everyone.people, everyone.scored);
    return { scored: everyone.scored, people, elapsedMs: this.clock() - everyone.startedAt };
  }

  /** Brings the ranking up to `today` where that is quick, starts it in the background where not; says what is served. */
  upToDate(today: string): RankingState {
    const meta = metaOf(this.db);
    const current = meta?.config_version === this.config.version ? meta : undefined;
    // While slices run, the served ranking stays as it is (stale people wait for the slices' end).
    if (this.job) return { asOf: current?.as_of, pending: true };
    if (!current) {
      const suspects = statement<[number], { n: number }>(
        this.db,
        `SELECT count(*) AS n FROM (SELECT 1 FROM perpetrators_parties WHERE role = 'suspect' LIMIT ?)`,
      ).get(this.syncLimit + 1)!.n;
      if (suspects <= this.syncLimit) {
        rescore(this.db, this.config, today);
        return { asOf: today, pending: false };
      }
      this.startEveryone(today);
      return { asOf: undefined, pending: true };
    }
    if (current.as_of !== today) {
      // Counted up to one more than the limit from the index alone: a larger day is read in slices.
      const due = statement<[string, number], { n: number }>(
        this.db,
        'SELECT count(*) AS n FROM (SELECT 1 FROM perpetrators_scores WHERE changes_on IS NOT NULL AND changes_on <= ? LIMIT ?)',
      ).get(today, this.syncLimit + 1)!.n;
      if (due <= this.syncLimit) {
        const people = this.dueAfter(today, undefined, this.syncLimit);
        this.writeDay(people.map((p) => this.score(p.members, today)), current, today);
        rescore(this.db, this.config, today); // the stale ones, as of the new day
        return { asOf: today, pending: false };
      }
      this.startDay(current, today);
      return { asOf: current.as_of, pending: true };
    }
    rescore(this.db, this.config, today); // the stale ones, if any
    return { asOf: today, pending: false };
  }

  private score(members: readonly string[], day: string): { canonical: string; values: ScoreValues | undefined } {
    return { canonical: members[0]!, values: scoreValuesOf(this.config, members, incidentsOf(this.db, members), day) };
  }

  /** The new day's rows and the meta in one transaction, unless the ranking changed under the job (a rebuild). */
  private writeDay(rows: readonly { canonical: string; values: ScoreValues | undefined }[], from: Meta, day: string): void {
    this.db.transaction(() => {
      const meta = metaOf(this.db);
      if (meta?.config_version !== from.config_version || meta.as_of !== from.as_of) return;
      for (const row of rows) writeScore(this.db, row.canonical, row.values);
      statement(this.db, 'UPDATE perpetrators_score_meta SET as_of = ?').run(day);
    })();
  }

  /** Runs `step` slice after slice until it says it is done; a failure ends the job. */
  private run(job: NonNullable<RankingScorer['job']>, step: () => boolean): void {
    this.job = job;
    const next = () => {
      try {
        if (step()) this.job = undefined;
        else this.defer(next);
      } catch (error) {
        this.job = undefined;
        this.options.onError?.(error);
      }
    };
    this.defer(next);
  }

  /**
   * The people whose day has come by `day`, after a place in the order of the `changes_on` index (the rows do not
   * move while a day is scored: its rows are written at the end).
   */
  private dueAfter(day: string, after: { changesOn: string; canonical: string } | undefined, limit: number) {
    const rows = statement<[string, string, string, number], { canonical_id: string; members: string; changes_on: string }>(
      this.db,
      `SELECT canonical_id, members, changes_on FROM perpetrators_scores
        WHERE changes_on IS NOT NULL AND changes_on <= ? AND (changes_on, canonical_id) > (?, ?) ORDER BY changes_on, canonical_id LIMIT ?`,
    ).all(day, after?.changesOn ?? '', after?.canonical ?? '', limit);
    return rows.map((r) => ({ members: r.members.split(','), at: { changesOn: r.changes_on, canonical: r.canonical_id } }));
  }

  /** The day's people read and scored a slice at a time, held, then written with the new day in one transaction. */
  private startDay(from: Meta, day: string): void {
    const rows: { canonical: string; values: ScoreValues | undefined }[] = [];
    let after: { changesOn: string; canonical: string } | undefined;
    this.run({ day }, () => {
      const people = this.dueAfter(day, after, this.slice);
      for (const person of people) rows.push(this.score(person.members, day));
      after = people.at(-1)?.at;
      if (people.length === this.slice) return false;
      this.writeDay(rows, from, day);
      return true;
    });
  }

  /**
   * Everyone, written slice by slice (there is no ranking of this configuration to keep serving): first counted (the
   * suspect ids read from the index in chunks, so that the 503 meanwhile can say how far it has come), then the
   * linked people (few: staff make the links), then every other suspect id alone, in id order from a keyset cursor.
   */
  private startEveryone(day: string): void {
    const db = this.db;
    db.transaction(() => db.exec('DELETE FROM perpetrators_score_meta; DELETE FROM perpetrators_scores; DELETE FROM perpetrators_members; DELETE FROM perpetrators_stale;'))();
    const linked = linkedPeople(db);
    const inLinked = new Set(linked.flat());
    // A rebuild of the read model meanwhile (a new generation) empties the tables under the job: it ends without
    // writing the meta row, and the next read starts again on the rebuilt facts.
    const generation = readCheckpoint(db, perpetratorsProjection.name)?.generation;
    const suspectsAfter = (after: string, limit: number) =>
      statement<[string, number], { party_id: string }>(
        db,
        `SELECT DISTINCT party_id FROM perpetrators_parties WHERE party_id > ? AND role = 'suspect' ORDER BY party_id LIMIT ?`,
      ).all(after, limit);
    const everyone = { scored: 0, people: undefined as number | undefined, startedAt: this.clock() };
    // Counting reads ids from the index alone: a chunk costs a fraction of a slice's scoring.
    const countChunk = this.slice * 50;
    let counted = linked.length;
    let countedAfter = '';
    let after: string | undefined;
    let linkedDone = false;
    this.run({ day, everyone }, () => {
      if (readCheckpoint(db, perpetratorsProjection.name)?.generation !== generation) return true;
      if (everyone.people === undefined) {
        const ids = suspectsAfter(countedAfter, countChunk);
        for (const { party_id } of ids) if (!inLinked.has(party_id)) counted++;
        if (ids.length === countChunk) countedAfter = ids.at(-1)!.party_id;
        else everyone.people = counted;
        return false;
      }
      db.transaction(() => {
        if (!linkedDone) {
          for (const members of linked) writePerson(db, this.config, members, day);
          everyone.scored += linked.length;
          linkedDone = true;
          return;
        }
        const ids = suspectsAfter(after ?? '', this.slice);
        for (const { party_id } of ids) {
          if (inLinked.has(party_id)) continue;
          writePerson(db, this.config, [party_id], day);
          everyone.scored++;
        }
        after = ids.length === this.slice ? ids.at(-1)!.party_id : undefined;
        if (after === undefined) statement(db, 'INSERT OR REPLACE INTO perpetrators_score_meta VALUES (1, ?, ?)').run(this.config.version, day);
      })();
      return linkedDone && after === undefined && metaOf(db) !== undefined;
    });
  }
}

/** The people with more than one party id: components of the links (both ways), each sorted, canonical first. */
function linkedPeople(db: Database.Database): string[][] {
  return linkComponents(db, []);
}
