// The home page, a portal: search, write, find a message by its tracking code, the latest replies and messages, the
// platform in figures, and the provincial boards.
import type { LatestReply, ListItem } from '../../search/message-list.ts';
import type { PlatformHeadline } from '../../stats/stats-page.service.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { MessageItems } from '../../web/views/message-items.tsx';
import { Time } from '../../web/views/time.tsx';
import { UnitName } from '../../web/views/names.tsx';
import type { Region } from '../regions.service.ts';
import type { Article } from '../../news/articles.service.ts';
import { LatestNews } from '../../news/views/news-pages.tsx';

export function HomePage({
  ctx,
  provinces,
  headline,
  replies,
  latest,
  news = [],
}: {
  ctx: PageContext;
  provinces: Region[];
  headline: PlatformHeadline;
  replies: LatestReply[];
  latest: ListItem[];
  /** The latest three news items and announcements. */
  news?: Article[];
}): JSX.Element {
  const { t } = ctx;
  const figures: [string, number][] = [
    [t('home.figure.received'), headline.received],
    [t('home.figure.replied'), headline.replied],
    [t('home.figure.resolved'), headline.resolved],
    [t('home.figure.leaders'), headline.leadersReplied],
    [t('home.total.boards'), headline.boards],
    [t('home.total.units'), headline.units],
  ];
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <section class="hero" aria-labelledby="home-heading">
        <h1 id="home-heading" safe>
          {t('home.title')}
        </h1>
        <p class="lead" safe>
          {t('home.intro')}
        </p>
        <form method="get" action="/search" role="search" class="inline-form">
          <label for="home-q" class="visually-hidden" safe>
            {t('home.searchLabel')}
          </label>
          <input id="home-q" name="q" type="search" maxlength={50} placeholder={t('home.searchPlaceholder')} />
          <button type="submit" class="primary" safe>
            {t('nav.search')}
          </button>
        </form>
        <p class="hero-actions">
          <a class="button primary-link" href="/boards/choose" safe>
            {t('home.write')}
          </a>
        </p>
        <form method="get" action="/track" class="inline-form track-form">
          <label for="home-code" safe>
            {t('home.trackLabel')}
          </label>
          <input
            id="home-code"
            name="code"
            maxlength={16}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            placeholder={t('home.trackPlaceholder')}
          />
          <button type="submit" class="secondary" safe>
            {t('home.track')}
          </button>
        </form>
      </section>
      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading" safe>
          {t('home.totals')}
        </h2>
        <dl class="figures">
          {figures.map(([label, value]) => (
            <div>
              <dt safe>{label}</dt>
              <dd safe>{ctx.num.count(value)}</dd>
            </div>
          ))}
        </dl>
        <p>
          <a href="/stats" safe>
            {t('home.statsLink')}
          </a>
          {' · '}
          <a href="/leaders" safe>
            {t('leaders.title')}
          </a>
        </p>
      </section>
      <LatestNews ctx={ctx} articles={news} />
      <div class="two-columns">
        <section aria-labelledby="replies-heading">
          <h2 id="replies-heading" safe>
            {t('home.latestReplies')}
          </h2>
          {replies.length === 0 ? (
            <p safe>{t('home.noReplies')}</p>
          ) : (
            <ul class="message-list">
              {replies.map((r) => (
                <li>
                  {r.signer ? (
                    <>
                      <span class="badge signed" safe>
                        {t('home.signed')}
                      </span>{' '}
                    </>
                  ) : (
                    ''
                  )}
                  <a href={`/messages/${r.messageId}`} translate="no" safe>
                    {r.title}
                  </a>
                  <p class="meta">
                    <a
                      href={`/boards/${r.boardId}`}
                      safe
                    >{`${ctx.names.place(r.regionName)} · ${ctx.names.post(r.boardTitle)}`}</a>
                    {' · '}
                    {r.signer ? (
                      <>
                        <span translate="no" safe>
                          {r.signer}
                        </span>
                        {' · '}
                      </>
                    ) : (
                      ''
                    )}
                    <UnitName ctx={ctx} name={r.unit} />
                    {' · '}
                    <Time ctx={ctx} iso={r.publishedAt} dateOnly />
                  </p>
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/search?sort=replied&amp;status=replied" safe>
              {t('home.moreReplies')}
            </a>
          </p>
        </section>
        <section aria-labelledby="latest-heading">
          <h2 id="latest-heading" safe>
            {t('home.latestMessages')}
          </h2>
          <MessageItems ctx={ctx} items={latest} />
          <p>
            <a href="/search?q=" safe>
              {t('home.moreMessages')}
            </a>
          </p>
        </section>
      </div>
      <section aria-labelledby="provinces-heading">
        <h2 id="provinces-heading" safe>
          {t('home.provinces')}
        </h2>
        <ul class="region-grid" id="provinces">
          {provinces.map((p) => (
            <li>
              <a href={`/regions/${p.code}`} safe>
                {ctx.names.place(p.name)}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
