// The language a notice, an e-mail or an SMS is written in: the recipient account's own (users.locale), a unit's by its
// region (Hong Kong and Macau read Traditional Chinese), else Simplified Chinese; dates in Beijing time as it writes them.
import { chinaDate } from '../deadlines/working-days.ts';
import { DEFAULT_LOCALE, isLocale, type Locale, regionalLocale, type Translate, translator } from '../i18n/i18n.ts';

export interface NoticeLanguage {
  locale: Locale;
  t: Translate;
  /** A day in Beijing time: 2026-05-20 (zh-CN, as notices always wrote it), 2026年5月20日 (zh-HK), 20 May 2026 (en). */
  date(at: Date | string): string;
  /** A day without its year, for short texts: 5月20日, 20 May. */
  day(at: Date | string): string;
}

/**
 * A notice's text, written for each recipient in their language (see notify()). A plain string is the same for every
 * recipient: only for a text with nothing to translate (tests, a fixed code); the platform's notices are functions.
 */
export type NoticeText = ((lang: NoticeLanguage) => string) | string;

/** The text of a notice for one recipient. */
export function writeNotice(text: NoticeText, lang: NoticeLanguage): string {
  return typeof text === 'string' ? text : text(lang);
}

const ZONE = 'Asia/Shanghai';
const languages = new Map<Locale, NoticeLanguage>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): (at: Date | string) => string {
  const f = new Intl.DateTimeFormat(locale, { timeZone: ZONE, ...options });
  return (at) => f.format(typeof at === 'string' ? new Date(at) : at);
}

/** The writer of texts in one language; made once per language. */
export function noticeLanguage(locale: Locale): NoticeLanguage {
  const known = languages.get(locale);
  if (known) return known;
  // English dates are written day first (20 May 2026), as a British or international reader expects.
  const tag = locale === 'en' ? 'en-GB' : locale;
  const lang: NoticeLanguage = {
    locale,
    t: translator(locale),
    date:
      locale === 'zh-CN'
        ? (at) => chinaDate(typeof at === 'string' ? new Date(at) : at)
        : formatter(tag, { year: 'numeric', month: 'long', day: 'numeric' }),
    day: formatter(tag, { month: 'long', day: 'numeric' }),
  };
  languages.set(locale, lang);
  return lang;
}

/** An account's stored language; none stored (or one no longer offered) reads as the default. */
export function accountLanguage(stored: string | null | undefined): Locale {
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
}

/** The language of a unit's own inbox: Traditional Chinese for units of Hong Kong (81…) and Macau (82…). */
export function unitLanguage(regionCode: string | null | undefined): Locale {
  return regionalLocale(regionCode) ?? DEFAULT_LOCALE;
}
