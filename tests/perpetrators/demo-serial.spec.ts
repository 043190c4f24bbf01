/**
 * `hru demo` makes serial perpetrators: some referrals are about the suspect of an earlier one (against a new
 * victim), so the ranking has people with several referrals. Each repeat names the referral that named the suspect
 * first, whose suspect is its own.
 */
import { describe, expect, it } from 'vitest';
import { suspectIndexFor } from '../../services/cli/src/demo/synthetic-case.js';

describe('hru demo: serial perpetrators', () => {
  it('names earlier suspects again in about three referrals in ten, at most forty referrals back', () => {
    const referrals = 260; // the demo's default
    const bySuspect = new Map<number, number>();
    for (let i = 0; i < referrals; i++) {
      const suspect = suspectIndexFor(i);
      expect(suspect).toBeLessThanOrEqual(i);
      expect(suspectIndexFor(suspect)).toBe(suspect);
      bySuspect.set(suspect, (bySuspect.get(suspect) ?? 0) + 1);
    }
    const repeats = referrals - bySuspect.size;
    expect(repeats / referrals).toBeGreaterThan(0.2);
    expect(repeats / referrals).toBeLessThan(0.4);
    expect([...bySuspect.values()].filter((n) => n >= 3).length).toBeGreaterThanOrEqual(5);
    // The first referrals are each about a suspect of their own.
    expect([0, 1, 2, 3].map(suspectIndexFor)).toEqual([0, 1, 2, 3]);
  });
});
