/**
 * Reads the log for the key store, in log order, from a checkpoint kept in the key store itself:
 * - binds every key a sealed event names to the subject in its id (keys are handed out from a pool at append time,
 *   without a key-store write, so the log is the record of which key is whose until this has read it);
 * - destroys the keys an erasure or disposal destroys (shredding.ts), after binding every key named before it, so a
 *   process that died between writing the event and destroying the keys is healed, and a key named before the
 *   erasure is never missed.
 * `catchUp` reads to the head of the log as it is when called: erasure, disposal and subject access wait for it
 * (LogBoundKeyStore). Binding and destroying are idempotent, so reading an event twice is harmless.
 *
 * The checkpoint is the key file's, shared by every process on the data dir, but each process caches keys of its own:
 * an erasure that another process wrote and read past is still read here (from where this process last read), so its
 * keys leave this process's cache too.
 */
import { eventRegistry } from '@hru/events';
import type { EventStore, RawEvent } from '../ports/event-store.js';
import { isSealed } from './cipher.js';
import type { KeyStore } from './key-store.js';
import { SHREDDING_EVENT_TYPES, shredFor } from './shredding.js';

export interface KeyLogFollowerOptions {
  /** Told of each key destroyed from the log (that the write did not already destroy): counts for the log. */
  onShredded?(count: number): void;
  onError?(error: unknown): void;
  /** How often the log is read in the background once started (default 250 ms). */
  pollMs?: number;
  /** Events read per page (default 1,000). */
  pageSize?: number;
  /**
   * How long bindings read in the background may wait to be written, in ms (default 2,000), unless 5,000 keys are
   * waiting first. Each binding adds random entries to the key file's two indexes, and one commit of many costs less
   * per key than one every poll. Erasure, disposal and subject access never wait: `catchUp` writes them at once, and an
   * erasure read from the log is preceded by every binding before it.
   */
  bindEveryMs?: number;
  /**
   * The event types read (default: every type whose events can carry a `personal` section, and the ones that destroy
   * keys). The benchmark's unsealed engine reads only the latter: it has nothing to bind.
   */
  eventTypes?: readonly string[];
}

const shredding = new Set<string>(SHREDDING_EVENT_TYPES);

/** Bindings held before they are written whatever `bindEveryMs` says: bounds the memory they take. */
const MAX_PENDING_KEYS = 5_000;

let sealable: string[] | undefined;

/** Every registered type whose schema has a `personal` section (or is not a plain object, to be safe), and the shredding ones. */
function typesWithKeys(): string[] {
  sealable ??= eventRegistry.types().filter((type) => {
    const shape = (eventRegistry.definition(type).schema as { shape?: Record<string, unknown> }).shape;
    return shape === undefined || 'personal' in shape || shredding.has(type);
  });
  return sealable;
}

/** The key ids a stored event's sealed personal section names. */
function keyIdsOf(event: RawEvent, into: string[]): void {
  const personal = (event.data as { personal?: unknown } | null)?.personal;
  if (!isSealed(personal)) return;
  if (personal.case) into.push(personal.case.k);
  for (const part of personal.people ?? []) into.push(part.k);
}

export class KeyLogFollower {
  private timer: NodeJS.Timeout | undefined;
  /** The read in progress or last finished; a new one starts after it. */
  private tail: Promise<unknown> = Promise.resolve();
  /** A read queued behind the tail and not started yet: anyone asking before it starts can share it. */
  private queued: Promise<number> | undefined;
  private stopped = false;
  private readonly pageSize: number;
  private readonly eventTypes: readonly string[];
  /**
   * Where this process has read the log to (its caches have seen every erasure up to here). It starts at the head when
   * the store is opened, before anything was cached: an erasure another process reads past the shared checkpoint after
   * that is still read here, whether or not `start()` ran first (a CLI or a test calls `catchUp` alone).
   */
  private seen: Promise<bigint | undefined> | bigint | undefined;
  /** Bindings read and not yet written, and the position they reach (the checkpoint written with them). */
  private pending: { named: string[]; last: bigint } | undefined;
  private boundAt = performance.now();
  /** A caller of `catchUp` is waiting for the next read: it writes its bindings at once. */
  private bindWanted = false;

  constructor(
    /** The store underneath: events as stored, sealed. */
    private readonly store: EventStore,
    /** The key store itself (not a LogBoundKeyStore, which would wait for this). */
    private readonly keys: KeyStore,
    private readonly options: KeyLogFollowerOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1_000;
    this.eventTypes = options.eventTypes ?? typesWithKeys();
    this.seen = store.headPosition().catch(() => undefined);
  }

  /** Key ids read from the log and not yet bound (they are, by `catchUp`, by their due time or by `stop`). */
  get pendingKeys(): number {
    return this.pending?.named.length ?? 0;
  }

  /** Reads the log now, then in the background every `pollMs` (other processes write to it too). */
  start(): void {
    this.stopped = false;
    const tick = () => {
      this.read(false)
        .then((destroyed) => {
          if (destroyed > 0) this.options.onShredded?.(destroyed);
        })
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 250);
        });
    };
    tick();
  }

  /** Binds and destroys what the log holds up to its head as of this call; resolves with the keys destroyed. */
  catchUp(): Promise<number> {
    return this.read(true);
  }

  /** `bind`: write the bindings read at once (a caller waits for them), rather than when they are due. */
  private read(bind: boolean): Promise<number> {
    if (bind) this.bindWanted = true;
    if (this.queued) return this.queued;
    const run = this.tail.then(() => {
      this.queued = undefined;
      const bindNow = this.bindWanted;
      this.bindWanted = false;
      return this.readToHead(bindNow);
    });
    this.queued = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async readToHead(bindNow: boolean): Promise<number> {
    const head = await this.store.headPosition();
    const checkpoint = await this.keys.logCheckpoint();
    // Bindings held here that another process has written since (the shared checkpoint is past them) are done.
    if (this.pending && checkpoint !== undefined && checkpoint >= this.pending.last) this.pending = undefined;
    let read = this.pending?.last ?? checkpoint;
    let destroyed = 0;
    const seen = await this.seen;
    if (seen !== undefined && checkpoint !== undefined && seen < checkpoint) destroyed += await this.shredBetween(seen, checkpoint);
    while (read === undefined || read < head) {
      const page = await this.store.readAllRaw({ fromPosition: read === undefined ? 0n : read + 1n, maxCount: this.pageSize, eventTypes: this.eventTypes, upTo: head });
      if (page.length === 0) break;
      for (const event of page) {
        if (shredding.has(event.type)) {
          // Every key named before the erasure is bound first, so the erasure finds it.
          await this.bindPending();
          destroyed += await shredFor(event, this.keys);
        }
        this.pending ??= { named: [], last: event.position };
        keyIdsOf(event, this.pending.named);
        this.pending.last = event.position;
      }
      read = this.pending!.last;
      // A long way to read (a first start over a long log): bound as it goes, so memory stays bounded.
      if (this.pending!.named.length >= MAX_PENDING_KEYS) await this.bindPending();
    }
    if (this.pending && (bindNow || performance.now() - this.boundAt >= (this.options.bindEveryMs ?? 2_000))) {
      await this.bindPending();
    }
    this.seen = read === undefined || read < head ? head : read;
    return destroyed;
  }

  /** Writes the bindings read so far, with the checkpoint they reach. */
  private async bindPending(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    await this.keys.bindKeys(pending.named, pending.last);
    this.pending = undefined;
    this.boundAt = performance.now();
  }

  /**
   * The erasures and disposals after `from` up to `to` that another process read first (the shared checkpoint is past
   * them): their keys are destroyed in the file already, and shredding again drops them from this process's cache.
   */
  private async shredBetween(from: bigint, to: bigint): Promise<number> {
    let destroyed = 0;
    for (let next = from + 1n; next <= to; ) {
      const page = await this.store.readAllRaw({ fromPosition: next, maxCount: this.pageSize, eventTypes: SHREDDING_EVENT_TYPES, upTo: to });
      for (const event of page) destroyed += await shredFor(event, this.keys);
      if (page.length < this.pageSize) break;
      next = page.at(-1)!.position + 1n;
    }
    return destroyed;
  }

  /** Stops reading; what was read and not yet bound is bound (a clean stop leaves nothing to read again). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.tail;
    await this.bindPending();
  }
}
