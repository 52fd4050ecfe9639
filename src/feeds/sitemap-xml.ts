// Writes a sitemaps.org urlset with an XML builder, so every address is escaped by the library, not by hand.
import { createRequire } from 'node:module';
import type { XMLBuilder } from 'fast-xml-parser';

/** The protocol's limit for one sitemap file. */
export const SITEMAP_MAX_URLS = 50_000;

export interface SitemapUrl {
  loc: string;
  /** W3C datetime of the last change, when known. */
  lastmod?: string;
}

let built: XMLBuilder | undefined;
/** fast-xml-parser is loaded at the first sitemap, not at start-up. */
const builder = () =>
  (built ??= new (createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser')).XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    processEntities: true,
  }));

export function buildSitemap(urls: SitemapUrl[]): string {
  if (urls.length > SITEMAP_MAX_URLS) throw new Error(`a sitemap holds at most ${SITEMAP_MAX_URLS} addresses`);
  const body = builder().build({
    urlset: {
      '@_xmlns': 'http://www.sitemaps.org/schemas/sitemap/0.9',
      url: urls.map((u) => (u.lastmod ? { loc: u.loc, lastmod: u.lastmod } : { loc: u.loc })),
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
