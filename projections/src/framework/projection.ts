/**
 * What a read model is: a name, a version, the event types it reads, the tables it owns, and a synchronous
 * `apply` that the framework runs inside the transaction that also moves its checkpoint.
 */
import type Database from 'better-sqlite3';
import type { AlertDelivered, AlertDeliveryFailed, EventMetadata, EventOf, ReferralEvent, perpetratorEventDefinitions } from '@hru/events';

/**
 * What a projection can read: the referral lifecycle, the outcomes of alert deliveries (their own streams), and the
 * links between party ids and tasking decisions (their own streams too).
 */
export type ProjectableEvent =
  | ReferralEvent
  | EventOf<typeof AlertDelivered>
  | EventOf<typeof AlertDeliveryFailed>
  | EventOf<(typeof perpetratorEventDefinitions)[number]>;
export type ProjectableEventType = ProjectableEvent['type'];
/** The events that belong to one referral (each names it in `data.referralId`): what most read models read. */
type CaseEventType = Exclude<ProjectableEventType, (typeof perpetratorEventDefinitions)[number]['type']>;

/**
 * Where an event sits in the log, beside its parsed (upcast, validated) envelope. Only its position: a rebuild
 * reads every column a projection sees for every event of the log, so the stream id (the referral id, which the
 * data carries) and the time of recording are left out until a projection needs them.
 */
export interface LogPlacement {
  position: bigint;
}

/**
 * The metadata a projection sees: when the event happened, and the schema version its data was read as. A rebuild
 * takes just these out of the stored metadata rather than parsing all of it for every event; a projection that
 * needs more (the actor, say) adds it here, and both readers then supply it.
 */
export type ProjectedMetadata = Pick<EventMetadata, 'occurredAt' | 'schemaVersion'> & {
  /** Who did it: a person's `sub`, or the system's name (who acknowledged an alert, say). */
  actorId: string;
};

type WithProjectedMetadata<E> = E extends unknown ? Omit<E, 'metadata'> & { metadata: ProjectedMetadata } : never;

export type ProjectedEvent<T extends ProjectableEventType = CaseEventType> = WithProjectedMetadata<Extract<ProjectableEvent, { type: T }>> & LogPlacement;

export interface Projection<T extends ProjectableEventType = ProjectableEventType> {
  /** Lower-case letters, digits and `_`; also the prefix every one of its tables must carry. */
  readonly name: string;
  /** Bump when `schema` or `apply` changes meaning: the runner then rebuilds it from the start of the log. */
  readonly version: number;
  readonly eventTypes: readonly T[];
  /** Every table `schema` creates; the rebuild copies and the installer drops exactly these. */
  readonly tables: readonly string[];
  /**
   * DDL run on an empty database: the tables and their indexes, with plain (unqualified) names, statements
   * separated by `;`. A rebuild creates the `CREATE INDEX` statements after loading the rows, so `apply` must
   * not depend on them (primary keys are there throughout).
   */
  readonly schema: string;
  /**
   * Must not read the clock or do I/O other than on `db`: a rebuild replays it over the whole log. Reads and
   * writes only rows of the event's own referral (its stream): a parallel rebuild loads each share of the
   * streams on its own thread into its own shadow (rowids of tables without a key then follow that order).
   */
  apply(db: Database.Database, event: ProjectedEvent<T>): void;
  /**
   * `false` when `apply` touches rows across streams (the alerts model: delivery outcomes live in a stream per
   * alert, apart from the referral's): a rebuild then applies it in one pass over the log instead of in
   * parallel shares split by stream.
   */
  readonly splitsByStream?: false;
  /**
   * Its applies and `finish` in a rebuild, in seconds over a 1,000,000-event log like the bench's (default 1), for
   * sharing the projections out between threads (rebuild/plan.ts, whose cost model adds the reading of the event types
   * a thread needs from the log's own mix). `tests/bench/rebuild-weights.ts` measures it.
   */
  readonly rebuildWeight?: number;
  /**
   * Once live, how long the runner gathers events into one transaction (default 20 ms: a busy intake then
   * pays far fewer read-model commits). 0 for read models that drive alerts.
   */
  readonly coalesceMs?: number;
  /**
   * Optional, for rebuilds only: a faster way to apply the log to a shadow database (say, with its rows in a
   * `RowCache` rather than a statement per event). It must leave exactly the rows `apply` would (the
   * rebuild-equivalence spec compares them), and may meet rows already in the shadow (a parallel rebuild's catch-up
   * starts a new one on a loaded shadow). Live runners always use `apply`.
   */
  shadowApplier?(db: Database.Database): ShadowApplier<NoInfer<T>>;
}

/** Applies a rebuild's events to its shadow database, possibly holding rows back until `flush` (bounded). */
export interface ShadowApplier<T extends ProjectableEventType = ProjectableEventType> {
  apply(event: ProjectedEvent<T>): void;
  /** Writes everything held back; the rebuild calls it before every commit of the shadow. */
  flush(): void;
  /**
   * Called once, when the load has applied the last event it reads (before the last flush and commit): an applier
   * that loaded only the rows its events give, into an empty shadow, works out the rows derived from them here, once,
   * instead of keeping them event by event. No event is applied after it.
   */
  finish?(): void;
}

/** The erased form that lists and runners hold; `defineProjection` keeps `apply` typed by the event types. */
export type AnyProjection = Projection<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

export function defineProjection<const T extends ProjectableEventType>(projection: Projection<T>): Projection<T> {
  if (!NAME.test(projection.name)) throw new Error(`Projection name ${projection.name} must match ${NAME}`);
  if (!Number.isInteger(projection.version) || projection.version < 1) {
    throw new Error(`Projection ${projection.name} needs a positive integer version`);
  }
  for (const table of projection.tables) {
    if (!table.startsWith(`${projection.name}_`)) {
      throw new Error(`Table ${table} of projection ${projection.name} must start with ${projection.name}_`);
    }
  }
  if (projection.eventTypes.length === 0) throw new Error(`Projection ${projection.name} reads no event types`);
  return projection;
}
