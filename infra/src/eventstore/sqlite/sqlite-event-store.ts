/**
 * Embedded event store on one SQLite file (WAL, synchronous=FULL).
 *
 * Appends that arrive in the same turn of the event loop are written in one transaction (group commit):
 * one writer's conflict does not fail its neighbours, and one fsync covers them all. A conflict is found before
 * its append writes anything, so the batch runs without savepoints; an append that fails after writing part of
 * its events (a duplicate event id) rolls the batch back, which is written again with each append in a savepoint.
 * Positions are rowids assigned under SQLite's single write lock, so commits happen in position order and a
 * reader never sees a gap that is later filled.
 *
 * When another process holds the write lock, the batch waits between turns of the event loop (short tries,
 * growing pauses) rather than inside SQLite's busy handler, which would freeze every request, health check
 * and live stream of this process for as long as the other writer takes.
 */
import type Database from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { ConcurrencyError, UnavailableError, ValidationError, type EventMetadata } from '@hru/events';
import { describeExpected } from '@hru/application/log';
import type {
  AccessEntriesQuery,
  AccessLogIndex,
  ReceiptIndex,
  ReceivedReferral,
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RawEvent,
  RawReadOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '@hru/application';
import { eventStoreMigrations, migrate } from './migrations.js';
import { openSqlite, type OpenSqliteOptions } from './open.js';
import { startPollingSubscription } from './polling-subscription.js';
import { canonicalJson } from '../../audit/integrity/canonical-json.js';
import { rawMetadataOf, rawMetadataOfParsed } from './raw-metadata.js';
import { GENESIS_HASH, linkHash, type ChainKey } from '../../audit/integrity/chain.js';
import { loadOrCreateChainKey } from '../../audit/integrity/chain-key.js';
import type { ChainVerifier, VerifyOptions, VerifyReport } from '../../audit/integrity/report.js';
import { verifySqliteChains } from './verify-chains.js';
import { RecentEvents } from './recent-events.js';
import { AppendedTail, type EventRow } from './appended-tail.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

interface PendingAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: AppendResult; rows: EventRow[] } | { ok: false; error: unknown };

/**
 * Thrown out of a batch written without savepoints, to roll all of it back: one of its appends failed after
 * writing some of its events, which only a savepoint could have undone alone.
 */
class PartlyWritten extends Error {}

interface PendingLookup {
  streamId: string;
  resolve(revision: number | undefined): void;
  reject(error: unknown): void;
}

type Row = EventRow;

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

function toRecorded(row: Row): RecordedEvent {
  return {
    position: BigInt(row[0]),
    streamId: row[1],
    revision: row[2],
    eventId: row[3],
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]) as EventMetadata,
    recordedAt: row[7],
  };
}

/**
 * The access-log search over migration 4's partial indexes; the key and time expressions are the indexes' own,
 * character for character (SQLite uses an expression index only for the expression as written). Exported for the
 * spec that reads its query plan.
 */
export function accessEntriesSql(by: 'referral' | 'actor', withAfter: boolean): string {
  const key = by === 'referral' ? "data ->> '$.referralId'" : "coalesce(metadata ->> '$.actor.sub', metadata ->> '$.actor.system')";
  const at = "metadata ->> '$.occurredAt'";
  const after = withAfter ? `AND (${at}, position) > (?, ?)` : '';
  return `SELECT ${COLUMNS} FROM events
    WHERE type = 'PersonalDataAccessed' AND ${key} = ? AND ${at} >= ? AND ${at} <= ? ${after}
    ORDER BY ${at}, position LIMIT ?`;
}

type RawRow = [position: number, type: string, data: string, metadata: string];

export interface SqliteEventStoreOptions extends OpenSqliteOptions {
  /** How often a live subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
  /** How long an append waits for another process's write lock before failing as unavailable (10 s). */
  lockWaitMs?: number;
  /**
   * The key the hash chains are keyed with (HRU_CHAIN_KEY). Default: the key file beside the event log,
   * generated on first use (see chain-key.ts): fine for development, not where production keeps it.
   */
  chainKey?: ChainKey | (() => ChainKey);
  /**
   * WAL checkpoints on a worker thread instead of inside the commit that crosses the threshold (wal-checkpointer.ts):
   * the engine's store sets it; a short-lived store (a test, a CLI command) leaves it off and spares the thread.
   */
  checkpointInWorker?: boolean;
}

/** Longest a single try blocks the event loop inside SQLite while another process holds the lock. */
const LOCK_TRY_MS = 20;
const LOCK_PAUSE_MAX_MS = 100;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

export class SqliteEventStore implements EventStore, ChainVerifier, AccessLogIndex, ReceiptIndex {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** Stream-revision look-ups of this turn of the event loop, answered together (see `streamRevision`). */
  private lookups: PendingLookup[] = [];
  private lookupScheduled = false;
  private readonly lookUpAll: Database.Transaction<(batch: PendingLookup[], revisions: (number | undefined)[]) => void>;
  /** Set while a batch waits for another process's write lock: the retry timer, and when the wait began. */
  private lockWait: { timer: NodeJS.Timeout; since: number; tries: number } | undefined;
  private readonly lockWaitMs: number;
  private readonly appendedListeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly filteredStatements = new Map<string, Database.Statement>();
  /** What subscriptions read, parsed once for all of them (see recent-events.ts). */
  private readonly recent = new RecentEvents();
  /** What this store committed last, as stored: its subscriptions read it here (see appended-tail.ts). */
  private readonly tail = new AppendedTail();
  private closed = false;
  private closing = false;
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly pollIntervalMs: number;
  private readonly keyOption: SqliteEventStoreOptions['chainKey'];
  private loadedKey: ChainKey | undefined;
  /**
   * Runs one append in a savepoint of the batch transaction (better-sqlite3 nests transactions as savepoints): when
   * a batch is written again after an append failed part-way.
   */
  private readonly appendOne: Database.Transaction<(request: PendingAppend, last: bigint, rows: EventRow[]) => AppendResult>;
  private readonly commitBatch: Database.Transaction<(batch: PendingAppend[], outcomes: Outcome[], inSavepoints: boolean) => void>;

  private readonly stmt: {
    streamRevision: Database.Statement<[string], { revision: number }>;
    streamHead: Database.Statement<[string], { revision: number; head_hash: string | null }>;
    byEventId: Database.Statement<[string], { stream_id: string; revision: number; position: number }>;
    eventIdAt: Database.Statement<[string, number], { event_id: string; position: number }>;
    insert: Database.Statement;
    upsertStream: Database.Statement;
    head: Database.Statement<[], { head: number | null }>;
  };

  /**
   * The chain key: as given, else the key file beside the log (created on first use), loaded when first needed:
   * by migration 3 or the first append, so a log that cannot be opened leaves no key file behind.
   */
  private get chainKey(): ChainKey {
    const given = this.keyOption;
    this.loadedKey ??= typeof given === 'function' ? given() : (given ?? (this.file === ':memory:' ? randomBytes(32) : loadOrCreateChainKey(dirname(this.file))));
    return this.loadedKey;
  }

  constructor(readonly file: string, options: SqliteEventStoreOptions = {}) {
    this.db = openSqlite(file, options);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.lockWaitMs = options.lockWaitMs ?? 10_000;
    this.keyOption = options.chainKey;
    // Migrations run once at start-up and may wait the whole busy timeout; afterwards a try is short. A read-only
    // store reads a file that a writable one has migrated (and, never appending, needs no key unless asked to verify).
    const store = this;
    if (!options.readonly) migrate(this.db, eventStoreMigrations, undefined, { get chainKey() { return store.chainKey; } });
    this.db.pragma(`busy_timeout = ${LOCK_TRY_MS}`);
    this.checkpointer = options.checkpointInWorker && !options.readonly && !this.db.memory ? startWalCheckpointer(this.db) : undefined;
    this.stmt = {
      streamRevision: this.db.prepare('SELECT revision FROM streams WHERE stream_id = ?'),
      streamHead: this.db.prepare('SELECT revision, head_hash FROM streams WHERE stream_id = ?'),
      byEventId: this.db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
      eventIdAt: this.db.prepare('SELECT event_id, position FROM events WHERE stream_id = ? AND revision = ?'),
      insert: this.db.prepare(
        'INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (stream_id, revision, head_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, head_hash = excluded.head_hash',
      ),
      head: this.db.prepare('SELECT max(position) AS head FROM events'),
    };
    this.lookUpAll = this.db.transaction((batch: PendingLookup[], revisions: (number | undefined)[]) => {
      for (const { streamId } of batch) revisions.push(this.stmt.streamRevision.get(streamId)?.revision);
    });
    this.appendOne = this.db.transaction((request: PendingAppend, last: bigint, rows: EventRow[]) => this.writeAppend(request, last, rows));
    this.commitBatch = this.db.transaction((batch: PendingAppend[], outcomes: Outcome[], inSavepoints: boolean) => {
      // The log's last position, read once per batch: the batch holds the write lock from its first statement
      // (BEGIN IMMEDIATE), so only its own appends move it, and a rolled-back one leaves it where it was.
      let last = BigInt(this.stmt.head.get()?.head ?? 0);
      for (const request of batch) {
        const rows: EventRow[] = [];
        try {
          // Without a savepoint SQLite copies no page aside before changing it (a sub-journal, spilled to a
          // temporary file past 64 KiB): what the common case, every append succeeding, never needs.
          const result = inSavepoints ? this.appendOne(request, last, rows) : this.writeAppend(request, last, rows);
          outcomes.push({ ok: true, result, rows });
          if (rows.length > 0) last = BigInt(rows[rows.length - 1]![0]);
        } catch (error) {
          // `rows` holds the events this append wrote: none when it failed before writing (a conflict, a retry
          // of events stored elsewhere) or on its first insert, which SQLite undoes by itself.
          if (!inSavepoints && rows.length > 0) throw new PartlyWritten();
          outcomes.push({ ok: false, error });
        }
      }
    });
  }

  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new UnavailableError('The event store is closed'));
    if (events.length === 0) return Promise.reject(new ValidationError('Nothing to append', [{ path: '/events', message: 'empty' }]));
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events, expected: options.expectedRevision ?? 'any', resolve, reject });
      // While waiting for the lock, the retry timer takes whatever has queued.
      if (!this.flushScheduled && !this.lockWait) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      try {
        this.commitBatch.immediate(batch, outcomes, false);
      } catch (error) {
        if (!(error instanceof PartlyWritten)) throw error;
        outcomes.length = 0;
        this.commitBatch.immediate(batch, outcomes, true);
      }
    } catch (error) {
      // The whole transaction failed: nothing of this batch was written.
      if (isBusy(error) && this.waitForLock(batch)) return;
      this.lockWait = undefined;
      const why = isBusy(error) ? 'The event store is locked by another process' : 'The event store could not commit';
      for (const request of batch) request.reject(new UnavailableError(why, { cause: error }));
      return;
    }
    this.lockWait = undefined;
    // Committed: the rows of the appends that succeeded (in position order) are what the log now holds.
    for (const outcome of outcomes) if (outcome.ok) this.tail.add(outcome.rows);
    batch.forEach((request, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
    for (const listener of this.appendedListeners) listener();
  };

  /** Puts the batch back in front of the queue and tries again after a pause; false once the wait is over. */
  private waitForLock(batch: PendingAppend[]): boolean {
    const now = Date.now();
    const since = this.lockWait?.since ?? now;
    const tries = (this.lockWait?.tries ?? 0) + 1;
    if (this.closing || now - since >= this.lockWaitMs) return false;
    this.pending = batch.concat(this.pending);
    const pause = Math.min(LOCK_PAUSE_MAX_MS, 5 * 2 ** Math.min(tries, 5));
    this.lockWait = { timer: setTimeout(this.flush, pause), since, tries };
    return true;
  }

  /**
   * Appends one request's events after position `last` (the log's last), in the batch's transaction or in a savepoint
   * of it; `rows` receives them as stored as each is written, for the tail once committed.
   */
  private writeAppend({ streamId, events, expected }: PendingAppend, last: bigint, rows: EventRow[]): AppendResult {
    const retried = this.findIdempotentRetry(streamId, events);
    if (retried) return retried;
    const head = this.stmt.streamHead.get(streamId);
    const current = head?.revision ?? -1;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === -1) ||
      (expected === 'stream_exists' && current >= 0) ||
      expected === current;
    if (!ok) throw new ConcurrencyError(streamId, describeExpected(expected), current === -1 ? 'no_stream' : current);
    const recordedAt = new Date().toISOString();
    let revision = current;
    // Positions are given explicitly (not left to the rowid) because each event's hash covers its position;
    // under the write lock nobody else can take the next one. The first position is 1, as rowids start.
    let position = last;
    let hash = head?.head_hash ?? GENESIS_HASH;
    for (const event of events) {
      revision++;
      position++;
      const dataJson = canonicalJson(event.data);
      const metadataJson = canonicalJson(event.metadata);
      const prevHash = hash;
      hash = linkHash(prevHash, { streamId, revision, position, type: event.type, dataJson, metadataJson }, this.chainKey);
      try {
        this.stmt.insert.run(position, streamId, revision, event.metadata.eventId, event.type, dataJson, metadataJson, recordedAt, prevHash, hash);
        rows.push([Number(position), streamId, revision, event.metadata.eventId, event.type, dataJson, metadataJson, recordedAt]);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && String(error).includes('event_id')) {
          throw new ValidationError('An event id is already used by another stream or revision', [
            { path: '/metadata/eventId', message: `duplicate event id ${event.metadata.eventId}` },
          ]);
        }
        throw error;
      }
    }
    this.stmt.upsertStream.run(streamId, revision, hash);
    return { nextExpectedRevision: revision, position };
  }

  /** A retry of events already stored (same ids, same order, same stream) succeeds without writing again. */
  private findIdempotentRetry(streamId: string, events: readonly NewEvent[]): AppendResult | undefined {
    const first = this.stmt.byEventId.get(events[0]!.metadata.eventId);
    if (!first) return undefined;
    if (first.stream_id !== streamId) {
      throw new ValidationError('An event id is already used by another stream', [
        { path: '/metadata/eventId', message: `event id ${events[0]!.metadata.eventId} belongs to another stream` },
      ]);
    }
    let position = BigInt(first.position);
    for (let i = 1; i < events.length; i++) {
      const stored = this.stmt.eventIdAt.get(streamId, first.revision + i);
      if (!stored || stored.event_id !== events[i]!.metadata.eventId) {
        const current = this.stmt.streamRevision.get(streamId)?.revision ?? -1;
        throw new ConcurrencyError(streamId, `a retry of events from revision ${first.revision}`, current);
      }
      position = BigInt(stored.position);
    }
    return { nextExpectedRevision: first.revision + events.length - 1, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readStreamSync(streamId, options);
  }

  readStreamSync(streamId: string, options: ReadStreamOptions = {}): RecordedEvent[] {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const limit = options.maxCount ?? -1;
    const sql = backwards
      ? `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`
      : `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`;
    return (this.statement(sql).raw().all(streamId, from, limit) as Row[]).map(toRecorded);
  }

  /**
   * Access-log entries of one referral or actor through migration 4's partial indexes: the expressions below must
   * stay exactly as the indexes spell them, or SQLite scans the log instead.
   */
  async readAccessEntries(query: AccessEntriesQuery): Promise<RecordedEvent[]> {
    const sql = accessEntriesSql(query.by, query.after !== undefined);
    const params: unknown[] = [query.key, query.from, query.to];
    if (query.after) params.push(query.after.at, Number(query.after.position));
    return (this.statement(sql).raw().all(...params, query.limit) as Row[]).map(toRecorded);
  }

  /** Through migration 5's partial index; the expression is the index's own, as written there. */
  async referralsReceivedBetween(from: string, to: string): Promise<ReceivedReferral[]> {
    const rows = this.statement(
      `SELECT stream_id, metadata ->> '$.occurredAt' FROM events
       WHERE type = 'ReferralReceived' AND metadata ->> '$.occurredAt' >= ? AND metadata ->> '$.occurredAt' < ?`,
    )
      .raw()
      .all(from, to) as [string, string][];
    return rows.map(([referralId, occurredAt]) => ({ referralId, occurredAt }));
  }

  /**
   * The look-ups of one turn of the event loop are answered together, in one read transaction: a point query on its
   * own opens and closes a WAL read transaction (the shared locks on the file and the WAL index, each a system call),
   * which cost more than the query (issue 19: 11 µs alone against 3 to 6 µs inside a transaction, unloaded; 48 to
   * 61 µs per intake under the intake load). Each answer is the stream's committed revision when the batch runs.
   */
  streamRevision(streamId: string): Promise<number | undefined> {
    if (this.closed) return Promise.reject(new UnavailableError('The event store is closed'));
    return new Promise((resolve, reject) => {
      this.lookups.push({ streamId, resolve, reject });
      if (!this.lookupScheduled) {
        this.lookupScheduled = true;
        setImmediate(this.lookUp);
      }
    });
  }

  private readonly lookUp = (): void => {
    this.lookupScheduled = false;
    const batch = this.lookups;
    this.lookups = [];
    if (batch.length === 0) return;
    const revisions: (number | undefined)[] = [];
    try {
      // One look-up gains nothing from a transaction around it (two more statements).
      if (batch.length === 1) revisions.push(this.stmt.streamRevision.get(batch[0]!.streamId)?.revision);
      else this.lookUpAll.deferred(batch, revisions);
    } catch (error) {
      for (const lookup of batch) lookup.reject(error);
      return;
    }
    batch.forEach((lookup, i) => lookup.resolve(revisions[i]));
  };

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    return this.selectRange(backwards ? '<=' : '>=', from, undefined, options.filter, options.maxCount ?? -1, backwards);
  }

  async readAllRaw(options: RawReadOptions): Promise<RawEvent[]> {
    // A reader following the head (the key-log follower) asks for what this store has just committed: the tail has it.
    if (!options.partition && options.upTo !== undefined) {
      const rows = this.tail.read(Number(options.fromPosition) - 1, Number(options.upTo), { eventTypes: options.eventTypes }, options.maxCount);
      if (rows) return this.rawEventsOfTail(rows);
    }
    const where = ['position >= ?', 'position <= ?', `type IN (${options.eventTypes.map(() => '?').join(', ') || 'NULL'})`];
    const params: unknown[] = [Number(options.fromPosition), Number(options.upTo ?? BigInt(Number.MAX_SAFE_INTEGER)), ...options.eventTypes];
    if (options.partition) {
      // By the last character of the stream id, as `partitionOf`: SQLite skips the other shares' rows unparsed.
      where.push('unicode(substr(stream_id, -1)) % ? = ?');
      params.push(options.partition.count, options.partition.index);
    }
    // The metadata fields a replay sees are found in the stored text, not by parsing all of it (raw-metadata.ts).
    const sql = `SELECT position, type, data, metadata FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`;
    const rows = this.statement(sql).raw().all(...params, options.maxCount) as RawRow[];
    const events = new Array<RawEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      events[i] = { position: BigInt(row[0]), type: row[1], data: JSON.parse(row[2]), metadata: rawMetadataOf(row[3]) };
    }
    return events;
  }

  /**
   * Rows of the tail as `readAllRaw` gives them, their data parsed once with the subscriptions' (`recent`, frozen): the
   * key log follower reads the very events the live read models have just read, and parsing each sealed event's data a
   * second time for it was a cost of the encryption (an unsealed engine's follower reads no such event).
   */
  private rawEventsOfTail(rows: readonly EventRow[]): RawEvent[] {
    const events = new Array<RawEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const { position, data, metadata } = this.recent.get(row[0], () => toRecorded(row));
      events[i] = { position, type: row[4], data, metadata: rawMetadataOfParsed(metadata) };
    }
    return events;
  }

  /**
   * Events after `after` up to `upTo` (inclusive) that pass the filter, in log order: for subscriptions, which
   * share the parsed events (frozen) through `recent`.
   */
  readAfterSync(after: bigint, upTo: bigint, filter: EventFilter | undefined, limit: number): RecordedEvent[] {
    const rows = this.tail.read(Number(after), Number(upTo), filter, limit) ?? this.selectRows('>', after, upTo, filter, limit, false);
    const events = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      events[i] = this.recent.get(row[0], () => toRecorded(row));
    }
    return events;
  }

  private selectRange(
    op: '>' | '>=' | '<=',
    from: bigint,
    upTo: bigint | undefined,
    filter: EventFilter | undefined,
    limit: number,
    backwards: boolean,
  ): RecordedEvent[] {
    return this.selectRows(op, from, upTo, filter, limit, backwards).map(toRecorded);
  }

  private selectRows(
    op: '>' | '>=' | '<=',
    from: bigint,
    upTo: bigint | undefined,
    filter: EventFilter | undefined,
    limit: number,
    backwards: boolean,
  ): Row[] {
    const where = [`position ${op} ?`];
    const params: unknown[] = [Number(from)];
    if (upTo !== undefined) {
      where.push('position <= ?');
      params.push(Number(upTo));
    }
    if (filter?.eventTypes) {
      where.push(`type IN (${filter.eventTypes.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...filter.eventTypes);
    }
    if (filter?.streamPrefixes) {
      where.push(`(${filter.streamPrefixes.map(() => 'substr(stream_id, 1, ?) = ?').join(' OR ') || '0'})`);
      for (const prefix of filter.streamPrefixes) params.push(prefix.length, prefix);
    }
    params.push(limit);
    const sql = `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position ${backwards ? 'DESC' : 'ASC'} LIMIT ?`;
    return this.statement(sql).raw().all(...params) as Row[];
  }

  private statement(sql: string): Database.Statement {
    let statement = this.filteredStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.filteredStatements.set(sql, statement);
    }
    return statement;
  }

  headPositionSync(): bigint {
    const head = this.stmt.head.get()?.head;
    return head === null || head === undefined ? -1n : BigInt(head);
  }

  async headPosition(): Promise<bigint> {
    return this.headPositionSync();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = startPollingSubscription(
      {
        head: () => this.headPositionSync(),
        readAfter: (after, upTo, filter, limit) => this.readAfterSync(after, upTo, filter, limit),
        onAppended: (listener) => {
          this.appendedListeners.add(listener);
          return () => this.appendedListeners.delete(listener);
        },
        pollIntervalMs: this.pollIntervalMs,
      },
      options,
    );
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /** Checks every stream's hash chain on a separate connection, in one read snapshot of the file. */
  async verifyChains(options: VerifyOptions = {}): Promise<VerifyReport> {
    return verifySqliteChains(this.file, this.chainKey, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    // A batch waiting for the lock gets one last, patient try, then its callers hear that it failed.
    this.closing = true;
    if (this.lockWait) clearTimeout(this.lockWait.timer);
    this.db.pragma(`busy_timeout = ${Math.min(this.lockWaitMs, 5_000)}`);
    this.flush();
    this.lookUp();
    this.closed = true;
    await this.checkpointer?.stop();
    await nextTurn();
    this.db.close();
  }
}
