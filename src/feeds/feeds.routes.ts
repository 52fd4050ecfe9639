// HTTP for Atom feeds of a board and of a region (with everything below it), and the sitemap.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isIPv6 } from 'node:net';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { getBoardDetail } from '../boards/boards.service.ts';
import type { Config } from '../config.ts';
import { authorTag } from '../messages/message-view.ts';
import type { RegionLevel } from '../regions/region-kinds.ts';
import { getRegion } from '../regions/regions.service.ts';
import { AppError } from '../web/app-error.ts';
import { type AtomEntry, buildAtomFeed } from './atom-feed.ts';
import { type FeedEntry, feedsRepository } from './feeds.repository.ts';
import { buildSitemap, SITEMAP_MAX_URLS, type SitemapUrl } from './sitemap-xml.ts';
import { columnSitemapUrls } from '../news/sitemap-urls.ts';
import { storiesRepository } from '../stories/stories.repository.ts';

export const FEED_SIZE = 50;
export const SITEMAP_MESSAGES_MAX = 50_000;
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
const SITEMAP_TYPE = 'application/xml; charset=utf-8';
const INT_MAX = 2147483647;

/**
 * GB/T 2260: a region's descendants share the first digits of its code (province xx0000 → xx, city xxxx00 → xxxx),
 * so one prefix match finds everything below it.
 */
const PREFIX_LENGTH: Record<RegionLevel, number> = { province: 2, city: 4, county: 6 };

/**
 * The site's address for absolute links: PUBLIC_URL, else the address the server listens on. Never the request's Host
 * header: the client writes it, and a feed or sitemap cached with its links would send every reader there.
 */
export function siteAddress(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl;
  // Listening on every interface names no address; this machine's own name is the honest stand-in.
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${isIPv6(host) ? `[${host}]` : host}:${config.port}`;
}

export const feedsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  function toAtom(site: string, e: FeedEntry): AtomEntry {
    const page = `${site}/messages/${e.messageId}`;
    return e.kind === 'message'
      ? {
          id: page,
          title: e.title,
          link: page,
          updated: new Date(e.at),
          text: e.text,
          author: authorTag(config.secret, e.authorId!),
        }
      : {
          id: `${page}#reply-${e.replyId}`,
          title: `答复：${e.title}`,
          link: page,
          updated: new Date(e.at),
          text: e.text,
          author: e.unitName ?? '',
        };
  }

  const sendFeed = (reply: FastifyReply, xml: string) =>
    reply.type(ATOM_TYPE).header('cache-control', 'public, max-age=300').send(xml);

  app.get(
    '/boards/:id/feed.atom',
    { config: { access: PUBLIC }, schema: { params: Type.Object({ id: Type.String({ maxLength: 12 }) }) } },
    async (request, reply) => {
      const { id } = request.params;
      if (!/^[1-9][0-9]{0,9}$/.test(id) || Number(id) > INT_MAX) throw new AppError('BOARD_NOT_FOUND', { id });
      const { board, region } = await getBoardDetail(db, Number(id));
      const site = siteAddress(config);
      const entries = await feedsRepository.latestEntries(db, { boardId: board.id }, FEED_SIZE);
      const xml = buildAtomFeed({
        id: `${site}/boards/${board.id}`,
        title: `${region.name} · ${board.title}：留言与答复`,
        subtitle: request.t('site.name'),
        link: `${site}/boards/${board.id}`,
        self: `${site}/boards/${board.id}/feed.atom`,
        author: request.t('site.name'),
        entries: entries.map((e) => toAtom(site, e)),
      });
      return sendFeed(reply, xml);
    },
  );

  app.get(
    '/regions/:code/feed.atom',
    { config: { access: PUBLIC }, schema: { params: Type.Object({ code: Type.String({ maxLength: 12 }) }) } },
    async (request, reply) => {
      const { code } = request.params;
      if (!/^[0-9]{6}$/.test(code)) throw new AppError('REGION_NOT_FOUND', { code });
      const region = await getRegion(db, code);
      const site = siteAddress(config);
      const regionPrefix = region.code.slice(0, PREFIX_LENGTH[region.level]);
      const entries = await feedsRepository.latestEntries(db, { regionPrefix }, FEED_SIZE);
      const xml = buildAtomFeed({
        id: `${site}/regions/${region.code}`,
        title: `${region.name}：留言与答复`,
        subtitle: request.t('site.name'),
        link: `${site}/regions/${region.code}`,
        self: `${site}/regions/${region.code}/feed.atom`,
        author: request.t('site.name'),
        entries: entries.map((e) => toAtom(site, e)),
      });
      return sendFeed(reply, xml);
    },
  );

  // One file: the home page, every region and board, the news and leaders' pages, then as many of the newest messages
  // as the protocol's 50,000 addresses leave room for.
  app.get('/sitemap.xml', { config: { access: PUBLIC } }, async (request, reply) => {
    const site = siteAddress(config);
    const [codes, boards] = await Promise.all([feedsRepository.regionCodes(db), feedsRepository.boards(db)]);
    const urls: SitemapUrl[] = [
      { loc: `${site}/` },
      ...codes.map((code) => ({ loc: `${site}/regions/${code}` })),
      ...boards.map((b) => ({ loc: `${site}/boards/${b.id}`, lastmod: b.updatedAt })),
      ...(await columnSitemapUrls(db, site)),
    ];
    urls.push({ loc: `${site}/stories` });
    for (const story of await storiesRepository.sitemap(db)) {
      urls.push({ loc: `${site}/stories/${story.id}`, lastmod: story.updated_at });
    }
    const room = Math.min(SITEMAP_MESSAGES_MAX, SITEMAP_MAX_URLS - urls.length);
    for (const m of await feedsRepository.latestMessages(db, room)) {
      urls.push({ loc: `${site}/messages/${m.id}`, lastmod: m.updatedAt });
    }
    return reply.type(SITEMAP_TYPE).header('cache-control', 'public, max-age=3600').send(buildSitemap(urls));
  });
};
