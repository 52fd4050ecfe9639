// Pages of the message life: writing one, reading one, "my messages" and the editors' review queue.
import { eventLabel } from '../../audit/event-labels.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { type Crumb, Layout } from '../../web/views/layout.tsx';
import { DOMAINS, MESSAGE_TYPES, STATUSES, VISIBILITIES } from '../message-kinds.ts';
import type { MessageView } from '../message-view.ts';
import type { CaseEvent } from '../../audit/case-events.ts';
import { BODY_MAX, IMAGES_MAX, TITLE_MAX } from '../submit-message.ts';
import type { FollowState } from '../../follows/follows.service.ts';
import { FollowButton } from '../../follows/views/follow-button.tsx';
import { MessageStories } from '../../stories/views/story-pages.tsx';
import { Time } from '../../web/views/time.tsx';

export interface BoardChoice {
  id: number;
  name: string;
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
  const domainLabels = Object.fromEntries(Object.entries(DOMAINS).map(([k, d]) => [k, d.label]));
  const domainNotes = Object.fromEntries(Object.entries(DOMAINS).map(([k, d]) => [k, d.note]));
  const title = `给${board.name}写留言`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ label: '首页', href: '/' }, { label: board.name, href: `/boards/${board.id}` }, { label: '写留言' }]}
    >
      <h1 safe>{title}</h1>
      <details class="panel">
        <summary>怎样写好一条留言</summary>
        <ul>
          <li>选择事项发生地的领导留言板；不确定时，可选上一级领导。</li>
          <li>标题写明具体事项，如“校门口乱停车，进入小区道路受阻”，不要只写“请领导关注”。</li>
          <li>正文先写诉求，再写时间、原因、经过、涉及单位、金额、造成的影响和期望的结果。</li>
          <li>一条留言只反映一件事；同一件事不要分成多条。</li>
          <li>姓名、电话、身份证号、住址请写在“备注”里：备注不公开，只有办理单位能看到。</li>
        </ul>
        <p>
          <a href="/help/rules">留言规则：办理时限和不予公开的情形</a>
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
        <Choice name="type" label="留言类型" options={MESSAGE_TYPES} value={values?.type} errors={errors} />
        <Choice
          name="domain"
          label="所属领域"
          options={domainLabels}
          notes={domainNotes}
          layout="list"
          value={values?.domain}
          errors={errors}
        />
        <Field
          name="title"
          label="标题"
          maxlength={TITLE_MAX}
          hint="5–50 个字，写明具体事项"
          value={values?.title}
          errors={errors}
        />
        <div class={errors?.body ? 'field has-error' : 'field'}>
          <label for="f-body">正文</label>
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
          <p class="hint" id="f-body-hint">
            20–5000 个字，正文公开；其中的电话、身份证号、银行卡号会被遮挡
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
          label="备注（不公开）"
          hint="联系方式、姓名、住址等，只有办理单位能看到"
          value={values?.remarks}
          errors={errors}
        />
        <Field name="location" label="地点（选填）" hint="事项发生的地点" value={values?.location} errors={errors} />
        <div class={errors?.images ? 'field has-error' : 'field'}>
          <label for="f-images">公开的图片（选填）</label>
          <input
            id="f-images"
            name="images"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-describedby="f-images-hint"
          />
          <label for="f-privateImages">不公开的图片（选填，只有办理单位能看到）</label>
          <input
            id="f-privateImages"
            name="privateImages"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-describedby="f-images-hint"
          />
          <p class="hint" id="f-images-hint">
            {`两处合计最多 ${IMAGES_MAX} 张，每张不超过 5 MB，JPEG、PNG 或 WebP；拍摄信息会被清除`}
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
          label="是否公开"
          options={VISIBILITIES}
          value={values?.visibility ?? 'public'}
          errors={errors}
        />
        {similar ? (
          <section class="panel" aria-labelledby="similar-heading" role="status">
            <h2 id="similar-heading">相似的公开留言</h2>
            {similar.length === 0 ? (
              <p>没有找到相似的留言，可以提交。</p>
            ) : (
              <>
                <p>下面的留言可能反映的是同一件事。如果是，可以关注它，而不必再写一条。图片请在提交前重新选择。</p>
                <ul>
                  {similar.map((m) => (
                    <li>
                      <a href={`/messages/${m.id}`} target="_blank" safe>
                        {m.title}
                      </a>{' '}
                      <span class="meta" safe>
                        {STATUSES[m.status as keyof typeof STATUSES] ?? m.status}
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
          <button type="submit" class="secondary" formaction="/messages/similar" formnovalidate>
            查找相似留言
          </button>
          <button type="submit" class="primary">
            提交留言
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** From best to worst, nothing chosen beforehand: a pre-selected answer would bias the satisfaction figure. */
const RATING_SCALE: Record<string, string> = {
  '5': '5 很满意',
  '4': '4 满意',
  '3': '3 一般',
  '2': '2 不满意',
  '1': '1 很不满意',
};

function Deadline({ ctx, view }: { ctx: PageContext; view: MessageView }): JSX.Element {
  const d = view.deadline;
  if (!d) return '';
  const what = d.kind === 'accept' ? '受理时限' : '办理时限';
  return d.overdue ? (
    <p class="deadline overdue">
      <span safe>{`已超期：${what} `}</span>
      <Time ctx={ctx} iso={d.dueAt} />
    </p>
  ) : (
    <p class="deadline">
      <span safe>{`${what} `}</span>
      <Time ctx={ctx} iso={d.dueAt} />
      <span
        safe
      >{`，还剩 ${d.workingDaysLeft} 个工作日${view.extensionDays ? `（已延期 ${view.extensionDays} 天）` : ''}`}</span>
      {d.provisional ? (
        <span class="hint" safe>
          {ctx.t('deadline.provisionalNote')}
        </span>
      ) : (
        ''
      )}
    </p>
  );
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
}): JSX.Element {
  return (
    <Layout ctx={ctx} title={view.title} crumbs={crumbs}>
      <Notice text={notice} />
      <article>
        <h1 safe>{view.title}</h1>
        <p class="meta">
          <span class={`badge status-${view.status.key}`} safe>
            {view.status.label}
          </span>{' '}
          <span safe>{`${view.type.label} · ${view.domain.label} · ${view.authorTag} · `}</span>
          <Time ctx={ctx} iso={view.submittedAt} />
        </p>
        {view.trackingCode ? (
          <p class="meta" safe>
            {`查询码：${view.trackingCode}`}
          </p>
        ) : (
          ''
        )}
        {view.duplicateOf ? (
          <p class="notice">
            与 <a href={`/messages/${view.duplicateOf}`} safe>{`留言 ${view.duplicateOf}`}</a> 反映的是同一事项。
          </p>
        ) : (
          ''
        )}
        {view.rejectReason ? (
          <div class="panel" role="status">
            <p safe>{`未通过审核：${view.rejectReason.label}`}</p>
            {view.rejectReason.note ? <p safe>{view.rejectReason.note}</p> : ''}
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
        <div class="message-body" safe>
          {view.body}
        </div>
        {view.location ? <p class="meta" safe>{`地点：${view.location}`}</p> : ''}
        {view.attachments.length > 0 ? (
          <ul class="attachments">
            {view.attachments.map((a, i) => (
              <li>
                <a href={`/attachments/${a.id}`} title="查看原图">
                  <img
                    src={`/attachments/${a.id}?w=360`}
                    srcset={`/attachments/${a.id}?w=360 360w, /attachments/${a.id}?w=1280 1280w`}
                    sizes="(min-width: 60rem) 18rem, (min-width: 40rem) 30vw, 45vw"
                    width={String(Math.min(a.width, 360))}
                    height={String(Math.round((a.height * Math.min(a.width, 360)) / a.width))}
                    alt={`留言图片 ${i + 1}${a.isPublic ? '' : '（不公开）'}`}
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
            <h2>备注（不公开）</h2>
            <p safe>{view.remarks}</p>
          </div>
        ) : (
          ''
        )}
      </article>
      <MessageStories ctx={ctx} stories={stories} />
      {view.replies.map((r, i) => (
        <section class="panel reply" aria-labelledby={`reply-${i + 1}`}>
          <h2 id={`reply-${i + 1}`} safe>
            {`${r.unit}的答复${r.round > 1 ? '（追问后）' : ''}`}
          </h2>
          {r.signer ? <p class="badge signed" safe>{`领导签发：${r.signer}`}</p> : ''}
          <div class="message-body" safe>
            {r.body}
          </div>
          <p class="meta">
            <Time ctx={ctx} iso={r.publishedAt} />
            {r.resolved ? ' · 已落实解决' : ''}
          </p>
        </section>
      ))}
      {view.ratings.map((r, i) => (
        <section class="panel" aria-labelledby={`rating-${i + 1}`}>
          <h2 id={`rating-${i + 1}`}>{view.ratings.length > 1 ? `留言人评价（第 ${r.round} 轮）` : '留言人评价'}</h2>
          <p safe>{`解决程度 ${r.resolution} · 办理时间 ${r.timeliness} · 办理态度 ${r.attitude}（满分 5）`}</p>
          {r.comment ? <p safe>{r.comment}</p> : ''}
        </section>
      ))}
      {view.canRate ? (
        <section class="panel" aria-labelledby="rate-heading">
          <h2 id="rate-heading">评价办理结果</h2>
          <p class="hint">
            请在 <Time ctx={ctx} iso={view.ratingDueAt} /> 前评价；逾期自动办结。三项都请选择，没有默认分数。
          </p>
          <form method="post" action={`/messages/${view.id}/rate`} class="stack">
            <CsrfField ctx={ctx} />
            {(
              [
                ['resolution', '解决程度'],
                ['timeliness', '办理时间'],
                ['attitude', '办理态度'],
              ] as const
            ).map(([name, label]) => (
              <Choice
                name={name}
                label={label}
                options={RATING_SCALE}
                value={ratingValues?.[name]}
                errors={ratingErrors}
                layout="scale"
              />
            ))}
            <Field name="comment" label="评价内容（选填）" />
            <Submit label="提交评价" />
          </form>
          {view.canFollowUp ? (
            <form method="post" action={`/messages/${view.id}/follow-up`} class="stack">
              <CsrfField ctx={ctx} />
              <Field name="question" label="对答复不满意？可以追问一次" idPrefix="q" />
              <Submit label="追问" kind="secondary" />
            </form>
          ) : (
            ''
          )}
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="timeline">
        <h2 id="timeline">办理记录</h2>
        <ol class="timeline">
          {events.map((e) => (
            <li>
              <Time ctx={ctx} iso={e.at} /> <span safe>{eventLabel(ctx.t, e.kind)}</span>
              {e.note ? (
                <p class="meta" safe>
                  {e.note}
                </p>
              ) : (
                ''
              )}
            </li>
          ))}
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
  board: string;
}

export function MyMessagesPage({ ctx, rows }: { ctx: PageContext; rows: MyMessageRow[] }): JSX.Element {
  return (
    <Layout ctx={ctx} title="我的留言" crumbs={[{ label: '首页', href: '/' }, { label: '我的留言' }]}>
      <h1>我的留言</h1>
      {rows.length === 0 ? <p>还没有留言。在任一领导留言板页面点击“写留言”。</p> : ''}
      <ul class="message-list">
        {rows.map((m) => (
          <li>
            <a href={`/messages/${m.id}`} safe>
              {m.title}
            </a>
            <p class="meta">
              <span safe>
                {`${STATUSES[m.status as keyof typeof STATUSES] ?? m.status} · ${m.board} · 查询码 ${m.trackingCode} · `}
              </span>
              <Time ctx={ctx} iso={m.submittedAt} />
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
