// A unit's overview (单位概况): open work by where it stands, the overdue messages, each staff member's replies, and
// the links to the inbox, the unit's statistics and its staff.
import type { MessageKey } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { UnitName } from '../../web/views/names.tsx';
import { Time } from '../../web/views/time.tsx';
import { Badge, Filled, Own, slot } from './staff-parts.tsx';

export interface StaffLine {
  id: number;
  name: string;
  head: boolean;
  lastLoginAt: string | null;
  drafts: number;
  awaitingApproval: number;
  awaitingSignature: number;
  /** Replies published this year. */
  published: number;
}

export interface DashboardCounts {
  open: number;
  pending: number;
  dueSoon: number;
  overdue: number;
  urgent: number;
  supervised: number;
  awaitingApproval: number;
  awaitingSignature: number;
  assignedOut: number;
}

/** Each figure, and the inbox filter that lists its messages. */
const FIGURES: [keyof DashboardCounts, Record<string, string> | null, boolean][] = [
  ['open', {}, false],
  ['pending', { status: 'pending' }, false],
  ['dueSoon', { dueSoon: '1' }, true],
  ['overdue', { overdue: '1' }, true],
  ['awaitingApproval', { awaiting: 'approval' }, true],
  ['awaitingSignature', { awaiting: 'signature' }, false],
  ['urgent', { priority: 'urgent' }, true],
  ['supervised', { supervised: '1' }, true],
  ['assignedOut', null, false],
];

export function DashboardPage({
  ctx,
  unit,
  year,
  counts,
  overdue,
  staff,
  children,
  isMember,
  manages,
}: {
  ctx: PageContext;
  unit: { id: number; name: string; parent: { id: number; name: string } | null };
  year: string;
  counts: DashboardCounts;
  overdue: { id: number; title: string; status: string; priority: string; due_at: string | null }[];
  staff: StaffLine[];
  /** Units below whose overview this person may also open. */
  children: { id: number; name: string }[];
  /** Whether this person works the unit's inbox (else the links narrow a supervisor's inbox to the unit). */
  isMember: boolean;
  manages: boolean;
}): JSX.Element {
  const { t } = ctx;
  const title = t('dash.title', { unit: ctx.names.unit(unit.name) });
  const inboxLink = (filter: Record<string, string>) => {
    const params = new URLSearchParams({ ...filter, ...(isMember ? {} : { unit: String(unit.id) }) }).toString();
    return params ? `/workbench?${params}` : '/workbench';
  };
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('wb.title'), href: '/workbench' }, { label: title }]}
    >
      <h1>
        <Filled text={t('dash.title', { unit: slot(0) })} parts={[<UnitName ctx={ctx} name={unit.name} />]} />
      </h1>
      <ul class="wb-links">
        <li>
          <a href={`/stats/units/${unit.id}`} safe>
            {t('dash.stats')}
          </a>
        </li>
        {manages ? (
          <li>
            <a href={`/admin/units/${unit.id}`} safe>
              {t('dash.manageStaff')}
            </a>
          </li>
        ) : (
          ''
        )}
        {unit.parent ? (
          <li class="meta">
            <Filled
              text={t('dash.parent', { unit: slot(0) })}
              parts={[<UnitName ctx={ctx} name={unit.parent.name} />]}
            />
          </li>
        ) : (
          ''
        )}
      </ul>
      <h2 safe>{t('dash.open')}</h2>
      <dl class="figures dash-figures">
        {FIGURES.map(([key, filter, alert]) => (
          <div class={alert && counts[key] > 0 ? 'alert' : ''}>
            <dt safe>{t(`dash.figure.${key}` as MessageKey)}</dt>
            <dd>
              {filter ? (
                <a href={inboxLink(filter)} safe>
                  {ctx.num.count(counts[key])}
                </a>
              ) : (
                <span safe>{ctx.num.count(counts[key])}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <h2 safe>{t('dash.overdue')}</h2>
      {overdue.length === 0 ? (
        <p safe>{t('dash.noOverdue')}</p>
      ) : (
        <ul class="message-list">
          {overdue.map((m) => (
            <li>
              {m.priority === 'urgent' ? <Badge kind="urgent" text={t('wb.priority.urgent')} /> : ''}{' '}
              <a href={`/workbench/messages/${m.id}`} translate="no" safe>{`${m.id}. ${m.title}`}</a>
              <p class="meta">
                <span safe>{t(m.status === 'pending' ? 'wb.msg.acceptDue' : 'wb.msg.handleDue')}</span>{' '}
                <Time ctx={ctx} iso={m.due_at} dateOnly />
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2 safe>{t('dash.staff')}</h2>
      {staff.length === 0 ? (
        <p safe>{t('dash.noStaff')}</p>
      ) : (
        <div class="table-scroll" tabindex="0" role="region" aria-label={t('dash.staff')}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col" safe>
                  {t('dash.col.name')}
                </th>
                <th scope="col" class="num" safe>
                  {t('dash.col.drafts')}
                </th>
                <th scope="col" class="num" safe>
                  {t('dash.col.awaitingApproval')}
                </th>
                <th scope="col" class="num" safe>
                  {t('dash.col.awaitingSignature')}
                </th>
                <th scope="col" class="num" safe>
                  {t('dash.col.published', { year })}
                </th>
                <th scope="col" safe>
                  {t('dash.col.lastLogin')}
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <tr>
                  <th scope="row">
                    <Own text={s.name} />
                    {s.head ? <span class="meta" safe>{` · ${t('dash.head')}`}</span> : ''}
                  </th>
                  <td class="num" safe>
                    {ctx.num.count(s.drafts)}
                  </td>
                  <td class="num" safe>
                    {ctx.num.count(s.awaitingApproval)}
                  </td>
                  <td class="num" safe>
                    {ctx.num.count(s.awaitingSignature)}
                  </td>
                  <td class="num" safe>
                    {ctx.num.count(s.published)}
                  </td>
                  <td>{s.lastLoginAt ? <Time ctx={ctx} iso={s.lastLoginAt} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint" safe>
        {t('dash.staffNote')}
      </p>
      {children.length > 0 ? (
        <>
          <h2 safe>{t('dash.children')}</h2>
          <ul class="compact">
            {children.map((c) => (
              <li>
                <a href={`/workbench/units/${c.id}`}>
                  <UnitName ctx={ctx} name={c.name} />
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
    </Layout>
  );
}
