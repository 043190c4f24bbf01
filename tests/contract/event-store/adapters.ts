/**
 * The adapters the event-store contract suite runs against, through one factory each. An adapter that
 * cannot run here is listed with the reason, and the suite reports it as skipped under that name.
 */
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@hru/infra';
import { tempDir } from '../../support/temp-dir.js';

export interface StoreUnderTest {
  store: EventStore;
  /** Opens another client of the same store (a second connection; same log). */
  openAnother(): Promise<EventStore>;
  /** Arguments for writer-process.ts so a separate OS process can append to the same store. */
  processArgs: string[];
  cleanup(): Promise<void>;
}

export interface AdapterCase {
  name: string;
  /** Why this adapter did not run here; undefined when it runs. */
  skipReason: string | undefined;
  /** Positions are consecutive integers (true of SQLite; KurrentDB positions are log offsets). */
  gaplessPositions: boolean;
  open(): Promise<StoreUnderTest>;
}

const sqlite: AdapterCase = {
  name: 'embedded SQLite',
  skipReason: undefined,
  gaplessPositions: true,
  async open() {
    const { dir, cleanup } = tempDir('hru-es-');
    const file = join(dir, 'events.sqlite');
    const store = new SqliteEventStore(file, { pollIntervalMs: 20 });
    const others: EventStore[] = [];
    return {
      store,
      openAnother: async () => {
        const other = new SqliteEventStore(file, { pollIntervalMs: 20 });
        others.push(other);
        return other;
      },
      processArgs: ['--sqlite', file],
      async cleanup() {
        await Promise.all([store, ...others].map((s) => s.close()));
        cleanup();
      },
    };
  },
};

export const adapterCases: AdapterCase[] = [sqlite];
