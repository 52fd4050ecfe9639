// The signed-in user's notifications: newest first, unread ones marked, one button to mark them all read.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { Notification } from '../notifications.repository.ts';
import { Time } from '../../web/views/time.tsx';

export interface NotificationsView {
  notifications: Notification[];
  unread: number;
  /** Where the next (older) page starts, when there is one. */
  olderBefore: number | null;
  /** Whether this is a later page, so a link back to the newest is useful. */
  paged: boolean;
}

export function NotificationsPage({ ctx, view }: { ctx: PageContext; view: NotificationsView }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('notifications.title')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('notifications.title') }]}
    >
      <h1 safe>{t('notifications.title')}</h1>
      {view.unread > 0 ? (
        <form method="post" action="/notifications/read">
          <CsrfField ctx={ctx} />
          <p safe>{t('notifications.unread', { count: ctx.num.count(view.unread) })}</p>
          <Submit label={t('notifications.markRead')} kind="secondary" />
        </form>
      ) : (
        <p safe>{t('notifications.noneUnread')}</p>
      )}
      {view.notifications.length === 0 ? <p safe>{t('notifications.empty')}</p> : ''}
      <ul class="message-list">
        {view.notifications.map((n) => (
          <li class={n.readAt ? 'notification' : 'notification unread'}>
            {n.readAt ? (
              ''
            ) : (
              <strong class="flag" safe>
                {t('notifications.unreadFlag')}
              </strong>
            )}{' '}
            {/* Kept as it was written when sent, in the language the account had then, quoting what people wrote. */}
            <span translate="no" safe>
              {n.text}
            </span>
            <p class="meta">
              <Time ctx={ctx} iso={n.createdAt} />
              {n.messageId ? (
                <>
                  {' · '}
                  <a href={`/messages/${n.messageId}`} safe>
                    {t('notifications.viewMessage')}
                  </a>
                </>
              ) : (
                ''
              )}
            </p>
          </li>
        ))}
      </ul>
      {view.paged || view.olderBefore !== null ? (
        <nav aria-label={t('notifications.pages')} class="pager">
          {view.paged ? (
            <a href="/notifications" safe>
              {t('notifications.newest')}
            </a>
          ) : (
            ''
          )}{' '}
          {view.olderBefore !== null ? (
            <a href={`/notifications?before=${view.olderBefore}`} safe>
              {t('notifications.older')}
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
