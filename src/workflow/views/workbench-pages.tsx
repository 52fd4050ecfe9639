// The unit workbench: the inbox with its filters, and one message with the actions its viewer may take.
import type { CaseEvent } from '../../audit/case-events.ts';
import { DOMAINS, MESSAGE_TYPES, STATUSES } from '../../messages/message-kinds.ts';
import type { MessageView } from '../../messages/message-view.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { InboxQuery, InboxRow } from '../workbench.service.ts';

const crumbs = (label?: string) => [
  { label: '首页', href: '/' },
  { label: '工作台', href: '/workbench' },
  ...(label ? [{ label }] : []),
];
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

function Select({
  name,
  label,
  options,
  value,
}: {
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
        <option value="">全部</option>
        {Object.entries(options).map(([k, l]) => (
          <option value={k} selected={value === k} safe>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export function InboxPage({
  ctx,
  rows,
  query,
  notice,
}: {
  ctx: PageContext;
  rows: InboxRow[];
  query: InboxQuery;
  notice?: string;
}): JSX.Element {
  const domains = Object.fromEntries(Object.entries(DOMAINS).map(([k, d]) => [k, d.label]));
  const statuses = { pending: STATUSES.pending, assigned: STATUSES.assigned, replied: STATUSES.replied };
  return (
    <Layout ctx={ctx} title="工作台" crumbs={crumbs()}>
      <h1>工作台</h1>
      <Notice text={notice} />
      {ctx.user?.grants.some((g) => g.role === 'unit_head') ? (
        <p>
          <a href="/workbench/templates">答复模板</a>
        </p>
      ) : (
        ''
      )}
      <form method="get" action="/workbench" class="filters" role="search">
        <Select name="status" label="状态" options={statuses} value={query.status} />
        <Select name="type" label="类型" options={MESSAGE_TYPES} value={query.type} />
        <Select name="domain" label="领域" options={domains} value={query.domain} />
        <div class="field">
          <label for="f-board">留言板编号</label>
          <input id="f-board" name="board" inputmode="numeric" value={query.board} />
        </div>
        <div class="choice">
          <input type="checkbox" id="f-overdue" name="overdue" value="1" checked={query.overdue === '1'} />{' '}
          <label for="f-overdue">已超期</label>
        </div>
        <div class="choice">
          <input type="checkbox" id="f-dueSoon" name="dueSoon" value="1" checked={query.dueSoon === '1'} />{' '}
          <label for="f-dueSoon">即将到期（2 个工作日内）</label>
        </div>
        <button type="submit" class="secondary">
          筛选
        </button>
      </form>
      {rows.length === 0 ? <p>没有符合条件的留言。</p> : ''}
      <table class="data">
        <thead>
          <tr>
            <th>留言</th>
            <th>状态</th>
            <th>承办单位</th>
            <th>时限</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr class={r.overdue ? 'overdue-row' : ''}>
              <td>
                <a href={`/workbench/messages/${r.id}`} safe>{`${r.id}. ${r.title}`}</a>
                <p class="meta" safe>{`${r.board} · ${r.type} · ${r.domain}`}</p>
              </td>
              <td safe>{r.status.label}</td>
              <td safe>{r.unit ?? ''}</td>
              <td>
                {r.dueAt
                  ? r.overdue
                    ? `已超期（${day(r.dueAt)}）`
                    : `${day(r.dueAt)}，剩 ${r.workingDaysLeft} 个工作日`
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export interface WorkbenchActions {
  accept: boolean;
  assign: { id: number; name: string }[] | null;
  return: boolean;
  requestExtension: boolean;
  decideExtension: { id: number; days: number; reason: string } | null;
  draftReply: { body: string; resolved: boolean; templates: { id: number; title: string; body: string }[] } | null;
  approveReply: { body: string } | null;
  signReply: boolean;
  shareIdentity: boolean;
}

function ActionForm({
  ctx,
  id,
  action,
  label,
  kind,
  children,
}: {
  ctx: PageContext;
  id: number;
  action: string;
  label: string;
  kind?: 'primary' | 'secondary' | 'danger';
  children?: JSX.Element;
}): JSX.Element {
  // Children are markup rendered by this file's own components, not text.
  const safeFields = children ?? '';
  return (
    <form method="post" action={`/workbench/messages/${id}/${action}`} class="stack panel">
      <CsrfField ctx={ctx} />
      {safeFields}
      <Submit label={label} kind={kind} />
    </form>
  );
}

export function WorkbenchMessagePage({
  ctx,
  view,
  events,
  actions,
  similar,
  errors,
  notice,
}: {
  ctx: PageContext;
  view: MessageView;
  events: CaseEvent[];
  actions: WorkbenchActions;
  /** Earlier public messages about the same thing, each one click from being linked as the original. */
  similar: { id: number; title: string; score: number }[];
  errors?: FormErrors;
  notice?: string;
}): JSX.Element {
  const id = view.id;
  return (
    <Layout ctx={ctx} title={view.title} crumbs={crumbs(`留言 ${id}`)}>
      <h1 safe>{view.title}</h1>
      <Notice text={notice} />
      <FormError errors={errors} />
      <p
        class="meta"
        safe
      >{`${view.status.label} · ${view.type.label} · ${view.domain.label} · ${view.authorTag} · 查询码 ${view.trackingCode ?? ''}`}</p>
      {view.deadline ? (
        <p class={view.deadline.overdue ? 'deadline overdue' : 'deadline'} safe>
          {`${view.deadline.kind === 'accept' ? '受理' : '办理'}时限 ${day(view.deadline.dueAt)}${view.deadline.overdue ? '，已超期' : `，剩 ${view.deadline.workingDaysLeft} 个工作日`}`}
        </p>
      ) : (
        ''
      )}
      <div class="message-body" safe>
        {view.body}
      </div>
      {view.identityHidden ? (
        <p class="notice">投诉人身份信息已隐藏（由交办单位决定是否共享）。</p>
      ) : view.remarks ? (
        <div class="panel">
          <h2>备注（不公开）</h2>
          <p safe>{view.remarks}</p>
        </div>
      ) : (
        ''
      )}
      <p>
        <a href={`/messages/${id}`}>查看公开页面</a>
      </p>
      <h2>办理</h2>
      {actions.accept ? (
        <ActionForm ctx={ctx} id={id} action="accept" label={view.type.key === 'thanks' ? '确认收到并办结' : '受理'} />
      ) : (
        ''
      )}
      {actions.assign && actions.assign.length > 0 ? (
        <ActionForm ctx={ctx} id={id} action="assign" label="交办" kind="secondary">
          <>
            <div class="field">
              <label for="f-unitId">交办给</label>
              <select id="f-unitId" name="unitId">
                {actions.assign.map((u) => (
                  <option value={String(u.id)} safe>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
            <Field name="note" label="交办意见" idPrefix="as" />
          </>
        </ActionForm>
      ) : (
        ''
      )}
      {actions.return ? (
        <ActionForm ctx={ctx} id={id} action="return" label="退回" kind="danger">
          <Field name="reason" label="退回理由" idPrefix="rt" />
        </ActionForm>
      ) : (
        ''
      )}
      {actions.requestExtension ? (
        <ActionForm ctx={ctx} id={id} action="request-extension" label="申请延期" kind="secondary">
          <>
            <Field name="days" label="延期天数" inputmode="numeric" idPrefix="ex" />
            <Field name="reason" label="延期理由" idPrefix="ex" />
          </>
        </ActionForm>
      ) : (
        ''
      )}
      {actions.decideExtension ? (
        <div class="panel">
          <p safe>{`延期申请：${actions.decideExtension.days} 天，理由：${actions.decideExtension.reason}`}</p>
          <ActionForm ctx={ctx} id={id} action="decide-extension" label="批准延期">
            <>
              <input type="hidden" name="extensionId" value={String(actions.decideExtension.id)} />
              <input type="hidden" name="grant" value="1" />
            </>
          </ActionForm>
          <ActionForm ctx={ctx} id={id} action="decide-extension" label="不批准" kind="danger">
            <>
              <input type="hidden" name="extensionId" value={String(actions.decideExtension.id)} />
              <input type="hidden" name="grant" value="0" />
            </>
          </ActionForm>
        </div>
      ) : (
        ''
      )}
      {actions.draftReply ? (
        <form method="post" action={`/workbench/messages/${id}/draft-reply`} class="stack panel wide">
          <CsrfField ctx={ctx} />
          {actions.draftReply.templates.length > 0 ? (
            <p class="meta">
              答复模板：
              {actions.draftReply.templates.map((tpl) => (
                <a href={`/workbench/messages/${id}?template=${tpl.id}`} safe>
                  {tpl.title}
                </a>
              ))}
            </p>
          ) : (
            ''
          )}
          <div class="field">
            <label for="f-reply">答复内容</label>
            <textarea id="f-reply" name="body" rows="8" safe>
              {actions.draftReply.body}
            </textarea>
          </div>
          <div class="choice">
            <input type="checkbox" id="f-resolved" name="resolved" value="1" checked={actions.draftReply.resolved} />{' '}
            <label for="f-resolved">问题已落实解决</label>
          </div>
          <div class="actions">
            <button type="submit" class="secondary" name="submit" value="0">
              保存草稿
            </button>
            <button type="submit" class="primary" name="submit" value="1">
              提交审批
            </button>
          </div>
        </form>
      ) : (
        ''
      )}
      {actions.approveReply ? (
        <div class="panel">
          <h3>待审批的答复</h3>
          <div class="message-body" safe>
            {actions.approveReply.body}
          </div>
          <ActionForm ctx={ctx} id={id} action="approve-reply" label="批准并公开答复" />
        </div>
      ) : (
        ''
      )}
      {actions.signReply ? <ActionForm ctx={ctx} id={id} action="sign-reply" label="领导签发" /> : ''}
      {actions.shareIdentity ? (
        <ActionForm ctx={ctx} id={id} action="share-identity" label="向承办单位共享投诉人身份" kind="secondary" />
      ) : (
        ''
      )}
      {similar.length > 0 ? (
        <section class="panel" aria-labelledby="similar-heading">
          <h2 id="similar-heading">相似留言</h2>
          <ul>
            {similar.map((s) => (
              <li>
                <a href={`/messages/${s.id}`} safe>{`${s.id}. ${s.title}`}</a>
                <span class="meta" safe>{`（相似度 ${Math.round(s.score * 100)}%）`}</span>{' '}
                <form method="post" action={`/workbench/messages/${id}/link-duplicate`} class="inline">
                  <CsrfField ctx={ctx} />
                  <input type="hidden" name="original" value={String(s.id)} />
                  <button type="submit" class="link">
                    标记为与此重复
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <h2>办理记录</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li safe>{`${e.at.replace('T', ' ').slice(0, 16)} ${e.kind}${e.note ? `：${e.note}` : ''}`}</li>
        ))}
      </ol>
    </Layout>
  );
}
