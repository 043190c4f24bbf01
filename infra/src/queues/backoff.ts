/** Exponential backoff with jitter (250 ms doubling, capped at 60 s), so retries of many alerts spread out. */
export function jitteredBackoff(attemptsMade: number): number {
  const ceiling = Math.min(60_000, 250 * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
