/**
 * The port's raw page read over `readAll`: the server has no notion of our partitions, so they are applied here,
 * and reading goes on until the page is full or the log (or `upTo`) ends; a short page must mean the end.
 */
import { actorIdOf } from '@hru/events';
import { partitionOf, type RawEvent, type RawReadOptions, type ReadAllOptions, type RecordedEvent } from '@hru/application';

export async function readRawPages(readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>, options: RawReadOptions): Promise<RawEvent[]> {
  const { upTo, partition } = options;
  const out: RawEvent[] = [];
  let from = options.fromPosition;
  while (out.length < options.maxCount) {
    const wanted = options.maxCount - out.length;
    const page = await readAll({ fromPosition: from, maxCount: wanted, filter: { eventTypes: options.eventTypes } });
    for (const event of page) {
      if (upTo !== undefined && event.position > upTo) return out;
      if (partition && partitionOf(event.streamId, partition.count) !== partition.index) continue;
      const { occurredAt, schemaVersion, actor } = event.metadata;
      out.push({ position: event.position, type: event.type, data: event.data, metadata: { occurredAt, schemaVersion, actorId: actorIdOf(actor) } });
    }
    if (page.length < wanted) return out;
    from = page[page.length - 1]!.position + 1n;
  }
  return out;
}
