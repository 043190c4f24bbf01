/**
 * Reads of $all with the port's semantics on top of the server's: the start position is inclusive in both
 * directions, system events never show, and a filter the server applies only in part is completed here
 * (so a page can come back short and the read continues until it has `maxCount` events or the log ends).
 */
import type { AllStreamResolvedEvent, KurrentDBClient, ReadPosition } from '@kurrent/kurrentdb-client';
import { matchesFilter, type EventFilter, type ReadAllOptions, type RecordedEvent } from '@hru/application';
import { isSystemEvent, toClientPosition, toRecorded, toServerFilter, type FilterFactories } from './mapping.js';
import { retryUnavailable } from './reconnect-retry.js';

/** Events asked of the server at once when our own filtering may discard some of them. */
const PAGE_SIZE = 500;

interface Page {
  events: RecordedEvent[];
  /** Position of the last event the server sent (filtered out or not), where the next page continues. */
  last: bigint | undefined;
  exhausted: boolean;
}

export class AllReader {
  constructor(
    private readonly client: KurrentDBClient,
    private readonly filters: FilterFactories,
  ) {}

  async read(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    if (wanted <= 0) return out;
    let from: ReadPosition = options.fromPosition === undefined ? (backwards ? 'end' : 'start') : toClientPosition(options.fromPosition);
    // Only events strictly beyond this bound are taken: how "inclusive" survives both server semantics.
    let bound = options.fromPosition;
    if (backwards && options.fromPosition !== undefined) {
      // A backwards read of the log starts before the given position, so the event at it is looked up first.
      const [atStart] = (await this.page('forwards', from, 1, options.filter, undefined)).events;
      if (atStart && atStart.position === options.fromPosition) out.push(atStart);
    } else if (options.fromPosition !== undefined) {
      bound = options.fromPosition - 1n;
    }
    let continuing = false;
    while (out.length < wanted) {
      // A forwards page continues at the last event already seen (inclusive), so it asks for one more.
      const size = (Number.isFinite(wanted) ? Math.min(PAGE_SIZE, wanted - out.length) : PAGE_SIZE) + (continuing && !backwards ? 1 : 0);
      const page = await this.page(backwards ? 'backwards' : 'forwards', from, size, options.filter, bound);
      out.push(...page.events);
      if (page.exhausted || page.last === undefined || page.last === bound) break;
      from = toClientPosition(page.last);
      bound = page.last;
      continuing = true;
    }
    return out.slice(0, wanted);
  }

  private async page(
    direction: 'forwards' | 'backwards',
    fromPosition: ReadPosition,
    maxCount: number,
    filter: EventFilter | undefined,
    bound: bigint | undefined,
  ): Promise<Page> {
    const beyond = (position: bigint) => bound === undefined || (direction === 'forwards' ? position > bound : position < bound);
    // A page interrupted by the client's reconnection is read again from its start (reconnect-retry.ts).
    return retryUnavailable(async () => {
      const events: RecordedEvent[] = [];
      let last: bigint | undefined;
      let received = 0;
      const read = this.client.readAll({ direction, fromPosition, maxCount, filter: toServerFilter(filter, this.filters) });
      for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
        const event = resolved.event;
        if (!event) continue;
        received++;
        const recorded = toRecorded(event);
        last = recorded.position;
        if (beyond(recorded.position) && !isSystemEvent(recorded) && matchesFilter(recorded, filter)) events.push(recorded);
      }
      return { events, last, exhausted: received < maxCount };
    });
  }
}
