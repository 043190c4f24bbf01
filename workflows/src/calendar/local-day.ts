/**
 * Days and instants in the unit's one time zone. Every clock is reckoned in Europe/London wall-clock days, so
 * these helpers are the only place that turns an instant into a local day and back (luxon carries the zone rules,
 * DST included: a local day is 23, 24 or 25 hours long).
 */
import { DateTime } from 'luxon';
import { ValidationError } from '@hru/events';

export const LONDON = 'Europe/London';

/** A local calendar day, `YYYY-MM-DD`. */
export type LocalDay = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The local day as a luxon date at its local midnight; refuses what is not a real `YYYY-MM-DD` day. */
export function dayStart(day: LocalDay): DateTime<true> {
  const start = DAY.test(day) ? DateTime.fromISO(day, { zone: LONDON }) : undefined;
  if (!start?.isValid) throw new ValidationError(`${day} is not a calendar day (YYYY-MM-DD)`, [{ path: '/day', message: 'expected a real YYYY-MM-DD day' }]);
  return start;
}

/** The instant an ISO time names, in Europe/London; refuses a time without an offset (it would mean the machine's zone). */
export function instantOf(iso: string): DateTime<true> {
  const at = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? DateTime.fromISO(iso, { setZone: true }) : undefined;
  const london = at?.setZone(LONDON);
  if (!london?.isValid) throw new ValidationError(`${iso} is not an ISO instant with an offset`, [{ path: '/trigger', message: 'expected an ISO 8601 time with Z or an offset' }]);
  return london;
}

/** The Europe/London day an instant falls in. */
export function localDayOf(at: DateTime): LocalDay {
  return at.setZone(LONDON).toISODate()!;
}

export function addDays(day: LocalDay, days: number): LocalDay {
  return dayStart(day).plus({ days }).toISODate()!;
}

/** 1 = Monday … 7 = Sunday (ISO weekday). */
export function weekdayOf(day: LocalDay): number {
  return dayStart(day).weekday;
}

/** The last millisecond of a local day (23:59:59.999 Europe/London), whatever its length. */
export function endOfDay(day: LocalDay): DateTime<true> {
  return dayStart(day).endOf('day');
}

/** The instant, in UTC with milliseconds (`…Z`), as every due time is stored. */
export function utcIso(at: DateTime<true>): string {
  return at.toUTC().toISO();
}
