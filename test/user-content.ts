// Pages mark what people wrote (nicknames, titles, reasons) with <span translate="no">…</span>: tests that read a
// sentence across such a mark read the page without the marks.
export function unmarked(html: string): string {
  return html.replace(/<span translate="no">([^<]*)<\/span>/g, '$1');
}

/** A page's text without any markup, for a sentence that the page builds from several marked parts. */
export function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}
