// A region's page: its leaders' boards, handling units and the regions below it.
import type { MessageKey } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { BoardCard } from '../../boards/views/board-card.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { RegionDetail } from '../regions.service.ts';
import type { ListItem } from '../../search/message-list.ts';
import { MessageItems } from '../../web/views/message-items.tsx';
import { regionCrumbs } from './region-crumbs.ts';
import { UnitName } from '../../web/views/names.tsx';

export function RegionPage({
  ctx,
  detail,
  latest = [],
}: {
  ctx: PageContext;
  detail: RegionDetail;
  latest?: ListItem[];
}): JSX.Element {
  const { t } = ctx;
  const { region, boards, units, children } = detail;
  return (
    <Layout ctx={ctx} title={ctx.names.place(region.name)} crumbs={regionCrumbs(ctx, detail.ancestors, region)}>
      <h1 safe>{ctx.names.place(region.name)}</h1>
      <p class="meta">
        <span safe>
          {[
            t(`region.level.${region.level}` as MessageKey),
            t(`region.kind.${region.kind}` as MessageKey),
            region.code,
          ].join(' · ')}
        </span>
      </p>
      <p>
        <a href={`/regions/${region.code}/feed.atom`} type="application/atom+xml" safe>
          {t('region.feed')}
        </a>
        {' · '}
        <a href={`/stats/regions/${region.code}`} safe>
          {t('region.statsLink')}
        </a>
      </p>
      <section aria-labelledby="boards-heading">
        <h2 id="boards-heading" safe>
          {t('region.boards')}
        </h2>
        {boards.length === 0 ? (
          <p safe>{t('region.noBoards')}</p>
        ) : (
          <ul class="boards">
            {boards.map((b) => (
              <li>
                <BoardCard ctx={ctx} board={b} regionName={region.name} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {units.length > 0 ? (
        <section aria-labelledby="units-heading">
          <h2 id="units-heading" safe>
            {t('region.units')}
          </h2>
          <ul class="units">
            {units.map((u) => (
              <li>
                <UnitName ctx={ctx} name={u.name} />
                {u.responsibilities ? (
                  <p class="meta" translate="no" safe>
                    {u.responsibilities}
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
      {latest.length > 0 ? (
        <section aria-labelledby="latest-heading">
          <h2 id="latest-heading" safe>
            {t('region.latest')}
          </h2>
          <MessageItems ctx={ctx} items={latest} />
          <p>
            <a href={`/search?region=${region.code}`} safe>
              {t('region.allMessages')}
            </a>
          </p>
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="children-heading">
        <h2 id="children-heading" safe>
          {t('region.children')}
        </h2>
        {children.length === 0 ? (
          <p safe>{t('region.noChildren')}</p>
        ) : (
          <ul class="region-grid" id="children">
            {children.map((c) => (
              <li>
                <a href={`/regions/${c.code}`} safe>
                  {ctx.names.place(c.name)}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
