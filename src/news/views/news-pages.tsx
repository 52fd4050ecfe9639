// The public news pages: the list with its categories, one article, and the home page's block of the latest three.
import type { MessageKey } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import { CATEGORY_KEYS, type Category } from '../article-kinds.ts';
import type { Article } from '../articles.service.ts';
import { Pager } from './pager.tsx';

export const categoryLabel = (ctx: PageContext, category: Category): string =>
  ctx.t(`news.category.${category}` as MessageKey);

const listHref = (category: Category | undefined, page = 1) => {
  const query = new URLSearchParams();
  if (category) query.set('category', category);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/news?${text}` : '/news';
};

/** One article in a list: its category, title, date and summary. */
function ArticleItem({ ctx, article, heading }: { ctx: PageContext; article: Article; heading: 2 | 3 }): JSX.Element {
  const title = (
    <a href={`/news/${article.id}`} translate="no" safe>
      {article.title}
    </a>
  );
  return (
    <li class="article-item">
      <p class="meta">
        <span class={`badge category-${article.category}`} safe>
          {categoryLabel(ctx, article.category)}
        </span>{' '}
        <Time ctx={ctx} iso={article.publishedAt} dateOnly />
      </p>
      {heading === 2 ? <h2>{title}</h2> : <h3>{title}</h3>}
      <p class="summary" translate="no" safe>
        {article.summary}
      </p>
    </li>
  );
}

export function NewsListPage({
  ctx,
  articles,
  category,
  page,
  pageSize,
  total,
}: {
  ctx: PageContext;
  articles: Article[];
  category?: Category;
  page: number;
  pageSize: number;
  total: number;
}): JSX.Element {
  const { t } = ctx;
  const title = category ? categoryLabel(ctx, category) : t('news.title');
  const crumbs = [
    { label: t('nav.home'), href: '/' },
    { label: t('news.title'), href: '/news' },
    ...(category ? [{ label: title }] : []),
  ];
  const feed = category ? `/news/feed.xml?category=${category}` : '/news/feed.xml';
  return (
    <Layout ctx={ctx} title={title} crumbs={crumbs}>
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('news.intro')}
      </p>
      <nav class="quick-filters" aria-label={t('news.categories')}>
        <ul>
          <li>
            <a href="/news" aria-current={category ? undefined : 'page'} safe>
              {t('news.all')}
            </a>
          </li>
          {CATEGORY_KEYS.map((key) => (
            <li>
              <a href={listHref(key)} aria-current={category === key ? 'page' : undefined} safe>
                {categoryLabel(ctx, key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {articles.length === 0 ? (
        <p safe>{t('news.empty')}</p>
      ) : (
        <ul class="article-list">
          {articles.map((article) => (
            <ArticleItem ctx={ctx} article={article} heading={2} />
          ))}
        </ul>
      )}
      <Pager ctx={ctx} page={page} pageSize={pageSize} total={total} href={(n) => listHref(category, n)} />
      <p>
        <a href={feed} type="application/atom+xml" safe>
          {t('news.feed')}
        </a>
      </p>
    </Layout>
  );
}

/** Where a conference report points for its awards: the year's honours page when published, else the honours list. */
export interface HonoursLink {
  year: number;
  published: boolean;
}

export function ArticlePage({
  ctx,
  article,
  html,
  honours,
  preview = false,
}: {
  ctx: PageContext;
  article: Article;
  /** The body rendered from Markdown and sanitised (see ../markdown.ts): the one raw piece of this page. */
  html: string;
  honours: HonoursLink | null;
  /** An editor's look at an article as it would appear, whatever its state. */
  preview?: boolean;
}): JSX.Element {
  const { t } = ctx;
  const crumbs = preview
    ? [
        { label: t('editor.articles'), href: '/editor/articles' },
        { label: t('editor.edit'), href: `/editor/articles/${article.id}/edit` },
        { label: t('editor.preview') },
      ]
    : [
        { label: t('nav.home'), href: '/' },
        { label: t('news.title'), href: '/news' },
        { label: categoryLabel(ctx, article.category), href: listHref(article.category) },
        { label: article.title, own: true },
      ];
  const safeBody = html;
  return (
    <Layout ctx={ctx} title={article.title} ownTitle crumbs={crumbs}>
      {preview ? (
        <p class="notice" role="status">
          <span safe>{t('editor.previewNotice', { status: t(`editor.status.${article.status}` as MessageKey) })}</span>{' '}
          <a href={`/editor/articles/${article.id}/edit`} safe>
            {t('editor.backToEdit')}
          </a>
        </p>
      ) : (
        ''
      )}
      <article class="article">
        <header>
          <p class="meta">
            <span class={`badge category-${article.category}`} safe>
              {categoryLabel(ctx, article.category)}
            </span>{' '}
            {article.publishedAt ? (
              <>
                <span safe>{t('news.publishedAt')}</span> <Time ctx={ctx} iso={article.publishedAt} dateOnly />
              </>
            ) : (
              <span safe>{t('news.notPublished')}</span>
            )}
          </p>
          <h1 translate="no" safe>
            {article.title}
          </h1>
        </header>
        {honours ? <HonoursNote ctx={ctx} honours={honours} /> : ''}
        {/* Markdown rendered by marked and cleaned by sanitize-html with an allow-list: reviewed (../markdown.ts). */}
        <div class="article-body" translate="no">
          {safeBody}
        </div>
      </article>
      <p>
        <a href={listHref(article.category)} safe>
          {t('news.moreOf', { category: categoryLabel(ctx, article.category) })}
        </a>
      </p>
    </Layout>
  );
}

function HonoursNote({ ctx, honours }: { ctx: PageContext; honours: HonoursLink }): JSX.Element {
  const { t } = ctx;
  return (
    <aside class="panel honours-link" aria-label={t('news.honoursHeading')}>
      {honours.published ? (
        <p>
          <span safe>{t('news.honoursPublished', { year: honours.year })}</span>{' '}
          <a href={`/honours/${honours.year}`} safe>
            {t('news.honoursLink', { year: honours.year })}
          </a>
        </p>
      ) : (
        <p>
          <span safe>{t('news.honoursNotPublished', { year: honours.year })}</span>{' '}
          <a href="/honours" safe>
            {t('nav.honours')}
          </a>
        </p>
      )}
    </aside>
  );
}

/** The home page's block: the latest three articles and a link to all. */
export function LatestNews({ ctx, articles }: { ctx: PageContext; articles: Article[] }): JSX.Element {
  const { t } = ctx;
  if (articles.length === 0) return '';
  return (
    <section aria-labelledby="news-heading" class="latest-news">
      <h2 id="news-heading" safe>
        {t('news.latest')}
      </h2>
      <ul class="article-list">
        {articles.map((article) => (
          <ArticleItem ctx={ctx} article={article} heading={3} />
        ))}
      </ul>
      <p>
        <a href="/news" safe>
          {t('news.more')}
        </a>
      </p>
    </section>
  );
}
