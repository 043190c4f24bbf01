/** A process whose last work is closing a store that checkpoints on a worker thread (wal-checkpointer.spec.ts). */
import { join } from 'node:path';
import { SqliteEventStore } from '@hru/infra';

const store = new SqliteEventStore(join(process.argv[2]!, 'events.sqlite'), { checkpointInWorker: true });
await store.close();
process.stdout.write('closed\n');
