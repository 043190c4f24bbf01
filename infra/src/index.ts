export * from './config.js';
export * from './duration.js';
export * from './logger.js';
export * from './eventstore/port.js';
export { SqliteEventStore, type SqliteEventStoreOptions } from './eventstore/sqlite/sqlite-event-store.js';
export { openSqlite } from './eventstore/sqlite/open.js';
export { migrate, eventStoreMigrations, type Migration } from './eventstore/sqlite/migrations.js';
export * from './auth/index.js';
export * from './audit/access-log.js';
