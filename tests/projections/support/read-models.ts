/** A temporary event store and read-model database with every projection running, for "given events → then query" specs. */
import type { NewEvent } from '@hru/application';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore } from '@hru/infra';
import { allProjections, openReadModels, ProjectionRunner, type AnyProjection } from '@hru/projections';
import { tempDir } from '../../support/temp-dir.js';
import { appendAll } from './history.js';

export interface ReadModels {
  db: Database.Database;
  store: SqliteEventStore;
  runner: ProjectionRunner;
  given(events: readonly NewEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function startReadModels(projections: readonly AnyProjection[] = allProjections): Promise<ReadModels> {
  const { dir, cleanup } = tempDir('hru-rm-');
  const store = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
  const db = openReadModels(dir);
  const runner = new ProjectionRunner({ store, db, projections });
  runner.start();
  return {
    db,
    store,
    runner,
    async given(events) {
      await appendAll(store, events);
      await runner.waitUntilCaughtUp();
    },
    async close() {
      await runner.stop();
      await store.close();
      db.close();
      cleanup();
    },
  };
}
