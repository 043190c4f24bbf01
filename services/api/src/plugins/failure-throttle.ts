/**
 * Failed authentication, throttled before any other work: per client address (guessing from one place) and
 * per claimed identity (guessing one account from many places). The general rate limit counts callers who
 * proved who they are; this counts the ones who did not (HRU_AUTH_FAILURES_PER_MINUTE).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { unverifiedSubject } from '@hru/infra';

/**
 * Failures per key in fixed one-minute windows, with a bound on the keys kept (an attacker chooses them). Lapsed
 * windows are swept once a window length, on the next failure: the map holds about a minute of failing keys, not
 * every key that ever failed until the bound is reached.
 */
export class FailureWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweepAt = 0;

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** No failure is on record (every key may try). */
  get empty(): boolean {
    return this.windows.size === 0;
  }

  /** Seconds until `key` may try again; 0 when it may now. */
  waitFor(key: string): number {
    const window = this.windows.get(key);
    const now = this.now();
    if (!window || window.resetAt <= now || window.count < this.maxFailures) return 0;
    return Math.ceil((window.resetAt - now) / 1_000);
  }

  /** Keys with a failure on record (lapsed windows included until the next sweep). */
  get size(): number {
    return this.windows.size;
  }

  /** Counts a failure; true when this one reached the limit (worth saying once in the log). */
  record(key: string): boolean {
    const now = this.now();
    if (now >= this.nextSweepAt) {
      this.sweep(now);
      this.nextSweepAt = now + this.windowMs;
    }
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.makeRoom(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count === this.maxFailures;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    this.sweep(now);
    // Still full: forget the oldest windows (a Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

/**
 * Keys the presented key with a secret of this process, so a log line or a memory dump holding the hash does
 * not let anyone test guesses of the key offline.
 */
const keySalt = randomBytes(32);

/**
 * Who the credential claims to be, without trusting it: the token's `sub` (unverified, so only a throttling
 * key, never an identity), or a keyed hash of an API key. Never the credential itself.
 */
export function claimedIdentity(authorization: string | undefined): string | undefined {
  const [scheme, credential] = (authorization ?? '').trim().split(/\s+/, 2);
  if (!scheme || !credential) return undefined;
  if (scheme.toLowerCase() === 'apikey') return `key:${createHmac('sha256', keySalt).update(credential).digest('hex').slice(0, 16)}`;
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  const sub = unverifiedSubject(credential);
  return sub === undefined ? undefined : `staff:${sub}`;
}
