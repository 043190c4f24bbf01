/**
 * Calls to the server retried across the client's reconnection. When any call fails UNAVAILABLE or
 * CANCELLED (a subscription the server drops, say), the KurrentDB client closes its whole gRPC channel and
 * opens a new one on the next call; calls already queued on the old channel then fail with "14 UNAVAILABLE:
 * Channel closed before call started" although they never reached the server, which is up. Such a call is
 * made again, a few times and briefly, before the port reports the store unavailable: a server that is
 * really gone still answers 503 within a fraction of a second.
 */
import { isUnavailable, toUnavailable } from './mapping.js';

export const UNAVAILABLE_ATTEMPTS = 3;
const FIRST_DELAY_MS = 20;

/** Runs `call` again on an unavailable-class failure; reads only (an append re-reads its stream instead). */
export async function retryUnavailable<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isUnavailable(error) || attempt >= UNAVAILABLE_ATTEMPTS) throw toUnavailable(error);
      await reconnectDelay(attempt);
    }
  }
}

/** 20 ms, then 80 ms: enough for the client to swap channels, short enough to report a real outage fast. */
export function reconnectDelay(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, FIRST_DELAY_MS * 4 ** (attempt - 1)));
}
