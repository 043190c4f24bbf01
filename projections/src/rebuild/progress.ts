/** Rate and ETA of a long read through the log, for the rebuild's progress callback (the CLI draws the bar). */

export interface RebuildProgress {
  eventsRead: number;
  /** Last position read, and the head of the log when that page was read. */
  position: bigint;
  head: bigint;
  /** 0..1, by position: exact for SQLite (gapless positions), an estimate for KurrentDB. */
  fraction: number;
  eventsPerSecond: number;
  /** Seconds left at the current rate; undefined until there is a rate. */
  etaSeconds: number | undefined;
  elapsedSeconds: number;
  done: boolean;
}

export class RateMeter {
  private readonly started = performance.now();
  private eventsRead = 0;
  private position = -1n;
  private head: bigint;

  constructor(head: bigint) {
    this.head = head;
  }

  advance(events: number, position: bigint, head: bigint): void {
    this.eventsRead += events;
    this.position = position;
    this.head = head;
  }

  progress(): RebuildProgress {
    const elapsedSeconds = (performance.now() - this.started) / 1000;
    const span = Number(this.head) + 1;
    const fraction = span <= 0 ? 1 : Math.min(1, (Number(this.position) + 1) / span);
    const eventsPerSecond = elapsedSeconds > 0 ? this.eventsRead / elapsedSeconds : 0;
    const etaSeconds = fraction > 0 && fraction < 1 ? (elapsedSeconds * (1 - fraction)) / fraction : fraction >= 1 ? 0 : undefined;
    return { eventsRead: this.eventsRead, position: this.position, head: this.head, fraction, eventsPerSecond, etaSeconds, elapsedSeconds, done: false };
  }
}
