/**
 * Projections kept current by one subscription and one transaction (issue 19). Each projection subscribing on its
 * own meant, per batch, a wake-up, a read of the log and a read-model commit for every read model; a group reads
 * each page of new events once (filtered by every member's event types) and applies it to every member in one
 * transaction, each member with its checkpoint, exactly as `applyBatch` does alone:
 *
 * - what a member applied and its checkpoint commit together or not at all, and an event at or below a member's
 *   checkpoint changes nothing, so the subscription starts from the lowest member checkpoint;
 * - a member that throws leaves the group and retries on its own from its checkpoint (LiveProjection), the others
 *   commit and go on: the batch is rolled back and applied again with each member in a savepoint of its own;
 * - reactors (`onApplied`) hear of each member's events after the commit, as before.
 *
 * A group that gathers events before it applies them (`coalesceMs` > 0: every read model but the alerting ones) applies
 * each member in a transaction of its own instead, with a turn of the event loop between members. Its batches are
 * large (100 ms of intakes), and applying all of them in one go held the event loop that also serves requests and
 * delivers alerts: 10.6 ms at the median and 25 ms at worst per batch in the alert-latency bench (7 members, 100
 * intakes a second), each one a stall for any alert behind it. Apart, the longest stall is one member's batch. What a
 * member writes and its checkpoint still commit together, and a member that throws rolls back its own batch only, so
 * nothing needs a savepoint; the commits cost what the one did, since each member writes its own pages either way
 * (BENCHMARKS.md, *Read models applied in groups*). The alerting group keeps one transaction: its batches are small,
 * and its two members' pages are the alert's path.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventStore, RecordedEvent, Subscription } from '@hru/application';
import type Database from 'better-sqlite3';
import type { LiveProjection } from './live-projection.js';

export class ProjectionGroup {
  private members: LiveProjection[] = [];
  private subscription: Subscription | undefined;
  private current: symbol | undefined;
  private running = false;
  /** Restarts queue behind each other: each stops the subscription the previous one started. */
  private restarting: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    private readonly candidates: readonly LiveProjection[],
    private readonly batchSize: number,
    private readonly coalesceMs: number,
  ) {}

  /** Those of this group's projections that are in `set`, in the group's order. */
  candidatesIn(set: ReadonlySet<LiveProjection>): LiveProjection[] {
    return this.candidates.filter((c) => set.has(c));
  }

  /** Subscribes for the given projections (each must have its checkpoint at its version). */
  start(members: readonly LiveProjection[]): void {
    this.running = true;
    this.subscribe(members);
  }

  /** What each member is given (LiveProjection.assignGroup). */
  readonly membership = { rejoin: (live: LiveProjection) => this.rejoin(live) };

  private subscribe(candidates: readonly LiveProjection[]): void {
    const members: LiveProjection[] = [];
    let from: bigint | undefined;
    for (const live of candidates) {
      const position = live.joinGroup();
      if (position === undefined) continue;
      members.push(live);
      if (from === undefined || position < from) from = position;
    }
    this.members = members;
    if (from === undefined) return;
    const eventTypes = [...new Set(members.flatMap((m) => m.projection.eventTypes as readonly string[]))];
    const token = Symbol('projection group');
    this.current = token;
    this.subscription = this.store.subscribeToAll({
      from: from < 0n ? 'start' : { after: from },
      filter: { eventTypes },
      batchSize: this.batchSize,
      coalesceMs: this.coalesceMs,
      handle: async (events) => {
        if (this.current === token) await this.applyToMembers(events);
      },
      onCaughtUp: () => {
        if (this.current === token) for (const member of this.members) member.groupCaughtUp();
      },
      onError: (error) => {
        // The store failed (or the commit itself did): every member goes on alone from its checkpoint.
        if (this.current !== token) return;
        this.current = undefined;
        this.subscription = undefined;
        const members = this.members;
        this.members = [];
        for (const member of members) member.leaveGroup(error);
      },
    });
  }

  private async applyToMembers(events: readonly RecordedEvent[]): Promise<void> {
    const batches: [LiveProjection, RecordedEvent[]][] = [];
    for (const member of this.members) {
      const mine = events.filter((e) => member.reads(e.type));
      if (mine.length > 0) batches.push([member, mine]);
    }
    if (batches.length === 0) return;
    if (this.coalesceMs > 0) return this.applyMemberByMember(batches);
    if (!this.applyAllOrNothing(batches)) this.applyEachInSavepoint(batches);
    await Promise.all(batches.map(([member, mine]) => (this.members.includes(member) ? member.groupApplied(mine) : undefined)));
  }

  /**
   * Each member's batch in its own transaction, a turn of the event loop before each but the first. A member that
   * throws leaves the group (its batch rolled back, its checkpoint where it was); once the subscription has been
   * stopped or restarted meanwhile, the members not yet applied are left to their checkpoints: the next
   * subscription starts from them.
   */
  private async applyMemberByMember(batches: readonly [LiveProjection, RecordedEvent[]][]): Promise<void> {
    const token = this.current;
    const applied: Promise<void>[] = [];
    for (let i = 0; i < batches.length; i++) {
      if (i > 0) await nextTurn();
      if (this.current !== token) break;
      const [member, mine] = batches[i]!;
      if (!this.members.includes(member)) continue;
      try {
        member.commitBatch(mine, member.generation);
      } catch (error) {
        this.members = this.members.filter((m) => m !== member);
        member.leaveGroup(error);
        continue;
      }
      applied.push(member.groupApplied(mine));
    }
    await Promise.all(applied);
  }

  /**
   * The common case, every member applying cleanly: one transaction with no savepoints. A savepoint makes SQLite
   * copy each page a member changes into a sub-journal first, which it spills to a temporary file past 64 KiB: that
   * was a third of the bytes an intake wrote (issue 19). Any throw rolls the whole batch back (false) for
   * `applyEachInSavepoint` to apply again, member by member; nothing a member does in `apply` lives outside the
   * database, so applying again after a rollback is applying once.
   */
  private applyAllOrNothing(batches: readonly [LiveProjection, RecordedEvent[]][]): boolean {
    try {
      this.db
        .transaction(() => {
          for (const [member, mine] of batches) member.applyInGroupTransaction(mine, member.generation);
        })
        // IMMEDIATE: the write lock before any checkpoint is read, as `applyBatch` alone takes it.
        .immediate();
      return true;
    } catch {
      return false;
    }
  }

  /** Each member in a savepoint of the one transaction: a member that throws undoes its own batch and leaves the group. */
  private applyEachInSavepoint(batches: readonly [LiveProjection, RecordedEvent[]][]): void {
    const failed: [LiveProjection, unknown][] = [];
    this.db
      .transaction(() => {
        for (const [member, mine] of batches) {
          try {
            // Inside this transaction, `applyBatch`'s own becomes a savepoint: a throw undoes this member's only.
            member.commitBatch(mine, member.generation);
          } catch (error) {
            failed.push([member, error]);
          }
        }
      })
      .immediate();
    if (failed.length > 0) {
      const leaving = new Set(failed.map(([member]) => member));
      this.members = this.members.filter((m) => !leaving.has(m));
      for (const [member, error] of failed) member.leaveGroup(error);
    }
  }

  /** Brings a projection back (after a rebuild's swap, say): the subscription restarts from every member's checkpoint. */
  private rejoin(live: LiveProjection): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      if (!this.running) return;
      const members = this.members.includes(live) ? this.members : [...this.members, live];
      await this.stopSubscription();
      // In the order the runner listed them: the order read models are applied in stays the same.
      this.subscribe(this.candidates.filter((c) => members.includes(c)));
    });
    return this.restarting;
  }

  private async stopSubscription(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    this.current = undefined;
    await subscription?.stop();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.restarting;
    await this.stopSubscription();
    this.members = [];
  }
}
