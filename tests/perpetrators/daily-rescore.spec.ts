/**
 * The new day's scores are computed just after midnight (UTC), not in the first reader's request: the scheduler is
 * driven here by a clock and a timer the test moves by hand, counting runs (no waiting for real time).
 */
import { describe, expect, it } from 'vitest';
import { afterEachMidnight } from '../../services/api/src/schemas/perpetrator-access.js';

function handTimers() {
  const pending: { run: () => void; ms: number; cleared: boolean }[] = [];
  return {
    pending,
    timers: {
      setTimeout: (run: () => void, ms: number) => {
        const timer = { run, ms, cleared: false };
        pending.push(timer);
        return timer;
      },
      clearTimeout: (timer: unknown) => {
        (timer as { cleared: boolean }).cleared = true;
      },
    },
  };
}

describe('daily rescore', () => {
  it('runs five seconds after each UTC midnight by the clock it is given, until stopped', () => {
    let now = Date.parse('2026-11-30T23:00:00Z');
    const { pending, timers } = handTimers();
    let runs = 0;
    const stop = afterEachMidnight(() => new Date(now), () => runs++, timers);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.ms).toBe(3_600_000 + 5_000);
    // Midnight passes: the run happens and the next one is a day (less what the run took) away.
    now = Date.parse('2026-12-01T00:00:05Z');
    pending[0]!.run();
    expect(runs).toBe(1);
    expect(pending[1]!.ms).toBe(86_400_000);
    now = Date.parse('2026-12-02T00:00:05Z');
    pending[1]!.run();
    expect(runs).toBe(2);
    stop();
    expect(pending[2]!.cleared).toBe(true);
    // A timer that fires after the stop (it was already due) does nothing.
    pending[2]!.run();
    expect(runs).toBe(2);
  });
});
