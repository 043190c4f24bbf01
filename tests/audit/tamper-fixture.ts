/** A small chained log in a temporary SQLite file, and raw access to the file to tamper with it. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, SqliteEventStore, linkHash, canonicalJson, type VerifyReport, type LogAnchor } from '@hru/infra';
import { testEvent } from '../support/events.js';
import { tempDir } from '../support/temp-dir.js';

/** The access log first: its last entry is then not the end of the log, as in a running engine. */
export const STREAMS = ['access-log-2026-11-20', 'ref-a', 'ref-b'] as const;
export const EVENTS_PER_STREAM = 5;

export interface TamperFixture {
  file: string;
  /** Runs SQL directly on the file, as someone with write access to it could. */
  sql(statement: string, ...params: unknown[]): void;
  row(streamId: string, revision: number): RawRow;
  verify(anchor?: LogAnchor): Promise<VerifyReport>;
  cleanup(): void;
}

export interface RawRow {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

/** Interleaved appends to three streams; the access-log stream is appended to with expectedRevision 'any'. */
export async function createTamperFixture(): Promise<TamperFixture> {
  const { dir, cleanup } = tempDir('hru-tamper-');
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore(file);
  for (let i = 0; i < EVENTS_PER_STREAM; i++) {
    await Promise.all(
      STREAMS.map((stream) =>
        store.appendToStream(stream, [testEvent('Noted', { i, stream, note: `event ${i}` })], {
          expectedRevision: stream.startsWith('access-log-') ? 'any' : i === 0 ? 'no_stream' : i - 1,
        }),
      ),
    );
  }
  await store.close();
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    file,
    sql: (statement, ...params) => withDb((db) => db.prepare(statement).run(...params)),
    row: (streamId, revision) =>
      withDb((db) => db.prepare('SELECT * FROM events WHERE stream_id = ? AND revision = ?').get(streamId, revision) as RawRow),
    async verify(anchor) {
      const reader = new SqliteEventStore(file);
      try {
        return await reader.verifyChains(anchor ? { anchor } : {});
      } finally {
        await reader.close();
      }
    },
    cleanup,
  };
}

/** The hash a forger would compute for a row, given the hash before it: without the key, which is not in the file. */
export function forgeHash(row: Omit<RawRow, 'prev_hash' | 'hash'>, prevHash: string = GENESIS_HASH): string {
  return linkHash(prevHash, {
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    dataJson: canonicalJson(JSON.parse(row.data)),
    metadataJson: canonicalJson(JSON.parse(row.metadata)),
  });
}
