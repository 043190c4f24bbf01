/**
 * A separate OS process for the contract suite: appends `count` events to each of the given streams with
 * optimistic concurrency (read revision, append with it, retry on conflict), then prints a JSON summary.
 * Usage: writer-process.ts (--sqlite <file> | --url <KurrentDB connection string>) --writer <name> --count <n> <stream>...
 */
import type { EventStore } from '@hru/application';
import { parseArgs } from 'node:util';
import { ConcurrencyError } from '@hru/events';
import { openEventStore, SqliteEventStore } from '@hru/infra';
import { testEvent } from '../../support/events.js';
import { TEST_CHAIN_KEY } from '../../support/chain-key.js';

const { values, positionals } = parseArgs({
  options: { sqlite: { type: 'string' }, url: { type: 'string' }, writer: { type: 'string' }, count: { type: 'string' } },
  allowPositionals: true,
});

async function open(): Promise<EventStore> {
  if (values.sqlite) return new SqliteEventStore(values.sqlite, { pollIntervalMs: 20 });
  if (values.url) return openEventStore({ dataDir: '/nonexistent', eventStoreUrl: values.url, chainKey: TEST_CHAIN_KEY });
  throw new Error('--sqlite <file> or --url <connection string> is required');
}

const store = await open();
const count = Number(values.count ?? '50');
let conflicts = 0;
for (let i = 0; i < count; i++) {
  for (const stream of positionals) {
    for (;;) {
      const revision = await store.streamRevision(stream);
      try {
        await store.appendToStream(stream, [testEvent('Written', { writer: values.writer, i })], {
          expectedRevision: revision ?? 'no_stream',
        });
        break;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        conflicts++;
      }
    }
  }
}
await store.close();
process.stdout.write(JSON.stringify({ writer: values.writer, conflicts }) + '\n');
