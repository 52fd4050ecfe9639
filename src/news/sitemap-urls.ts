// The sitemap's addresses for the news and the leaders' pages: the lists, every published article, and every
// leader who signed a public reply.
import type { Db } from '../db/kysely.ts';
import type { SitemapUrl } from '../feeds/sitemap-xml.ts';
import { holdersRepository } from '../leaders/holders.repository.ts';
import { articlesRepository } from './articles.repository.ts';

/** At most this many articles: the rest of the sitemap's 50,000 addresses are for messages. */
const ARTICLES_MAX = 5000;

export async function columnSitemapUrls(db: Db, site: string): Promise<SitemapUrl[]> {
  const [articles, leaders] = await Promise.all([
    articlesRepository.sitemapEntries(db, ARTICLES_MAX),
    holdersRepository.whoReplied(db),
  ]);
  return [
    { loc: `${site}/news` },
    ...articles.map((a) => ({ loc: `${site}/news/${a.id}`, lastmod: a.updated_at })),
    { loc: `${site}/leaders` },
    ...leaders.map((l) => ({ loc: `${site}/leaders/${l.id}` })),
  ];
}
