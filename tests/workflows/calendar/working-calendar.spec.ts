/**
 * The working-day calendar against days anyone can look up on the published bank holiday lists: the library's
 * rules, substitutes included, must give exactly these, and nothing that is only an observance.
 */
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@hru/events';
import { workingCalendar } from '@hru/workflows';

const englandAndWales = workingCalendar('england-and-wales');
const scotland = workingCalendar('scotland');
const northernIreland = workingCalendar('northern-ireland');

/** Every day of a year that is a bank holiday in the calendar, in order. */
function bankHolidaysOf(calendar: ReturnType<typeof workingCalendar>, year: number): string[] {
  const days: string[] = [];
  for (let at = Date.UTC(year, 0, 1); at < Date.UTC(year + 1, 0, 1); at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10);
    if (calendar.isBankHoliday(day)) days.push(day);
  }
  return days;
}

describe('the England and Wales calendar', () => {
  it('has the 2026 bank holidays, Boxing Day on a Saturday substituted on Monday 28 December', () => {
    expect(bankHolidaysOf(englandAndWales, 2026)).toEqual([
      '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-26', '2026-12-28',
    ]);
    expect(englandAndWales.holidayName('2026-12-28')).toBe('Boxing Day (substitute day)');
    expect(englandAndWales.isWorkingDay('2026-12-28')).toBe(false);
    expect(englandAndWales.isWorkingDay('2026-12-29')).toBe(true);
  });

  it('has 2027: Easter (Good Friday 26 March, Easter Monday 29 March), May, Spring and Summer, and Christmas on a Saturday with both substitutes', () => {
    expect(bankHolidaysOf(englandAndWales, 2027)).toEqual([
      '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-25', '2027-12-26', '2027-12-27', '2027-12-28',
    ]);
    expect(englandAndWales.holidayName('2027-03-26')).toBe('Good Friday');
    expect(englandAndWales.isGoodFriday('2027-03-26')).toBe(true);
    expect(englandAndWales.isGoodFriday('2026-04-03')).toBe(true);
    expect(englandAndWales.isGoodFriday('2027-03-29')).toBe(false);
    expect(englandAndWales.holidayName('2027-03-29')).toBe('Easter Monday');
    expect(englandAndWales.holidayName('2027-05-03')).toBe('Early May bank holiday');
    expect(englandAndWales.holidayName('2027-05-31')).toBe('Spring bank holiday');
    expect(englandAndWales.holidayName('2027-08-30')).toBe('Summer bank holiday');
    expect(englandAndWales.holidayName('2027-12-27')).toBe('Christmas Day (substitute day)');
    expect(englandAndWales.holidayName('2027-12-28')).toBe('Boxing Day (substitute day)');
    expect(['2027-12-29', '2027-12-30', '2027-12-31'].every((d) => englandAndWales.isWorkingDay(d))).toBe(true);
  });

  it('counts no observance (Easter Sunday, Mother’s Day) and no region’s own holiday', () => {
    expect(englandAndWales.isBankHoliday('2027-03-28')).toBe(false); // Easter Sunday
    expect(englandAndWales.isBankHoliday('2027-03-07')).toBe(false); // Mother's Day
    expect(englandAndWales.isBankHoliday('2027-01-04')).toBe(false); // Scotland's 2 January substitute
    expect(englandAndWales.isBankHoliday('2027-03-17')).toBe(false); // St Patrick's Day
    expect(englandAndWales.isBankHoliday('2026-11-30')).toBe(false); // St Andrew's Day
    expect(englandAndWales.isWorkingDay('2026-11-28')).toBe(false); // a Saturday
    expect(englandAndWales.isWorkingDay('2026-11-29')).toBe(false); // a Sunday
    expect(englandAndWales.isWorkingDay('2026-11-30')).toBe(true);
  });

  it('stands for Wales too: WLS gives the same days as ENG in every year from 2000 to 2060', () => {
    const types = { timezone: 'Europe/London', types: ['public' as const] };
    const eng = new Holidays('GB', 'ENG', types);
    const wls = new Holidays('GB', 'WLS', types);
    let years = 0;
    for (let year = 2000; year <= 2060; year++) {
      const days = (h: Holidays) => h.getHolidays(year).filter((x) => x.type === 'public').map((x) => `${x.date.slice(0, 10)} ${x.name}`);
      expect(days(wls), String(year)).toEqual(days(eng));
      years++;
    }
    expect(years).toBe(61);
  });
});

describe('the Scotland calendar', () => {
  it('has 2 January (substituted on Monday 4 January 2027), St Andrew’s Day, the August holiday and no Easter Monday', () => {
    expect(scotland.holidayName('2026-01-02')).toBe('January 2nd');
    expect(scotland.isWorkingDay('2027-01-04')).toBe(false);
    expect(scotland.holidayName('2027-01-04')).toBe('January 2nd (substitute day)');
    expect(scotland.holidayName('2026-11-30')).toBe('St Andrew’s Day');
    expect(scotland.isWorkingDay('2026-11-30')).toBe(false);
    expect(scotland.isBankHoliday('2027-08-02')).toBe(true);
    expect(scotland.isBankHoliday('2027-08-30')).toBe(false);
    expect(scotland.isBankHoliday('2027-03-29')).toBe(false);
    expect(scotland.isGoodFriday('2027-03-26')).toBe(true);
  });
});

describe('the Northern Ireland calendar', () => {
  it('has St Patrick’s Day and the Battle of the Boyne (substituted when on a Sunday)', () => {
    expect(northernIreland.holidayName('2027-03-17')).toBe('St Patrick’s Day');
    expect(northernIreland.isWorkingDay('2027-03-17')).toBe(false);
    expect(northernIreland.isBankHoliday('2027-07-12')).toBe(true);
    expect(northernIreland.isBankHoliday('2026-07-13')).toBe(true); // 12 July 2026 is a Sunday
    expect(northernIreland.isBankHoliday('2027-03-29')).toBe(true); // Easter Monday
  });
});

describe('days it refuses', () => {
  it('refuses what is not a real YYYY-MM-DD day, and an unknown region', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '30/11/2026', '2026-11-30T00:00:00Z', '']) {
      expect(() => englandAndWales.isWorkingDay(bad), bad).toThrow(ValidationError);
    }
    expect(() => workingCalendar('wales' as never)).toThrow(ValidationError);
  });
});
