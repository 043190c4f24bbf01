/**
 * The transaction log of the KurrentDB test double: streams, the global order, optimistic concurrency and
 * idempotent retries, with the server's rules (not our port's) so the adapter's mapping is what is tested.
 */

export interface ProposedEvent {
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  streamId: string;
  revision: bigint;
  /** Log offset of the record: commit and prepare positions are both this (no explicit transactions). */
  position: bigint;
  /** 100-nanosecond ticks since the Unix epoch, as the server sends `created`. */
  createdTicks: bigint;
}

export type ExpectedState = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  | { ok: true; currentRevision: bigint; position: bigint }
  | { ok: false; expected: ExpectedState; current: bigint | 'no_stream' };

/** Bytes every record takes besides its payload, so positions are offsets with gaps as in a real log. */
const RECORD_OVERHEAD = 96n;
/** Where the first record starts: a real log begins with epoch and system records. */
const FIRST_POSITION = 1_024n;

export class InMemoryLog {
  private readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private nextPosition = FIRST_POSITION;
  private appends = 0;

  /** Writes a system event (type and stream start with `$`) the way the server does on its own. */
  writeSystemEvent(streamId: string, type: string, body: unknown): void {
    const data = new TextEncoder().encode(JSON.stringify(body));
    this.write(streamId, [{ eventId: crypto.randomUUID(), type, contentType: 'application/json', data, customMetadata: new Uint8Array() }]);
  }

  append(streamId: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    const retried = this.idempotentRetry(stream, expected, proposed);
    if (retried) return retried;
    const accepted =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === 'no_stream') ||
      (expected.kind === 'stream_exists' && current !== 'no_stream') ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!accepted) return { ok: false, expected, current };
    const written = this.write(streamId, proposed);
    // The server writes statistics and other bookkeeping into `$`-streams between client writes. Every
    // second append, so that even a short test finds system events between and after its own events.
    if (++this.appends % 2 === 0) this.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { appends: this.appends });
    const last = written.at(-1);
    return last ? { ok: true, currentRevision: last.revision, position: last.position } : { ok: true, currentRevision: -1n, position: -1n };
  }

  /**
   * KurrentDB's rule: the same event ids appended again where the writer expected them is a success that
   * writes nothing. With `any`/`stream_exists` the server looks for the first id among the stream's events.
   */
  private idempotentRetry(stream: StoredEvent[], expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome | undefined {
    const first = proposed[0];
    if (!first) return undefined;
    let start: number;
    switch (expected.kind) {
      case 'no_stream':
        start = 0;
        break;
      case 'revision':
        start = Number(expected.revision) + 1;
        break;
      case 'any':
      case 'stream_exists':
        start = stream.findIndex((e) => e.eventId === first.eventId);
        break;
    }
    if (start < 0 || stream[start]?.eventId !== first.eventId) return undefined;
    const matches = proposed.every((event, i) => stream[start + i]?.eventId === event.eventId);
    if (!matches) return { ok: false, expected, current: BigInt(stream.length - 1) };
    const last = stream[start + proposed.length - 1]!;
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  private write(streamId: string, proposed: readonly ProposedEvent[]): StoredEvent[] {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const createdTicks = BigInt(Date.now()) * 10_000n;
    const written = proposed.map((event) => {
      const stored: StoredEvent = { ...event, streamId, revision: BigInt(stream.length), position: this.nextPosition, createdTicks };
      this.nextPosition += RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + event.type.length);
      stream.push(stored);
      this.events.push(stored);
      return stored;
    });
    for (const event of written) for (const listener of this.listeners) listener(event);
    return written;
  }

  stream(streamId: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /**
   * TEST CODE ONLY: changes a stored event in place (both the stream and the log see it), as someone with
   * write access to the server's files could; nothing checks or announces the change.
   */
  tamperWith(streamId: string, revision: number, change: (event: StoredEvent) => void): void {
    change(this.storedAt(streamId, revision));
  }

  /** TEST CODE ONLY: removes a stored event from its stream and the log; the others keep their revisions and positions. */
  tamperRemove(streamId: string, revision: number): void {
    const event = this.storedAt(streamId, revision);
    const stream = this.streams.get(streamId)!;
    stream.splice(stream.indexOf(event), 1);
    this.events.splice(this.events.indexOf(event), 1);
  }

  private storedAt(streamId: string, revision: number): StoredEvent {
    const event = this.streams.get(streamId)?.find((e) => e.revision === BigInt(revision));
    if (!event) throw new Error(`the double holds no event ${streamId}@${revision}`);
    return event;
  }

  /** Every event in log order. */
  all(): readonly StoredEvent[] {
    return this.events;
  }

  /** Registers a listener for events written from now on; returns the unregister function. */
  onWritten(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
