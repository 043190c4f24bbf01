/**
 * One projection kept current by its own subscription, so a failing projection stops alone: its error is
 * logged, and it resubscribes from its stored checkpoint after a growing pause.
 */
import type { EventStore, RecordedEvent, Subscription } from '@hru/application';
import type Database from 'better-sqlite3';
import type { Logger } from '@hru/infra';
import { applyBatch, CheckpointMovedError } from './apply-batch.js';
import { readCheckpoint } from './checkpoints.js';
import type { AnyProjection } from './projection.js';

export type ProjectionStatus = 'stopped' | 'rebuilding' | 'catching_up' | 'live' | 'failed';

/**
 * Called after a batch is applied and committed with its checkpoint: reactors (the outbox of alert deliveries
 * and timers) act on the rows it wrote. It must not throw: what it fails to do, its own sweep does later.
 */
export type AppliedListener = (projection: string, events: readonly RecordedEvent[]) => Promise<void>;

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

  /** Subscribes from the stored checkpoint, which must already exist at this projection's version. */
  start(): void {
    this.running = true;
    this.subscribe();
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
      coalesceMs: this.projection.coalesceMs ?? 20,
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

  private onSubscriptionError(error: unknown): void {
    this.subscription = undefined;
    this.current = undefined;
    if (error instanceof CheckpointMovedError) {
      this.logger?.info({ projection: this.projection.name }, 'projection rebuilt elsewhere; resuming from its new checkpoint');
      this.subscribe();
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

  /** Resubscribes from the stored checkpoint at once (after a swap, or to cut a retry pause short). */
  async restart(): Promise<void> {
    await this.stopSubscription();
    this.failures = 0;
    this.running = true;
    this.subscribe();
  }

  async stop(): Promise<void> {
    this.running = false;
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
