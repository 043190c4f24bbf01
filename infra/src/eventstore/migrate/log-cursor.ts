/** The global log read forwards a page at a time, one event at a time: what a copy and a comparison walk. */
import type { EventStore, RecordedEvent } from '@hru/application';

export class LogCursor {
  private page: RecordedEvent[] = [];
  private at = 0;
  private next: bigint | undefined;
  private ended = false;

  constructor(
    private readonly store: EventStore,
    private readonly pageSize: number,
    from?: bigint,
  ) {
    this.next = from;
  }

  /** The next event without taking it; undefined at the end of the log (as it is when that page was read). */
  async peek(): Promise<RecordedEvent | undefined> {
    if (this.at < this.page.length) return this.page[this.at];
    if (this.ended) return undefined;
    this.page = await this.store.readAll({ ...(this.next === undefined ? {} : { fromPosition: this.next }), maxCount: this.pageSize });
    this.at = 0;
    if (this.page.length < this.pageSize) this.ended = true;
    const last = this.page.at(-1);
    if (last) this.next = last.position + 1n;
    return this.page[0];
  }

  async take(): Promise<RecordedEvent | undefined> {
    const event = await this.peek();
    if (event) this.at++;
    return event;
  }
}
