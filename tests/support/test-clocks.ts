/**
 * Clocks of fixed lengths for tests that drive commands with backdated triggers (the "fake clock": the engine's time
 * is real, the trigger is not), so a deadline falls due seconds from now whatever the working-day calendar says.
 * Days are UTC days here; the calendar's own rules are tested with the calendar.
 */
import type { Role } from '@hru/events';
import type { Clocks } from '@hru/workflows';

export interface TestClock {
  /** From trigger to due time. */
  lengthMs: number;
  /** How long before the due time it warns; null: it does not warn. */
  warnLeadMs: number | null;
  owner: Role;
}

/** Owners as the default clock table has them (MAPPA reviews: probation; plan reviews: the supervisor). */
export function ownerOfClock(clock: string): Role {
  if (clock.startsWith('mappa_review')) return 'probation';
  if (clock === 'plan_review') return 'supervisor';
  return 'officer';
}

/** Every clock `lengthMs` long (or as `overrides` says), warning `warnLeadMs` ahead. */
export function testClocks(lengthMs: number, warnLeadMs: number | null, overrides: Record<string, Partial<TestClock>> = {}): Clocks {
  const clockOf = (name: string): TestClock => ({ lengthMs, warnLeadMs, owner: ownerOfClock(name), ...overrides[name] });
  const iso = (ms: number) => new Date(ms).toISOString();
  const warnBefore = (clock: string, dueAt: string) => {
    const lead = clockOf(clock).warnLeadMs;
    return lead === null ? null : iso(Date.parse(dueAt) - lead);
  };
  return {
    read: (clock, trigger) => {
      const dueAt = iso(Date.parse(trigger) + clockOf(clock).lengthMs);
      return { dueAt, warnAt: warnBefore(clock, dueAt), owner: clockOf(clock).owner };
    },
    localDay: (at) => new Date(at).toISOString().slice(0, 10),
    endOfDay: (day) => `${day}T23:59:59.999Z`,
    warnBefore,
    ownerOf: (clock) => clockOf(clock).owner,
  };
}
