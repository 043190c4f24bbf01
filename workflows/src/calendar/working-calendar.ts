/**
 * The working-day calendar of a UK jurisdiction: weekends and public (bank) holidays, from the maintained
 * `date-holidays` rules, never a hand-written list. Observances (Mother's Day, Easter Sunday…) are not holidays
 * here: only the library's `public` days count, which for GB are the bank and public holidays with their
 * substitute days.
 */
import Holidays from 'date-holidays';
import { ValidationError } from '@hru/events';
import { LONDON, weekdayOf, yearOf, type LocalDay } from './local-day.js';

export const calendarRegions = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type CalendarRegion = (typeof calendarRegions)[number];

/**
 * England and Wales share one list of bank holidays (Banking and Financial Dealings Act 1971, Sched. 1 para 1, and
 * the same proclamations), so ENG stands for both; a test checks WLS gives the same days.
 */
const libraryRegion: Record<CalendarRegion, string> = {
  'england-and-wales': 'ENG',
  scotland: 'SCT',
  'northern-ireland': 'NIR',
};

export interface WorkingCalendar {
  readonly region: CalendarRegion;
  readonly zone: typeof LONDON;
  /** A public or bank holiday (substitute days included) in this region, weekends aside. */
  isBankHoliday(day: LocalDay): boolean;
  /** Monday to Friday and not a bank holiday. */
  isWorkingDay(day: LocalDay): boolean;
  /** The holiday's name (e.g. `Boxing Day (substitute day)`), or undefined on any other day. */
  holidayName(day: LocalDay): string | undefined;
  /** Good Friday of the day's year, which s27(4) of the Crime and Security Act 2010 names apart from bank holidays. */
  isGoodFriday(day: LocalDay): boolean;
}

interface YearHolidays {
  names: Map<LocalDay, string>;
  goodFriday: LocalDay | undefined;
}

/** The one I/O-free side effect: each region's years are worked out once per process, then read from the map. */
const cache = new Map<string, YearHolidays>();

function holidaysOf(region: CalendarRegion, year: number): YearHolidays {
  const key = `${region}:${year}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const library = new Holidays('GB', libraryRegion[region], { timezone: LONDON, types: ['public'] });
  const names = new Map<LocalDay, string>();
  let goodFriday: LocalDay | undefined;
  for (const holiday of library.getHolidays(year)) {
    if (holiday.type !== 'public') continue;
    const day = holiday.date.slice(0, 10);
    // Two holidays on one day (a substitute on another holiday) keep both names: the day is a holiday either way.
    names.set(day, names.has(day) ? `${names.get(day)}; ${holiday.name}` : holiday.name);
    if (holiday.rule === 'easter -2') goodFriday = day;
  }
  const entry = { names, goodFriday };
  cache.set(key, entry);
  return entry;
}

export function workingCalendar(region: CalendarRegion): WorkingCalendar {
  if (!calendarRegions.includes(region)) {
    throw new ValidationError(`Unknown calendar region ${String(region)}`, [{ path: '/region', message: `expected one of ${calendarRegions.join(', ')}` }]);
  }
  const holidayName = (day: LocalDay) => holidaysOf(region, yearOf(day)).names.get(day);
  const isBankHoliday = (day: LocalDay) => holidayName(day) !== undefined;
  return {
    region,
    zone: LONDON,
    isBankHoliday,
    isWorkingDay: (day) => weekdayOf(day) <= 5 && !isBankHoliday(day),
    holidayName,
    isGoodFriday: (day) => holidaysOf(region, yearOf(day)).goodFriday === day,
  };
}
