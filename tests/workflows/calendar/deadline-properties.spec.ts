/**
 * Properties of `deadline` over random triggers and rules, with extra weight on the days around the clock changes
 * (last Sundays of March and October, 01:00 UTC). Each property runs a fixed, counted number of cases: no timing.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendarRegions, clockNames, deadline, deadlineFor, workingCalendar, type ClockRule, type DisregardedDay, type WorkingCalendar } from '@hru/workflows';

const ZONE = 'Europe/London';
const HOUR = 3_600_000;

/** The clock changes of the years the properties cover: forward in March, back in October. */
const clockChanges = ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31', '2028-03-26', '2028-10-29'].map((d) => Date.parse(`${d}T01:00:00Z`));

const anyInstant = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2031-12-31T00:00:00Z') });
const nearClockChange = fc
  .tuple(fc.constantFrom(...clockChanges), fc.integer({ min: -4 * 24 * HOUR, max: 4 * 24 * HOUR }))
  .map(([change, offset]) => change + offset);
/** Half the triggers within four days of a clock change. */
const instant = fc.oneof(anyInstant, nearClockChange);
const iso = (ms: number) => new Date(ms).toISOString();

const disregardArb = fc.subarray<DisregardedDay>(['saturday', 'sunday', 'bank_holiday', 'christmas_day', 'good_friday']);
const ruleArb: fc.Arbitrary<ClockRule> = fc.oneof(
  fc.integer({ min: 1, max: 20 }).map((days) => ({ unit: 'working_days' as const, days })),
  fc.integer({ min: 1, max: 60 }).map((days) => ({ unit: 'calendar_days_beginning_with' as const, days })),
  fc.integer({ min: 1, max: 120 }).map((days) => ({ unit: 'calendar_days_after' as const, days })),
  fc.integer({ min: 1, max: 12 }).map((months) => ({ unit: 'months_beginning_with' as const, months })),
  fc.tuple(fc.integer({ min: 1, max: 200 }), disregardArb).map(([hours, disregard]) => ({ unit: 'hours' as const, hours, disregard })),
);
const calendarArb = fc.constantFrom(...calendarRegions).map((region) => workingCalendar(region));

const local = (isoTime: string) => DateTime.fromISO(isoTime, { zone: ZONE });

/** Asserts a property over exactly `runs` cases and checks they all ran. */
function check<T>(arb: fc.Arbitrary<T>, runs: number, predicate: (value: T) => void): void {
  let ran = 0;
  fc.assert(
    fc.property(arb, (value) => {
      ran++;
      predicate(value);
    }),
    { numRuns: runs },
  );
  expect(ran).toBe(runs);
}

function disregarded(day: DateTime, disregard: readonly DisregardedDay[], calendar: WorkingCalendar): boolean {
  const date = day.toISODate()!;
  return (
    (disregard.includes('saturday') && day.weekday === 6) ||
    (disregard.includes('sunday') && day.weekday === 7) ||
    (disregard.includes('bank_holiday') && calendar.isBankHoliday(date)) ||
    (disregard.includes('christmas_day') && date.endsWith('-12-25')) ||
    (disregard.includes('good_friday') && calendar.isGoodFriday(date))
  );
}

/** Milliseconds between `from` and `to` that fall inside disregarded local days. */
function disregardedMs(from: number, to: number, disregard: readonly DisregardedDay[], calendar: WorkingCalendar): number {
  let total = 0;
  for (let day = DateTime.fromMillis(from, { zone: ZONE }).startOf('day'); day.toMillis() < to; day = day.plus({ days: 1 })) {
    if (!disregarded(day, disregard, calendar)) continue;
    const start = Math.max(from, day.toMillis());
    const end = Math.min(to, day.plus({ days: 1 }).toMillis());
    if (end > start) total += end - start;
  }
  return total;
}

describe('deadline properties', () => {
  it('a working-day deadline is at 23:59:59.999 London time on a working day of the region', () => {
    const arb = fc.record({ at: instant, days: fc.integer({ min: 1, max: 25 }), calendar: calendarArb });
    check(arb, 400, ({ at, days, calendar }) => {
      const due = local(deadline({ unit: 'working_days', days }, iso(at), calendar));
      expect(calendar.isWorkingDay(due.toISODate()!)).toBe(true);
      expect(due.toFormat('HH:mm:ss.SSS')).toBe('23:59:59.999');
    });
  });

  it('a working-day deadline is exactly N working days after the day of the trigger', () => {
    const arb = fc.record({ at: instant, days: fc.integer({ min: 1, max: 25 }), calendar: calendarArb });
    check(arb, 200, ({ at, days, calendar }) => {
      const due = local(deadline({ unit: 'working_days', days }, iso(at), calendar)).toISODate()!;
      let counted = 0;
      for (let day = DateTime.fromMillis(at, { zone: ZONE }).startOf('day').plus({ days: 1 }); day.toISODate()! <= due; day = day.plus({ days: 1 })) {
        if (calendar.isWorkingDay(day.toISODate()!)) counted++;
      }
      // Only days after the trigger's count, whether or not the trigger's own day is a working day.
      expect(counted).toBe(days);
    });
  });

  it('every day-based rule ends at 23:59:59.999 London time', () => {
    const dayRules = ruleArb.filter((r) => r.unit !== 'hours');
    check(fc.record({ at: instant, rule: dayRules, calendar: calendarArb }), 400, ({ at, rule, calendar }) => {
      expect(local(deadline(rule, iso(at), calendar)).toFormat('HH:mm:ss.SSS')).toBe('23:59:59.999');
    });
  });

  it('is after its trigger and never earlier for a later trigger (monotonic), for every rule', () => {
    const arb = fc.record({ a: instant, gap: fc.integer({ min: 0, max: 10 * 24 * HOUR }), rule: ruleArb, calendar: calendarArb });
    check(arb, 600, ({ a, gap, rule, calendar }) => {
      const first = Date.parse(deadline(rule, iso(a), calendar));
      const second = Date.parse(deadline(rule, iso(a + gap), calendar));
      expect(first).toBeGreaterThan(a);
      expect(second).toBeGreaterThanOrEqual(first);
    });
  });

  it('is monotonic for every default clock, near the clock changes too', () => {
    const arb = fc.record({ a: instant, gap: fc.integer({ min: 0, max: 3 * 24 * HOUR }), name: fc.constantFrom(...clockNames), calendar: calendarArb });
    check(arb, 400, ({ a, gap, name, calendar }) => {
      const first = deadlineFor(name, iso(a), calendar);
      const second = deadlineFor(name, iso(a + gap), calendar);
      expect(Date.parse(first.due)).toBeGreaterThan(a);
      expect(Date.parse(second.due)).toBeGreaterThanOrEqual(Date.parse(first.due));
      expect(Date.parse(first.warnAt)).toBeLessThan(Date.parse(first.due));
    });
  });

  it('an hours clock counts exactly N real hours outside disregarded days, and ends in a counted day', () => {
    const arb = fc.record({ at: instant, hours: fc.integer({ min: 1, max: 200 }), disregard: disregardArb, calendar: calendarArb });
    check(arb, 400, ({ at, hours, disregard, calendar }) => {
      const due = Date.parse(deadline({ unit: 'hours', hours, disregard }, iso(at), calendar));
      expect(due - at - disregardedMs(at, due, disregard, calendar)).toBe(hours * HOUR);
      // Not one millisecond later than needed: the last instant before the due time was counted.
      expect(disregarded(DateTime.fromMillis(due - 1, { zone: ZONE }).startOf('day'), disregard, calendar)).toBe(false);
    });
  });

  it('without disregarded days an hours clock is N elapsed hours, so its wall clock shifts by the change it crosses', () => {
    check(fc.record({ change: fc.constantFrom(...clockChanges), before: fc.integer({ min: 1, max: 47 * 60 }) }), 200, ({ change, before }) => {
      const at = change - before * 60_000; // less than 48 h before the change: the clock crosses it
      const due = deadline({ unit: 'hours', hours: 48, disregard: [] }, iso(at), workingCalendar('england-and-wales'));
      expect(Date.parse(due) - at).toBe(48 * HOUR);
      // Wall-clock readings as naive local times: they differ by 48 h plus the change (49 h in March, 47 h in October).
      const wallClock = (t: DateTime) => Date.parse(`${t.toISO({ includeOffset: false })}Z`);
      const forward = DateTime.fromMillis(change, { zone: 'UTC' }).month === 3;
      expect(wallClock(local(due)) - wallClock(DateTime.fromMillis(at, { zone: ZONE }))).toBe((forward ? 49 : 47) * HOUR);
    });
  });
});
