/**
 * The projector part of the engine: keeps every read model current through the one projection runner and, where
 * this process produces work (`queues` given), runs the outbox reactor on what the alerts and timers models
 * record. An API node runs it without queues, for its own read models.
 */
import type Database from 'better-sqlite3';
import type { JobQueues, Logger } from '@hru/infra';
import { OpenedIntakeStore, ProjectionRunner, type AnyProjection, type PeopleOpeningStore, type ProjectionLag } from '@hru/projections';
import { OutboxReactor } from './outbox-reactor.js';

export interface ProjectorOptions {
  /** The engine's store: read models read it sealed, the opened runner opens the people of its intake events. */
  store: PeopleOpeningStore;
  readModels: Database.Database;
  projections: readonly AnyProjection[];
  /** Read models fed the intake events opened (the case search's blind index): a runner of their own. */
  openedProjections?: readonly AnyProjection[];
  logger: Logger;
  /** Absent in processes that only serve the read models (an API node): then nothing is enqueued. */
  queues?: JobQueues | undefined;
  sweepIntervalMs?: number;
}

export class Projector {
  readonly runner: ProjectionRunner;
  readonly reactor: OutboxReactor | undefined;
  readonly openedRunner: ProjectionRunner | undefined;

  constructor(options: ProjectorOptions) {
    const { queues, logger } = options;
    this.reactor = queues
      ? new OutboxReactor({
          readModels: options.readModels,
          queues,
          logger: logger.child({ part: 'outbox-reactor' }),
          ...(options.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: options.sweepIntervalMs }),
        })
      : undefined;
    this.runner = new ProjectionRunner({
      store: options.store,
      db: options.readModels,
      projections: options.projections,
      logger: logger.child({ part: 'projections' }),
      ...(this.reactor ? { onApplied: this.reactor.onApplied } : {}),
    });
    this.openedRunner = options.openedProjections?.length
      ? new ProjectionRunner({
          store: new OpenedIntakeStore(options.store),
          db: options.readModels,
          projections: options.openedProjections,
          logger: logger.child({ part: 'projections', opened: true }),
        })
      : undefined;
  }

  /** The runner first: it installs the tables the reactor's first sweep reads. */
  start(): void {
    this.runner.start();
    this.openedRunner?.start();
    this.reactor?.start();
  }

  async lag(): Promise<ProjectionLag[]> {
    return [...(await this.runner.lag()), ...((await this.openedRunner?.lag()) ?? [])];
  }

  async stop(): Promise<void> {
    this.reactor?.stop();
    await this.runner.stop();
    await this.openedRunner?.stop();
  }
}
