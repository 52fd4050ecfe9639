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
  return (
    <Layout ctx={ctx} title="我的通知" crumbs={[{ label: '首页', href: '/' }, { label: '我的通知' }]}>
      <h1>我的通知</h1>
      {view.unread > 0 ? (
        <form method="post" action="/notifications/read">
          <CsrfField ctx={ctx} />
          <p safe>{`${view.unread} 条未读通知。`}</p>
          <Submit label="全部标为已读" kind="secondary" />
        </form>
      ) : (
        <p>没有未读通知。</p>
      )}
      {view.notifications.length === 0 ? <p>还没有通知。留言办理有进展时，会在这里告诉您。</p> : ''}
      <ul class="message-list">
        {view.notifications.map((n) => (
          <li class={n.readAt ? 'notification' : 'notification unread'}>
            {n.readAt ? '' : <strong class="flag">未读</strong>} <span safe>{n.text}</span>
            <p class="meta">
              <Time ctx={ctx} iso={n.createdAt} />
              {n.messageId ? (
                <>
                  {' · '}
                  <a href={`/messages/${n.messageId}`}>查看留言</a>
                </>
              ) : (
                ''
              )}
            </p>
          </li>
        ))}
      </ul>
      {view.paged || view.olderBefore !== null ? (
        <nav aria-label="翻页" class="pager">
          {view.paged ? <a href="/notifications">最新通知</a> : ''}{' '}
          {view.olderBefore !== null ? <a href={`/notifications?before=${view.olderBefore}`}>更早的通知</a> : ''}
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}
