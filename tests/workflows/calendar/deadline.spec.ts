/**
 * Each unit of a clock rule on days worked out by hand from the calendar, the statutes' own wording and the two
 * clock changes of the test years (Europe/London: 2026-10-25 back to GMT, 2027-03-28 forward to BST).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@hru/events';
import { deadline, deadlineFor, defaultClocks, warningAt, workingCalendar, type ClockRule } from '@hru/workflows';

const ew = workingCalendar('england-and-wales');
const dvpo = defaultClocks.dvpo_hearing.rule;

describe('working days: by the end of the Nth working day after the day of the trigger', () => {
  const oneDay: ClockRule = { unit: 'working_days', days: 1 };
  const fiveDays: ClockRule = { unit: 'working_days', days: 5 };

  it('ends at 23:59:59.999 local on the next working day, in GMT and in BST', () => {
    expect(deadline(oneDay, '2026-11-30T10:00:00Z', ew)).toBe('2026-12-01T23:59:59.999Z');
    expect(deadline(oneDay, '2027-06-14T08:00:00Z', ew)).toBe('2027-06-15T22:59:59.999Z');
  });

  it('reads the trigger’s day in London: 23:30 UTC in summer is already the next day', () => {
    // 2027-06-14T23:30Z is 00:30 on Tuesday 15 June in London.
    expect(deadline(oneDay, '2027-06-14T23:30:00Z', ew)).toBe('2027-06-16T22:59:59.999Z');
  });

  it('steps over weekends and bank holidays (Christmas 2026: 25, 28 December off)', () => {
    expect(deadline(oneDay, '2026-12-24T16:00:00Z', ew)).toBe('2026-12-29T23:59:59.999Z');
    expect(deadline(fiveDays, '2026-12-24T16:00:00Z', ew)).toBe('2027-01-05T23:59:59.999Z');
    // Good Friday and Easter Monday 2027, and the clocks go forward between them.
    expect(deadline(oneDay, '2027-03-25T12:00:00Z', ew)).toBe('2027-03-30T22:59:59.999Z');
  });

  it('counts the working days after a trigger on a non-working day: 1 working day from a Saturday is Monday', () => {
    // Saturday 28 November 2026: the first working day after it is Monday 30 November, the same as from Friday.
    expect(deadline(oneDay, '2026-11-28T10:00:00Z', ew)).toBe('2026-11-30T23:59:59.999Z');
    expect(deadline(oneDay, '2026-11-28T10:00:00Z', ew)).toBe(deadline(oneDay, '2026-11-27T10:00:00Z', ew));
    // Christmas Day 2026 (Friday): Boxing Day falls on Saturday, substituted on Monday 28; the first working day is Tuesday 29.
    expect(deadline(oneDay, '2026-12-25T10:00:00Z', ew)).toBe('2026-12-29T23:59:59.999Z');
  });

  it('follows the region: St Andrew’s Day is a working day in England, not in Scotland', () => {
    expect(deadline(oneDay, '2026-11-27T10:00:00Z', ew)).toBe('2026-11-30T23:59:59.999Z');
    expect(deadline(oneDay, '2026-11-27T10:00:00Z', workingCalendar('scotland'))).toBe('2026-12-01T23:59:59.999Z');
    expect(deadline(oneDay, '2027-03-16T10:00:00Z', workingCalendar('northern-ireland'))).toBe('2027-03-18T23:59:59.999Z');
  });
});

describe('calendar days', () => {
  it('"3 days beginning with the day the order is served" (s9(1)) ends with the day after next, whatever the hour', () => {
    expect(deadlineFor('spo_notification', '2026-11-30T00:00:01Z', ew).due).toBe('2026-12-02T23:59:59.999Z');
    expect(deadlineFor('spo_notification', '2026-11-30T23:59:00Z', ew).due).toBe('2026-12-02T23:59:59.999Z');
    // Served on Saturday 24 October 2026: the 25-hour Sunday is one of the 3 days; due 23:59:59.999 GMT on Monday.
    expect(deadlineFor('spo_notification', '2026-10-24T18:00:00+01:00', ew).due).toBe('2026-10-26T23:59:59.999Z');
  });

  it('N days after: the trigger’s day is day 0', () => {
    expect(deadline({ unit: 'calendar_days_after', days: 28 }, '2026-11-30T10:00:00Z', ew)).toBe('2026-12-28T23:59:59.999Z');
    // Into summer time: 28 days after 10 March 2027 ends 23:59:59.999 BST on 7 April.
    expect(deadline({ unit: 'calendar_days_after', days: 28 }, '2027-03-10T10:00:00Z', ew)).toBe('2027-04-07T22:59:59.999Z');
  });
});

describe('months beginning with the start day', () => {
  const months = (n: number): ClockRule => ({ unit: 'months_beginning_with', months: n });

  it('ends with the day before the same day-of-month N months later', () => {
    expect(deadline(months(3), '2027-01-15T09:00:00Z', ew)).toBe('2027-04-14T22:59:59.999Z');
    expect(deadline(months(3), '2027-03-01T09:00:00Z', ew)).toBe('2027-05-31T22:59:59.999Z');
    expect(deadline(months(6), '2026-11-30T09:00:00Z', ew)).toBe('2027-05-29T22:59:59.999Z');
    expect(deadline(months(9), '2026-12-01T09:00:00Z', ew)).toBe('2027-08-31T22:59:59.999Z');
  });

  it('runs to the end of a short month that has no such day', () => {
    expect(deadline(months(3), '2026-11-28T09:00:00Z', ew)).toBe('2027-02-27T23:59:59.999Z');
    for (const start of ['2026-11-29', '2026-11-30', '2026-12-01']) {
      expect(deadline(months(3), `${start}T09:00:00Z`, ew), start).toBe('2027-02-28T23:59:59.999Z');
    }
    // A leap year has the 29th.
    expect(deadline(months(3), '2027-11-29T09:00:00Z', ew)).toBe('2028-02-28T23:59:59.999Z');
    expect(deadline(months(3), '2027-11-30T09:00:00Z', ew)).toBe('2028-02-29T23:59:59.999Z');
    expect(deadline(months(1), '2027-01-31T09:00:00Z', ew)).toBe('2027-02-28T23:59:59.999Z');
  });
});

describe('DVPO hearing: 48 hours from service, disregarding Sundays, bank holidays, Christmas Day and Good Friday', () => {
  it('counts a Saturday and skips the Sunday', () => {
    // Friday 10:00: 14 h of Friday + 24 h of Saturday + Sunday disregarded + 10 h of Monday.
    expect(deadline(dvpo, '2026-11-27T10:00:00Z', ew)).toBe('2026-11-30T10:00:00.000Z');
    // Served on a Sunday: the clock starts at midnight into Monday and runs 48 h to midnight into Wednesday.
    expect(deadline(dvpo, '2026-11-29T15:00:00Z', ew)).toBe('2026-12-02T00:00:00.000Z');
  });

  it('skips Good Friday, the Easter Sunday the clocks go forward and Easter Monday (2027)', () => {
    // Thursday 25 March 10:00 GMT: 14 h Thursday, Friday 26 off, 24 h Saturday, Sunday 28 and Monday 29 off,
    // 10 h of Tuesday 30 March, which is 10:00 BST.
    expect(deadline(dvpo, '2027-03-25T10:00:00Z', ew)).toBe('2027-03-30T09:00:00.000Z');
  });

  it('skips Christmas Day and Boxing Day’s substitute, but not Boxing Day itself when it is a Saturday bank holiday', () => {
    // Thursday 24 December 2026 12:00: 12 h, Friday 25 off, Saturday 26 is a bank holiday (Sched. 1: 26 December
    // if not a Sunday) and so off, Sunday 27 off, Monday 28 (substitute) off; 36 h from Tuesday 29 00:00.
    expect(deadline(dvpo, '2026-12-24T12:00:00Z', ew)).toBe('2026-12-30T12:00:00.000Z');
  });

  it('across 2026-10-25 (back to GMT) the Sunday is disregarded whole, all 25 hours of it', () => {
    // Saturday 24 October 10:00 BST: 14 h Saturday, Sunday (25 h) off, 24 h Monday, 10 h Tuesday: 10:00 GMT.
    expect(deadline(dvpo, '2026-10-24T10:00:00+01:00', ew)).toBe('2026-10-27T10:00:00.000Z');
  });

  it('across 2027-03-28 (forward to BST) the 23-hour Sunday is disregarded whole', () => {
    // Saturday 27 March 10:00 GMT: 14 h Saturday, Sunday 28 off, Easter Monday 29 off, 24 h Tuesday, then 10 h of
    // Wednesday 31 March, which is 10:00 BST.
    expect(deadline(dvpo, '2027-03-27T10:00:00Z', ew)).toBe('2027-03-31T09:00:00.000Z');
  });
});

describe('hours are elapsed hours: across a clock change the wall clock reads differently', () => {
  const hours48: ClockRule = { unit: 'hours', hours: 48, disregard: [] };

  it('in October the due time reads one hour earlier than the trigger’s clock time', () => {
    // Saturday 24 October 2026 10:00 BST + 48 real hours = Monday 26 October 09:00 GMT.
    expect(deadline(hours48, '2026-10-24T10:00:00+01:00', ew)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('in March the due time reads one hour later than the trigger’s clock time', () => {
    // Saturday 27 March 2027 10:00 GMT + 48 real hours = Monday 29 March 11:00 BST.
    expect(deadline(hours48, '2027-03-27T10:00:00Z', ew)).toBe('2027-03-29T10:00:00.000Z');
  });

  it('a clock that runs out exactly at midnight is due at that midnight', () => {
    expect(deadline({ unit: 'hours', hours: 14, disregard: ['sunday'] }, '2026-11-28T10:00:00Z', ew)).toBe('2026-11-29T00:00:00.000Z');
  });
});

describe('warnings', () => {
  it('subtracts hours as elapsed time and days as calendar days keeping the wall clock', () => {
    expect(warningAt({ warnLead: 'PT12H' }, '2026-11-30T10:00:00.000Z', ew)).toBe('2026-11-29T22:00:00.000Z');
    // 14 days before the end of 14 April 2027 is the end of 31 March (both in BST).
    expect(warningAt({ warnLead: 'P14D' }, '2027-04-14T22:59:59.999Z', ew)).toBe('2027-03-31T22:59:59.999Z');
    // Across the change: 7 days before the end of 2 April 2027 (BST) is the end of 26 March (GMT).
    expect(warningAt({ warnLead: 'P7D' }, '2027-04-02T22:59:59.999Z', ew)).toBe('2027-03-26T23:59:59.999Z');
  });

  it('a working-day lead lands on the same wall-clock time of an earlier working day', () => {
    // Due end of Tuesday 5 January 2027; one working day before is Monday 4 January; over New Year
    // (Friday 1 January off), three are Wednesday 30 December and four Tuesday 29 December.
    expect(warningAt({ warnLead: { workingDays: 1 } }, '2027-01-05T23:59:59.999Z', ew)).toBe('2027-01-04T23:59:59.999Z');
    expect(warningAt({ warnLead: { workingDays: 3 } }, '2027-01-05T23:59:59.999Z', ew)).toBe('2026-12-30T23:59:59.999Z');
    expect(warningAt({ warnLead: { workingDays: 4 } }, '2027-01-05T23:59:59.999Z', ew)).toBe('2026-12-29T23:59:59.999Z');
  });

  it('deadlineFor gives the due time, the warning and the owner of a named clock', () => {
    expect(deadlineFor('victim_contact_standard', '2026-12-24T16:00:00Z', ew)).toEqual({
      clock: 'victim_contact_standard',
      due: '2027-01-05T23:59:59.999Z',
      warnAt: '2027-01-04T23:59:59.999Z',
      owner: 'officer',
    });
    expect(deadlineFor('mappa_review_level_3', '2026-12-24T16:00:00Z', ew)).toMatchObject({ due: '2027-02-18T23:59:59.999Z', owner: 'probation' });
    expect(deadlineFor('plan_review', '2026-12-24T16:00:00Z', ew)).toMatchObject({ due: '2027-01-21T23:59:59.999Z', warnAt: '2027-01-18T23:59:59.999Z', owner: 'supervisor' });
  });
});

describe('triggers it refuses', () => {
  it('refuses a time without an offset (it would mean the machine’s zone) and what is not a time', () => {
    for (const bad of ['2026-11-30T10:00:00', '2026-11-30', 'yesterday', '2026-11-31T10:00:00Z']) {
      expect(() => deadline(dvpo, bad, ew), bad).toThrow(ValidationError);
    }
  });
});
