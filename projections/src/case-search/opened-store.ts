/**
 * The one read model that is handed personal data: the case search's blind index must see a person's name to
 * compute its keyed MAC. Every other read model reads the log sealed (subscriptions and replays of the engine's
 * store never open it); this view of the store opens the `personal` section of the intake events only, by
 * re-reading them through the store's decrypting `readAll`, and only for the runner of `case_search`, whose
 * `apply` writes MACs and nothing else. An erased person reads as erased here too, so indexes nothing.
 */
import type { EventStore, RawEvent, RawReadOptions, RecordedEvent, SubscribeOptions, Subscription } from '@hru/application';

const OPENED = ['ReferralReceived', 'ReferralDetailsUpdated'];

export class OpenedIntakeStore implements EventStore {
  readonly kind: EventStore['kind'];

  constructor(private readonly store: EventStore) {
    this.kind = store.kind;
  }

  /** The opened `personal` of each intake event among `events`, by log position. */
  private async openedPersonal(events: readonly { position: bigint; type: string }[]): Promise<Map<bigint, unknown>> {
    const intake = events.filter((e) => OPENED.includes(e.type));
    const opened = new Map<bigint, unknown>();
    if (intake.length === 0) return opened;
    const first = intake[0]!.position;
    const last = intake.at(-1)!.position;
    // One read for the batch: the intake events from the first to the last, in log order.
    for (let from = first; from <= last; ) {
      const page = await this.store.readAll({ fromPosition: from, maxCount: 500, filter: { eventTypes: OPENED } });
      for (const event of page) if (event.position <= last) opened.set(event.position, (event.data as { personal?: unknown }).personal);
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
        const opened = await this.openedPersonal(events);
        await options.handle(events.map((e) => this.withPersonal(e, opened)));
      },
    });
  }

  async readAllRaw(options: RawReadOptions): Promise<RawEvent[]> {
    const events = await this.store.readAllRaw(options);
    const opened = await this.openedPersonal(events);
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
