// The editors' pages of the video column: the list of stories with their states, a new story, and one story's page
// (details, video with its conversion progress, captions, publishing).
import { escapeHtml } from '@kitajs/html';
import { quote, sentence } from '../../admin/views/sentence.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, type FormErrors, FormError, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import type { MessageKey } from '../../i18n/i18n.ts';
import {
  MESSAGES_MAX,
  type Story,
  SUMMARY_MAX,
  SUMMARY_MIN,
  TITLE_MAX,
  TITLE_MIN,
  TRANSCRIPT_MAX,
  type VideoState,
} from '../stories.service.ts';
import { clock, megabytes } from '../story-format.ts';
import { failureIn } from '../video-worker.ts';

export interface UploadLimits {
  maxMb: number;
  maxSeconds: number;
}

const stateLabel = (ctx: PageContext, state: VideoState) => ctx.t(`stories.ed.state.${state}` as MessageKey);

function crumbs(ctx: PageContext, last?: string, own?: boolean) {
  const list = [{ label: ctx.t('stories.ed.title'), href: '/editor/stories' }];
  return last ? [...list, { label: last, own }] : list;
}

export function StoryEditorListPage({
  ctx,
  stories,
  notice,
}: {
  ctx: PageContext;
  stories: Story[];
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('stories.ed.title')} crumbs={crumbs(ctx)}>
      <Notice text={notice} />
      <h1 safe>{t('stories.ed.title')}</h1>
      <p class="lead" safe>
        {t('stories.ed.intro')}
      </p>
      <p>
        <a class="button" href="/editor/stories/new" safe>
          {t('stories.ed.new')}
        </a>
      </p>
      {stories.length === 0 ? (
        <p safe>{t('stories.ed.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data story-table">
            <thead>
              <tr>
                <th scope="col" safe>
                  {t('stories.ed.col.title')}
                </th>
                <th scope="col" safe>
                  {t('stories.ed.col.region')}
                </th>
                <th scope="col" safe>
                  {t('stories.ed.col.video')}
                </th>
                <th scope="col" safe>
                  {t('stories.ed.col.text')}
                </th>
                <th scope="col" safe>
                  {t('stories.ed.col.status')}
                </th>
                <th scope="col" safe>
                  {t('stories.ed.col.updated')}
                </th>
              </tr>
            </thead>
            <tbody>
              {stories.map((s) => (
                <tr>
                  <td>
                    <a href={`/editor/stories/${s.id}`} translate="no" safe>
                      {s.title}
                    </a>
                  </td>
                  <td safe>{ctx.names.place(s.region.name)}</td>
                  <td safe>
                    {s.video.state === 'converting'
                      ? `${stateLabel(ctx, s.video.state)} ${Math.round(s.video.progress * 100)}%`
                      : stateLabel(ctx, s.video.state)}
                  </td>
                  <td safe>
                    {[s.captions ? t('stories.ed.captions') : '', s.transcript ? t('stories.ed.transcriptShort') : '']
                      .filter(Boolean)
                      .join(t('log.listSeparator')) || t('stories.ed.noText')}
                  </td>
                  <td safe>{s.publishedAt ? t('stories.ed.published') : t('stories.ed.draft')}</td>
                  <td>
                    <Time ctx={ctx} iso={s.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function TextArea({
  name,
  label,
  hint,
  value,
  errors,
  rows,
  maxlength,
}: {
  name: string;
  label: string;
  hint: string;
  value: string;
  errors?: FormErrors;
  rows: number;
  maxlength: number;
}): JSX.Element {
  const id = `f-${name}`;
  const error = errors?.[name];
  // What the editor writes is the story's own text: translation tools leave it alone.
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id} safe>
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={String(rows)}
        maxlength={maxlength}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={error ? 'true' : undefined}
        translate="no"
        safe
      >
        {value}
      </textarea>
      <p class="hint" id={`${id}-hint`} safe>
        {hint}
      </p>
      {error ? (
        <p class="error" id={`${id}-error`} role="alert" safe>
          {error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

/** The story's text fields, for a new story and for editing one. */
function DetailsFields({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  return (
    <>
      <Field
        name="title"
        label={t('stories.ed.field.title')}
        hint={t('stories.ed.field.titleHint', { min: TITLE_MIN, max: TITLE_MAX })}
        maxlength={TITLE_MAX}
        value={values.title}
        errors={errors}
      />
      <TextArea
        name="summary"
        label={t('stories.ed.field.summary')}
        hint={t('stories.ed.field.summaryHint', { min: SUMMARY_MIN, max: SUMMARY_MAX })}
        rows={4}
        maxlength={SUMMARY_MAX}
        value={values.summary ?? ''}
        errors={errors}
      />
      <Field
        name="regionCode"
        label={t('stories.ed.field.region')}
        hint={t('stories.ed.field.regionHint')}
        inputmode="numeric"
        maxlength={6}
        value={values.regionCode}
        errors={errors}
      />
      <Field
        name="messageIds"
        label={t('stories.ed.field.messages')}
        hint={t('stories.ed.field.messagesHint', { max: MESSAGES_MAX })}
        maxlength={400}
        value={values.messageIds}
        errors={errors}
      />
      <TextArea
        name="transcript"
        label={t('stories.ed.field.transcript')}
        hint={t('stories.ed.field.transcriptHint')}
        rows={8}
        maxlength={TRANSCRIPT_MAX}
        value={values.transcript ?? ''}
        errors={errors}
      />
    </>
  );
}

export function NewStoryPage({
  ctx,
  values = {},
  errors,
}: {
  ctx: PageContext;
  values?: Record<string, string>;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('stories.ed.newTitle')} crumbs={crumbs(ctx, t('stories.ed.newTitle'))}>
      <h1 safe>{t('stories.ed.newTitle')}</h1>
      <form method="post" action="/editor/stories" class="stack wide" novalidate>
        <CsrfField ctx={ctx} />
        <FormError errors={errors} />
        <DetailsFields ctx={ctx} values={values} errors={errors} />
        <Submit label={t('stories.ed.create')} />
      </form>
    </Layout>
  );
}

/** The story's text fields as the form shows them. */
export function storyFormValues(story: Story): Record<string, string> {
  return {
    title: story.title,
    summary: story.summary,
    regionCode: story.region.code,
    messageIds: story.messages.map((m) => m.id).join(', '),
    transcript: story.transcript,
  };
}

function Check({ ctx, ok, label }: { ctx: PageContext; ok: boolean; label: string }): JSX.Element {
  return (
    <li class={ok ? 'check-ok' : 'check-missing'}>
      <span safe>{`${label}${ctx.t('stories.ed.colon')}`}</span>
      <strong safe>{ok ? ctx.t('stories.ed.checkOk') : ctx.t('stories.ed.checkMissing')}</strong>
    </li>
  );
}

export function StoryEditPage({
  ctx,
  story,
  limits,
  values,
  errors,
  notice,
}: {
  ctx: PageContext;
  story: Story;
  limits: UploadLimits;
  /** The details form as sent, when it came back with errors. */
  values?: Record<string, string>;
  errors?: FormErrors;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  const base = `/editor/stories/${story.id}`;
  const { video } = story;
  const busy = video.state === 'uploaded' || video.state === 'converting';
  const published = story.publishedAt !== null;
  const hasText = Boolean(story.captions) || story.transcript !== '';
  const hasMessages = story.messages.some((m) => m.isPublic);
  return (
    <Layout
      ctx={ctx}
      title={t('stories.ed.editTitleOf', { title: story.title })}
      ownTitle
      crumbs={crumbs(ctx, story.title, true)}
    >
      <Notice text={notice} />
      <h1 translate="no" safe>
        {story.title}
      </h1>
      <p class="meta">
        <span class={published ? 'badge status-replied' : 'badge status-pending'} safe>
          {published ? t('stories.ed.published') : t('stories.ed.draft')}
        </span>{' '}
        <span safe>{t('stories.ed.videoState', { state: stateLabel(ctx, video.state) })}</span> ·{' '}
        <a href={`/stories/${story.id}`} safe>
          {published ? t('stories.ed.view') : t('stories.ed.preview')}
        </a>
      </p>
      <FormError errors={errors?._form ? { _form: errors._form } : undefined} />

      <section class="panel" aria-labelledby="story-video">
        <h2 id="story-video" safe>
          {t('stories.ed.videoSection')}
        </h2>
        {busy ? (
          <div class="story-progress" data-story-status={`${base}/status.json`}>
            <label for="story-progress-bar" safe>
              {t('stories.ed.progress')}
            </label>{' '}
            <progress id="story-progress-bar" max="1" value={String(video.progress)} safe>
              {`${Math.round(video.progress * 100)}%`}
            </progress>{' '}
            <span data-percent safe>{`${Math.round(video.progress * 100)}%`}</span>
            <p class="hint" safe>
              {t('stories.ed.progressHint')}
            </p>
            <p>
              <a href={base} safe>
                {t('stories.ed.refresh')}
              </a>
            </p>
          </div>
        ) : (
          ''
        )}
        {video.state === 'failed' && video.error ? (
          <p class="error" role="alert" safe>
            {t('stories.ed.failedWhy', { error: failureIn(t, video.error) })}
          </p>
        ) : (
          ''
        )}
        {video.state === 'ready' && video.key ? (
          <>
            <div class="story-video">
              <video
                controls
                preload="metadata"
                playsinline
                poster={video.posterKey ? `/stories/${story.id}/poster.jpg` : undefined}
                width={video.width ? String(video.width) : undefined}
                height={video.height ? String(video.height) : undefined}
              >
                <source src={`/stories/${story.id}/video.mp4`} type="video/mp4" />
                {story.captions ? (
                  <track
                    kind="captions"
                    srclang="zh"
                    label={t('stories.captionsLabel')}
                    src={`/stories/${story.id}/captions.vtt`}
                    default=""
                  />
                ) : (
                  ''
                )}
              </video>
            </div>
            <p class="meta" safe>
              {t('stories.ed.videoInfo', {
                length: clock(video.seconds ?? 0),
                width: video.width ?? 0,
                height: video.height ?? 0,
                size: megabytes(video.bytes ?? 0),
              })}
            </p>
          </>
        ) : (
          ''
        )}
        {video.name ? <p class="meta">{sentence(t, 'stories.ed.videoFile', { name: quote(video.name) })}</p> : ''}
        {published ? (
          <p class="hint" safe>
            {t('stories.ed.lockedVideo')}
          </p>
        ) : (
          <form method="post" action={`${base}/video`} enctype="multipart/form-data" class="stack">
            <CsrfField ctx={ctx} />
            <div class={errors?.video ? 'field has-error' : 'field'}>
              <label for="f-video" safe>
                {t('stories.ed.upload')}
              </label>
              <input
                id="f-video"
                name="video"
                type="file"
                accept="video/*"
                aria-describedby={errors?.video ? 'f-video-hint f-video-error' : 'f-video-hint'}
                aria-invalid={errors?.video ? 'true' : undefined}
              />
              <p class="hint" id="f-video-hint" safe>
                {t('stories.ed.uploadHint', { mb: limits.maxMb, length: clock(limits.maxSeconds) })}
              </p>
              {errors?.video ? (
                <p class="error" id="f-video-error" role="alert" safe>
                  {errors.video}
                </p>
              ) : (
                ''
              )}
            </div>
            <Submit label={t('stories.ed.uploadSubmit')} kind="secondary" />
          </form>
        )}
      </section>

      <section class="panel" aria-labelledby="story-captions">
        <h2 id="story-captions" safe>
          {t('stories.ed.captionsSection')}
        </h2>
        <p>
          {story.captions
            ? sentence(t, 'stories.ed.captionsNow', { name: quote(story.captions.name ?? 'captions.vtt') })
            : escapeHtml(t('stories.ed.captionsNone'))}
        </p>
        <form method="post" action={`${base}/captions`} enctype="multipart/form-data" class="stack">
          <CsrfField ctx={ctx} />
          <div class={errors?.captions ? 'field has-error' : 'field'}>
            <label for="f-captions" safe>
              {t('stories.ed.captionsField')}
            </label>
            <input
              id="f-captions"
              name="captions"
              type="file"
              accept=".vtt,text/vtt"
              aria-describedby={errors?.captions ? 'f-captions-hint f-captions-error' : 'f-captions-hint'}
              aria-invalid={errors?.captions ? 'true' : undefined}
            />
            <p class="hint" id="f-captions-hint" safe>
              {t('stories.ed.captionsHint')}
            </p>
            {errors?.captions ? (
              <p class="error" id="f-captions-error" role="alert" safe>
                {errors.captions}
              </p>
            ) : (
              ''
            )}
          </div>
          <Submit label={t('stories.ed.captionsSubmit')} kind="secondary" />
        </form>
        {story.captions ? (
          <form method="post" action={`${base}/captions/remove`} class="inline">
            <CsrfField ctx={ctx} />
            <button type="submit" class="secondary" safe>
              {t('stories.ed.captionsRemove')}
            </button>
          </form>
        ) : (
          ''
        )}
      </section>

      <section class="panel" aria-labelledby="story-details">
        <h2 id="story-details" safe>
          {t('stories.ed.details')}
        </h2>
        <form method="post" action={base} class="stack wide" novalidate>
          <CsrfField ctx={ctx} />
          <DetailsFields ctx={ctx} values={values ?? storyFormValues(story)} errors={errors} />
          <Submit label={t('stories.ed.save')} />
        </form>
        {story.messages.length > 0 ? (
          <>
            <h3 safe>{t('stories.ed.messagesNow')}</h3>
            <ul class="message-list">
              {story.messages.map((m) => (
                <li>
                  <a href={`/messages/${m.id}`}>
                    {escapeHtml(`${m.id} · `)}
                    <span translate="no" safe>
                      {m.title}
                    </span>
                  </a>
                  {m.isPublic ? '' : <span class="meta" safe>{` ${t('stories.ed.messageHidden')}`}</span>}
                </li>
              ))}
            </ul>
          </>
        ) : (
          ''
        )}
      </section>

      <section class="panel" aria-labelledby="story-publish">
        <h2 id="story-publish" safe>
          {t('stories.ed.publishSection')}
        </h2>
        {published ? (
          <>
            <p>
              <span safe>{t('stories.ed.isPublished')}</span> <Time ctx={ctx} iso={story.publishedAt} />
            </p>
            <form method="post" action={`${base}/unpublish`} class="inline">
              <CsrfField ctx={ctx} />
              <button type="submit" class="danger" safe>
                {t('stories.ed.unpublish')}
              </button>
            </form>
          </>
        ) : (
          <>
            <ul class="story-checks">
              <Check ctx={ctx} ok={video.state === 'ready'} label={t('stories.ed.check.video')} />
              <Check ctx={ctx} ok={hasText} label={t('stories.ed.check.text')} />
              <Check ctx={ctx} ok={hasMessages} label={t('stories.ed.check.messages')} />
            </ul>
            <form method="post" action={`${base}/publish`} class="inline">
              <CsrfField ctx={ctx} />
              <button type="submit" class="primary" safe>
                {t('stories.ed.publish')}
              </button>
            </form>
          </>
        )}
      </section>
      {busy ? <script src="/static/story-progress.js" defer></script> : ''}
    </Layout>
  );
}
