// The public pages of the video column: the list of stories and one story with its video, captions, transcript
// and the message threads it tells; and the block a message's page shows when stories tell it.
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import type { Story } from '../stories.service.ts';
import { clock, megabytes } from '../story-format.ts';

/** The poster's size in a list card: the video's shape at 320 pixels wide. */
function posterSize(story: Story, width = 320): { width: string; height: string } {
  const { width: w, height: h } = story.video;
  return { width: String(width), height: String(w && h ? Math.round((width * h) / w) : Math.round((width * 9) / 16)) };
}

function Length({ ctx, seconds }: { ctx: PageContext; seconds: number | null }): JSX.Element {
  if (seconds === null) return '';
  return <span safe>{ctx.t('stories.length', { length: clock(seconds) })}</span>;
}

export function StoriesPage({
  ctx,
  stories,
  page,
  pages,
}: {
  ctx: PageContext;
  stories: Story[];
  page: number;
  pages: number;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('stories.title')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('stories.title') }]}
    >
      <h1 safe>{t('stories.title')}</h1>
      <p class="lead" safe>
        {t('stories.lead')}
      </p>
      <p>
        <a href="/stories/feed.xml" type="application/atom+xml" safe>
          {t('stories.feed')}
        </a>
      </p>
      {stories.length === 0 ? (
        <p safe>{t('stories.empty')}</p>
      ) : (
        <ul class="story-list">
          {stories.map((s) => (
            <li class="story-card">
              <a href={`/stories/${s.id}`} class="story-card-link">
                <img src={`/stories/${s.id}/poster.jpg`} alt="" loading="lazy" decoding="async" {...posterSize(s)} />
                <span class="story-card-title" translate="no" safe>
                  {s.title}
                </span>
              </a>
              <p class="meta">
                <span safe>{ctx.names.place(s.region.name)}</span> · <Time ctx={ctx} iso={s.publishedAt} dateOnly /> ·{' '}
                <Length ctx={ctx} seconds={s.video.seconds} />
              </p>
              <p class="story-summary" translate="no" safe>
                {s.summary}
              </p>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 ? (
        <nav class="pager" aria-label={t('stories.pages')}>
          {page > 1 ? (
            <a href={`/stories?page=${page - 1}`} rel="prev" safe>
              {t('stories.prev')}
            </a>
          ) : (
            ''
          )}
          <span safe>{t('stories.pageOf', { page, pages })}</span>
          {page < pages ? (
            <a href={`/stories?page=${page + 1}`} rel="next" safe>
              {t('stories.next')}
            </a>
          ) : (
            ''
          )}
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function StoryPage({
  ctx,
  story,
  regionPath,
  canEdit,
}: {
  ctx: PageContext;
  story: Story;
  /** The region with the regions above it, province first. */
  regionPath: string;
  canEdit: boolean;
}): JSX.Element {
  const { t } = ctx;
  const base = `/stories/${story.id}`;
  const publicMessages = story.messages.filter((m) => m.isPublic);
  const { width, height } = story.video;
  return (
    <Layout
      ctx={ctx}
      title={story.title}
      ownTitle
      crumbs={[
        { label: t('nav.home'), href: '/' },
        { label: t('stories.title'), href: '/stories' },
        { label: story.title, own: true },
      ]}
    >
      {story.isPublic ? (
        ''
      ) : (
        <p class="notice" role="status" safe>
          {t('stories.preview')}
        </p>
      )}
      <article class="story">
        <h1 translate="no" safe>
          {story.title}
        </h1>
        <p class="meta">
          <a href={`/regions/${story.region.code}`} safe>
            {regionPath}
          </a>
          {story.publishedAt ? ' · ' : ''}
          <Time ctx={ctx} iso={story.publishedAt} dateOnly /> · <Length ctx={ctx} seconds={story.video.seconds} />
        </p>
        {story.video.key ? (
          <div class="story-video">
            <video
              controls
              preload="metadata"
              playsinline
              poster={story.video.posterKey ? `${base}/poster.jpg` : undefined}
              width={width ? String(width) : undefined}
              height={height ? String(height) : undefined}
            >
              <source src={`${base}/video.mp4`} type="video/mp4" />
              {story.captions ? (
                <track
                  kind="captions"
                  srclang="zh"
                  label={t('stories.captionsLabel')}
                  src={`${base}/captions.vtt`}
                  default=""
                />
              ) : (
                ''
              )}
              <p safe>{t('stories.videoFallback')}</p>
            </video>
          </div>
        ) : (
          ''
        )}
        <div class="message-body story-summary" translate="no" safe>
          {story.summary}
        </div>
        {story.video.key && story.video.bytes !== null ? (
          <p>
            <a href={`${base}/video.mp4`} download={`story-${story.id}.mp4`} safe>
              {t('stories.download', { size: megabytes(story.video.bytes) })}
            </a>
          </p>
        ) : (
          ''
        )}
        <section aria-labelledby="story-threads">
          <h2 id="story-threads" safe>
            {t('stories.threads')}
          </h2>
          {publicMessages.length > 0 ? (
            <ul class="message-list">
              {publicMessages.map((m) => (
                <li>
                  <a href={`/messages/${m.id}`} translate="no" safe>
                    {m.title}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p safe>{t('stories.threadsNone')}</p>
          )}
        </section>
        <section aria-labelledby="story-transcript">
          <h2 id="story-transcript" safe>
            {t('stories.transcript')}
          </h2>
          {story.transcript ? (
            <div class="message-body" translate="no" safe>
              {story.transcript}
            </div>
          ) : (
            <p safe>{t('stories.transcriptInCaptions')}</p>
          )}
        </section>
        {canEdit ? (
          <p>
            <a href={`/editor/stories/${story.id}`} safe>
              {t('stories.edit')}
            </a>
          </p>
        ) : (
          ''
        )}
      </article>
    </Layout>
  );
}

/** On a message's page: the published stories that tell it. */
export function MessageStories({
  ctx,
  stories,
}: {
  ctx: PageContext;
  stories: { id: number; title: string; seconds: number | null }[];
}): JSX.Element {
  if (stories.length === 0) return '';
  return (
    <section class="panel message-stories" aria-labelledby="message-stories">
      <h2 id="message-stories" safe>
        {ctx.t('stories.onMessage')}
      </h2>
      <ul>
        {stories.map((s) => (
          <li>
            <a href={`/stories/${s.id}`} translate="no" safe>
              {s.title}
            </a>{' '}
            {s.seconds === null ? (
              ''
            ) : (
              <span class="meta" safe>
                {clock(s.seconds)}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
