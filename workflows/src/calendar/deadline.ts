/**
 * When a clock falls due, and when it warns: pure functions of a rule, a trigger instant and a working calendar.
 * Every day below is a Europe/London wall-clock day, and "the end of" a day is its last millisecond,
 * 23:59:59.999 local time. Due times come back as UTC ISO instants (`…Z`).
 *
 * - `working_days` (N): by the end of the Nth working day after the day of the trigger. A working day is Monday to
 *   Friday and not a bank holiday of the calendar's region. A trigger on a non-working day counts from the next
 *   working day the same way, as though it had come then: that working day is day 0 and the clock ends with the
 *   Nth working day after it (so 1 working day from a Saturday ends on Tuesday, as from a Monday).
 * - `calendar_days_beginning_with` (N): the trigger's day is day 1; due at the end of day N, the end of
 *   (trigger day + N − 1). "3 days beginning with the day of service" (Stalking Protection Act 2019 s9(1)) ends
 *   at the end of the day after next.
 * - `calendar_days_after` (N): the trigger's day is day 0; due at the end of (trigger day + N).
 * - `months_beginning_with` (N): the period of N months beginning with the trigger's day D ends at the end of the
 *   day before the day with D's day-of-month N months later; when that month has no such day (the 29th to 31st of
 *   a short month), the period ends at the end of that month's last day. So 3 months beginning with 15 January end
 *   with 14 April, and 3 months beginning with 29 November, 30 November or 1 December 2026 all end with 28 February 2027.
 * - `hours` (N, disregarding some days): N real, elapsed hours from the trigger instant, not wall-clock hours, so
 *   across the October clock change the due time reads one hour earlier on the clock than the trigger's clock time
 *   + N h, and across the March change one hour later. Time inside a disregarded day (the whole local day, 00:00 to
 *   24:00, 23 or 25 hours long on the days the clocks change) does not count: the clock stops at the start of such a
 *   day and runs again at the start of the next day that is not disregarded; a trigger inside one starts the clock
 *   at the end of it. A clock that runs out exactly at midnight is due at that midnight.
 */
import { Duration, type DateTime } from 'luxon';
import type { Clock, ClockName, ClockRule, ClockTable, DisregardedDay } from './clock-rules.js';
import { defaultClocks } from './clock-rules.js';
import { addDays, dayStart, endOfDay, instantOf, localDayOf, utcIso, weekdayOf, type LocalDay } from './local-day.js';
import type { WorkingCalendar } from './working-calendar.js';

const HOUR_MS = 3_600_000;

function nextWorkingDay(day: LocalDay, calendar: WorkingCalendar): LocalDay {
  let next = addDays(day, 1);
  while (!calendar.isWorkingDay(next)) next = addDays(next, 1);
  return next;
}

function previousWorkingDay(day: LocalDay, calendar: WorkingCalendar): LocalDay {
  let previous = addDays(day, -1);
  while (!calendar.isWorkingDay(previous)) previous = addDays(previous, -1);
  return previous;
}

/**
 * The Nth working day after `day`, counting only days after it, whether or not it is itself a working day: an
 * arrest on a Saturday owes an enhanced-rights victim a contact by the end of Monday, not Tuesday (the reading that
 * favours the victim, and the words "the Nth working day after the day of the trigger" as they stand).
 */
function workingDaysAfter(day: LocalDay, days: number, calendar: WorkingCalendar): LocalDay {
  let counted = day;
  for (let n = 0; n < days; n++) counted = nextWorkingDay(counted, calendar);
  return counted;
}

function lastDayOfMonthsBeginningWith(day: LocalDay, months: number): LocalDay {
  const start = dayStart(day);
  const month = start.startOf('month').plus({ months });
  // No such day-of-month in that month: the period runs to the month's end.
  if (start.day > month.daysInMonth!) return month.endOf('month').toISODate()!;
  return addDays(month.set({ day: start.day }).toISODate()!, -1);
}

function isDisregarded(day: LocalDay, disregard: readonly DisregardedDay[], calendar: WorkingCalendar): boolean {
  return disregard.some((kind) => {
    switch (kind) {
      case 'saturday':
        return weekdayOf(day) === 6;
      case 'sunday':
        return weekdayOf(day) === 7;
      case 'bank_holiday':
        return calendar.isBankHoliday(day);
      case 'christmas_day':
        return day.slice(5) === '12-25';
      case 'good_friday':
        return calendar.isGoodFriday(day);
      default: {
        const unknown: never = kind;
        throw new Error(`Unknown disregarded day ${String(unknown)}`);
      }
    }
  });
}

function afterHours(trigger: DateTime<true>, hours: number, disregard: readonly DisregardedDay[], calendar: WorkingCalendar): DateTime<true> {
  let at = trigger;
  let remainingMs = hours * HOUR_MS;
  // Walk day by day: each step either spends the rest of a counted day or skips a disregarded one, so the loop
  // runs about N/24 times plus the disregarded days met.
  for (;;) {
    const day = localDayOf(at);
    const nextMidnight = dayStart(addDays(day, 1));
    if (!isDisregarded(day, disregard, calendar)) {
      const leftToday = nextMidnight.toMillis() - at.toMillis();
      if (remainingMs <= leftToday) return at.plus({ milliseconds: remainingMs });
      remainingMs -= leftToday;
    }
    at = nextMidnight;
  }
}

/** The instant a clock with this rule falls due after `trigger` (an ISO instant), as a UTC ISO instant. */
export function deadline(rule: ClockRule, trigger: string, calendar: WorkingCalendar): string {
  const at = instantOf(trigger);
  const day = localDayOf(at);
  switch (rule.unit) {
    case 'working_days':
      return utcIso(endOfDay(workingDaysAfter(day, rule.days, calendar)));
    case 'calendar_days_beginning_with':
      return utcIso(endOfDay(addDays(day, rule.days - 1)));
    case 'calendar_days_after':
      return utcIso(endOfDay(addDays(day, rule.days)));
    case 'months_beginning_with':
      return utcIso(endOfDay(lastDayOfMonthsBeginningWith(day, rule.months)));
    case 'hours':
      return utcIso(afterHours(at, rule.hours, rule.disregard, calendar));
    default: {
      const unknown: never = rule;
      throw new Error(`Unknown clock rule ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * When a clock due at `due` warns: its lead before the due time (see `warnLeadSchema` for what a lead means).
 * A working-day lead needs the calendar; the warning may fall before the trigger when the lead is longer than the
 * clock, and the caller then warns at once.
 */
export function warningAt(clock: Pick<Clock, 'warnLead'>, due: string, calendar: WorkingCalendar): string {
  const dueAt = instantOf(due);
  const lead = clock.warnLead;
  if (typeof lead === 'string') return utcIso(dueAt.minus(Duration.fromISO(lead)));
  let day = localDayOf(dueAt);
  for (let n = 0; n < lead.workingDays; n++) day = previousWorkingDay(day, calendar);
  const { hour, minute, second, millisecond } = dueAt;
  return utcIso(dayStart(day).set({ hour, minute, second, millisecond }));
}

export interface ClockDeadline {
  clock: ClockName;
  due: string;
  warnAt: string;
  owner: Clock['owner'];
}

/** The due and warning times of a named clock of the table (the defaults unless HRU_CLOCKS changed them). */
export function deadlineFor(name: ClockName, trigger: string, calendar: WorkingCalendar, clocks: ClockTable = defaultClocks): ClockDeadline {
  const clock = clocks[name];
  const due = deadline(clock.rule, trigger, calendar);
  return { clock: name, due, warnAt: warningAt(clock, due, calendar), owner: clock.owner };
}
