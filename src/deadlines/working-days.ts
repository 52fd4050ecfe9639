// Working days on China's official calendar (public holidays and 调休 make-up days), in China time.
//
// The calendar data comes from the chinese-days package (dist/chinese-days.json, built from the
// State Council's yearly 国办发明电 notices). We read its data rather than call its isWorkday():
// that function parses 'YYYY-MM-DD' as UTC but reads the weekday in the process's local time
// zone, so its answers depend on TZ. Here every date is turned into a China calendar day
// (Asia/Shanghai is UTC+8 all year, no DST) before anything is looked up.
import { createRequire } from 'node:module';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;
const DATE_KEY = /^(\d{4})-\d{2}-\d{2}$/;

interface CalendarData {
  /** Days off: public holidays and the weekdays swapped into them. */
  holidays: ReadonlySet<string>;
  /** 调休 make-up days: weekends that are working days. */
  workdays: ReadonlySet<string>;
  from: number;
  to: number;
}

function loadCalendar(): CalendarData {
  const require = createRequire(import.meta.url);
  const raw = require('chinese-days/dist/chinese-days.json') as unknown;
  const keys = (field: 'holidays' | 'workdays'): string[] => {
    const table = (raw as Record<string, unknown> | null)?.[field];
    if (typeof table !== 'object' || table === null) {
      throw new Error(`chinese-days: dist/chinese-days.json has no "${field}" table`);
    }
    const dates = Object.keys(table);
    const bad = dates.find((d) => !DATE_KEY.test(d));
    if (bad !== undefined) throw new Error(`chinese-days: unexpected date key "${bad}" in "${field}"`);
    return dates;
  };
  const holidays = keys('holidays');
  const workdays = keys('workdays');
  // Every covered year has at least New Year's Day, so the holiday keys give the covered years.
  // (A year's make-up days may fall in the previous December; they do not widen the range.)
  const years = holidays.map((d) => Number(d.slice(0, 4)));
  if (years.length === 0) throw new Error('chinese-days: the holiday table is empty');
  return {
    holidays: new Set(holidays),
    workdays: new Set(workdays),
    from: Math.min(...years),
    to: Math.max(...years),
  };
}

const CALENDAR = loadCalendar();

/**
 * Years whose official schedule an admin has loaded (`liuyan calendar import`, /admin/calendar), for years the package
 * does not cover yet: their days off and make-up days, kept beside the package's.
 */
const official = { years: new Set<number>(), holidays: new Set<string>(), workdays: new Set<string>() };

/** Replaces the loaded official schedule (all years at once, as stored in the database). */
export function useOfficialSchedule(days: readonly { date: string; kind: 'holiday' | 'workday' }[]): void {
  official.years = new Set(days.map((d) => Number(d.date.slice(0, 4))));
  official.holidays = new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date));
  official.workdays = new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date));
}

/**
 * The statutory public holidays of a year (全国年节及纪念日放假办法, as amended in 2024): 元旦 1 day, 春节 4 days
 * (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3 — without the State Council's yearly swaps (调休),
 * which cannot be known in advance. Lunar dates and the Qingming solar term come from the calendar package.
 */
const statutory = new Map<number, ReadonlySet<string>>();
function statutoryHolidays(year: number): ReadonlySet<string> {
  let days = statutory.get(year);
  if (!days) {
    const require = createRequire(import.meta.url);
    const cd = require('chinese-days') as {
      getSolarDateFromLunar(lunar: string): { date: string };
      getSolarTermDate(year: number, month: number, term: string): string;
    };
    const lunar = (m: number, d: number) => cd.getSolarDateFromLunar(`${year}-${m}-${d}`).date;
    const springDay = dayNumberOf(lunar(1, 1));
    const dates = [
      `${year}-01-01`,
      ...[-1, 0, 1, 2].map((offset) => dayKey(springDay + offset)),
      cd.getSolarTermDate(year, 4, 'pure_brightness'),
      `${year}-05-01`,
      `${year}-05-02`,
      lunar(5, 5),
      lunar(8, 15),
      `${year}-10-01`,
      `${year}-10-02`,
      `${year}-10-03`,
    ];
    days = new Set(dates);
    statutory.set(year, days);
  }
  return days;
}

function dayNumberOf(key: string): number {
  return Math.floor(Date.parse(`${key}T00:00:00Z`) / DAY);
}

function assertValidDate(date: Date, name: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError(`${name} is not a valid Date`);
  }
}

function assertDayCount(days: number): void {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`days must be a non-negative integer, got ${days}`);
  }
}

/** Days since 1970-01-01 on the China calendar. */
function chinaDayNumber(date: Date): number {
  return Math.floor((date.getTime() + CHINA_OFFSET) / DAY);
}

function dayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10);
}

/** The last millisecond (23:59:59.999 China time) of a China calendar day. */
function endOfDay(dayNumber: number): Date {
  return new Date((dayNumber + 1) * DAY - CHINA_OFFSET - 1);
}

function isWorkingDayNumber(dayNumber: number): boolean {
  const key = dayKey(dayNumber);
  const year = Number(key.slice(0, 4));
  const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  const weekdayWorks = weekday >= 1 && weekday <= 5;
  if (year >= CALENDAR.from && year <= CALENDAR.to) {
    if (CALENDAR.workdays.has(key)) return true;
    if (CALENDAR.holidays.has(key)) return false;
    return weekdayWorks;
  }
  if (official.years.has(year)) {
    if (official.workdays.has(key)) return true;
    if (official.holidays.has(key)) return false;
    return weekdayWorks;
  }
  // Past the published schedules: weekends and the statutory holidays, no swaps (provisional).
  return weekdayWorks && !statutoryHolidays(year).has(key);
}

/** The China calendar date of an instant, as 'YYYY-MM-DD'. */
export function chinaDate(date: Date): string {
  assertValidDate(date, 'date');
  return dayKey(chinaDayNumber(date));
}

/**
 * Whether the China calendar day of `date` is a working day: Monday to Friday unless it is a
 * public holiday, plus the weekends that are 调休 make-up working days.
 */
export function isWorkingDay(date: Date): boolean {
  assertValidDate(date, 'date');
  return isWorkingDayNumber(chinaDayNumber(date));
}

/**
 * The deadline `days` working days after `start`: the end (23:59:59.999 China time) of the
 * `days`-th working day strictly after the China calendar day of `start`, so the day a message
 * arrives never counts, however early it arrives. `days = 0` gives the end of the start day.
 */
export function addWorkingDays(start: Date, days: number): Date {
  assertValidDate(start, 'start');
  assertDayCount(days);
  let day = chinaDayNumber(start);
  for (let left = days; left > 0;) {
    day += 1;
    if (isWorkingDayNumber(day)) left -= 1;
  }
  return endOfDay(day);
}

/** The end (23:59:59.999 China time) of the China calendar day `days` natural days after `start`. */
export function addCalendarDays(start: Date, days: number): Date {
  assertValidDate(start, 'start');
  assertDayCount(days);
  return endOfDay(chinaDayNumber(start) + days);
}

/**
 * Working days elapsed from `from` to `to`: the working days after the China day of `from` up to
 * and including the China day of `to`, so that a reply made on the deadline day of a
 * `n`-working-day limit counts `n` (workingDaysBetween(s, addWorkingDays(s, n)) === n).
 * 0 when `to` is before `from` or on the same day.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  assertValidDate(from, 'from');
  assertValidDate(to, 'to');
  const last = chinaDayNumber(to);
  let count = 0;
  for (let day = chinaDayNumber(from) + 1; day <= last; day += 1) {
    if (isWorkingDayNumber(day)) count += 1;
  }
  return count;
}

/**
 * The first and last year the package's calendar data covers. Past these years, unless an admin has loaded the
 * State Council's schedule, weekends and the statutory holidays count as days off: deadlines there are provisional
 * (no 调休 swaps) until the schedule is loaded.
 */
export function calendarCoverage(): { from: number; to: number } {
  return { from: CALENDAR.from, to: CALENDAR.to };
}

/** Whether the China calendar year of `date` has an official schedule (the package's, or one an admin loaded). */
export function isCalendarCovered(date: Date): boolean {
  const year = Number(chinaDate(date).slice(0, 4));
  return (year >= CALENDAR.from && year <= CALENDAR.to) || official.years.has(year);
}

/** The years with a loaded official schedule beyond the package's. */
export function officialYears(): number[] {
  return [...official.years].sort();
}

/** A deadline counted, for some of its days, on statutory holidays only (暂按法定节假日计算). */
export function isProvisionalDeadline(start: Date, due: Date): boolean {
  return !isCalendarCovered(due) || !isCalendarCovered(start);
}
