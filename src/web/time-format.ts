// Times as people read them: in the platform's time zone (Beijing time by default), formatted by Intl for the page's language.
import type { Locale } from '../i18n/i18n.ts';

export interface TimeFormat {
  /** Date and time to the minute, e.g. 2026/12/04 10:40. */
  dateTime(iso: string): string;
  /** The date alone, e.g. 2026/12/04. */
  date(iso: string): string;
  /** Year, month and day in the time zone, as numbers, for dates written out in words. */
  ymd(iso: string): [number, number, number];
}

const formats = new Map<string, TimeFormat>();

/** One formatter per language and zone, made once: Intl formatters are costly to build and cheap to use. */
export function timeFormat(locale: Locale, timeZone: string): TimeFormat {
  const key = `${locale} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    const dateTime = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const date = new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
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
