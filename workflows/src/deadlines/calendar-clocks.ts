/**
 * The clocks deciding reads (./clocks.ts), on the working-day calendar and the clock table (../calendar): the named
 * clocks of the table (HRU_CLOCKS over the documented defaults), and two clocks whose due day a step names rather
 * than a rule computes: an order's end (the court's date) and a court's extension of bail.
 */
import { defaultClocks, type Clock, type ClockName, type ClockTable } from '../calendar/clock-rules.js';
import { deadline, warningAt } from '../calendar/deadline.js';
import { endOfDay, instantOf, localDayOf, utcIso } from '../calendar/local-day.js';
import { workingCalendar, type CalendarRegion, type WorkingCalendar } from '../calendar/working-calendar.js';
import type { Clocks } from './clocks.js';

/** Clocks due at the end of a day a step names: how early they warn, and whose they are. */
export const datedClocks = {
  /** Time to decide on a renewal or a new application before an order lapses. Unit practice (configuration in code). */
  order_end: { warnLead: 'P28D', owner: 'officer', source: 'unit practice: consider renewal four weeks before an order ends' },
  /** A court's extension of pre-charge bail runs to the date it names (PACE 1984 s47ZF). */
  bail_court: { warnLead: 'P14D', owner: 'officer', source: 'PACE 1984 s47ZF; warning as for the other bail periods' },
} as const satisfies Record<string, Pick<Clock, 'warnLead' | 'owner' | 'source'>>;

type ClockEntry = Pick<Clock, 'warnLead' | 'owner'> & { rule?: Clock['rule'] };

export function clocksOn(calendar: WorkingCalendar, table: ClockTable = defaultClocks): Clocks {
  const entry = (name: string): ClockEntry => {
    const clock = (table as Record<string, Clock | undefined>)[name] ?? (datedClocks as Record<string, ClockEntry | undefined>)[name];
    if (!clock) throw new Error(`no clock named ${name}`);
    return clock;
  };
  return {
    read(name, trigger) {
      const clock = entry(name);
      if (!clock.rule) throw new Error(`clock ${name} is due on a day a step names, not by a rule`);
      const dueAt = deadline(clock.rule, trigger, calendar);
      return { dueAt, warnAt: warningAt(clock, dueAt, calendar), owner: clock.owner };
    },
    localDay: (at) => localDayOf(instantOf(at)),
    endOfDay: (day) => utcIso(endOfDay(day)),
    warnBefore: (name, dueAt) => warningAt(entry(name), dueAt, calendar),
    ownerOf: (name) => entry(name).owner,
  };
}

/** The defaults: the England and Wales calendar and the documented clock table. */
export function standardClocks(region: CalendarRegion = 'england-and-wales', table: ClockTable = defaultClocks): Clocks {
  return clocksOn(workingCalendar(region), table);
}

export type { ClockName };
