// Staff read every text the platform received: when, from which (masked) number, what it said, what was done.
import type { MessageKey } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { InboundLogRow } from '../inbound.repository.ts';

export interface InboundLogView {
  rows: InboundLogRow[];
  older: number | null;
  phone: string;
  enabled: readonly string[];
}

const OUTCOMES = new Set([
  'message',
  'invalid',
  'ambiguous',
  'track',
  'track-unknown',
  'rate',
  'follow-up',
  'refused',
  'unsubscribe',
  'help',
  'flood',
  'ignored',
]);
const STATUSES = new Set(['received', 'processing', 'done', 'failed']);

/** What was done with a text, or where it stands while nothing is; an unknown value as it is. */
function handling(ctx: PageContext, r: InboundLogRow): string {
  if (r.outcome)
    return OUTCOMES.has(r.outcome) ? ctx.t(`workflow.smsLog.outcome.${r.outcome}` as MessageKey) : r.outcome;
  return STATUSES.has(r.status) ? ctx.t(`workflow.smsLog.status.${r.status}` as MessageKey) : r.status;
}

export function InboundLogPage({ ctx, view }: { ctx: PageContext; view: InboundLogView }): JSX.Element {
  const { t } = ctx;
  const title = t('workflow.smsLog.title');
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: t('nav.home'), href: '/' }, { label: title }]}>
      <h1 safe>{title}</h1>
      <p safe>
        {view.enabled.length > 0
          ? t('workflow.smsLog.enabled', { formats: view.enabled.join(t('workflow.listSeparator')) })
          : t('workflow.smsLog.disabled')}
      </p>
      <form method="get" action="/admin/sms-inbound" class="filters">
        <div class="field">
          <label for="sms-phone" safe>
            {t('workflow.smsLog.phone')}
          </label>
          <input id="sms-phone" name="phone" type="text" inputmode="numeric" maxlength={11} value={view.phone} />
        </div>
        <div class="actions">
          <button type="submit" class="secondary" safe>
            {t('workflow.smsLog.filter')}
          </button>
        </div>
      </form>
      {view.rows.length === 0 ? (
        <p safe>{t('workflow.smsLog.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col" safe>
                  {t('workflow.smsLog.col.id')}
                </th>
                <th scope="col" safe>
                  {t('workflow.smsLog.col.received')}
                </th>
                <th scope="col" safe>
                  {t('workflow.smsLog.col.phone')}
                </th>
                <th scope="col" safe>
                  {t('workflow.smsLog.col.text')}
                </th>
                <th scope="col" safe>
                  {t('workflow.smsLog.col.outcome')}
                </th>
                <th scope="col" safe>
                  {t('workflow.smsLog.col.reply')}
                </th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr>
                  <td safe>{String(r.id)}</td>
                  <td safe>{ctx.time.dateTime(r.receivedAt)}</td>
                  <td safe>{r.phone}</td>
                  {/* What the sender wrote, and the answer as sent to them (in their language): shown as they are. */}
                  <td translate="no" safe>
                    {r.text}
                  </td>
                  <td>
                    <span safe>{handling(ctx, r)}</span>
                    {r.messageId ? (
                      <>
                        {' '}
                        <a href={`/messages/${r.messageId}`} safe>
                          {t('workflow.smsLog.message', { id: r.messageId })}
                        </a>
                      </>
                    ) : (
                      ''
                    )}
                    {r.error ? (
                      <p class="error" translate="no" safe>
                        {r.error}
                      </p>
                    ) : (
                      ''
                    )}
                  </td>
                  <td translate="no" safe>
                    {r.reply ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.older !== null ? (
        <nav class="pager" aria-label={t('workflow.smsLog.pager')}>
          <a
            href={`/admin/sms-inbound?before=${view.older}${view.phone ? `&phone=${encodeURIComponent(view.phone)}` : ''}`}
            safe
          >
            {t('workflow.smsLog.older')}
          </a>
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}
