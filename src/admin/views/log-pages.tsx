// The admin's logs: the admin log in words (who did what to whom) and the log of staff reads of private data, each
// filterable and paged.
import type { Children } from '@kitajs/html';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import { LOG_ACTIONS } from '../admin-log-words.ts';
import { asHtml, type Markup, paramHtml, quote, sentence, unitParam } from './sentence.ts';

const crumbs = (ctx: PageContext, label: string) => [
  { label: ctx.t('nav.home'), href: '/' },
  { label: ctx.t('admin.title'), href: '/admin' },
  { label },
];

export interface LogFilter {
  action?: string;
  who?: string;
  from?: string;
  to?: string;
}

export interface LogLine {
  id: number;
  at: string;
  /** The entry as a sentence, HTML from describeEntry: what people wrote in it is marked translate="no". */
  sentence: Markup;
  extra: string;
  ip: string | null;
  actorId: number | null;
  targetId: number | null;
}

function query(filter: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(
    Object.entries({ ...filter, ...extra }).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  return params ? `?${params}` : '';
}

function DateFields({ ctx, filter }: { ctx: PageContext; filter: { from?: string; to?: string } }): JSX.Element {
  return (
    <>
      <div class="field">
        <label for="f-from" safe>
          {ctx.t('log.filter.from')}
        </label>
        <input id="f-from" name="from" type="date" value={filter.from} />
      </div>
      <div class="field">
        <label for="f-to" safe>
          {ctx.t('log.filter.to')}
        </label>
        <input id="f-to" name="to" type="date" value={filter.to} />
      </div>
    </>
  );
}

/** Newest and older pages: the log is read from the newest end. */
function LogPager({
  ctx,
  path,
  filter,
  paged,
  older,
}: {
  ctx: PageContext;
  path: string;
  filter: Record<string, string | undefined>;
  paged: boolean;
  older?: number;
}): JSX.Element {
  if (!paged && !older) return '';
  return (
    <nav class="pager" aria-label={ctx.t('wb.pager.label')}>
      {paged ? (
        <a href={`${path}${query(filter)}`} safe>
          {ctx.t('log.newest')}
        </a>
      ) : (
        ''
      )}
      {older ? (
        <a href={`${path}${query(filter, { before: String(older) })}`} rel="next" safe>
          {ctx.t('admin.olderLog')}
        </a>
      ) : (
        ''
      )}
    </nav>
  );
}

export function LogPage({
  ctx,
  lines,
  filter,
  paged,
  older,
}: {
  ctx: PageContext;
  lines: LogLine[];
  filter: LogFilter;
  paged: boolean;
  older?: number;
}): JSX.Element {
  const { t } = ctx;
  const families = ['staff.', 'role.', 'evaluation.', 'article.', 'story.', 'solicitation.'];
  return (
    <Layout ctx={ctx} title={t('admin.log')} crumbs={crumbs(ctx, t('admin.log'))}>
      <h1 safe>{t('admin.log')}</h1>
      <p class="meta">
        <span safe>{t('log.intro')}</span>{' '}
        <a href="/admin/private-reads" safe>
          {t('reads.title')}
        </a>
      </p>
      <form method="get" action="/admin/log" class="filters log-filters" role="search">
        <div class="field">
          <label for="f-action" safe>
            {t('log.filter.action')}
          </label>
          <select id="f-action" name="action">
            <option value="" safe>
              {t('wb.filter.any')}
            </option>
            {families.map((f) => (
              <option value={f} selected={filter.action === f} safe>
                {t(`log.family.${f.slice(0, -1)}` as MessageKey)}
              </option>
            ))}
            {LOG_ACTIONS.map((a) => (
              <option value={a} selected={filter.action === a} safe>
                {t(`log.action.${a}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-who" safe>
            {t('log.filter.who')}
          </label>
          <input id="f-who" name="who" value={filter.who} maxlength={32} />
        </div>
        <DateFields ctx={ctx} filter={filter} />
        <button type="submit" class="secondary" safe>
          {t('wb.filter.submit')}
        </button>
        <a href="/admin/log" safe>
          {t('wb.filter.clear')}
        </a>
      </form>
      {lines.length === 0 ? <p safe>{t('log.empty')}</p> : ''}
      {lines.length === 0 ? (
        ''
      ) : (
        <LogTable label={t('admin.log')} columns={[t('admin.when'), t('log.col.what'), t('log.col.from')]}>
          {lines.map((l) => (
            <tr>
              <td class="when">
                <Time ctx={ctx} iso={l.at} />
              </td>
              <td>
                <span>{asHtml(l.sentence)}</span>
                {l.targetId ? (
                  <>
                    {' · '}
                    <a href={`/admin/users/${l.targetId}`} class="meta" safe>
                      {t('log.openAccount')}
                    </a>
                  </>
                ) : (
                  ''
                )}
                {l.extra ? (
                  <p class="meta" translate="no" safe>
                    {l.extra}
                  </p>
                ) : (
                  ''
                )}
              </td>
              <td safe>{l.ip ?? '—'}</td>
            </tr>
          ))}
        </LogTable>
      )}
      <LogPager ctx={ctx} path="/admin/log" filter={{ ...filter }} paged={paged} older={older} />
    </Layout>
  );
}

export interface ReadFilter {
  who?: string;
  message?: string;
  what?: string;
  from?: string;
  to?: string;
}

export interface ReadLine {
  id: number;
  at: string;
  readerId: number;
  reader: string;
  units: string[];
  what: string;
  messageId: number;
  messageTitle: string;
  visibility: string;
}

export const READ_KINDS = ['private-message', 'remarks', 'private-photos'] as const;

export function PrivateReadsPage({
  ctx,
  lines,
  filter,
  paged,
  older,
}: {
  ctx: PageContext;
  lines: ReadLine[];
  filter: ReadFilter;
  paged: boolean;
  older?: number;
}): JSX.Element {
  const { t } = ctx;
  const title = t('reads.title');
  const kind = (what: string) =>
    (READ_KINDS as readonly string[]).includes(what) ? t(`reads.what.${what}` as MessageKey) : what;
  return (
    <Layout ctx={ctx} title={title} crumbs={crumbs(ctx, title)}>
      <h1 safe>{title}</h1>
      <p class="meta" safe>
        {t('reads.intro')}
      </p>
      <form method="get" action="/admin/private-reads" class="filters log-filters" role="search">
        <div class="field">
          <label for="f-who" safe>
            {t('reads.filter.who')}
          </label>
          <input id="f-who" name="who" value={filter.who} maxlength={32} />
        </div>
        <div class="field">
          <label for="f-message" safe>
            {t('reads.filter.message')}
          </label>
          <input id="f-message" name="message" inputmode="numeric" value={filter.message} maxlength={10} size="8" />
        </div>
        <div class="field">
          <label for="f-what" safe>
            {t('reads.filter.what')}
          </label>
          <select id="f-what" name="what">
            <option value="" safe>
              {t('wb.filter.any')}
            </option>
            {READ_KINDS.map((k) => (
              <option value={k} selected={filter.what === k} safe>
                {t(`reads.what.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <DateFields ctx={ctx} filter={filter} />
        <button type="submit" class="secondary" safe>
          {t('wb.filter.submit')}
        </button>
        <a href="/admin/private-reads" safe>
          {t('wb.filter.clear')}
        </a>
      </form>
      {lines.length === 0 ? <p safe>{t('reads.empty')}</p> : ''}
      {lines.length === 0 ? (
        ''
      ) : (
        <LogTable label={title} columns={[t('admin.when'), t('reads.col.reader'), t('reads.col.what')]}>
          {lines.map((l) => (
            <tr>
              <td class="when">
                <Time ctx={ctx} iso={l.at} />
              </td>
              <td>
                <a href={`/admin/users/${l.readerId}`} translate="no" safe>
                  {l.reader}
                </a>
                {l.units.length > 0 ? (
                  <p class="meta">
                    {asHtml({
                      html: l.units.map((u) => paramHtml(unitParam(ctx.names, u))).join(t('log.listSeparator')),
                    })}
                  </p>
                ) : (
                  ''
                )}
              </td>
              <td>
                <span>
                  {sentence(t, 'reads.sentence', { what: kind(l.what), id: l.messageId, title: quote(l.messageTitle) })}
                </span>
                {l.visibility === 'private' ? <span class="meta" safe>{` · ${t('reads.privateMessage')}`}</span> : ''}
              </td>
            </tr>
          ))}
        </LogTable>
      )}
      <LogPager ctx={ctx} path="/admin/private-reads" filter={{ ...filter }} paged={paged} older={older} />
    </Layout>
  );
}

/** A log as a table that scrolls sideways on its own (focusable, labelled) rather than the page. */
function LogTable({
  label,
  columns,
  children,
}: {
  label: string;
  columns: string[];
  children?: Children;
}): JSX.Element {
  return (
    <div class="table-scroll" tabindex="0" role="region" aria-label={label}>
      <table class="data log">
        <caption class="visually-hidden" safe>
          {label}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" safe>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
