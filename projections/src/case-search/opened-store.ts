/**
 * The one read model that is handed personal data: the case search's blind index must see a person's name to
 * compute its keyed MAC. Every other read model reads the log sealed (subscriptions and replays of the engine's
 * store never open it); this view of the store opens the people of the intake events only (never the case's free
 * text, which the index does not read), and only for the runner of `case_search`, whose `apply` writes MACs and
 * nothing else. An erased person reads as erased here too, so indexes nothing.
 *
 * Live, the events the subscription hands over are opened as they are (they carry their stream and event ids, the
 * ciphertext's associated data); a replay's raw rows do not, so a replay of the whole log reads the stored events
 * instead (one read) and hands them on as raw rows, and a replay of a share of the streams reads its intake events
 * again as stored, a page at a time, to open them.
 */
import type { EventStore, RawEvent, RawReadOptions, RecordedEvent, SubscribeOptions, Subscription } from '@hru/application';

const OPENED = ['ReferralReceived', 'ReferralDetailsUpdated'];

/** What this view needs of the engine's store (the EncryptingEventStore): the log as stored, and people opened. */
export interface PeopleOpeningStore extends EventStore {
  /** The store underneath: events as stored (sealed). */
  readonly inner: EventStore;
  /** The events with the people of their sealed `personal` opened (or erased), the case's free text left out. */
  openPeople<E extends { streamId: string; eventId: string; data: unknown }>(events: readonly E[]): Promise<E[]>;
}

const personalOf = (event: { data: unknown }) => (event.data as { personal?: unknown }).personal;

/** A stored event as a replay's raw row: the actor as the raw read's `coalesce(actor.sub, actor.system)`. */
function rawOf(event: RecordedEvent): RawEvent {
  const actor = event.metadata.actor as { sub?: string; system?: string } | undefined;
  return {
    position: event.position,
    type: event.type,
    data: event.data,
    metadata: { occurredAt: event.metadata.occurredAt, schemaVersion: event.metadata.schemaVersion, actorId: (actor?.sub ?? actor?.system)! },
  };
}

export class OpenedIntakeStore implements EventStore {
  readonly kind: EventStore['kind'];

  constructor(private readonly store: PeopleOpeningStore) {
    this.kind = store.kind;
  }

  /** The opened `personal` of each intake event among `events` (which carry their ids), by log position. */
  private async openedInHand(events: readonly RecordedEvent[]): Promise<Map<bigint, unknown>> {
    const intake = events.filter((e) => OPENED.includes(e.type));
    const opened = new Map<bigint, unknown>();
    if (intake.length === 0) return opened;
    for (const event of await this.store.openPeople(intake)) opened.set(event.position, personalOf(event));
    return opened;
  }

  /** The same for raw rows, which carry no ids: the intake events from the first to the last read again as stored. */
  private async openedByReading(events: readonly RawEvent[]): Promise<Map<bigint, unknown>> {
    const intake = events.filter((e) => OPENED.includes(e.type));
    const opened = new Map<bigint, unknown>();
    if (intake.length === 0) return opened;
    const first = intake[0]!.position;
    const last = intake.at(-1)!.position;
    for (let from = first; from <= last; ) {
      const page = await this.store.inner.readAll({ fromPosition: from, maxCount: 500, filter: { eventTypes: OPENED } });
      for (const event of await this.store.openPeople(page.filter((e) => e.position <= last))) opened.set(event.position, personalOf(event));
      if (page.length < 500) break;
      from = page.at(-1)!.position + 1n;
    }
    return opened;
  }

  private withPersonal<E extends { position: bigint; data: unknown }>(event: E, opened: Map<bigint, unknown>): E {
    if (!opened.has(event.position)) return event;
    return { ...event, data: { ...(event.data as object), personal: opened.get(event.position) } };
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.store.subscribeToAll({
      ...options,
      handle: async (events) => {
        const opened = await this.openedInHand(events);
        await options.handle(events.map((e) => this.withPersonal(e, opened)));
      },
    });
  }

  async readAllRaw(options: RawReadOptions): Promise<RawEvent[]> {
    if (options.partition) {
      const events = await this.store.readAllRaw(options);
      const opened = await this.openedByReading(events);
      return events.map((e) => this.withPersonal(e, opened));
    }
    // The whole log (the case search is rebuilt on one thread): one read of the stored events, which carry the ids
    // their ciphertext is bound to, instead of a raw page and its intakes read again to open them. A rebuild over
    // a national year spent as long on that second read as on the opening itself.
    const stored = await this.store.inner.readAll({ fromPosition: options.fromPosition, maxCount: options.maxCount, filter: { eventTypes: options.eventTypes } });
    const upTo = options.upTo;
    const events = upTo === undefined ? stored : stored.filter((e) => e.position <= upTo);
    const opened = await this.openedInHand(events);
    return events.map((e) => this.withPersonal(rawOf(e), opened));
  }

  appendToStream(...args: Parameters<EventStore['appendToStream']>) {
    return this.store.appendToStream(...args);
  }
  readStream(...args: Parameters<EventStore['readStream']>): Promise<RecordedEvent[]> {
    return this.store.readStream(...args);
  }
  streamRevision(streamId: string) {
    return this.store.streamRevision(streamId);
  }
  readAll(...args: Parameters<EventStore['readAll']>) {
    return this.store.readAll(...args);
  }
  headPosition() {
    return this.store.headPosition();
  }
  ping() {
    return this.store.ping();
  }
  close() {
    return this.store.close();
  }
}
