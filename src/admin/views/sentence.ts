// Catalogue sentences that quote what people wrote (names, titles, reasons): the quoted parts are marked
// translate="no", so translation tools and the language check leave them as written; everything is escaped.
import { escapeHtml } from '@kitajs/html';
import type { MessageKey, Translate } from '../../i18n/i18n.ts';
import type { Names } from '../../i18n/place-names.ts';
import { fillPlaceholders } from '../../web/views/sentence.tsx';

/** A parameter that is user content. */
export interface Quoted {
  quote: string;
}

/** A parameter already rendered as HTML (by `sentence` or `unitParam`): put in as it is. */
export interface Markup {
  html: string;
}

export type SentenceParam = string | number | Quoted | Markup;
export type SentenceParams = Record<string, SentenceParam>;

export const quote = (text: string): Quoted => ({ quote: text });

/** A parameter as HTML: quoted text in a translate="no" span, markup as it is, the rest escaped. */
export function paramHtml(value: SentenceParam): string {
  if (typeof value !== 'object') return escapeHtml(String(value));
  if ('html' in value) return value.html;
  return value.quote === '' ? '' : `<span translate="no">${escapeHtml(value.quote)}</span>`;
}

/** The sentence of `key` as an HTML string, its quoted parameters marked as user content. */
export function sentenceHtml(t: Translate, key: MessageKey, params: SentenceParams): string {
  return fillPlaceholders(t(key), (name) => (Object.hasOwn(params, name) ? paramHtml(params[name]!) : undefined));
}

/** The sentence of `key` for a template, its quoted parameters marked as user content. */
export function sentence(t: Translate, key: MessageKey, params: SentenceParams): JSX.Element {
  return sentenceHtml(t, key, params);
}

/** The same sentence as markup, to be a parameter of another sentence. */
export const markup = (t: Translate, key: MessageKey, params: SentenceParams): Markup => ({
  html: sentenceHtml(t, key, params),
});

/**
 * A unit's name as a parameter: a dispatching unit's in the page's language, a name people gave quoted as written.
 */
export function unitParam(names: Names, name: string): string | Quoted {
  return names.unitKeptAsWritten(name) ? quote(name) : names.unit(name);
}

/** Markup made by `markup` or `sentenceHtml`, put into a template as it is. */
export function asHtml(made: Markup): JSX.Element {
  return made.html;
}
