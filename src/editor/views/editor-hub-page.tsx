// The editors' desk: each editorial column with what is waiting in it.
import { type Action, holdsAction } from '../../accounts/permissions.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';

export interface EditorDesk {
  review: { total: number; overdue: number };
  drafts: number;
  converting: number;
  failed: number;
  entries: number;
}

export function EditorHubPage({ ctx, desk }: { ctx: PageContext; desk: EditorDesk }): JSX.Element {
  const { t } = ctx;
  const can = (action: Action) => holdsAction(ctx.user?.grants ?? [], action);
  const columns: { href: string; title: MessageKey; waiting: string; show: boolean }[] = [
    {
      href: '/review',
      title: 'hub.review',
      waiting: t('hub.reviewWaiting', { count: desk.review.total, overdue: desk.review.overdue }),
      show: can('message.review'),
    },
    {
      href: '/editor/articles',
      title: 'hub.articles',
      waiting: t('hub.drafts', { count: desk.drafts }),
      show: can('article.edit'),
    },
    {
      href: '/editor/stories',
      title: 'hub.stories',
      waiting: t('hub.videos', { converting: desk.converting, failed: desk.failed }),
      show: can('story.edit'),
    },
    {
      href: '/editor/solicitations',
      title: 'hub.solicitations',
      waiting: t('hub.entries', { count: desk.entries }),
      show: can('solicitation.edit'),
    },
  ];
  return (
    <Layout ctx={ctx} title={t('hub.title')} crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('hub.title') }]}>
      <h1 safe>{t('hub.title')}</h1>
      <ul class="boards editor-desk">
        {columns
          .filter((c) => c.show)
          .map((c) => (
            <li>
              <a class="board-card" href={c.href}>
                <strong safe>{t(c.title)}</strong>
                <span class="meta" safe>
                  {c.waiting}
                </span>
              </a>
            </li>
          ))}
      </ul>
    </Layout>
  );
}
