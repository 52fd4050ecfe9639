// Numbers as each language writes them (Intl): counts with grouping, percentages, decimals.
import type { Locale } from '../i18n/i18n.ts';

export interface NumberFormat {
  /** A count: 12,345. */
  count(n: number): string;
  /** A fraction 0–1 as a percentage with up to one decimal: 87.5%. */
  percent(fraction: number): string;
  /** A number with up to `digits` decimals. */
  decimal(n: number, digits?: number): string;
}

const formats = new Map<Locale, NumberFormat>();

export function numberFormat(locale: Locale): NumberFormat {
  let format = formats.get(locale);
  if (!format) {
    const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const decimals = new Map<number, Intl.NumberFormat>();
    format = {
      count: (n) => count.format(n),
      percent: (fraction) => percent.format(fraction),
      decimal: (n, digits = 1) => {
        let f = decimals.get(digits);
        if (!f) decimals.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
        return f.format(n);
      },
    };
    formats.set(locale, format);
  }
  return format;
}
