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
  if (CALENDAR.workdays.has(key)) return true;
  if (CALENDAR.holidays.has(key)) return false;
  const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday >= 1 && weekday <= 5;
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
 * The first and last year the calendar data covers. Outside these years no holiday or 调休 is
 * known, and only weekends count as days off: deadlines there are approximate (too early across
 * a holiday) until the package is updated with the State Council's notice for that year.
 */
export function calendarCoverage(): { from: number; to: number } {
  return { from: CALENDAR.from, to: CALENDAR.to };
}

/** Whether the China calendar year of `date` has official holiday data (see calendarCoverage). */
export function isCalendarCovered(date: Date): boolean {
  const year = Number(chinaDate(date).slice(0, 4));
  return year >= CALENDAR.from && year <= CALENDAR.to;
}
