/**
 * Foundation benchmarks of the embedded event store, each beside its floor measured in the same run:
 * (a) durable single-event appends from 50 concurrent writers vs raw better-sqlite3 batched inserts into the
 *     same table with the same durability; (b) global-log reads with JSON parsing vs raw SELECT + JSON.parse.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore, eventStoreMigrations, migrate, openSqlite } from '@hru/infra';
import { testEvent } from '../../support/events.js';
import { tempDir } from '../../support/temp-dir.js';
import { rawLogRead } from '../support/raw-log-read.js';
import { nowMs, type BenchResult, type BenchScenario } from '../harness.js';
import { TEST_CHAIN_KEY } from '../../support/chain-key.js';

/** Raw rows written beside the store's own migrations; the key only lets migration 3 take its checkpoint. */
const BENCH_CHAIN_KEY = Buffer.from(TEST_CHAIN_KEY);

const WRITERS = 50;
const APPENDS_PER_WRITER = 200;
const READ_EVENTS = 200_000;
const PAGE = 1_000;

async function ourAppends(file: string): Promise<number> {
  const store = new SqliteEventStore(file);
  const started = nowMs();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const stream = `bench-${w}-${randomUUID()}`;
      for (let i = 0; i < APPENDS_PER_WRITER; i++) {
        await store.appendToStream(stream, [testEvent('Appended', { w, i })], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }
    }),
  );
  const seconds = (nowMs() - started) / 1000;
  await store.close();
  return (WRITERS * APPENDS_PER_WRITER) / seconds;
}

/** The same rows into the same table with the same durability, 50 per transaction, no checks at all. */
function floorAppends(file: string): number {
  const db = openSqlite(file);
  migrate(db, eventStoreMigrations, undefined, { chainKey: BENCH_CHAIN_KEY });
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const batch = db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(...row);
  });
  const streams = Array.from({ length: WRITERS }, (_, w) => `floor-${w}-${randomUUID()}`);
  const started = nowMs();
  for (let i = 0; i < APPENDS_PER_WRITER; i++) {
    const recordedAt = new Date().toISOString();
    batch.immediate(
      streams.map((stream, w) => {
        const event = testEvent('Appended', { w, i });
        return [stream, i, event.metadata.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt];
      }),
    );
  }
  const seconds = (nowMs() - started) / 1000;
  db.close();
  return (WRITERS * APPENDS_PER_WRITER) / seconds;
}

async function fillLog(file: string): Promise<void> {
  const db = openSqlite(file, { synchronous: 'OFF' });
  migrate(db, eventStoreMigrations, undefined, { chainKey: BENCH_CHAIN_KEY });
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const recordedAt = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < READ_EVENTS; i++) {
      const event = testEvent('Read', { i, decision: 'proceed', reason: 'a reason of realistic length for a triage decision' });
      insert.run(`ref-${i % 1000}`, Math.floor(i / 1000), event.metadata.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt);
    }
  })();
  db.close();
}

async function ourReads(file: string): Promise<number> {
  const store = new SqliteEventStore(file);
  let count = 0;
  let from = 0n;
  const started = nowMs();
  for (;;) {
    const page = await store.readAll({ fromPosition: from, maxCount: PAGE });
    if (page.length === 0) break;
    count += page.length;
    from = page[page.length - 1]!.position + 1n;
  }
  const seconds = (nowMs() - started) / 1000;
  await store.close();
  if (count !== READ_EVENTS) throw new Error(`read ${count} events, expected ${READ_EVENTS}`);
  return count / seconds;
}

function floorReads(file: string): number {
  return rawLogRead(file, PAGE).eventsPerSecond;
}

const scenario: BenchScenario = {
  name: 'event store (embedded SQLite)',
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-es-');
    try {
      const floorA = floorAppends(join(dir, 'floor-append.sqlite'));
      const oursA = await ourAppends(join(dir, 'ours-append.sqlite'));
      const readFile = join(dir, 'read.sqlite');
      await fillLog(readFile);
      const floorR = floorReads(readFile);
      const oursR = await ourReads(readFile);
      return [
        {
          scenario: `durable appends, ${WRITERS} concurrent writers, 1 event each`,
          unit: 'events/s',
          ours: oursA,
          floor: floorA,
          floorLabel: 'raw batched INSERT, synchronous=FULL',
          higherIsBetter: true,
          target: '>= 50% of floor',
          met: oursA >= 0.5 * floorA,
        },
        {
          scenario: `global log read with JSON parsing (${READ_EVENTS} events)`,
          unit: 'events/s',
          ours: oursR,
          floor: floorR,
          floorLabel: 'raw SELECT + JSON.parse',
          higherIsBetter: true,
          target: '>= 50% of floor',
          met: oursR >= 0.5 * floorR,
        },
      ];
    } finally {
      cleanup();
    }
  },
};

export default scenario;
