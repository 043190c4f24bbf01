/**
 * One projection kept current either as a member of a group (projection-group.ts: one subscription and one
 * transaction for every member, each in its own savepoint) or by its own subscription. A failing projection stops
 * alone: it leaves its group, its error is logged, and it resubscribes on its own from its stored checkpoint after a
 * growing pause; a restart (after a rebuild's swap) brings it back into its group.
 */
import type { EventStore, RecordedEvent, Subscription } from '@hru/application';
import type Database from 'better-sqlite3';
import type { Logger } from '@hru/infra';
import { applyBatch, applyBatchInTransaction, CheckpointMovedError } from './apply-batch.js';
import { readCheckpoint } from './checkpoints.js';
import type { AnyProjection } from './projection.js';

/**
 * How long a projection that says nothing gathers events before applying them (see SubscribeOptions.coalesceMs).
 * A read-model commit costs the pages it writes, and a bigger batch writes the pages its events share (the ends of the
 * time-ordered indexes, the counters, the checkpoints) once: under the intake bench's load, 100 ms rather than 20
 * made batches of 73 events instead of 31 and took 8% off an intake's CPU (issue 19). Lists and statistics then
 * trail the log by up to a tenth of a second more; the alerting read models do not wait (their coalesceMs is 0).
 */
export const DEFAULT_COALESCE_MS = 100;

export type ProjectionStatus = 'stopped' | 'rebuilding' | 'catching_up' | 'live' | 'failed';

/**
 * Called after a batch is applied and committed with its checkpoint: reactors (the outbox of alert deliveries
 * and timers) act on the rows it wrote. It must not throw: what it fails to do, its own sweep does later.
 */
export type AppliedListener = (projection: string, events: readonly RecordedEvent[]) => Promise<void>;

/** What a group gives the projections it applies. */
export interface GroupMembership {
  /** Restarts the group's subscription with this projection in it again. */
  rejoin(live: LiveProjection): Promise<void>;
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

export interface LiveProjectionState {
  projection: string;
  version: number;
  status: ProjectionStatus;
  /** Failures since the last successful batch. */
  failures: number;
  lastError: string | undefined;
}

export class LiveProjection {
  private status: ProjectionStatus = 'stopped';
  /** A rebuild is running beside the live subscription (which keeps serving until the swap). */
  rebuilding = false;
  private subscription: Subscription | undefined;
  private current: symbol | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastError: string | undefined;
  private running = false;
  /** The group this projection was given to (projection-group.ts), kept for a restart to bring it back. */
  private membership: GroupMembership | undefined;
  /** Whether the group applies its batches now (false once it failed and went on alone). */
  private grouped = false;

  constructor(
    readonly projection: AnyProjection,
    private readonly store: EventStore,
    private readonly db: Database.Database,
    private readonly logger: Logger | undefined,
    private readonly retry: RetryPolicy,
    private readonly batchSize: number,
    private readonly onApplied: AppliedListener | undefined,
  ) {}

  state(): LiveProjectionState {
    return {
      projection: this.projection.name,
      version: this.projection.version,
      status: this.rebuilding && this.status !== 'failed' ? 'rebuilding' : this.status,
      failures: this.failures,
      lastError: this.lastError,
    };
  }

  /**
   * Subscribes from the stored checkpoint, which must already exist at this projection's version (alone: a grouped
   * projection is started by its group).
   */
  start(): void {
    this.running = true;
    this.subscribe();
  }

  /** Gives this projection to a group: from its start (and any restart) the group applies its batches. */
  assignGroup(membership: GroupMembership): void {
    this.membership = membership;
  }

  /** The event types this projection reads (a group filters its batches by them). */
  reads(type: string): boolean {
    return (this.projection.eventTypes as readonly string[]).includes(type);
  }

  /**
   * Hands this projection to a group, which subscribes for it from the checkpoint read here; the generation the
   * group must find at each batch, or undefined (and the projection fails on its own) when there is no checkpoint.
   */
  joinGroup(): bigint | undefined {
    this.running = true;
    const checkpoint = readCheckpoint(this.db, this.projection.name);
    if (!checkpoint || checkpoint.version !== this.projection.version) {
      this.grouped = false;
      this.fail(new Error(`Projection ${this.projection.name} has no checkpoint at version ${this.projection.version}`));
      return undefined;
    }
    this.grouped = true;
    this.generation = checkpoint.generation;
    this.status = 'catching_up';
    return checkpoint.position;
  }

  /** The generation its group expects at each batch (read when it joined). */
  generation = 0;

  /** The group read everything there was. */
  groupCaughtUp(): void {
    if (this.grouped) this.status = 'live';
  }

  /** The group committed a batch of this projection's: reactors act on it. */
  async groupApplied(events: readonly RecordedEvent[]): Promise<void> {
    this.failures = 0;
    this.lastError = undefined;
    await this.onApplied?.(this.projection.name, events);
  }

  /** The group could not apply this projection's batch (or stopped): it goes on alone, as a failed subscription does. */
  leaveGroup(error: unknown): void {
    if (!this.grouped) return;
    this.grouped = false;
    this.onSubscriptionError(error);
  }

  private subscribe(): void {
    if (!this.running) return;
    const checkpoint = readCheckpoint(this.db, this.projection.name);
    if (!checkpoint || checkpoint.version !== this.projection.version) {
      this.fail(new Error(`Projection ${this.projection.name} has no checkpoint at version ${this.projection.version}`));
      return;
    }
    this.status = 'catching_up';
    const generation = checkpoint.generation;
    // Callbacks can fire before subscribeToAll returns, so they recognise their subscription by this token.
    const token = Symbol(this.projection.name);
    this.current = token;
    this.subscription = this.store.subscribeToAll({
      from: checkpoint.position < 0n ? 'start' : { after: checkpoint.position },
      filter: { eventTypes: this.projection.eventTypes },
      batchSize: this.batchSize,
      // Read models are eventually consistent: gathering 20 ms of events into one transaction keeps a
      // busy intake from paying one read-model commit per referral (alerting read models say 0).
      coalesceMs: this.projection.coalesceMs ?? DEFAULT_COALESCE_MS,
      handle: async (events) => {
        this.commitBatch(events, generation);
        this.failures = 0;
        this.lastError = undefined;
        await this.onApplied?.(this.projection.name, events);
      },
      onCaughtUp: () => {
        if (this.current === token) this.status = 'live';
      },
      onError: (error) => {
        if (this.current === token) this.onSubscriptionError(error);
      },
    });
  }

  /** Applies a batch and moves the checkpoint in one transaction (a method, so a benchmark can time it). */
  commitBatch(events: readonly RecordedEvent[], generation: number): void {
    applyBatch(this.db, this.projection, events, generation);
  }

  /** `commitBatch` inside its group's transaction, without a savepoint: a throw is the group's to roll back. */
  applyInGroupTransaction(events: readonly RecordedEvent[], generation: number): void {
    applyBatchInTransaction(this.db, this.projection, events, generation);
  }

  private onSubscriptionError(error: unknown): void {
    this.subscription = undefined;
    this.current = undefined;
    if (error instanceof CheckpointMovedError) {
      this.logger?.info({ projection: this.projection.name }, 'projection rebuilt elsewhere; resuming from its new checkpoint');
      // Back into its group when it has one (not awaited: the group's batch that found the move is still running).
      if (this.membership) void this.membership.rejoin(this);
      else this.subscribe();
      return;
    }
    this.fail(error);
  }

  private fail(error: unknown): void {
    this.failures++;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.status = 'failed';
    const delayMs = Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** (this.failures - 1));
    this.logger?.error(
      { projection: this.projection.name, err: error, failures: this.failures, retryInMs: delayMs },
      'projection stopped on an error; retrying from its checkpoint',
    );
    if (!this.running) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.subscribe();
    }, delayMs);
    this.retryTimer.unref();
  }

  /**
   * Resubscribes from the stored checkpoint at once (after a swap, or to cut a retry pause short): through its group
   * when it belongs to one (the group restarts from its members' checkpoints), else on its own.
   */
  async restart(): Promise<void> {
    await this.stopSubscription();
    this.failures = 0;
    this.running = true;
    if (this.membership) await this.membership.rejoin(this);
    else this.subscribe();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.grouped = false;
    await this.stopSubscription();
    this.status = 'stopped';
  }

  private async stopSubscription(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    this.current = undefined;
    await subscription?.stop();
  }
}
