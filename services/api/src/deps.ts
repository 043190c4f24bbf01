import type { ReferralCommandHandler, AccessLog, EventStore, KeyStore } from '@hru/application';
import type Database from 'better-sqlite3';
import type { OutcomeComparator, ProjectionLag, UnitCosts } from '@hru/projections';
import type { Config, IntegrityMonitor, Logger, TokenVerifier } from '@hru/infra';
import type { ApiMetrics } from './plugins/metrics.js';
import type { ReadinessCheck } from './routes/operations.js';

/** Everything the routes use, built once by the process that hosts the API (see server.ts). */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  /** The event store as the engine reads it: personal data opened, or in its erased form. */
  store: EventStore;
  /** The store underneath the encryption, holding ciphertext: what the hash chains cover and `audit verify` checks. */
  logStore: EventStore;
  /** The data keys of every person and case: erasure destroys them. */
  keys: KeyStore;
  commands: ReferralCommandHandler;
  accessLog: AccessLog;
  /** The read-model database the projections of this process keep (alerts included). */
  readModels: Database.Database;
  /** Lag of each projection behind the log, for /metrics and /readyz. */
  projectionLag(): Promise<ProjectionLag[]>;
  /** The comparator the outcome statistics are set against (seed, Table 1), when configured. */
  outcomeComparator?: OutcomeComparator;
  /** The unit costs value for money is priced with: documented defaults under HRU_UNIT_COSTS. */
  unitCosts: UnitCosts;
  verifyToken: TokenVerifier;
  metrics: ApiMetrics;
  readinessChecks: ReadinessCheck[];
  /** The integrity monitor, where this process runs one (GET /v1/audit/integrity). */
  integrity?: IntegrityMonitor;
  /** The clock commands are stamped with; injectable so tests control time. */
  now(): Date;
}
