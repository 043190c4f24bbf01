/**
 * Days and instants in the unit's one time zone. Every clock is reckoned in Europe/London wall-clock days, so
 * these helpers are the only place that turns an instant into a local day and back (luxon carries the zone rules,
 * DST included: a local day is 23, 24 or 25 hours long).
 */
import { DateTime, IANAZone } from 'luxon';
import { ValidationError } from '@hru/events';

export const LONDON = 'Europe/London';

const QUARTER_HOUR_MS = 900_000;
const MAX_CACHED_OFFSETS = 100_000;

/**
 * Europe/London with its UTC offsets remembered. luxon asks Intl for the offset of every instant it handles (about
 * 30 µs a time, most of a deadline's cost); London's offset only changes at 01:00 UTC, so it is the same throughout
 * any UTC quarter hour, which is what the cache is keyed by. Pure: the same instant always gets the same offset.
 */
class LondonZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  constructor() {
    super(LONDON);
  }

  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR_MS);
    let minutes = this.offsets.get(quarter);
    if (minutes === undefined) {
      minutes = super.offset(ts);
      if (this.offsets.size >= MAX_CACHED_OFFSETS) this.offsets.clear();
      this.offsets.set(quarter, minutes);
    }
    return minutes;
  }
}

/** The zone every clock is reckoned in (an IANA zone named Europe/London to luxon and Intl alike). */
export const london = new LondonZone();

/** A local calendar day, `YYYY-MM-DD`. */
export type LocalDay = string;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function notADay(day: string): never {
  throw new ValidationError(`${day} is not a calendar day (YYYY-MM-DD)`, [{ path: '/day', message: 'expected a real YYYY-MM-DD day' }]);
}

/**
 * The day as a count of days since 1970-01-01, refusing what is not a real `YYYY-MM-DD` day. Calendar arithmetic on
 * days (next day, weekday) needs no time zone, so it runs on plain day numbers; only turning a day into instants
 * (its midnight, its end) goes through the zone rules.
 */
function dayNumber(day: LocalDay): number {
  const match = DAY.exec(day);
  const at = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== day) notADay(day);
  return at / DAY_MS;
}

function dayOfNumber(n: number): LocalDay {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The local day's midnight in Europe/London (luxon carries the zone rules). */
export function dayStart(day: LocalDay): DateTime<true> {
  dayNumber(day);
  const start = DateTime.fromISO(day, { zone: london });
  if (!start.isValid) notADay(day);
  return start;
}

export function yearOf(day: LocalDay): number {
  return new Date(dayNumber(day) * DAY_MS).getUTCFullYear();
}

/** The instant an ISO time names, in Europe/London; refuses a time without an offset (it would mean the machine's zone). */
export function instantOf(iso: string): DateTime<true> {
  const at = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? DateTime.fromISO(iso, { setZone: true }) : undefined;
  const inLondon = at?.setZone(london);
  if (!inLondon?.isValid) throw new ValidationError(`${iso} is not an ISO instant with an offset`, [{ path: '/trigger', message: 'expected an ISO 8601 time with Z or an offset' }]);
  return inLondon;
}

/** The Europe/London day an instant falls in. */
export function localDayOf(at: DateTime): LocalDay {
  return at.setZone(london).toISODate()!;
}

export function addDays(day: LocalDay, days: number): LocalDay {
  return dayOfNumber(dayNumber(day) + days);
}

/** 1 = Monday … 7 = Sunday (ISO weekday). */
export function weekdayOf(day: LocalDay): number {
  return new Date(dayNumber(day) * DAY_MS).getUTCDay() || 7;
}

/** The last millisecond of a local day (23:59:59.999 Europe/London), whatever its length. */
export function endOfDay(day: LocalDay): DateTime<true> {
  return dayStart(day).endOf('day');
}

/** The instant, in UTC with milliseconds (`…Z`), as every due time is stored. */
export function utcIso(at: DateTime<true>): string {
  return at.toUTC().toISO();
}
