/**
 * How many live streams each subject holds open: a stream costs a subscription and a socket for hours, so one
 * leaked or hostile token must not be able to open them without bound (HRU_MAX_STREAMS_PER_SUBJECT).
 */
export class StreamSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly maxPerSubject: number) {}

  /** A release function when a slot was free, else undefined. Releasing twice is harmless. */
  take(subject: string): (() => void) | undefined {
    const count = this.held.get(subject) ?? 0;
    if (count >= this.maxPerSubject) return undefined;
    this.held.set(subject, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(subject) ?? 1) - 1;
      if (left > 0) this.held.set(subject, left);
      else this.held.delete(subject);
    };
  }
}
