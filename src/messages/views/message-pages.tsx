// Pages of the message life: writing one, reading one and "my messages".
import { caseEventLabel, caseEventNote } from '../../workflow/case-event-labels.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { type Crumb, Layout } from '../../web/views/layout.tsx';
import { boardName, UnitName } from '../../web/views/names.tsx';
import {
  type Domain,
  DOMAINS,
  MESSAGE_TYPES,
  type MessageType,
  type Visibility,
  VISIBILITIES,
} from '../message-kinds.ts';
import {
  domainLabel,
  domainNote,
  rejectReasonLabel,
  statusLabel,
  typeLabel,
  visibilityLabel,
} from '../message-labels.ts';
import { authorTagLabel, type MessageView } from '../message-view.ts';
import type { CaseEvent } from '../../audit/case-events.ts';
import { BODY_MAX, BODY_MIN, IMAGES_MAX, TITLE_MAX, TITLE_MIN } from '../submit-message.ts';
import type { FollowState } from '../../follows/follows.service.ts';
import { FollowButton } from '../../follows/views/follow-button.tsx';
import { MessageStories } from '../../stories/views/story-pages.tsx';
import { Time } from '../../web/views/time.tsx';
import { Link, Sentence, UserText } from '../../web/views/sentence.tsx';

export interface BoardChoice {
  id: number;
  /** The board's region and the leader's post, as stored: the page names them in its language. */
  regionName: string;
  title: string;
}

function Choice({
  name,
  label,
  options,
  value,
  errors,
  notes,
  layout = 'grid',
}: {
  name: string;
  label: string;
  options: Record<string, string>;
  value?: string;
  errors?: FormErrors;
  notes?: Record<string, string>;
  /** `grid`: short options side by side; `list`: one option a row, with its note beside it. */
  layout?: 'grid' | 'list' | 'scale';
}): JSX.Element {
  const error = errors?.[name];
  return (
    <fieldset class={error ? 'field has-error' : 'field'} aria-describedby={error ? `f-${name}-error` : undefined}>
      <legend safe>{label}</legend>
      <div class={`choices ${layout}`}>
        {Object.entries(options).map(([key, text]) => (
          <div class="choice">
            <input type="radio" id={`f-${name}-${key}`} name={name} value={key} checked={value === key} />
            <label for={`f-${name}-${key}`}>
              <span safe>{text}</span>
              {notes?.[key] ? (
                <span class="hint" safe>
                  {notes[key]}
                </span>
              ) : (
                ''
              )}
            </label>
          </div>
        ))}
      </div>
      {error ? (
        <p class="error" id={`f-${name}-error`} role="alert" safe>
          {error}
        </p>
      ) : (
        ''
      )}
    </fieldset>
  );
}

export function NewMessagePage({
  ctx,
  board,
  values,
  errors,
  idempotencyKey,
  similar,
}: {
  ctx: PageContext;
  board: BoardChoice;
  values?: Record<string, string>;
  errors?: FormErrors;
  idempotencyKey: string;
  /** Present after "find similar messages": possibly none. */
  similar?: { id: number; title: string; status: string }[];
}): JSX.Element {
  const { t } = ctx;
  const options = <K extends string>(keys: readonly K[], label: (k: K) => string) =>
    Object.fromEntries(keys.map((k) => [k, label(k)])) as Record<string, string>;
  const domainKeys = Object.keys(DOMAINS) as Domain[];
  const name = boardName(ctx, board.regionName, board.title);
  const title = t('write.title', { board: name });
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { label: t('nav.home'), href: '/' },
        { label: name, href: `/boards/${board.id}` },
        { label: t('write.crumb') },
      ]}
    >
      <h1 safe>{title}</h1>
      <details class="panel">
        <summary safe>{t('write.tips')}</summary>
        <ul>
          {(['board', 'title', 'body', 'oneMatter', 'remarks'] as const).map((tip) => (
            <li safe>{t(`write.tip.${tip}`)}</li>
          ))}
        </ul>
        <p>
          <a href="/help/rules" safe>
            {t('write.rulesLink')}
          </a>
        </p>
      </details>
      <form
        method="post"
        action={`/messages?board=${board.id}`}
        enctype="multipart/form-data"
        class="stack wide"
        novalidate
      >
        <CsrfField ctx={ctx} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <input type="hidden" name="boardId" value={String(board.id)} />
        <FormError errors={errors} />
        {errors?.boardId ? (
          <p class="error" role="alert" safe>
            {errors.boardId}
          </p>
        ) : (
          ''
        )}
        <Choice
          name="type"
          label={t('write.type')}
          options={options(Object.keys(MESSAGE_TYPES) as MessageType[], (k) => typeLabel(t, k))}
          value={values?.type}
          errors={errors}
        />
        <Choice
          name="domain"
          label={t('write.domain')}
          options={options(domainKeys, (k) => domainLabel(t, k))}
          notes={options(domainKeys, (k) => domainNote(t, k))}
          layout="list"
          value={values?.domain}
          errors={errors}
        />
        <Field
          name="title"
          label={t('write.titleLabel')}
          maxlength={TITLE_MAX}
          hint={t('write.titleHint', { min: ctx.num.count(TITLE_MIN), max: ctx.num.count(TITLE_MAX) })}
          value={values?.title}
          errors={errors}
        />
        <div class={errors?.body ? 'field has-error' : 'field'}>
          <label for="f-body" safe>
            {t('write.body')}
          </label>
          <textarea
            id="f-body"
            name="body"
            rows="10"
            maxlength={BODY_MAX}
            aria-describedby={errors?.body ? 'f-body-hint f-body-error' : 'f-body-hint'}
            aria-invalid={errors?.body ? 'true' : undefined}
            safe
          >
            {values?.body ?? ''}
          </textarea>
          <p class="hint" id="f-body-hint" safe>
            {t('write.bodyHint', { min: ctx.num.count(BODY_MIN), max: ctx.num.count(BODY_MAX) })}
          </p>
          {errors?.body ? (
            <p class="error" id="f-body-error" role="alert" safe>
              {errors.body}
            </p>
          ) : (
            ''
          )}
        </div>
        <Field
          name="remarks"
          label={t('write.remarks')}
          hint={t('write.remarksHint')}
          value={values?.remarks}
          errors={errors}
        />
        <Field
          name="location"
          label={t('write.location')}
          hint={t('write.locationHint')}
          value={values?.location}
          errors={errors}
        />
        <div class={errors?.images ? 'field has-error' : 'field'}>
          <label for="f-images" safe>
            {t('write.images')}
          </label>
          <input
            id="f-images"
            name="images"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-describedby="f-images-hint"
          />
          <label for="f-privateImages" safe>
            {t('write.privateImages')}
          </label>
          <input
            id="f-privateImages"
            name="privateImages"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-describedby="f-images-hint"
          />
          <p class="hint" id="f-images-hint" safe>
            {t('write.imagesHint', { max: ctx.num.count(IMAGES_MAX) })}
          </p>
          {errors?.images ? (
            <p class="error" role="alert" safe>
              {errors.images}
            </p>
          ) : (
            ''
          )}
        </div>
        <Choice
          name="visibility"
          label={t('write.visibility')}
          options={options(Object.keys(VISIBILITIES) as Visibility[], (k) => visibilityLabel(t, k))}
          value={values?.visibility ?? 'public'}
          errors={errors}
        />
        {similar ? (
          <section class="panel" aria-labelledby="similar-heading" role="status">
            <h2 id="similar-heading" safe>
              {t('write.similar')}
            </h2>
            {similar.length === 0 ? (
              <p safe>{t('write.similarNone')}</p>
            ) : (
              <>
                <p safe>{t('write.similarIntro')}</p>
                <ul>
                  {similar.map((m) => (
                    <li>
                      <a href={`/messages/${m.id}`} target="_blank" translate="no" safe>
                        {m.title}
                      </a>{' '}
                      <span class="meta" safe>
                        {statusLabel(t, m.status)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        ) : (
          ''
        )}
        <div class="actions">
          <button type="submit" class="secondary" formaction="/messages/similar" formnovalidate safe>
            {t('write.findSimilar')}
          </button>
          <button type="submit" class="primary" safe>
            {t('write.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** From best to worst, nothing chosen beforehand: a pre-selected answer would bias the satisfaction figure. */
const RATING_SCALE = ['5', '4', '3', '2', '1'] as const;

function Deadline({ ctx, view }: { ctx: PageContext; view: MessageView }): JSX.Element {
  const { t } = ctx;
  const d = view.deadline;
  if (!d) return '';
  const what = t(d.kind === 'accept' ? 'deadline.accept' : 'deadline.handle');
  return d.overdue ? (
    <p class="deadline overdue">
      <span safe>{`${t('message.deadlineOverdue', { what })} `}</span>
      <Time ctx={ctx} iso={d.dueAt} />
    </p>
  ) : (
    <p class="deadline">
      <span safe>{`${what} `}</span>
      <Time ctx={ctx} iso={d.dueAt} />
      <span safe>
        {t('message.deadlineLeft', { days: ctx.num.count(d.workingDaysLeft) }) +
          (view.extensionDays ? t('message.deadlineExtended', { days: ctx.num.count(view.extensionDays) }) : '')}
      </span>
      {d.provisional ? (
        <span class="hint" safe>
          {t('deadline.provisionalNote')}
        </span>
      ) : (
        ''
      )}
    </p>
  );
}

/** The "顯示繁體" switch of a zh-HK page: whether the message is shown converted, and the page's two addresses. */
export interface HantToggle {
  on: boolean;
  original: string;
  converted: string;
}

export function MessagePage({
  ctx,
  view,
  events,
  crumbs,
  notice,
  follow,
  stories = [],
  ratingValues,
  ratingErrors,
  hant,
}: {
  ctx: PageContext;
  view: MessageView;
  events: CaseEvent[];
  crumbs: Crumb[];
  notice?: string;
  /** Present when the message may be followed (public and published). */
  follow?: FollowState;
  /** Published video stories that tell this message (《“帖”近现场》). */
  stories?: { id: number; title: string; seconds: number | null }[];
  /** A rating sent back with problems: what was chosen and each question's error. */
  ratingValues?: Record<string, string>;
  ratingErrors?: FormErrors;
  /** Present on zh-HK pages: the message may be read converted to Traditional characters. */
  hant?: HantToggle;
}): JSX.Element {
  const { t } = ctx;
  const scale = Object.fromEntries(RATING_SCALE.map((n) => [n, `${n} ${t(`rate.scale.${n}`)}`]));
  return (
    <Layout ctx={ctx} title={view.title} ownTitle crumbs={crumbs}>
      <Notice text={notice} />
      <article>
        <h1 translate="no" safe>
          {view.title}
        </h1>
        <p class="meta">
          <span class={`badge status-${view.status.key}`} safe>
            {statusLabel(t, view.status.key)}
          </span>{' '}
          <span
            safe
          >{`${typeLabel(t, view.type.key)} · ${domainLabel(t, view.domain.key)} · ${authorTagLabel(t, view.authorTag)} · `}</span>
          <Time ctx={ctx} iso={view.submittedAt} />
        </p>
        {hant ? (
          <p class="meta hant-toggle">
            {hant.on ? (
              <>
                <span safe>{t('message.hantNote')}</span>{' '}
                <a href={hant.original} safe>
                  {t('message.showOriginal')}
                </a>
              </>
            ) : (
              <a href={hant.converted} safe>
                {t('message.showHant')}
              </a>
            )}
          </p>
        ) : (
          ''
        )}
        {view.trackingCode ? (
          <p class="meta" safe>
            {t('message.trackingCode', { code: view.trackingCode })}
          </p>
        ) : (
          ''
        )}
        {view.duplicateOf ? (
          <p class="notice">
            <Sentence
              text={t('message.duplicateOf')}
              slots={{
                link: (
                  <Link href={`/messages/${view.duplicateOf}`} text={t('message.number', { id: view.duplicateOf })} />
                ),
              }}
            />
          </p>
        ) : (
          ''
        )}
        {view.rejectReason ? (
          <div class="panel" role="status">
            <p safe>{t('message.rejected', { reason: rejectReasonLabel(t, view.rejectReason.key) })}</p>
            {view.rejectReason.note ? (
              <p translate="no" safe>
                {view.rejectReason.note}
              </p>
            ) : (
              ''
            )}
          </div>
        ) : (
          ''
        )}
        <Deadline ctx={ctx} view={view} />
        {follow ? (
          <FollowButton ctx={ctx} kind="message" id={view.id} following={follow.following} sms={follow.sms} />
        ) : (
          ''
        )}
        <div class="message-body" translate="no" safe>
          {view.body}
        </div>
        {view.location ? (
          <p class="meta">
            <Sentence text={t('message.location')} slots={{ location: <UserText text={view.location} /> }} />
          </p>
        ) : (
          ''
        )}
        {view.attachments.length > 0 ? (
          <ul class="attachments">
            {view.attachments.map((a, i) => (
              <li>
                <a href={`/attachments/${a.id}`} title={t('message.photoOriginal')}>
                  <img
                    src={`/attachments/${a.id}?w=360`}
                    srcset={`/attachments/${a.id}?w=360 360w, /attachments/${a.id}?w=1280 1280w`}
                    sizes="(min-width: 60rem) 18rem, (min-width: 40rem) 30vw, 45vw"
                    width={String(Math.min(a.width, 360))}
                    height={String(Math.round((a.height * Math.min(a.width, 360)) / a.width))}
                    alt={t(a.isPublic ? 'message.photoAlt' : 'message.photoAltPrivate', { n: ctx.num.count(i + 1) })}
                    loading="lazy"
                    decoding="async"
                  />
                </a>
              </li>
            ))}
          </ul>
        ) : (
          ''
        )}
        {view.remarks ? (
          <div class="panel">
            <h2 safe>{t('message.remarks')}</h2>
            <p translate="no" safe>
              {view.remarks}
            </p>
          </div>
        ) : (
          ''
        )}
      </article>
      <MessageStories ctx={ctx} stories={stories} />
      {view.replies.map((r, i) => (
        <section class="panel reply" aria-labelledby={`reply-${i + 1}`}>
          <h2 id={`reply-${i + 1}`}>
            <Sentence
              text={t(r.round > 1 ? 'message.replyFromAfterFollowUp' : 'message.replyFrom')}
              slots={{ unit: <UnitName ctx={ctx} name={r.unit} /> }}
            />
          </h2>
          {r.signer ? (
            <p class="badge signed">
              <Sentence text={t('message.signedBy')} slots={{ signer: <UserText text={r.signer} /> }} />
            </p>
          ) : (
            ''
          )}
          <div class="message-body" translate="no" safe>
            {r.body}
          </div>
          <p class="meta">
            <Time ctx={ctx} iso={r.publishedAt} />
            {r.resolved ? <span safe>{` · ${t('message.resolved')}`}</span> : ''}
          </p>
        </section>
      ))}
      {view.ratings.map((r, i) => (
        <section class="panel" aria-labelledby={`rating-${i + 1}`}>
          <h2 id={`rating-${i + 1}`} safe>
            {view.ratings.length > 1
              ? t('message.ratingRound', { round: ctx.num.count(r.round) })
              : t('message.rating')}
          </h2>
          <p safe>
            {t('message.ratingScores', {
              resolution: ctx.num.count(r.resolution),
              timeliness: ctx.num.count(r.timeliness),
              attitude: ctx.num.count(r.attitude),
            })}
          </p>
          {r.comment ? (
            <p translate="no" safe>
              {r.comment}
            </p>
          ) : (
            ''
          )}
        </section>
      ))}
      {view.canRate ? (
        <section class="panel" aria-labelledby="rate-heading">
          <h2 id="rate-heading" safe>
            {t('rate.title')}
          </h2>
          <p class="hint">
            <Sentence text={t('rate.due')} slots={{ date: <Time ctx={ctx} iso={view.ratingDueAt} /> }} />
          </p>
          <form method="post" action={`/messages/${view.id}/rate`} class="stack">
            <CsrfField ctx={ctx} />
            {(['resolution', 'timeliness', 'attitude'] as const).map((name) => (
              <Choice
                name={name}
                label={t(`rate.${name}`)}
                options={scale}
                value={ratingValues?.[name]}
                errors={ratingErrors}
                layout="scale"
              />
            ))}
            <Field name="comment" label={t('rate.comment')} />
            <Submit label={t('rate.submit')} />
          </form>
          {view.canFollowUp ? (
            <form method="post" action={`/messages/${view.id}/follow-up`} class="stack">
              <CsrfField ctx={ctx} />
              <Field name="question" label={t('rate.followUp')} idPrefix="q" />
              <Submit label={t('rate.followUpSubmit')} kind="secondary" />
            </form>
          ) : (
            ''
          )}
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="timeline">
        <h2 id="timeline" safe>
          {t('message.timeline')}
        </h2>
        <ol class="timeline">
          {events.map((e) => {
            // The system's own notes in the page's language; what a person wrote, as written.
            const note = e.note ? caseEventNote(e.note, t) : null;
            return (
              <li>
                <Time ctx={ctx} iso={e.at} /> <span safe>{caseEventLabel(e.kind, t)}</span>
                {note ? (
                  <p class="meta" translate={note.own ? 'no' : undefined} safe>
                    {note.text}
                  </p>
                ) : (
                  ''
                )}
              </li>
            );
          })}
        </ol>
      </section>
    </Layout>
  );
}

export interface MyMessageRow {
  id: number;
  title: string;
  status: string;
  trackingCode: string;
  submittedAt: string;
  regionName: string;
  boardTitle: string;
}

export function MyMessagesPage({ ctx, rows }: { ctx: PageContext; rows: MyMessageRow[] }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('nav.myMessages')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('nav.myMessages') }]}
    >
      <h1 safe>{t('nav.myMessages')}</h1>
      {rows.length === 0 ? <p safe>{t('myMessages.empty')}</p> : ''}
      <ul class="message-list">
        {rows.map((m) => (
          <li>
            <a href={`/messages/${m.id}`} translate="no" safe>
              {m.title}
            </a>
            <p class="meta">
              <span safe>
                {`${statusLabel(t, m.status)} · ${boardName(ctx, m.regionName, m.boardTitle)} · ${t('myMessages.code', { code: m.trackingCode })} · `}
              </span>
              <Time ctx={ctx} iso={m.submittedAt} />
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
