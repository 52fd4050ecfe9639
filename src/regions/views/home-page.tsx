// The home page: provincial boards and the platform in figures.
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { PlatformTotals, Region } from '../regions.service.ts';

export function HomePage({
  ctx,
  provinces,
  totals,
}: {
  ctx: PageContext;
  provinces: Region[];
  totals: PlatformTotals;
}): JSX.Element {
  const { t } = ctx;
  const figures: [string, number][] = [
    [t('home.total.provinces'), totals.provincesWithBoards],
    [t('home.total.regions'), totals.lowerRegions],
    [t('home.total.boards'), totals.boards],
    [t('home.total.units'), totals.units],
  ];
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1 safe>{t('home.title')}</h1>
      <p class="lead" safe>
        {t('home.intro')}
      </p>
      <section aria-labelledby="provinces-heading">
        <h2 id="provinces-heading" safe>
          {t('home.provinces')}
        </h2>
        <ul class="region-grid" id="provinces">
          {provinces.map((p) => (
            <li>
              <a href={`/regions/${p.code}`} safe>
                {p.name}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading" safe>
          {t('home.totals')}
        </h2>
        <dl class="figures">
          {figures.map(([label, value]) => (
            <div>
              <dt safe>{label}</dt>
              <dd safe>{value.toLocaleString(ctx.locale)}</dd>
            </div>
          ))}
        </dl>
        <p>
          <a href="/stats">留言办理统计：收到、答复、满意度与各地排名</a>
        </p>
      </section>
    </Layout>
  );
}
