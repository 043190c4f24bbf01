/**
 * Requests per caller in fixed windows (HRU_RATE_LIMIT_PER_MINUTE): a caller's window opens with its first request
 * and lasts a minute, as @fastify/rate-limit's local store counted them, without its promises and closures for every
 * request. The callers kept are bounded (a client address is an attacker's choice): past the bound, the caller
 * least recently seen is forgotten, as that store's LRU did.
 */
export interface WindowCount {
  /** Requests in the caller's current window, this one included. */
  count: number;
  /** Milliseconds until the window closes. */
  ttlMs: number;
}

export class CallerWindows {
  private readonly windows = new Map<string, { count: number; startedAt: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxCallers = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `key`. */
  hit(key: string): WindowCount {
    const now = this.now();
    let window = this.windows.get(key);
    if (window) {
      // Re-inserted below: a Map iterates in insertion order, so the first key is the one least recently seen.
      this.windows.delete(key);
      if (window.startedAt + this.windowMs <= now) window = undefined;
    }
    window ??= { count: 0, startedAt: now };
    window.count++;
    this.windows.set(key, window);
    if (this.windows.size > this.maxCallers) this.windows.delete(this.windows.keys().next().value!);
    return { count: window.count, ttlMs: window.startedAt + this.windowMs - now };
  }

  get size(): number {
    return this.windows.size;
  }
}
