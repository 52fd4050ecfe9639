// The platform's languages: picks the locale of a request and looks strings up in its catalogue.
import Negotiator from 'negotiator';
import { en } from './catalog.en.ts';
import { zhHK } from './catalog.zh-HK.ts';
import { type MessageKey, zhCN } from './catalog.zh-CN.ts';

export type { MessageKey };

/** Locales with a catalogue, first is the default. */
export const LOCALES = ['zh-CN', 'zh-HK', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** How each locale names itself in the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', 'zh-HK': '繁體中文', en: 'English' };

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, 'zh-HK': zhHK, en };

/** A text to be written in the reader's language when it is shown (an error's detail, a notice's part). */
export type Localized = (t: Translate) => string;
export type TranslateParams = Record<string, string | number | Localized>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

/** A catalogue text with its parameters, translated when shown: `new AppError('VALIDATION', { detail: localized(…) })`. */
export const localized =
  (key: MessageKey, params?: TranslateParams): Localized =>
  (t) =>
    t(key, params);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const translators = new Map<Locale, Translate>();

export function translator(locale: Locale): Translate {
  const known = translators.get(locale);
  if (known) return known;
  const catalogue = CATALOGUES[locale];
  const t: Translate = (key, params) => {
    const text = catalogue[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      if (!(name in params)) return whole;
      const value = params[name]!;
      return typeof value === 'function' ? value(t) : String(value);
    });
  };
  translators.set(locale, t);
  return t;
}

export const LOCALE_COOKIE = 'lang';

/**
 * The locale a language tag asks for: any English → en; Chinese written in Traditional characters (zh-Hant, or the
 * Hong Kong, Macau and Taiwan regions) → zh-HK; any other Chinese → zh-CN; anything else → none of ours.
 */
export function localeOfTag(tag: string): Locale | null {
  const parts = tag.toLowerCase().split(/[-_]/);
  if (parts[0] === 'en') return 'en';
  if (parts[0] !== 'zh' && parts[0] !== 'yue') return null;
  if (parts[0] === 'yue') return 'zh-HK';
  const rest = parts.slice(1);
  if (rest.includes('hant') || rest.some((p) => p === 'hk' || p === 'mo' || p === 'tw')) return 'zh-HK';
  return 'zh-CN';
}

const accepted = new Map<string, Locale | null>();

/** The first of the visitor's languages (by `Accept-Language` and its q-values) that the platform speaks. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const known = accepted.get(header);
  if (known !== undefined) return known;
  let found: Locale | null = null;
  for (const tag of new Negotiator({ headers: { 'accept-language': header } }).languages()) {
    found = localeOfTag(tag);
    if (found) break;
  }
  // Browsers send few distinct headers; the bound keeps a flood of made-up ones from growing it.
  if (accepted.size < 1000) accepted.set(header, found);
  return found;
}

export interface LocaleInputs {
  /** The `lang` cookie: the visitor's own choice, which always wins. */
  cookie: string | undefined;
  acceptLanguage: string | undefined;
  /** The page's own default: the boards of Hong Kong and Macau are read in Traditional characters. */
  pageDefault?: Locale | null;
}

/**
 * The language of a request: the visitor's choice (cookie); else, on a page with a language of its own (Hong Kong and
 * Macau), that language unless the browser asks for English; else the browser's languages; else Simplified Chinese.
 */
export function negotiateLocale({ cookie, acceptLanguage, pageDefault }: LocaleInputs): Locale {
  if (isLocale(cookie)) return cookie;
  const asked = localeFromAcceptLanguage(acceptLanguage);
  if (pageDefault && asked !== 'en') return pageDefault;
  return asked ?? DEFAULT_LOCALE;
}

/**
 * The language of a page about a region or a board, from its region code or board number: Hong Kong (81…) and Macau
 * (82…) are read in Traditional Chinese. Null for every other place.
 */
export function regionalLocale(codeOrBoard: unknown): Locale | null {
  return typeof codeOrBoard === 'string' && /^8[12]\d{4,6}$/.test(codeOrBoard) ? 'zh-HK' : null;
}
