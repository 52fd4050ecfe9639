// A leader's board: the post, its holder, the responsible unit and the board's messages.
import type { PageContext } from '../../web/page-context.ts';
import { regionCrumbs } from '../../regions/views/region-crumbs.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { BoardDetail } from '../boards.service.ts';

export function BoardPage({ ctx, detail }: { ctx: PageContext; detail: BoardDetail }): JSX.Element {
  const { t } = ctx;
  const { board, region } = detail;
  const name = `${region.name} · ${board.title}`;
  const crumbs = [...regionCrumbs(ctx, detail.ancestors, region), { label: board.title }];
  return (
    <Layout ctx={ctx} title={name} crumbs={crumbs}>
      <h1 safe>{name}</h1>
      {board.active ? (
        ''
      ) : (
        <p class="notice" safe>
          {t('board.inactive')}
        </p>
      )}
      <dl class="facts">
        <div>
          <dt safe>{t('board.holder')}</dt>
          <dd safe>{board.holderName ?? t('board.holderUnknown')}</dd>
        </div>
        <div>
          <dt safe>{t('board.unit')}</dt>
          <dd safe>{board.unit.name}</dd>
        </div>
        {board.unit.responsibilities ? (
          <div>
            <dt safe>{t('board.responsibilities')}</dt>
            <dd safe>{board.unit.responsibilities}</dd>
          </div>
        ) : (
          ''
        )}
      </dl>
      <section aria-labelledby="messages-heading">
        <h2 id="messages-heading" safe>
          {t('board.messages')}
        </h2>
        <p safe>{t('board.noMessages')}</p>
      </section>
    </Layout>
  );
}
