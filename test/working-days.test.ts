import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import {
  addCalendarDays,
  addWorkingDays,
  calendarCoverage,
  chinaDate,
  isCalendarCovered,
  isWorkingDay,
  workingDaysBetween,
} from '../src/deadlines/working-days.ts';

const require = createRequire(import.meta.url);
const data = require('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

/** An instant given as China wall-clock time. */
const cst = (isoLocal: string) => new Date(`${isoLocal}+08:00`);
/** Noon China time on a 'YYYY-MM-DD' day. */
const noon = (day: string) => cst(`${day}T12:00:00`);
/** The deadline a day's end gives, as China wall-clock time. */
const endOf = (day: string) => cst(`${day}T23:59:59.999`);
const nextDay = (day: string) => chinaDate(new Date(noon(day).getTime() + 86_400_000));
const prevDay = (day: string) => chinaDate(new Date(noon(day).getTime() - 86_400_000));

describe('the calendar data', () => {
  test('covers 2025 and 2026, and says where it stops', () => {
    const { from, to } = calendarCoverage();
    assert.ok(from <= 2025 && to >= 2026, `coverage ${from}–${to}`);
    assert.equal(isCalendarCovered(noon('2025-06-01')), true);
    assert.equal(isCalendarCovered(noon(`${to}-12-31`)), true);
    assert.equal(isCalendarCovered(noon(`${to + 1}-01-01`)), false);
    assert.equal(isCalendarCovered(noon(`${from - 1}-12-31`)), false);
    // 16:30 UTC on 31 December is already 1 January in Beijing.
    assert.equal(isCalendarCovered(new Date(`${to}-12-31T16:30:00Z`)), false, 'that is 1 January in Beijing');
  });

  test('known official dates (checked against the State Council notices)', () => {
    // 国办发明电〔2024〕12号: 2025 National Day and Mid-autumn 1–8 October, with 28 September
    // (Sunday) and 11 October (Saturday) worked; Spring Festival with 26 January (Sunday) worked.
    assert.equal(isWorkingDay(noon('2025-09-28')), true, '2025-09-28 is a Sunday worked (调休)');
    assert.equal(isWorkingDay(noon('2025-10-11')), true, '2025-10-11 is a Saturday worked (调休)');
    assert.equal(isWorkingDay(noon('2025-01-26')), true, '2025-01-26 is a Sunday worked (调休)');
    assert.equal(isWorkingDay(noon('2025-10-08')), false, '2025-10-08 is a Wednesday off');
    assert.equal(isWorkingDay(noon('2025-01-01')), false, 'New Year 2025 is a Wednesday off');
    // 2026: New Year 1–3 January with 4 January (Sunday) worked; Spring Festival 15–23 February.
    assert.equal(isWorkingDay(noon('2026-01-04')), true, '2026-01-04 is a Sunday worked (调休)');
    assert.equal(isWorkingDay(noon('2026-02-16')), false, '2026-02-16 is a Monday off');
    // Ordinary days.
    assert.equal(isWorkingDay(noon('2025-06-04')), true, 'a plain Wednesday');
    assert.equal(isWorkingDay(noon('2025-06-07')), false, 'a plain Saturday');
    assert.equal(isWorkingDay(noon('2025-06-08')), false, 'a plain Sunday');
  });

  test('agrees with every holiday and make-up day the package lists for 2025 and 2026', () => {
    const inYears = (d: string) => d.startsWith('2025-') || d.startsWith('2026-');
    const holidays = Object.keys(data.holidays).filter(inYears);
    const workdays = Object.keys(data.workdays).filter(inYears);
    assert.ok(holidays.length >= 20 && workdays.length >= 5, 'the package has both kinds of day for both years');
    for (const d of holidays) assert.equal(isWorkingDay(noon(d)), false, `${d} is a holiday`);
    for (const d of workdays) {
      assert.equal(isWorkingDay(noon(d)), true, `${d} is a make-up working day`);
      assert.ok([0, 6].includes(noon(d).getUTCDay()), `${d} is a weekend day worked`);
    }
  });

  test('beyond the covered years only weekends are days off', () => {
    const year = calendarCoverage().to + 1;
    // Find the first Monday of October (National Day would be off, but there is no data yet).
    let day = `${year}-10-01`;
    while (noon(day).getUTCDay() !== 1) day = nextDay(day);
    assert.equal(isWorkingDay(noon(day)), true);
    assert.equal(isWorkingDay(noon(prevDay(day))), false, 'the Sunday before');
  });
});

describe('addWorkingDays', () => {
  test('a deadline spanning the 2025 National Day holiday lands after it (by the package data)', () => {
    const block = Object.entries(data.holidays)
      .filter(([d, name]) => d.startsWith('2025-') && name.includes('国庆节'))
      .map(([d]) => d)
      .sort();
    assert.ok(block.length >= 7, 'the package lists the 2025 National Day holiday');
    const first = block[0]!;
    const last = block.at(-1)!;
    const start = noon(prevDay(first));
    const deadline = addWorkingDays(start, 1);
    assert.ok(deadline > endOf(last), `deadline ${chinaDate(deadline)} after ${last}`);
    assert.equal(isWorkingDay(deadline), true);
    assert.equal(workingDaysBetween(start, deadline), 1);
  });

  test('concretely: from 30 September 2025, 1 working day is 9 October and 3 are the 调休 Saturday 11 October', () => {
    const start = cst('2025-09-30T10:00:00');
    assert.deepEqual(addWorkingDays(start, 1), endOf('2025-10-09'));
    assert.deepEqual(addWorkingDays(start, 2), endOf('2025-10-10'));
    assert.deepEqual(addWorkingDays(start, 3), endOf('2025-10-11'));
    assert.deepEqual(addWorkingDays(start, 4), endOf('2025-10-13'));
  });

  test('a 调休 Sunday counts: from Friday 26 September 2025, 1 working day is Sunday 28 September', () => {
    assert.deepEqual(addWorkingDays(cst('2025-09-26T15:00:00'), 1), endOf('2025-09-28'));
    assert.deepEqual(addWorkingDays(cst('2025-12-31T09:00:00'), 1), endOf('2026-01-04'), 'New Year 2026');
  });

  test('Friday evening in Beijing (still Friday morning in UTC) gives Monday night Beijing time', () => {
    const fridayEvening = cst('2025-06-06T18:30:00');
    assert.equal(fridayEvening.toISOString(), '2025-06-06T10:30:00.000Z');
    const deadline = addWorkingDays(fridayEvening, 1);
    assert.equal(deadline.toISOString(), '2025-06-09T15:59:59.999Z');
    assert.deepEqual(deadline, endOf('2025-06-09'));
    assert.deepEqual(addWorkingDays(fridayEvening, 5), endOf('2025-06-13'));
  });

  test('after midnight in Beijing it is Saturday, though UTC still says Friday', () => {
    const saturdayNight = cst('2025-06-07T01:30:00');
    assert.equal(saturdayNight.getUTCDay(), 5, 'Friday in UTC');
    assert.equal(chinaDate(saturdayNight), '2025-06-07');
    assert.equal(isWorkingDay(saturdayNight), false);
    assert.deepEqual(addWorkingDays(saturdayNight, 1), endOf('2025-06-09'));
    assert.deepEqual(addCalendarDays(saturdayNight, 1), endOf('2025-06-08'));
  });

  test('the day of arrival never counts, however early; 0 days is the end of that day', () => {
    assert.deepEqual(addWorkingDays(cst('2025-06-04T00:00:00'), 1), endOf('2025-06-05'));
    assert.deepEqual(addWorkingDays(cst('2025-06-04T23:59:59'), 1), endOf('2025-06-05'));
    assert.deepEqual(addWorkingDays(cst('2025-06-04T08:00:00'), 0), endOf('2025-06-04'));
  });

  test('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        assert.equal(isWorkingDay(noon('2025-10-01')), false, tz);
        assert.equal(isWorkingDay(noon('2025-10-11')), true, tz);
        assert.deepEqual(addWorkingDays(cst('2025-09-30T23:30:00'), 1), endOf('2025-10-09'), tz);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('agrees with workingDaysBetween, and always ends on a working day at 23:59:59.999 Beijing time', () => {
    for (
      let start = noon('2024-12-20');
      start < noon('2027-01-10');
      start = new Date(start.getTime() + 5 * 86_400_000)
    ) {
      for (const n of [1, 3, 5, 10, 15]) {
        const deadline = addWorkingDays(start, n);
        assert.equal(workingDaysBetween(start, deadline), n, `${chinaDate(start)} + ${n}`);
        assert.equal(isWorkingDay(deadline), true);
        assert.equal(new Date(deadline.getTime() + 1).toISOString().slice(11), '16:00:00.000Z');
      }
    }
  });

  test('rejects bad input', () => {
    assert.throws(() => addWorkingDays(new Date('nope'), 1), RangeError);
    assert.throws(() => addWorkingDays(noon('2025-06-04'), -1), RangeError);
    assert.throws(() => addWorkingDays(noon('2025-06-04'), 1.5), RangeError);
    assert.throws(() => addCalendarDays(noon('2025-06-04'), Number.NaN), RangeError);
  });
});

describe('addCalendarDays', () => {
  test('counts natural days, holidays included, to the end of the day in Beijing', () => {
    assert.deepEqual(addCalendarDays(cst('2025-09-30T10:00:00'), 1), endOf('2025-10-01'));
    assert.deepEqual(addCalendarDays(cst('2025-06-06T18:30:00'), 1), endOf('2025-06-07'));
    assert.deepEqual(addCalendarDays(cst('2025-12-20T09:00:00'), 15), endOf('2026-01-04'));
    assert.deepEqual(addCalendarDays(cst('2025-03-01T09:00:00'), 60), endOf('2025-04-30'));
    assert.deepEqual(addCalendarDays(cst('2025-06-06T08:00:00'), 0), endOf('2025-06-06'));
  });
});

describe('workingDaysBetween', () => {
  test('across a weekend and a holiday', () => {
    // Thursday 3 April 2025 → Tuesday 8 April: Friday 4 April is 清明, then the weekend.
    assert.equal(workingDaysBetween(cst('2025-04-03T10:00:00'), cst('2025-04-08T10:00:00')), 2);
    // Friday 25 April → Wednesday 7 May 2025: Sunday 27 April worked, 1–5 May off.
    assert.equal(workingDaysBetween(cst('2025-04-25T16:00:00'), cst('2025-05-07T09:00:00')), 6);
    // A plain weekend: Friday → Monday is one working day.
    assert.equal(workingDaysBetween(cst('2025-06-06T18:30:00'), cst('2025-06-09T08:00:00')), 1);
  });

  test('is 0 on the same day or backwards', () => {
    assert.equal(workingDaysBetween(cst('2025-06-04T08:00:00'), cst('2025-06-04T23:00:00')), 0);
    assert.equal(workingDaysBetween(cst('2025-06-09T08:00:00'), cst('2025-06-04T08:00:00')), 0);
    // The Friday-evening/Saturday-night pair is one Beijing day apart but no working day elapsed.
    assert.equal(workingDaysBetween(cst('2025-06-06T18:30:00'), cst('2025-06-07T01:30:00')), 0);
  });

  test('a whole covered year has about 250 working days', () => {
    const n = workingDaysBetween(endOf('2024-12-31'), endOf('2025-12-31'));
    assert.ok(n >= 245 && n <= 252, `${n}`);
  });
});
