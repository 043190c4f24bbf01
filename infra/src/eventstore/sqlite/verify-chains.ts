/**
 * Verifies the hash chains of the embedded store. Reads the whole log once in position order (a sequential
 * scan: the fastest way through the file) on its own connection, inside one read transaction, so appends
 * made meanwhile by this or another process neither block nor confuse it (WAL snapshot isolation).
 *
 * What it catches: any edited body, type, stream, revision or position; a row inserted, deleted (also the
 * last of a stream: the head in `streams` is checked) or moved. What it cannot catch on its own: someone
 * with write access to the whole file who recomputes every later hash and the stream heads. Against that
 * the report gives `headDigest` (a digest of the log up to `headPosition`); an auditor who records it
 * elsewhere can pass it back as `anchor` and any rewrite of the log up to that position is found.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { linkHash } from '../../audit/integrity/chain.js';
import { LogWalk, type StreamWalk } from '../../audit/integrity/log-walk.js';
import type { LogAnchor, VerifyOptions, VerifyReport } from '../../audit/integrity/report.js';
import { openSqlite } from './open.js';

const PAGE = 20_000;

type Row = [position: number, streamId: string, revision: number, type: string, data: string, metadata: string, prevHash: string | null, hash: string | null];

export async function verifySqliteChains(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const db = openSqlite(file);
  try {
    db.exec('BEGIN'); // the snapshot starts at the first read below and holds until COMMIT
    const registered = readStreamsTable(db);
    const walk = new SqliteLogWalk(options.anchor);
    const select = db
      .prepare('SELECT position, stream_id, revision, type, data, metadata, prev_hash, hash FROM events WHERE position > ? ORDER BY position LIMIT ?')
      .raw();
    for (let page = select.all(-1, PAGE) as Row[]; page.length > 0; page = select.all(Number(walk.lastPosition), PAGE) as Row[]) {
      for (const row of page) walk.visit(row);
      options.onProgress?.(walk.events, walk.lastPosition);
      await nextTurn(); // let the process serve requests between pages of a long check
    }
    db.exec('COMMIT');
    walk.checkHeads(registered);
    return walk.report(options.maxBreaks ?? 100, performance.now() - started);
  } finally {
    db.close();
  }
}

function readStreamsTable(db: Database.Database): Map<string, { revision: number; headHash: string | null }> {
  const rows = db.prepare('SELECT stream_id, revision, head_hash FROM streams').raw().all() as [string, number, string | null][];
  return new Map(rows.map(([streamId, revision, headHash]) => [streamId, { revision, headHash }]));
}

class SqliteLogWalk extends LogWalk<StreamWalk> {
  constructor(anchor: LogAnchor | undefined) {
    super('sqlite', anchor);
  }

  protected startStream(): StreamWalk {
    return this.newStreamWalk();
  }

  visit([position, streamId, revision, type, dataJson, metadataJson, prevHash, hash]: Row): void {
    const walk = this.enter(streamId, BigInt(position));
    const computed = linkHash(prevHash ?? '', { streamId, revision, position, type, dataJson, metadataJson });
    this.digest.update(computed);
    if (!walk.broken) {
      const at = { streamId, revision, position: String(position) };
      if (hash !== computed) this.broke(walk, { kind: 'content-changed', ...at, expected: computed, found: hash ?? '(none)' });
      else if (revision !== walk.nextRevision) {
        this.broke(walk, { kind: 'revision-out-of-sequence', ...at, expected: `revision ${walk.nextRevision}`, found: `revision ${revision}` });
      } else if (prevHash !== walk.lastHash) this.broke(walk, { kind: 'broken-link', ...at, expected: walk.lastHash, found: prevHash ?? '(none)' });
    }
    walk.nextRevision = revision + 1;
    walk.lastHash = computed;
  }

  /** The tail of each stream against its registered head; streams present in only one of the two. */
  checkHeads(registered: Map<string, { revision: number; headHash: string | null }>): void {
    for (const [streamId, head] of registered) {
      const walk = this.streams.get(streamId);
      const at = { streamId, revision: head.revision, position: null };
      if (!walk) {
        this.breaks.push({ kind: 'stream-emptied', ...at, expected: `revisions 0..${head.revision}`, found: 'no events' });
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
