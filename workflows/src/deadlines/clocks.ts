/**
 * What deciding needs of the calendar: the due and warning times of a named clock started at a moment, and the end
 * of a local day (an order "ends on" a date). Computed by the working-day calendar (../calendar) from the clock
 * table (configuration, HRU_CLOCKS), passed in with every command so deciding stays pure and the machine stays
 * free of the calendar's library.
 */
import type { Role } from '@hru/events';

export interface ClockReading {
  dueAt: string;
  /** null: this clock does not warn. */
  warnAt: string | null;
  owner: Role;
}

export interface Clocks {
  /** The named clock (e.g. `bail_3_months`) started at `trigger` (ISO instant). Throws on an unknown name. */
  read(clock: string, trigger: string): ClockReading;
  /** The local calendar day (Europe/London, YYYY-MM-DD) an instant falls on. */
  localDay(at: string): string;
  /** The last instant of a local calendar day (Europe/London), as an ISO instant. */
  endOfDay(day: string): string;
  /** The warning time of a deadline that is due at `dueAt`, by the lead of the named clock. */
  warnBefore(clock: string, dueAt: string): string | null;
  /** The owner of the named clock. */
  ownerOf(clock: string): Role;
}
