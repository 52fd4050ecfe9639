// Finds interface text a page shows in the wrong language: CJK characters on an English page, characters written
// only in Simplified form on a Traditional (zh-HK) page. What people wrote (messages, replies, names) is not the
// interface: views mark it `translate="no"` (the HTML attribute that tells translation tools to leave text alone),
// and text in an element with a `lang` of its own (the language switch names each language in itself) is skipped.
import { Parser } from 'htmlparser2';
import { hasSimplifiedOnly } from '../src/i18n/hant.ts';

/** Attributes a person reads or hears: tooltips, placeholders, labels for screen readers, alternative text. */
const READ_ATTRIBUTES = ['title', 'placeholder', 'aria-label', 'alt', 'aria-description'];
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const SKIPPED_ELEMENTS = new Set(['script', 'style', 'template']);

/**
 * The interface text of a page (text and read attributes outside user content, scripts and foreign-language parts),
 * and the user content itself (text inside translate="no").
 */
export function interfaceText(html: string): { ui: string[]; user: string[] } {
  const out: string[] = [];
  const user: string[] = [];
  const inUserContent: boolean[] = [];
  const stack: boolean[] = [];
  let pageLang: string | null = null;
  const skipping = () => stack.length > 0 && stack[stack.length - 1]!;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'html') pageLang = attrs.lang ?? null;
        const skip =
          skipping() ||
          SKIPPED_ELEMENTS.has(name) ||
          attrs.translate === 'no' ||
          (attrs.lang !== undefined && name !== 'html' && attrs.lang !== pageLang);
        if (!skip) {
          for (const a of READ_ATTRIBUTES) if (attrs[a]) out.push(attrs[a]);
          // A button's or submit input's value is what it says.
          if (name === 'input' && (attrs.type === 'submit' || attrs.type === 'button') && attrs.value)
            out.push(attrs.value);
        }
        if (!VOID.has(name)) {
          stack.push(skip);
          inUserContent.push(attrs.translate === 'no' || (inUserContent.at(-1) ?? false));
        }
      },
      onclosetag(name) {
        if (!VOID.has(name)) {
          stack.pop();
          inUserContent.pop();
        }
      },
      ontext(text) {
        if (!text.trim()) return;
        if (!skipping()) out.push(text.trim());
        else if (inUserContent.at(-1)) user.push(text.trim());
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return { ui: out, user };
}

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** Pieces of interface text the page's language should not contain; empty when the page is right. */
export function untranslated(html: string, locale: string): string[] {
  const { ui, user } = interfaceText(html);
  // A title or heading made of what people wrote (a leader's name in the page title) is theirs too.
  const theirs = [...new Set(user)].filter((u) => u.length >= 2).sort((a, b) => b.length - a.length);
  const texts = ui.map((s) => theirs.reduce((rest, u) => rest.replaceAll(u, ' '), s));
  if (locale === 'en') return texts.filter((s) => CJK.test(s));
  if (locale === 'zh-HK') return texts.filter((s) => hasSimplifiedOnly(s));
  return [];
}
