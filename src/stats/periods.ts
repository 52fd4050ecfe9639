// Statistics periods: a year, a quarter, a month or any range of days, in China calendar dates.
import { DEFAULT_LOCALE, localized, translator } from '../i18n/i18n.ts';
import { AppError } from '../web/app-error.ts';
import { chinaDate } from '../deadlines/working-days.ts';

export interface Period {
  kind: 'year' | 'quarter' | 'month' | 'custom';
  /** First and last day, 'YYYY-MM-DD', inclusive. */
  from: string;
  to: string;
  label: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= lastDayOfMonth(y, mo) && y >= 2000 && y <= 2100;
}

function range(kind: Period['kind'], from: string, to: string, label: string): Period {
  return { kind, from, to, label };
}

/** Labels in the platform's own language (the API's): pages and downloads name periods in the reader's. */
const zh = translator(DEFAULT_LOCALE);

/**
 * `period` = 'YYYY', 'YYYY-Qn' or 'YYYY-MM'; or `from` and `to` as 'YYYY-MM-DD'. Without either, the
 * current year so far. Bad input is a VALIDATION error naming the field.
 */
export function parsePeriod(input: { period?: unknown; from?: unknown; to?: unknown }, now = new Date()): Period {
  const period = typeof input.period === 'string' ? input.period.trim() : '';
  const from = typeof input.from === 'string' ? input.from.trim() : '';
  const to = typeof input.to === 'string' ? input.to.trim() : '';
  if (from || to) {
    if (!validDay(from)) throw new AppError('VALIDATION', { detail: localized('stats.error.from') }, 'from');
    if (!validDay(to)) throw new AppError('VALIDATION', { detail: localized('stats.error.to') }, 'to');
    if (from > to) throw new AppError('VALIDATION', { detail: localized('stats.error.order') }, 'from');
    return range('custom', from, to, zh('stats.period.custom', { from, to }));
  }
  if (!period) {
    const today = chinaDate(now);
    const year = today.slice(0, 4);
    return { ...range('year', `${year}-01-01`, `${year}-12-31`, zh('stats.period.year', { year })) };
  }
  let m = /^(\d{4})$/.exec(period);
  if (m && Number(m[1]) >= 2000 && Number(m[1]) <= 2100) {
    return range('year', `${m[1]}-01-01`, `${m[1]}-12-31`, zh('stats.period.year', { year: m[1]! }));
  }
  m = /^(\d{4})-Q([1-4])$/i.exec(period);
  if (m && Number(m[1]) >= 2000 && Number(m[1]) <= 2100) {
    const q = Number(m[2]);
    const y = Number(m[1]);
    const first = (q - 1) * 3 + 1;
    const last = first + 2;
    return range(
      'quarter',
      `${y}-${String(first).padStart(2, '0')}-01`,
      `${y}-${String(last).padStart(2, '0')}-${lastDayOfMonth(y, last)}`,
      zh('stats.period.quarter', { year: y, q }),
    );
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m && Number(m[1]) >= 2000 && Number(m[1]) <= 2100 && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const label = zh('stats.period.month', { year: y, month: mo });
    return range('month', `${m[1]}-${m[2]}-01`, `${m[1]}-${m[2]}-${lastDayOfMonth(y, mo)}`, label);
  }
  throw new AppError('VALIDATION', { detail: localized('stats.error.period') }, 'period');
}

/** The months of a period, 'YYYY-MM', in order (for trends). */
export function monthList(period: Period): string[] {
  const out: string[] = [];
  let [y, m] = period.from.split('-').map(Number) as [number, number];
  const end = period.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > end) break;
    out.push(key);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

const shiftDay = (day: string, by: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
};

/**
 * Splits a range of days into the whole months inside it (answered by the monthly rollups) and the
 * partial months at either end (answered by the per-message facts).
 */
export function splitByMonths(period: Pick<Period, 'from' | 'to'>): {
  months: { from: string; to: string } | null;
  days: { from: string; to: string }[];
} {
  const { from, to } = period;
  const firstStart = from.endsWith('-01') ? from : shiftDay(`${from.slice(0, 7)}-01`, 40).slice(0, 7) + '-01';
  const nextAfterTo = shiftDay(`${to.slice(0, 7)}-01`, 40).slice(0, 7) + '-01';
  const lastEnd = shiftDay(nextAfterTo, -1) === to ? to : shiftDay(`${to.slice(0, 7)}-01`, -1);
  if (firstStart > lastEnd) return { months: null, days: [{ from, to }] };
  const days: { from: string; to: string }[] = [];
  if (from < firstStart) days.push({ from, to: shiftDay(firstStart, -1) });
  if (lastEnd < to) days.push({ from: shiftDay(lastEnd, 1), to });
  return { months: { from: firstStart.slice(0, 7), to: lastEnd.slice(0, 7) }, days };
}
