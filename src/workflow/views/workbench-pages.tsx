// The unit workbench: the inbox with its quick filters, counts and batch actions, and one message with everything a
// clerk, a head, a leader or a supervisor needs to act on it.
import type { MessageKey } from '../../i18n/i18n.ts';
import { DOMAINS, MESSAGE_TYPES } from '../../messages/message-kinds.ts';
import { domainLabel, statusLabel, typeLabel } from '../../messages/message-labels.ts';
import type { MessageView } from '../../messages/message-view.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, FormError, type FormErrors, Notice } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { boardName, UnitName } from '../../web/views/names.tsx';
import { Time } from '../../web/views/time.tsx';
import { caseEventLabel, caseEventNote } from '../case-event-labels.ts';
import type { Inbox, InboxQuery } from '../workbench.service.ts';
import type { WorkbenchActions, WorkbenchDetail } from '../workbench-message.ts';
import { ActionPanels } from './workbench-actions.tsx';
import { authorName, Badge, Due, Filled, keptAsWritten, Own, Pager, slot } from './staff-parts.tsx';

const crumbs = (ctx: PageContext, label?: string) => [
  { label: ctx.t('nav.home'), href: '/' },
  { label: ctx.t('wb.title'), href: '/workbench' },
  ...(label ? [{ label }] : []),
];

export interface BatchResult {
  action: 'accept' | 'assign';
  ok: number;
  failed: number[];
}

function Select({
  ctx,
  name,
  label,
  options,
  value,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  options: Record<string, string>;
  value?: string;
}): JSX.Element {
  return (
    <div class="field">
      <label for={`f-${name}`} safe>
        {label}
      </label>
      <select id={`f-${name}`} name={name}>
        <option value="" safe>
          {ctx.t('wb.filter.any')}
        </option>
        {Object.entries(options).map(([k, l]) => (
          <option value={k} selected={value === k} safe>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

const QUICK = [
  ['all', {}],
  ['pending', { status: 'pending' }],
  ['assigned', { status: 'assigned' }],
  ['replied', { status: 'replied' }],
  ['overdue', { overdue: '1' }],
  ['dueSoon', { dueSoon: '1' }],
  ['urgent', { priority: 'urgent' }],
  ['supervised', { supervised: '1' }],
  ['awaitingApproval', { awaiting: 'approval' }],
  ['awaitingSignature', { awaiting: 'signature' }],
] as const;

const link = (query: Record<string, string | undefined>) => {
  const params = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  ).toString();
  return params ? `/workbench?${params}` : '/workbench';
};

/** One link per quick filter with how many messages it holds; the filter in force is marked. */
function QuickFilters({ ctx, inbox }: { ctx: PageContext; inbox: Inbox }): JSX.Element {
  const q = inbox.query;
  const filterKeys = ['status', 'overdue', 'dueSoon', 'priority', 'supervised', 'awaiting'] as const;
  const current = (filter: Record<string, string>) =>
    filterKeys.every((k) => (q[k] ?? '') === (filter[k as keyof typeof filter] ?? ''));
  return (
    <nav class="quick-filters" aria-label={ctx.t('wb.quick.label')}>
      <ul>
        {QUICK.map(([key, filter]) => {
          const n = inbox.counts[key];
          // Narrowing filters with nothing in them stay out of the way; the four statuses always show.
          if (n === 0 && !['all', 'pending', 'assigned'].includes(key) && !current(filter)) return '';
          const href = link({ ...filter, type: q.type, domain: q.domain, board: q.board, unit: q.unit, sort: q.sort });
          return (
            <li>
              <a href={href} aria-current={current(filter) ? 'page' : undefined} class={`quick ${key}`}>
                <span safe>{ctx.t(`wb.quick.${key}` as MessageKey)}</span>{' '}
                <span class="count" safe>
                  {ctx.num.count(n)}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function InboxPage({
  ctx,
  inbox,
  assignTo,
  canAccept,
  dashboards,
  unread,
  notice,
  batch,
}: {
  ctx: PageContext;
  inbox: Inbox;
  /** Units this person may assign a batch to (below their own units). */
  assignTo: { id: number; name: string }[];
  canAccept: boolean;
  /** Units whose dashboard this person may open. */
  dashboards: { id: number; name: string }[];
  unread: number;
  notice?: string;
  batch?: BatchResult;
}): JSX.Element {
  const { t } = ctx;
  const q: InboxQuery = inbox.query;
  const types = Object.fromEntries(Object.keys(MESSAGE_TYPES).map((k) => [k, typeLabel(t, k)]));
  const domains = Object.fromEntries(Object.keys(DOMAINS).map((k) => [k, domainLabel(t, k)]));
  const sorts = { urgent: t('wb.sort.urgent'), newest: t('wb.sort.newest') };
  const pages = Math.max(1, Math.ceil(inbox.total / inbox.pageSize));
  const batchable = canAccept && inbox.rows.length > 0;
  const isHead = ctx.user?.grants.some((g) => g.role === 'unit_head');
  return (
    <Layout ctx={ctx} title={t('wb.title')} crumbs={crumbs(ctx)}>
      <div class="wb-head">
        <h1 safe>{t('wb.title')}</h1>
        <ul class="wb-links">
          <li>
            <a href="/notifications" safe>
              {unread > 0 ? t('wb.links.unread', { n: unread }) : t('wb.links.notifications')}
            </a>
          </li>
          <li>
            <a href="/workbench/notices" safe>
              {t('wb.links.noticeSettings')}
            </a>
          </li>
          {isHead ? (
            <li>
              <a href="/workbench/templates" safe>
                {t('wb.links.templates')}
              </a>
            </li>
          ) : (
            ''
          )}
          {dashboards.map((u) => (
            <li>
              <a href={`/workbench/units/${u.id}`}>
                <Filled
                  text={t('wb.links.dashboard', { unit: slot(0) })}
                  parts={[<UnitName ctx={ctx} name={u.name} />]}
                />
              </a>
            </li>
          ))}
        </ul>
      </div>
      <Notice text={notice} />
      {batch ? (
        <div class="notice" role="status">
          <p safe>{t(batch.action === 'accept' ? 'wb.batch.accepted' : 'wb.batch.assigned', { n: batch.ok })}</p>
          {batch.failed.length > 0 ? <p safe>{t('wb.batch.failed', { ids: batch.failed.join('、') })}</p> : ''}
        </div>
      ) : (
        ''
      )}
      <QuickFilters ctx={ctx} inbox={inbox} />
      <details class="more-filters" open={Boolean(q.type || q.domain || q.board || q.unit || q.sort)}>
        <summary safe>{t('wb.filter.more')}</summary>
        <form method="get" action="/workbench" class="filters" role="search">
          {(['status', 'overdue', 'dueSoon', 'priority', 'supervised', 'awaiting', 'unit'] as const).map((k) =>
            q[k] ? <input type="hidden" name={k} value={q[k]} /> : '',
          )}
          <Select ctx={ctx} name="type" label={t('wb.filter.type')} options={types} value={q.type} />
          <Select ctx={ctx} name="domain" label={t('wb.filter.domain')} options={domains} value={q.domain} />
          <div class="field">
            <label for="f-board" safe>
              {t('wb.filter.board')}
            </label>
            <input id="f-board" name="board" inputmode="numeric" value={q.board} size="10" />
          </div>
          <div class="field">
            <label for="f-sort" safe>
              {t('wb.filter.sort')}
            </label>
            <select id="f-sort" name="sort">
              <option value="" safe>
                {t('wb.sort.deadline')}
              </option>
              {Object.entries(sorts).map(([k, l]) => (
                <option value={k} selected={q.sort === k} safe>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary" safe>
            {t('wb.filter.submit')}
          </button>
          <a href="/workbench" safe>
            {t('wb.filter.clear')}
          </a>
        </form>
      </details>
      <p class="meta" safe>
        {t('wb.inbox.summary', {
          total: inbox.total,
          sort:
            q.sort === 'urgent'
              ? t('wb.sort.urgent')
              : q.sort === 'newest'
                ? t('wb.sort.newest')
                : t('wb.sort.deadline'),
        })}
      </p>
      {inbox.rows.length === 0 ? <p safe>{t('wb.inbox.empty')}</p> : ''}
      <form method="post" action="/workbench/batch" id="batch">
        <CsrfField ctx={ctx} />
        {inbox.rows.length > 0 ? (
          <table class={batchable ? 'data inbox' : 'data inbox no-pick'}>
            <caption class="visually-hidden" safe>
              {t('wb.title')}
            </caption>
            <thead>
              <tr>
                {batchable ? (
                  <th scope="col" class="pick">
                    <span class="visually-hidden" safe>
                      {t('wb.col.select')}
                    </span>
                  </th>
                ) : (
                  ''
                )}
                <th scope="col" safe>
                  {t('wb.col.message')}
                </th>
                <th scope="col" safe>
                  {t('wb.col.status')}
                </th>
                <th scope="col" safe>
                  {t('wb.col.unit')}
                </th>
                <th scope="col" safe>
                  {t('wb.col.due')}
                </th>
              </tr>
            </thead>
            <tbody>
              {inbox.rows.map((r) => (
                <tr
                  class={[r.overdue ? 'overdue-row' : '', r.priority === 'urgent' ? 'urgent-row' : ''].join(' ').trim()}
                >
                  {batchable ? (
                    <td class="pick">
                      <input
                        type="checkbox"
                        name="ids"
                        value={String(r.id)}
                        id={`pick-${r.id}`}
                        aria-label={t('wb.col.pick', { id: r.id })}
                      />
                    </td>
                  ) : (
                    ''
                  )}
                  <td class="what">
                    <a href={`/workbench/messages/${r.id}`} translate="no" safe>{`${r.id}. ${r.title}`}</a>
                    <p class="meta">
                      {r.priority === 'urgent' ? <Badge kind="urgent" text={t('wb.priority.urgent')} /> : ''}
                      {r.supervision ? (
                        <Badge
                          kind="supervised"
                          text={
                            r.supervision.dueAt
                              ? t('wb.badge.supervisedUntil', { date: ctx.time.date(r.supervision.dueAt) })
                              : t('wb.badge.supervised')
                          }
                        />
                      ) : (
                        ''
                      )}
                      {r.awaiting === 'approval' ? <Badge kind="awaiting" text={t('wb.badge.awaitingApproval')} /> : ''}
                      {r.awaiting === 'signature' ? (
                        <Badge kind="awaiting" text={t('wb.badge.awaitingSignature')} />
                      ) : (
                        ''
                      )}{' '}
                      <span
                        safe
                      >{`${boardName(ctx, r.regionName, r.boardTitle)} · ${typeLabel(t, r.typeKey)} · ${domainLabel(t, r.domainKey)}`}</span>
                    </p>
                  </td>
                  <td data-label={t('wb.col.status')} safe>
                    {t(`wb.quick.${r.status.key as 'pending' | 'assigned' | 'replied'}`)}
                  </td>
                  <td data-label={t('wb.col.unit')}>{r.unit ? <UnitName ctx={ctx} name={r.unit} /> : ''}</td>
                  <td data-label={t('wb.col.due')} class="due">
                    {r.dueAt ? <Due ctx={ctx} dueAt={r.dueAt} overdue={r.overdue} daysLeft={r.workingDaysLeft} /> : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          ''
        )}
        {batchable ? (
          <fieldset class="batch">
            <legend safe>{t('wb.batch.legend')}</legend>
            <button type="submit" name="batch" value="accept" class="secondary" safe>
              {t('wb.batch.accept')}
            </button>
            {assignTo.length > 0 ? (
              <span class="batch-assign">
                <label for="b-unitId" safe>
                  {t('wb.batch.assignTo')}
                </label>
                <select id="b-unitId" name="unitId">
                  {assignTo.map((u) => (
                    <option value={String(u.id)} translate={keptAsWritten(ctx, u.name)} safe>
                      {ctx.names.unit(u.name)}
                    </option>
                  ))}
                </select>
                <label for="b-note" class="visually-hidden" safe>
                  {t('wb.batch.note')}
                </label>
                <input id="b-note" name="note" maxlength={500} placeholder={t('wb.batch.note')} />
                <button type="submit" name="batch" value="assign" class="secondary" safe>
                  {t('wb.batch.assign')}
                </button>
              </span>
            ) : (
              ''
            )}
          </fieldset>
        ) : (
          ''
        )}
      </form>
      <Pager ctx={ctx} base="/workbench" query={{ ...q }} page={inbox.page} pages={pages} total={inbox.total} />
    </Layout>
  );
}

function Facts({ ctx, view, detail }: { ctx: PageContext; view: MessageView; detail: WorkbenchDetail }): JSX.Element {
  const { t } = ctx;
  const d = view.deadline;
  const leader = detail.board.holder ? (
    <Own text={detail.board.holder} />
  ) : (
    <span safe>{t('wb.msg.holderUnknown')}</span>
  );
  return (
    <dl class="facts wb-facts">
      <div>
        <dt safe>{t('wb.msg.writtenTo')}</dt>
        <dd>
          <a href={`/boards/${detail.board.id}`} safe>
            {boardName(ctx, detail.board.region, detail.board.title)}
          </a>
          <Filled text={t('workflow.wb.leaderName', { name: slot(0) })} parts={[leader]} />
        </dd>
      </div>
      <div>
        <dt safe>{t('wb.msg.unit')}</dt>
        <dd>
          {detail.assignedBy && detail.unit ? (
            <Filled
              text={t('wb.msg.unitAssigned', { unit: slot(0), by: slot(1) })}
              parts={[<UnitName ctx={ctx} name={detail.unit} />, <UnitName ctx={ctx} name={detail.assignedBy} />]}
            />
          ) : detail.unit ? (
            <UnitName ctx={ctx} name={detail.unit} />
          ) : (
            '—'
          )}
        </dd>
      </div>
      {d ? (
        <div class={d.overdue ? 'overdue' : ''}>
          <dt safe>{t(d.kind === 'accept' ? 'wb.msg.acceptDue' : 'wb.msg.handleDue')}</dt>
          <dd>
            <Due ctx={ctx} dueAt={d.dueAt} overdue={d.overdue} daysLeft={d.workingDaysLeft} />
          </dd>
        </div>
      ) : (
        ''
      )}
      {detail.objection ? (
        <div>
          <dt safe>{t('wb.msg.objection')}</dt>
          <dd safe>
            {detail.objection.open
              ? t('wb.msg.objectionUntil', {
                  date: ctx.time.dateTime(detail.objection.until),
                  days: detail.objection.days,
                })
              : t('wb.msg.objectionOver', {
                  date: ctx.time.dateTime(detail.objection.until),
                  days: detail.objection.days,
                })}
          </dd>
        </div>
      ) : (
        ''
      )}
      {view.status.key === 'assigned' ? (
        <div>
          <dt safe>{t('wb.msg.extension')}</dt>
          <dd safe>
            {t('wb.msg.extensionRule', {
              times: detail.extension.maxTimes,
              days: detail.extension.maxDays,
              used: detail.extension.usedDays,
            })}
          </dd>
        </div>
      ) : (
        ''
      )}
      <div>
        <dt safe>{t('wb.msg.submitted')}</dt>
        <dd>
          <Time ctx={ctx} iso={view.submittedAt} />
        </dd>
      </div>
      <div>
        <dt safe>{t('wb.msg.author')}</dt>
        <dd
          safe
        >{`${authorName(t, view.authorTag)}${view.trackingCode ? ` · ${t('wb.msg.tracking')} ${view.trackingCode}` : ''}`}</dd>
      </div>
    </dl>
  );
}

export function WorkbenchMessagePage({
  ctx,
  view,
  detail,
  actions,
  similar,
  errors,
  notice,
  unsavedReply,
}: {
  ctx: PageContext;
  view: MessageView;
  detail: WorkbenchDetail;
  actions: WorkbenchActions;
  /** Earlier public messages about the same thing, each one click from being linked as the original. */
  similar: { id: number; title: string; score: number }[];
  errors?: FormErrors;
  notice?: string;
  /** The reply text this person sent when a colleague had saved the draft first: kept, beside the newer text. */
  unsavedReply?: string;
}): JSX.Element {
  const { t } = ctx;
  const id = view.id;
  return (
    <Layout ctx={ctx} title={view.title} ownTitle crumbs={crumbs(ctx, t('wb.msg.crumb', { id }))}>
      <h1 translate="no" safe>
        {view.title}
      </h1>
      <Notice text={notice} />
      <FormError errors={errors} />
      <p class="meta">
        <span class={`badge status-${view.status.key}`} safe>
          {statusLabel(t, view.status.key)}
        </span>{' '}
        {detail.priority === 'urgent' ? <Badge kind="urgent" text={t('wb.priority.urgent')} /> : ''}{' '}
        {detail.signRequested ? <Badge kind="awaiting" text={t('wb.badge.signRequested')} /> : ''}{' '}
        <span
          safe
        >{`${typeLabel(t, view.type.key)} · ${domainLabel(t, view.domain.key)} · ${t('wb.msg.number', { id })}`}</span>{' '}
        <a href={`/messages/${id}`} safe>
          {t('wb.msg.publicPage')}
        </a>
      </p>
      <Facts ctx={ctx} view={view} detail={detail} />
      {detail.supervisions.length > 0 ? (
        <section class="panel supervision" aria-labelledby="sv-heading">
          <h2 id="sv-heading" safe>
            {t('wb.msg.supervisions')}
          </h2>
          <ul>
            {detail.supervisions.map((s) => (
              <li>
                <Time ctx={ctx} iso={s.createdAt} />{' '}
                <Filled
                  text={t(
                    s.manual
                      ? 'wb.msg.supervisionManual'
                      : s.level > 0
                        ? 'wb.msg.supervisionEscalated'
                        : 'wb.msg.supervisionAuto',
                    { unit: slot(0), date: ctx.time.date(s.dueAt) },
                  )}
                  parts={[<UnitName ctx={ctx} name={s.unit} />]}
                />
                {s.note ? (
                  <p class="meta" translate="no" safe>
                    {s.note}
                  </p>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="body-heading">
        <h2 id="body-heading" safe>
          {t('wb.msg.body')}
        </h2>
        <div class="message-body" translate="no" safe>
          {view.body}
        </div>
        {view.location ? (
          <p class="meta">
            <Filled text={t('workflow.wb.location', { place: slot(0) })} parts={[<Own text={view.location} />]} />
          </p>
        ) : (
          ''
        )}
        {view.attachments.length > 0 ? (
          <ul class="attachments wb-photos">
            {view.attachments.map((a, i) => {
              const alt = `${t('wb.msg.photo', { n: i + 1 })}${a.isPublic ? '' : t('wb.msg.photoPrivate')}`;
              return (
                <li class={a.isPublic ? '' : 'private'}>
                  <a href={`/attachments/${a.id}`}>
                    <img src={`/attachments/${a.id}?w=360`} width="160" alt={alt} loading="lazy" />
                  </a>
                  {a.isPublic ? (
                    ''
                  ) : (
                    <span class="meta" safe>
                      {t('wb.msg.private')}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        ) : (
          ''
        )}
        {view.identityHidden ? (
          <p class="notice" safe>
            {t('wb.msg.identityHidden')}
          </p>
        ) : view.remarks ? (
          <div class="panel">
            <h3 safe>{t('wb.msg.remarks')}</h3>
            <p translate="no" safe>
              {view.remarks}
            </p>
          </div>
        ) : (
          ''
        )}
      </section>
      {detail.earlier ? (
        <section class="panel earlier" aria-labelledby="earlier-heading">
          <h2 id="earlier-heading" safe>
            {t('wb.msg.earlier')}
          </h2>
          {detail.earlier.replies.map((r, i) => (
            <article aria-labelledby={`earlier-${i}`}>
              <h3 id={`earlier-${i}`}>
                <Filled text={t('wb.msg.replyBy', { unit: slot(0) })} parts={[<UnitName ctx={ctx} name={r.unit} />]} />
              </h3>
              {r.signer ? (
                <p class="badge signed">
                  <Filled text={t('wb.msg.signedBy', { name: slot(0) })} parts={[<Own text={r.signer} />]} />
                </p>
              ) : (
                ''
              )}
              <div class="message-body" translate="no" safe>
                {r.body}
              </div>
              <p class="meta">
                <Time ctx={ctx} iso={r.publishedAt} />
              </p>
            </article>
          ))}
          {detail.earlier.question ? (
            <>
              <h3 safe>{t('wb.msg.followUpQuestion')}</h3>
              <div class="message-body" translate="no" safe>
                {detail.earlier.question}
              </div>
            </>
          ) : (
            ''
          )}
        </section>
      ) : (
        ''
      )}
      <h2 safe>{t('wb.act.heading')}</h2>
      <ActionPanels
        ctx={ctx}
        view={view}
        detail={detail}
        actions={actions}
        errors={errors}
        unsavedReply={unsavedReply}
      />
      {similar.length > 0 ? (
        <section class="panel" aria-labelledby="similar-heading">
          <h2 id="similar-heading" safe>
            {t('wb.similar.heading')}
          </h2>
          <ul>
            {similar.map((s) => (
              <li>
                <a href={`/messages/${s.id}`} translate="no" safe>{`${s.id}. ${s.title}`}</a>
                <span class="meta" safe>
                  {t('wb.similar.score', { n: Math.round(s.score * 100) })}
                </span>{' '}
                <form method="post" action={`/workbench/messages/${id}/link-duplicate`} class="inline">
                  <CsrfField ctx={ctx} />
                  <input type="hidden" name="original" value={String(s.id)} />
                  <button type="submit" class="link" safe>
                    {t('wb.similar.link')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" safe>
          {t('wb.timeline')}
        </h2>
        <ol class="timeline wb-timeline">
          {detail.timeline.map((e) => {
            const note = e.note ? caseEventNote(e.note, t) : null;
            return (
              <li>
                <Time ctx={ctx} iso={e.at} /> <strong safe>{caseEventLabel(e.kind, t)}</strong>
                {e.unit ? (
                  <span class="meta">
                    {' · '}
                    <UnitName ctx={ctx} name={e.unit} />
                  </span>
                ) : (
                  ''
                )}
                {e.actor ? (
                  <span class="meta">
                    {' · '}
                    {e.byAuthor ? <span safe>{authorName(t, e.actor)}</span> : <Own text={e.actor} />}
                  </span>
                ) : (
                  ''
                )}
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
