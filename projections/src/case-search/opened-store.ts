/**
 * The one read model that is handed personal data: the case search's blind index must see a person's name to
 * compute its keyed MAC. Every other read model reads the log sealed (subscriptions and replays of the engine's
 * store never open it); this view of the store opens the people of the intake events only (never the case's free
 * text, which the index does not read), and only for the runner of `case_search`, whose `apply` writes MACs and
 * nothing else. An erased person reads as erased here too, so indexes nothing.
 *
 * Live, the events the subscription hands over are opened as they are (they carry their stream and event ids, the
 * ciphertext's associated data); a replay's raw rows do not, so its intake events are read again as stored, a page at
 * a time, and opened.
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
    const events = await this.store.readAllRaw(options);
    const opened = await this.openedByReading(events);
    return events.map((e) => this.withPersonal(e, opened));
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
