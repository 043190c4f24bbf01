/**
 * Runs a set of projections against the event log: installs new ones, rebuilds those whose version
 * changed (beside the live tables), keeps each current through its own checkpointed subscription, and
 * reports their lag for /metrics and /readyz.
 */
import type { EventStore } from '@hru/application';
import type Database from 'better-sqlite3';
import type { Logger } from '@hru/infra';
import { readCheckpoint, writeCheckpoint } from './checkpoints.js';
import { DEFAULT_COALESCE_MS, LiveProjection, type AppliedListener, type LiveProjectionState, type RetryPolicy } from './live-projection.js';
import { ProjectionGroup } from './projection-group.js';
import type { AnyProjection } from './projection.js';
import type { RebuildOptions, RebuildReport } from '../rebuild/report.js';
import { rebuildProjectionsInto } from '../rebuild/single-pass.js';
import { installSchema } from './schema.js';

export interface ProjectionRunnerOptions {
  store: EventStore;
  db: Database.Database;
  projections: readonly AnyProjection[];
  logger?: Logger;
  /** Events per subscription batch, each applied with its checkpoint in one transaction. */
  batchSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Reactors that act on what a batch wrote (see AppliedListener). */
  onApplied?: AppliedListener;
}

export interface ProjectionLag extends LiveProjectionState {
  /** Last applied position (a string: positions are 64-bit). */
  checkpoint: string;
  head: string;
  /**
   * Events the projection still has to read: from the first pending event of a type it reads up to the head
   * (exact in events for SQLite, whose positions are gapless; in log bytes for KurrentDB), 0 when none is pending.
   */
  lag: number;
}

export class ProjectionRunner {
  private readonly live = new Map<string, LiveProjection>();
  /**
   * The projections grouped by how long they coalesce events (the alerting ones 0 ms, the rest 20 ms): each group
   * reads the log once per batch and applies it in one transaction (projection-group.ts).
   */
  private readonly groups = new Map<number, ProjectionGroup>();
  private readonly store: EventStore;
  private readonly db: Database.Database;
  private readonly logger: Logger | undefined;
  private pendingRebuild: Promise<void> | undefined;
  private stopped = false;

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.db = options.db;
    this.logger = options.logger;
    const retry: RetryPolicy = { initialMs: options.retry?.initialMs ?? 1_000, maxMs: options.retry?.maxMs ?? 60_000 };
    for (const projection of options.projections) {
      if (this.live.has(projection.name)) throw new Error(`Projection ${projection.name} is listed twice`);
      this.live.set(projection.name, new LiveProjection(projection, this.store, this.db, this.logger, retry, options.batchSize ?? 500, options.onApplied));
    }
    const byCoalesce = new Map<number, LiveProjection[]>();
    for (const live of this.live.values()) {
      const coalesceMs = live.projection.coalesceMs ?? DEFAULT_COALESCE_MS;
      byCoalesce.set(coalesceMs, [...(byCoalesce.get(coalesceMs) ?? []), live]);
    }
    for (const [coalesceMs, members] of byCoalesce) {
      const group = new ProjectionGroup(this.store, this.db, members, options.batchSize ?? 500, coalesceMs);
      for (const live of members) live.assignGroup(group.membership);
      this.groups.set(coalesceMs, group);
    }
  }

  /**
   * Starts every projection. New ones get their tables; those whose version changed are rebuilt in the
   * background (their old tables keep serving meanwhile) and go live after the swap.
   */
  start(): void {
    const stale: LiveProjection[] = [];
    const ready = new Set<LiveProjection>();
    for (const live of this.live.values()) {
      const projection = live.projection;
      const checkpoint = readCheckpoint(this.db, projection.name);
      if (!checkpoint) {
        this.db.transaction(() => {
          installSchema(this.db, projection);
          writeCheckpoint(this.db, { projection: projection.name, version: projection.version, position: -1n, generation: 1 });
        }).immediate();
        ready.add(live);
      } else if (checkpoint.version !== projection.version) {
        stale.push(live);
      } else {
        ready.add(live);
      }
    }
    // The stale ones join their group once rebuilt (their restart after the swap).
    for (const group of this.groups.values()) group.start(group.candidatesIn(ready));
    if (stale.length > 0) {
      this.logger?.info({ projections: stale.map((l) => l.projection.name) }, 'projection versions changed; rebuilding');
      this.pendingRebuild = this.rebuildUntilDone(stale);
    }
  }

  /** Settles when the rebuilds that `start` began have swapped in (for tests and orderly shutdown). */
  async startupRebuilds(): Promise<void> {
    await this.pendingRebuild;
  }

  private async rebuildUntilDone(stale: LiveProjection[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.rebuildLive(stale, { onProgress: this.logProgress() });
        return;
      } catch (error) {
        const delayMs = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
        this.logger?.error({ err: error, attempt, retryInMs: delayMs }, 'projection rebuild failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (this.stopped) return;
      }
    }
  }

  private logProgress(): RebuildOptions['onProgress'] {
    let lastLogged = 0;
    return (p) => {
      if (!p.done && performance.now() - lastLogged < 5_000) return;
      lastLogged = performance.now();
      this.logger?.info(
        { eventsRead: p.eventsRead, percent: Math.round(p.fraction * 100), eventsPerSecond: Math.round(p.eventsPerSecond) },
        p.done ? 'projection rebuild swapped in' : 'projection rebuild progress',
      );
    };
  }

  /** Rebuilds the named projections (all when none are named) while they keep serving, then resumes them live. */
  async rebuild(names?: readonly string[], options: RebuildOptions = {}): Promise<RebuildReport> {
    const chosen = names && names.length > 0 ? names.map((n) => this.get(n)) : [...this.live.values()];
    return this.rebuildLive(chosen, options);
  }

  private async rebuildLive(chosen: readonly LiveProjection[], options: RebuildOptions): Promise<RebuildReport> {
    for (const live of chosen) live.rebuilding = true;
    try {
      const report = await rebuildProjectionsInto(this.store, this.db, chosen.map((l) => l.projection), options);
      if (!this.stopped) await Promise.all(chosen.map((l) => l.restart()));
      return report;
    } finally {
      for (const live of chosen) live.rebuilding = false;
    }
  }

  private get(name: string): LiveProjection {
    const live = this.live.get(name);
    if (!live) throw new Error(`No projection named ${name}; known: ${[...this.live.keys()].join(', ')}`);
    return live;
  }

  states(): LiveProjectionState[] {
    return [...this.live.values()].map((l) => l.state());
  }

  async lag(): Promise<ProjectionLag[]> {
    const head = await this.store.headPosition();
    return Promise.all(
      [...this.live.values()].map(async (live) => {
        const position = readCheckpoint(this.db, live.projection.name)?.position ?? -1n;
        let lag = 0;
        if (head > position) {
          // The raw read, as the read models read the log: through the engine's store, `readAll` would open the
          // personal data of the event only to learn its position (at every /readyz, /metrics and catch-up poll).
          const pending = await this.store.readAllRaw({ fromPosition: position + 1n, maxCount: 1, eventTypes: live.projection.eventTypes });
          // From the first event it still has to apply up to the head: no dependence on where positions start.
          if (pending.length > 0) lag = Number(head - pending[0]!.position) + 1;
        }
        return { ...live.state(), checkpoint: String(position), head: String(head), lag };
      }),
    );
  }

  /** Resolves once no projection has anything left to apply; rejects after `timeoutMs`. */
  async waitUntilCaughtUp(timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const lags = await this.lag();
      if (lags.every((l) => l.lag === 0 && l.status !== 'rebuilding')) return;
      if (performance.now() > deadline) {
        throw new Error(`Projections not caught up after ${timeoutMs} ms: ${JSON.stringify(lags.filter((l) => l.lag > 0))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.groups.values()].map((g) => g.stop()));
    await Promise.all([...this.live.values()].map((l) => l.stop()));
    await this.pendingRebuild?.catch(() => undefined);
  }
}
