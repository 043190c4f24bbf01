/**
 * The adapters the event-store contract suite runs against, through one factory each. An adapter that
 * cannot run here is listed with the reason, and the suite reports it as skipped under that name.
 */
import type { EventStore } from '@hru/application';
import { join } from 'node:path';
import { openEventStore, SqliteEventStore } from '@hru/infra';
import { startKurrentDouble } from '../../support/kurrent-double/kurrent-double.js';
import { tempDir } from '../../support/temp-dir.js';
import { TEST_CHAIN_KEY } from '../../support/chain-key.js';

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

/** Clients of one KurrentDB (or of the double) through the same path the services use: openEventStore. */
async function kurrentClients(connectionString: string, stopServer: () => Promise<void>): Promise<StoreUnderTest> {
  const open = () => openEventStore({ dataDir: '/nonexistent', eventStoreUrl: connectionString, chainKey: TEST_CHAIN_KEY });
  const store = await open();
  const others: EventStore[] = [];
  return {
    store,
    openAnother: async () => {
      const other = await open();
      others.push(other);
      return other;
    },
    processArgs: ['--url', connectionString],
    async cleanup() {
      await Promise.all([store, ...others].map((s) => s.close()));
      await stopServer();
    },
  };
}

// No KurrentDB server can run on the build machines (no Docker, no binary), so the adapter runs against an
// in-process gRPC double of the server; see tests/support/kurrent-double/kurrent-double.ts for what the
// double does not reproduce. The real server runs the same suite when EVENTSTORE_URL is set.
const kurrentOverDouble: AdapterCase = {
  name: 'KurrentDB adapter over the in-process gRPC double',
  skipReason: undefined,
  gaplessPositions: false,
  async open() {
    const double = await startKurrentDouble();
    return kurrentClients(double.connectionString, () => double.stop());
  },
};

const realServerUrl = process.env.EVENTSTORE_URL;
const kurrentServer: AdapterCase = {
  name: 'KurrentDB adapter against a real server',
  skipReason: realServerUrl ? undefined : 'EVENTSTORE_URL is not set',
  gaplessPositions: false,
  async open() {
    if (!realServerUrl) throw new Error('EVENTSTORE_URL is not set');
    // Every case uses fresh stream names, so the server needs no cleaning between cases.
    return kurrentClients(realServerUrl, async () => {});
  },
};

export const adapterCases: AdapterCase[] = [sqlite, kurrentOverDouble, kurrentServer];
