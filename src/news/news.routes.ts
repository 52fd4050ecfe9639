// HTTP for the public news pages (/news), the Atom feed, the articles' images and the public news API.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { can } from '../accounts/permissions.ts';
import { errorResponses, Id } from '../api/schemas.ts';
import { DISPLAY_WIDTHS, type DisplayWidth } from '../attachments/images.ts';
import { sendObject } from '../attachments/send-object.ts';
import { idFromText } from '../db/ids.ts';
import type { Db } from '../db/kysely.ts';
import { evaluationService } from '../evaluation/evaluation.service.ts';
import { buildAtomFeed } from '../feeds/atom-feed.ts';
import { ATOM_TYPE, siteAddress } from '../feeds/feeds.routes.ts';
import { PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { type Category, CATEGORIES, categoryOf } from './article-kinds.ts';
import { articlesRepository } from './articles.repository.ts';
import { type Article, articleHtml, articlesService } from './articles.service.ts';
import { ArticlePage, type HonoursLink, NewsListPage } from './views/news-pages.tsx';

export const FEED_SIZE = 30;

const ListQuery = Type.Object({
  category: Type.Optional(
    Type.String({
      maxLength: 20,
      description: '类别：news（新闻）、announcement（公告）、conference（会议），也可用中文名',
    }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: '页码，从 1 开始' })),
});

/** The category asked for, or none; a category that does not exist is a mistake, not an empty list. */
function askedCategory(value: string | undefined): Category | undefined {
  if (value === undefined || value === '') return undefined;
  const category = categoryOf(value);
  if (!category) throw new AppError('ARTICLE_CATEGORY_INVALID', {}, 'category');
  return category;
}

/** For a conference report: its year's honours page, and whether that year's results were published. */
export async function honoursLinkOf(db: Db, article: Article): Promise<HonoursLink | null> {
  if (article.category !== 'conference' || article.conferenceYear === null) return null;
  const published = await evaluationService.years(db, { publishedOnly: true });
  return { year: article.conferenceYear, published: published.some((y) => y.year === article.conferenceYear) };
}

// JSON shapes of the news API.
const ArticleSummary = Type.Object({
  id: Type.Integer(),
  category: Type.String({ description: 'news、announcement 或 conference' }),
  categoryLabel: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  conferenceYear: Type.Union([Type.Integer(), Type.Null()], { description: '会议类文章：会议年度' }),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  url: Type.String(),
});
const ArticleDetail = Type.Intersect([
  ArticleSummary,
  Type.Object({
    html: Type.String({ description: '正文：由 Markdown 生成并经过白名单清理的 HTML' }),
    honoursUrl: Type.Union([Type.String(), Type.Null()], { description: '会议类文章：该年度荣誉榜（已发布时）' }),
  }),
]);

export function articleSummary(a: Article) {
  return {
    id: a.id,
    category: a.category,
    categoryLabel: CATEGORIES[a.category],
    title: a.title,
    summary: a.summary,
    conferenceYear: a.conferenceYear,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    url: `/news/${a.id}`,
  };
}

export const newsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  app.get(
    '/news',
    { config: { access: PUBLIC, publicCache: true }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const category = askedCategory(request.query.category);
      const list = await articlesService.listPublished(db, { category, page: request.query.page ?? 1 });
      // A page past the last has no articles: "暂无文章" there would be untrue.
      if (list.page > 1 && list.articles.length === 0) throw new AppError('NOT_FOUND');
      return sendPage(reply, NewsListPage({ ctx: pageContext(request, reply), category, ...list }));
    },
  );

  app.get(
    '/news/feed.xml',
    {
      config: { access: PUBLIC },
      schema: { querystring: Type.Object({ category: Type.Optional(Type.String({ maxLength: 20 })) }) },
    },
    async (request, reply) => {
      const category = askedCategory(request.query.category);
      const site = siteAddress(config);
      const { articles } = await articlesService.listPublished(db, { category, page: 1, pageSize: FEED_SIZE });
      const name = request.t('site.name');
      const title = category
        ? `${name}：${request.t(`news.category.${category}`)}`
        : `${name}：${request.t('news.title')}`;
      const xml = buildAtomFeed({
        id: `${site}/news${category ? `?category=${category}` : ''}`,
        title,
        subtitle: request.t('news.intro'),
        link: `${site}/news${category ? `?category=${category}` : ''}`,
        self: `${site}/news/feed.xml${category ? `?category=${category}` : ''}`,
        author: name,
        entries: articles.map((a) => ({
          id: `${site}/news/${a.id}`,
          title: request.t('news.feedEntryTitle', {
            category: request.t(`news.category.${a.category}`),
            title: a.title,
          }),
          link: `${site}/news/${a.id}`,
          updated: new Date(a.publishedAt ?? a.updatedAt),
          text: a.summary,
          author: name,
        })),
      });
      return reply.type(ATOM_TYPE).header('cache-control', 'public, max-age=300').send(xml);
    },
  );

  app.get(
    '/news/:id',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 12 }) }) },
    },
    async (request, reply) => {
      const id = idFromText(request.params.id);
      if (id === null) throw new AppError('ARTICLE_NOT_FOUND', { id: request.params.id });
      const article = await articlesService.getPublished(db, id);
      const honours = await honoursLinkOf(db, article);
      return sendPage(
        reply,
        ArticlePage({ ctx: pageContext(request, reply), article, html: articleHtml(article), honours }),
      );
    },
  );

  // An article's image: public once the article is published; before that, for the editors previewing it.
  app.get(
    '/news/images/:id',
    {
      config: { access: PUBLIC },
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 12 }) }),
        querystring: Type.Object({ w: Type.Optional(Type.Union(DISPLAY_WIDTHS.map((w) => Type.Literal(String(w))))) }),
      },
    },
    async (request, reply) => {
      const id = idFromText(request.params.id);
      const image = id === null ? undefined : await articlesRepository.findImage(db, id);
      const published = image?.article_status === 'published';
      if (!image || (!published && !(request.user && can(request.user.grants, 'article.edit'))))
        throw new AppError('NOT_FOUND');
      const width = request.query.w ? (Number(request.query.w) as DisplayWidth) : null;
      const key = image.storage_key;
      return sendObject(
        request,
        reply,
        (range) => (width ? app.attachments.openDisplayCopy(key, width, range) : app.attachments.open(key, range)),
        {
          etag: width ? app.attachments.displayKey(key, width) : key,
          cacheControl: published ? 'public, max-age=86400' : 'private, no-store',
          contentType: width ? 'image/webp' : image.media_type,
        },
      );
    },
  );

  app.get(
    '/api/v1/news',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['news'],
        summary: '新闻公告：已发布的新闻、公告和年度会议报道，最新的在前，可按类别筛选，按页码分页',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            articles: Type.Array(ArticleSummary),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const category = askedCategory(request.query.category);
      const list = await articlesService.listPublished(db, { category, page: request.query.page ?? 1 });
      return { ...list, articles: list.articles.map(articleSummary) };
    },
  );

  app.get(
    '/api/v1/news/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['news'],
        summary: '一篇已发布的文章：正文为清理后的 HTML；会议报道附该年度荣誉榜地址',
        params: Type.Object({ id: Id({ description: '文章编号' }) }),
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const article = await articlesService.getPublished(db, request.params.id);
      const honours = await honoursLinkOf(db, article);
      return {
        ...articleSummary(article),
        html: articleHtml(article),
        honoursUrl: honours?.published ? `/honours/${honours.year}` : null,
      };
    },
  );
};
