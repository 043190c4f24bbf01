/**
 * Verifies the hash chains of the embedded store. Reads the log in position order (a sequential scan: the
 * fastest way through the file) on its own connection, inside one read transaction, so appends made
 * meanwhile by this or another process neither block nor confuse it (WAL snapshot isolation).
 *
 * What it catches: any edited body, type, stream, revision or position, also with every later hash
 * recomputed (the links are keyed and the key is not in the file); a row inserted, deleted (a missing
 * position is a `position-gap`: positions are gapless from 1) or moved; the last rows of a stream cut with
 * its head set back (a gap, unless they were the end of the log: then the digest anchored outside, or the
 * monitor's verified position, shows the log got shorter). What it cannot catch on its own: someone who
 * holds the key. Against that the digest is anchored outside the system (HRU_ANCHOR_SINK) and `anchors`
 * checks it later.
 *
 * `resume` verifies only the events after a digest boundary kept by an earlier run: a stream first met
 * there continues from its stored event before (verified then), and only the heads of the streams met are
 * compared. The full check (no `resume`) stays the reference.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { linkHash, type ChainKey } from '../../audit/integrity/chain.js';
import { LogWalk, type StreamWalk } from '../../audit/integrity/log-walk.js';
import type { VerifyOptions, VerifyReport } from '../../audit/integrity/report.js';
import { checkpointMac, readKeyedCheckpoint, type KeyedCheckpoint } from './keyed-checkpoint.js';
import { openSqlite } from './open.js';

const PAGE = 20_000;

type Row = [position: number, streamId: string, revision: number, type: string, data: string, metadata: string, prevHash: string | null, hash: string | null];

export async function verifySqliteChains(file: string, key: ChainKey, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const db = openSqlite(file);
  try {
    db.exec('BEGIN'); // the snapshot starts at the first read below and holds until COMMIT
    const walk = new SqliteLogWalk(db, key, options);
    const select = db
      .prepare('SELECT position, stream_id, revision, type, data, metadata, prev_hash, hash FROM events WHERE position > ? ORDER BY position LIMIT ?')
      .raw();
    for (let page = select.all(Number(walk.lastPosition), PAGE) as Row[]; page.length > 0; page = select.all(Number(walk.lastPosition), PAGE) as Row[]) {
      for (const row of page) walk.visit(row);
      options.onProgress?.(walk.events, walk.lastPosition);
      await nextTurn(); // let the process serve requests between pages of a long check
    }
    walk.finish();
    db.exec('COMMIT');
    return walk.report(performance.now() - started, walk.unkeyed());
  } finally {
    db.close();
  }
}

type Head = { revision: number; headHash: string | null };

class SqliteLogWalk extends LogWalk<StreamWalk> {
  private readonly checkpoint: KeyedCheckpoint | undefined;
  /** The keyed checkpoint is compared once the walk passes the last unkeyed event (full walks only). */
  private checkpointPending: boolean;
  private unkeyedEvents = 0;
  private readonly priorHash: Database.Statement;
  private readonly headOf: Database.Statement;
  private readonly startedAfter: bigint;

  constructor(db: Database.Database, key: ChainKey, options: VerifyOptions) {
    super('sqlite', key, options);
    this.startedAfter = this.lastPosition;
    this.priorHash = db.prepare('SELECT position, hash FROM events WHERE stream_id = ? AND revision = ?').raw();
    this.headOf = db.prepare('SELECT revision, head_hash FROM streams WHERE stream_id = ?').raw();
    this.checkpoint = readKeyedCheckpoint(db);
    this.checkpointPending = this.checkpoint !== undefined && !options.resume;
    if (this.checkpoint && this.checkpoint.mac !== checkpointMac(key, this.checkpoint)) {
      this.breaks.push(this.logBreak('checkpoint-mismatch', null, 'a checkpoint MACed with the chain key', `a checkpoint that does not verify (key ${this.checkpoint.keyId})`));
      this.checkpointPending = false;
    } else if (!this.checkpoint) {
      this.breaks.push(this.logBreak('checkpoint-mismatch', null, 'the keyed checkpoint of migration 3', '(none)'));
    }
    const head = (db.prepare('SELECT max(position) FROM events').raw().get() as [number | null])[0] ?? 0;
    if (options.resume && BigInt(head) < options.resume.position) {
      this.breaks.push(this.logBreak('log-truncated', String(head), `the log to reach position ${options.resume.position}, verified before`, `the log ends at ${head}`));
    }
  }

  private logBreak(kind: 'checkpoint-mismatch' | 'log-truncated' | 'position-gap', position: string | null, expected: string, found: string) {
    return { kind, streamId: '*', revision: null, position, expected, found };
  }

  /** A stream first met by an incremental walk continues from its event before, verified by an earlier run. */
  protected startStream(streamId: string, revision: number): StreamWalk {
    const walk = this.newStreamWalk();
    if (this.options.resume && revision > 0) {
      const prior = this.priorHash.get(streamId, revision - 1) as [number, string | null] | undefined;
      if (prior && BigInt(prior[0]) <= this.startedAfter) Object.assign(walk, { nextRevision: revision, lastHash: prior[1] ?? '' });
    }
    return walk;
  }

  visit([position, streamId, revision, type, dataJson, metadataJson, prevHash, hash]: Row): void {
    const at = BigInt(position);
    const expectedPosition = this.lastPosition < 1n ? 1n : this.lastPosition + 1n;
    if (at !== expectedPosition) {
      this.breaks.push(this.logBreak('position-gap', String(expectedPosition), `position ${expectedPosition}`, `position ${position} (${streamId} revision ${revision}) next`));
    }
    const keyed = !this.checkpoint || position >= this.checkpoint.keyedFrom;
    if (this.checkpointPending && keyed) this.compareCheckpoint();
    const walk = this.enter(streamId, at, revision);
    if (!keyed) this.unkeyedEvents++;
    const computed = linkHash(prevHash ?? '', { streamId, revision, position, type, dataJson, metadataJson }, keyed ? this.key : undefined);
    this.digestOf(computed);
    if (!walk.broken) {
      const where = { streamId, revision, position: String(position) };
      if (hash !== computed) this.broke(walk, { kind: 'content-changed', ...where, expected: computed, found: hash ?? '(none)' });
      else if (revision !== walk.nextRevision) {
        this.broke(walk, { kind: 'revision-out-of-sequence', ...where, expected: `revision ${walk.nextRevision}`, found: `revision ${revision}` });
      } else if (prevHash !== walk.lastHash) this.broke(walk, { kind: 'broken-link', ...where, expected: walk.lastHash, found: prevHash ?? '(none)' });
    }
    walk.nextRevision = revision + 1;
    walk.lastHash = computed;
  }

  /** The digest over the unkeyed events, taken when the walk leaves them, against the keyed checkpoint. */
  private compareCheckpoint(): void {
    this.checkpointPending = false;
    const c = this.checkpoint!;
    const found = { events: this.digest.events, digest: this.digest.value() };
    if (found.events !== c.events || found.digest !== c.digest) {
      this.breaks.push(
        this.logBreak('checkpoint-mismatch', String(c.keyedFrom - 1), `${c.events} unkeyed events with digest ${c.digest}`, `${found.events} with digest ${found.digest}`),
      );
    }
  }

  /** At the end of the log: the checkpoint if still pending, then the heads of the streams. */
  finish(): void {
    if (this.checkpointPending) this.compareCheckpoint();
    if (this.options.resume) this.checkHeadsOfStreamsMet();
    else this.checkHeads(this.readStreamsTable());
  }

  unkeyed(): Pick<VerifyReport, 'unkeyed'> {
    return this.checkpoint && this.checkpoint.keyedFrom > 1 ? { unkeyed: { events: this.unkeyedEvents, upToPosition: String(this.checkpoint.keyedFrom - 1) } } : {};
  }

  private readStreamsTable(): Map<string, Head> {
    const rows = this.headOf.database.prepare('SELECT stream_id, revision, head_hash FROM streams').raw().all() as [string, number, string | null][];
    return new Map(rows.map(([streamId, revision, headHash]) => [streamId, { revision, headHash }]));
  }

  private checkHeadsOfStreamsMet(): void {
    const heads = new Map<string, Head>();
    for (const streamId of this.streams.keys()) {
      const row = this.headOf.get(streamId) as [number, string | null] | undefined;
      if (row) heads.set(streamId, { revision: row[0], headHash: row[1] });
    }
    this.checkHeads(heads, false);
  }

  /** The tail of each stream against its registered head; streams present in only one of the two. */
  private checkHeads(registered: Map<string, Head>, everyStream = true): void {
    for (const [streamId, head] of registered) {
      const walk = this.streams.get(streamId);
      const at = { streamId, revision: head.revision, position: null };
      if (!walk) {
        if (everyStream) this.breaks.push({ kind: 'stream-emptied', ...at, expected: `revisions 0..${head.revision}`, found: 'no events' });
      } else if (!walk.broken && (walk.nextRevision - 1 !== head.revision || walk.lastHash !== head.headHash)) {
        this.broke(walk, {
          kind: 'head-mismatch',
          ...at,
          expected: `revision ${head.revision} with hash ${head.headHash ?? '(none)'}`,
          found: `revision ${walk.nextRevision - 1} with hash ${walk.lastHash}`,
        });
      }
    }
    for (const [streamId, walk] of this.streams) {
      if (registered.has(streamId) || walk.broken) continue;
      this.broke(walk, { kind: 'stream-unregistered', streamId, revision: walk.nextRevision - 1, position: null, expected: 'a registered stream', found: 'events only' });
    }
  }
}
