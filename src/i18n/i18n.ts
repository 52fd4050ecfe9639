// Picks the locale of a request and looks strings up in its catalogue.
import { en } from './catalog.en.ts';
import { type MessageKey, zhCN } from './catalog.zh-CN.ts';

export type { MessageKey };

/** Locales with a catalogue, first is the default. Traditional Chinese (zh-HK) slots in here. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** How each locale names itself in the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English' };

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

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
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
  translators.set(locale, t);
  return t;
}

export const LOCALE_COOKIE = 'lang';
