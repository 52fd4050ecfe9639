// Builds an Atom 1.0 document with the `feed` library, escaping what it leaves to the caller.
import { Feed } from 'feed';

export interface AtomEntry {
  /** A permanent URL that names the entry. */
  id: string;
  title: string;
  link: string;
  updated: Date;
  /** Plain text; shown with its line breaks. */
  text: string;
  author: string;
}

export interface AtomDocument {
  id: string;
  title: string;
  subtitle?: string;
  /** The page the feed mirrors. */
  link: string;
  /** The feed's own address. */
  self: string;
  author: string;
  entries: AtomEntry[];
}

/** Characters XML 1.0 does not allow at all (not even escaped): C0 controls but tab and newlines, lone surrogates, U+FFFE/F. */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const xmlSafe = (text: string): string => text.replace(NOT_XML, '');

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The library writes entry titles and contents as `type="html"` in CDATA, so they must be HTML: escaping here
 * makes `<` and `&` in a title read as themselves. `>` is escaped too (unlike @kitajs/html's escapeHtml): with
 * none left, no `]]>` can end the CDATA section early (xml-js splits only the first one).
 */
const asHtml = (text: string): string => xmlSafe(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
const asHtmlParagraphs = (text: string): string =>
  asHtml(text.replace(/\r\n?/g, '\n'))
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br />')}</p>`)
    .join('');

/**
 * Plain-text elements (feed title, names) go through xml-js, which turns an already written `&amp;` back into `&`
 * before escaping: harmless for our own names, but the text is kept free of characters XML forbids.
 */
export function buildAtomFeed(doc: AtomDocument): string {
  const newest = doc.entries.reduce<Date | undefined>(
    (max, e) => (!max || e.updated > max ? e.updated : max),
    undefined,
  );
  const feed = new Feed({
    id: doc.id,
    title: xmlSafe(doc.title),
    ...(doc.subtitle ? { description: xmlSafe(doc.subtitle) } : {}),
    link: doc.link,
    feed: doc.self,
    updated: newest ?? new Date(),
    author: { name: xmlSafe(doc.author) },
    generator: 'Liuyan',
  });
  for (const e of doc.entries) {
    feed.addItem({
      id: e.id,
      title: asHtml(e.title),
      link: e.link,
      date: e.updated,
      published: e.updated,
      content: asHtmlParagraphs(e.text) || asHtml(e.title),
      author: [{ name: xmlSafe(e.author) }],
    });
  }
  return feed.atom1();
}
