// Times as people read them: in the platform's time zone (Beijing time by default), formatted by Intl for the page's language.
import type { Locale } from '../i18n/i18n.ts';

export interface TimeFormat {
  /** Date and time to the minute, e.g. 2026/12/04 10:40 (4 Dec 2026, 10:40 in English). */
  dateTime(iso: string): string;
  /** The date alone, e.g. 2026/12/04. */
  date(iso: string): string;
  /** Year, month and day in the time zone, as numbers, for dates written out in words. */
  ymd(iso: string): [number, number, number];
}

/**
 * How each language writes a date: 2026/12/04 in Simplified, 04/12/2026 in Hong Kong, and in English the month in
 * words (4 Dec 2026), which no reader takes for the 12th of April.
 */
export const DATE_STYLE: Record<Locale, [string, Intl.DateTimeFormatOptions]> = {
  'zh-CN': ['zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit' }],
  'zh-HK': ['zh-HK', { year: 'numeric', month: '2-digit', day: '2-digit' }],
  en: ['en-GB', { year: 'numeric', month: 'short', day: 'numeric' }],
};

const formats = new Map<string, TimeFormat>();

/** One formatter per language and zone, made once: Intl formatters are costly to build and cheap to use. */
export function timeFormat(locale: Locale, timeZone: string): TimeFormat {
  const key = `${locale} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    const [tag, day] = DATE_STYLE[locale];
    const dateTime = new Intl.DateTimeFormat(tag, {
      timeZone,
      ...day,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const date = new Intl.DateTimeFormat(tag, { timeZone, ...day });
    const safely = (f: Intl.DateTimeFormat) => (iso: string) => {
      const at = new Date(iso);
      return Number.isNaN(at.getTime()) ? '' : f.format(at);
    };
    const numeric = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const ymd = (iso: string): [number, number, number] => {
      const [y, m, d] = numeric.format(new Date(iso)).split('-').map(Number);
      return [y!, m!, d!];
    };
    format = { dateTime: safely(dateTime), date: safely(date), ymd };
    formats.set(key, format);
  }
  return format;
}
