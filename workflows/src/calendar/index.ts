/** The working-day calendar and the statutory clocks: pure, reckoned in Europe/London. */
export { calendarRegions, workingCalendar, type CalendarRegion, type WorkingCalendar } from './working-calendar.js';
export {
  clockNames,
  clockOverridesSchema,
  clockRuleSchema,
  clockSchema,
  defaultClocks,
  disregardedDays,
  mergeClockOverrides,
  parseClockOverrides,
  warnLeadSchema,
  type Clock,
  type ClockName,
  type ClockOverrides,
  type ClockRule,
  type ClockTable,
  type DisregardedDay,
  type WarnLead,
} from './clock-rules.js';
export { deadline, deadlineFor, warningAt, type ClockDeadline } from './deadline.js';
export { LONDON, type LocalDay } from './local-day.js';
