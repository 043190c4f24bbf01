/**
 * The embedded SQLite store and files alone (`@hru/infra/sqlite`), without the rest of infra (queues, Redis,
 * authentication, webhooks…): what a rebuild's worker thread needs, which then imports a fraction of the modules.
 */
export { SqliteEventStore, type SqliteEventStoreOptions } from './eventstore/sqlite/sqlite-event-store.js';
export { openSqlite, type OpenSqliteOptions } from './eventstore/sqlite/open.js';
export { migrate, type Migration } from './eventstore/sqlite/migrations.js';
export { embeddedStoreFile, openReadOnlyEventStore } from './eventstore/open-event-store.js';
export { dataFileProblemOf, readModelFileError } from './data-dir/data-file-error.js';
export { walCheckpointsDone, withCheckpointBeside } from './eventstore/sqlite/checkpoint-beside.js';
