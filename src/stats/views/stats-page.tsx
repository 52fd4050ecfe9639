// A statistics page for one scope: headline totals, the figures with their formulas, the monthly trend
// (chart and table), the ranking of the regions below and the units, each table downloadable.
import type { Locale, Translate } from '../../i18n/i18n.ts';
import type { Names } from '../../i18n/place-names.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout, type Crumb } from '../../web/views/layout.tsx';
import { chartDataUri } from '../charts.ts';
import { frozenDigest, keptContent } from '../content-memo.ts';
import {
  FIGURES,
  figureFormula,
  figureLabel,
  formatFigure,
  TABLE_FIGURES,
  type FigureKey,
  type Figures,
  type SatisfactionWeights,
} from '../figures.ts';
import type { Period } from '../periods.ts';
import type { PlatformHeadline, RankedRegion, ScopeInfo } from '../stats-page.service.ts';
import type { Ranked } from '../stats.service.ts';
import { Sentence, UserText } from '../../web/views/sentence.tsx';

export interface StatsPageProps {
  ctx: PageContext;
  info: ScopeInfo;
  period: Period;
  periodOptions: string[];
  /** The query string of the current choice (period or from/to), kept in links. */
  periodQuery: Record<string, string>;
  by: FigureKey;
  figures: Figures;
  trend: { month: string; figures: Figures }[];
  ranking: Ranked<RankedRegion>[];
  units: { id: number; name: string; figures: Figures }[];
  headline: PlatformHeadline | null;
  weights: SatisfactionWeights;
  errors?: Record<string, string>;
}

const href = (path: string, params: Record<string, string>) => {
  const q = new URLSearchParams(params).toString();
  return q ? `${path}?${q}` : path;
};

/** A period's name in the page's language: '2026', '2026-Q3', '2026-07' or a range of days. */
export function periodName(value: { from: string; to: string; kind?: Period['kind'] } | string, t: Translate): string {
  const text = typeof value === 'string' ? value : value.kind === 'custom' ? '' : periodValue(value);
  let m = /^(\d{4})$/.exec(text);
  if (m) return t('stats.period.year', { year: m[1]! });
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) return t('stats.period.quarter', { year: m[1]!, q: m[2]! });
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return t('stats.period.month', { year: m[1]!, month: Number(m[2]) });
  const range = value as { from: string; to: string };
  return t('stats.period.custom', { from: range.from, to: range.to });
}

/** The `period` value of a year, quarter or month. */
function periodValue(p: { from: string; to: string; kind?: Period['kind'] }): string {
  if (p.kind === 'year') return p.from.slice(0, 4);
  if (p.kind === 'quarter') return `${p.from.slice(0, 4)}-Q${Math.floor((Number(p.from.slice(5, 7)) - 1) / 3) + 1}`;
  return p.from.slice(0, 7);
}

function Downloads({
  path,
  params,
  table,
  t,
}: {
  path: string;
  params: Record<string, string>;
  table: string;
  t: Translate;
}): JSX.Element {
  return (
    <p class="meta">
      <span safe>{t('stats.download')}</span>
      <a href={href(path, { ...params, table, format: 'csv' })}>CSV</a> ·{' '}
      <a href={href(path, { ...params, table, format: 'xlsx' })} safe>
        {t('stats.excel')}
      </a>
    </p>
  );
}

/** A table of named rows (regions, units) with every ranked figure, optionally with their rank first. */
function FiguresTable(props: {
  ctx: PageContext;
  id: string;
  caption: string;
  nameLabel: string;
  rankColumn?: boolean;
  /** `asWritten`: a name people gave, kept as written in every language. */
  rows: { rank?: number | null; name: string; asWritten?: boolean; href: string; figures: Figures }[];
}): JSX.Element {
  const { t, num } = props.ctx;
  return (
    <div class="table-scroll" tabindex="0" role="region" aria-label={props.caption}>
      <table class="data" id={props.id}>
        <caption class="visually-hidden" safe>
          {props.caption}
        </caption>
        <thead>
          <tr>
            {props.rankColumn ? (
              <th scope="col" safe>
                {t('stats.col.rank')}
              </th>
            ) : (
              ''
            )}
            <th scope="col" safe>
              {props.nameLabel}
            </th>
            {TABLE_FIGURES.map((key) => (
              <th scope="col" safe>
                {figureLabel(key, t)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              {props.rankColumn ? <td safe>{row.rank == null ? '—' : num.count(row.rank)}</td> : ''}
              <th scope="row">
                <a href={row.href} translate={row.asWritten ? 'no' : undefined} safe>
                  {row.name}
                </a>
              </th>
              {TABLE_FIGURES.map((key) => (
                <td safe>{formatFigure(key, row.figures[key], t, num)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What naming a scope needs: the language's words and its names of places, posts and units. */
export interface ScopeWords {
  t: Translate;
  names: Names;
  locale: Locale;
}

/**
 * The scope's name in the page's language: the platform's, a region's (English or Traditional), a board's place and
 * post, a unit's. `asWritten` when it is a name people gave, kept as written (a unit's, a board's own title).
 */
export function scopeName(info: ScopeInfo, { t, names, locale }: ScopeWords): { text: string; asWritten: boolean } {
  switch (info.type) {
    case 'platform':
      return { text: t('stats.platform'), asWritten: false };
    case 'region':
      return { text: names.place(info.name), asWritten: false };
    case 'unit':
      return { text: names.unit(info.name), asWritten: names.unitKeptAsWritten(info.name) };
    case 'board': {
      const region = info.ancestors.at(-1);
      const post = names.post(info.name);
      // A title the reference data does not know (set by an administrator) stays as written in English.
      if (locale === 'en' && post === info.name) return { text: info.name, asWritten: true };
      return { text: region ? `${names.place(region.name)} · ${post}` : post, asWritten: false };
    }
    default:
      return { text: info.name, asWritten: true };
  }
}

export function scopeCrumbs(info: ScopeInfo, ctx: PageContext, name: string): Crumb[] {
  const { t, names } = ctx;
  return [
    { label: t('nav.home'), href: '/' },
    { label: t('nav.stats'), href: '/stats' },
    ...info.ancestors.map((a) => ({ label: names.place(a.name), href: `/stats/regions/${a.code}` })),
    ...(info.type === 'platform' ? [] : [{ label: name }]),
  ];
}

/** The page's own content; it depends on the request only through its language (see StatsPage). */
function StatsContent(p: StatsPageProps): JSX.Element {
  const { info, period, figures } = p;
  const { t, num, names, locale } = p.ctx;
  const scope = scopeName(info, p.ctx);
  const name = scope.text;
  const label = periodName(period, t);
  const title = t('stats.title', { name });
  const months = p.trend.map((m) => m.month);
  // The chart's legend and place names are the page's language, and so is its font; the drawing is kept per language.
  const chart = chartDataUri(
    months,
    [
      { name: figureLabel('received', t), type: 'bar', values: p.trend.map((m) => m.figures.received) },
      { name: figureLabel('replied', t), type: 'bar', values: p.trend.map((m) => m.figures.replied) },
      {
        name: t('stats.replyRatePercent'),
        type: 'line',
        percent: true,
        values: p.trend.map((m) =>
          m.figures.replyRate === null ? null : Number((m.figures.replyRate * 100).toFixed(1)),
        ),
      },
    ],
    { locale },
  );
  const rankingChart =
    p.ranking.length > 0
      ? chartDataUri(
          p.ranking.map((r) => names.place(r.item.name)),
          [{ name: figureLabel('received', t), type: 'bar', values: p.ranking.map((r) => r.figures.received) }],
          { height: 300, locale },
        )
      : null;
  const keep = p.periodQuery;
  const year = period.from.slice(0, 4);
  const headline: [string, number][] = p.headline
    ? [
        [t('stats.headline.received'), p.headline.received],
        [t('stats.headline.resolved'), p.headline.resolved],
        [t('stats.headline.leaders'), p.headline.leadersReplied],
        [t('stats.headline.units'), p.headline.units],
        [t('stats.headline.boards'), p.headline.boards],
      ]
    : [];
  return (
    <>
      {scope.asWritten ? (
        <h1>
          <Sentence text={t('stats.title')} slots={{ name: <UserText text={name} /> }} />
        </h1>
      ) : (
        <h1 safe>{title}</h1>
      )}
      {headline.length > 0 ? (
        <dl class="figures" aria-label={t('stats.headline')}>
          {headline.map(([what, n]) => (
            <div>
              <dt safe>{what}</dt>
              <dd safe>{num.count(n)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        ''
      )}
      <form method="get" action={info.href} class="filters" aria-label={t('stats.period')}>
        <div class="field">
          <label for="f-period" safe>
            {t('stats.period')}
          </label>
          <select id="f-period" name="period">
            {p.periodOptions.map((value) => (
              <option value={value} selected={period.kind !== 'custom' && keep.period === value} safe>
                {periodName(value, t)}
              </option>
            ))}
          </select>
        </div>
        <div class={p.errors?.from ? 'field has-error' : 'field'}>
          <label for="f-from" safe>
            {t('stats.from')}
          </label>
          <input id="f-from" name="from" type="date" value={keep.from ?? ''} />
        </div>
        <div class={p.errors?.to ? 'field has-error' : 'field'}>
          <label for="f-to" safe>
            {t('stats.to')}
          </label>
          <input id="f-to" name="to" type="date" value={keep.to ?? ''} />
        </div>
        <button type="submit" class="primary" safe>
          {t('stats.show')}
        </button>
      </form>
      {Object.values(p.errors ?? {}).map((message) => (
        <p class="error" role="alert" safe>
          {message}
        </p>
      ))}
      <h2 safe>{t('stats.period.heading', { label, from: period.from, to: period.to })}</h2>
      {info.region ? (
        <p>
          <a href={`/regions/${info.region.code}`} safe>
            {t('stats.regionLink', { name })}
          </a>
        </p>
      ) : (
        ''
      )}
      <table class="data figure-list" id="figures">
        <caption class="visually-hidden" safe>
          {t('stats.figuresCaption')}
        </caption>
        <thead>
          <tr>
            <th scope="col" safe>
              {t('stats.col.figure')}
            </th>
            <th scope="col" safe>
              {t('stats.col.value')}
            </th>
            <th scope="col" safe>
              {t('stats.col.how')}
            </th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(FIGURES) as FigureKey[]).map((key) => (
            <tr>
              <th scope="row" safe>
                {figureLabel(key, t)}
              </th>
              <td safe>{formatFigure(key, figures[key], t, num)}</td>
              <td class="meta" safe>
                {key === 'satisfaction'
                  ? `${figureFormula(key, t)}${t('stats.weights', { ...p.weights })}`
                  : figureFormula(key, t)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Downloads path={info.href} params={keep} table="figures" t={t} />

      <h2 safe>{t('stats.trend')}</h2>
      <figure class="chart">
        <img src={chart} alt={t('stats.trendAlt', { name, period: label })} width="720" height="320" />
      </figure>
      <div class="table-scroll" tabindex="0" role="region" aria-label={t('stats.monthsCaption')}>
        <table class="data" id="months">
          <caption class="visually-hidden" safe>
            {t('stats.monthsCaption')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>
                {t('stats.col.month')}
              </th>
              {(['received', 'replied', 'replyRate', 'onTimeRate', 'satisfaction'] as const).map((key) => (
                <th scope="col" safe>
                  {figureLabel(key, t)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.trend.map((m) => (
              <tr>
                <th scope="row" safe>
                  {m.month}
                </th>
                {(['received', 'replied', 'replyRate', 'onTimeRate', 'satisfaction'] as const).map((key) => (
                  <td safe>{formatFigure(key, m.figures[key], t, num)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Downloads path={info.href} params={keep} table="months" t={t} />

      {p.ranking.length > 0 ? (
        <>
          <h2 id="ranking" safe>
            {info.type === 'platform' ? t('stats.ranking.provinces') : t('stats.ranking.children', { name })}
          </h2>
          <form method="get" action={`${info.href}#ranking`} class="filters" aria-label={t('stats.rankBy')}>
            {Object.entries(keep).map(([k, v]) => (
              <input type="hidden" name={k} value={v} />
            ))}
            <div class="field">
              <label for="f-by" safe>
                {t('stats.rankBy')}
              </label>
              <select id="f-by" name="by">
                {TABLE_FIGURES.map((key) => (
                  <option value={key} selected={p.by === key} safe>
                    {figureLabel(key, t)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" safe>
              {t('stats.sort')}
            </button>
          </form>
          <p class="meta" safe>
            {t('stats.rankNote', { figure: figureLabel(p.by, t) })}
          </p>
          {rankingChart ? (
            <figure class="chart">
              <img src={rankingChart} alt={t('stats.rankingAlt')} width="720" height="300" />
            </figure>
          ) : (
            ''
          )}
          <FiguresTable
            ctx={p.ctx}
            id="ranking-table"
            caption={t('stats.rankingCaption')}
            nameLabel={t('stats.col.region')}
            rankColumn
            rows={p.ranking.map((r) => ({
              rank: r.rank,
              name: names.place(r.item.name),
              href: href(`/stats/regions/${r.item.code}`, keep),
              figures: r.figures,
            }))}
          />
          <Downloads path={info.href} params={{ ...keep, by: p.by }} table="ranking" t={t} />
        </>
      ) : (
        ''
      )}

      {p.units.length > 0 ? (
        <>
          <h2 safe>{t('stats.units')}</h2>
          <FiguresTable
            ctx={p.ctx}
            id="units-table"
            caption={t('stats.unitsCaption')}
            nameLabel={t('stats.col.unit')}
            rows={p.units.map((u) => ({
              name: names.unit(u.name),
              asWritten: names.unitKeptAsWritten(u.name),
              href: href(`/stats/units/${u.id}`, keep),
              figures: u.figures,
            }))}
          />
          <Downloads path={info.href} params={keep} table="units" t={t} />
        </>
      ) : (
        ''
      )}
      <h2 safe>{t('stats.more')}</h2>
      <ul>
        <li>
          <a href={href('/stats/indicators', { year, ...(info.region ? { region: info.region.code } : {}) })} safe>
            {info.region
              ? t('stats.more.indicatorsRegion', { year, name })
              : t('stats.more.indicatorsProvinces', { year })}
          </a>
        </li>
        <li>
          <a href="/honours" safe>
            {t('stats.more.honours')}
          </a>
        </li>
        <li>
          <a href="/open-data" safe>
            {t('stats.more.openData')}
          </a>
        </li>
      </ul>
      <p class="meta">
        <span safe>{t('stats.basis')}</span>
        <a href={href('/api/v1/stats', apiParams(info, keep))}>JSON</a>
      </p>
    </>
  );
}

/**
 * A statistics page: the visitor's own layout (header, account, language switch) around the content, which is kept by
 * its data (keptContent): the language, the figures, names and choices in the props. A page with errors is drawn anew.
 */
export function StatsPage(p: StatsPageProps): JSX.Element {
  const name = scopeName(p.info, p.ctx).text;
  const { ctx, figures, trend, ranking, units, ...rest } = p;
  // Every prop is part of the key; the figures (never changed once kept) by a digest of their JSON worked out once.
  const input = () => [
    'stats-page',
    ctx.locale,
    rest,
    frozenDigest(figures),
    frozenDigest(trend),
    ranking.map((r) => ({ ...r, figures: frozenDigest(r.figures) })),
    units.map((u) => ({ ...u, figures: frozenDigest(u.figures) })),
  ];
  return (
    <Layout ctx={ctx} title={ctx.t('stats.title', { name })} crumbs={scopeCrumbs(p.info, ctx, name)}>
      {p.errors ? StatsContent(p) : keptContent(input(), () => StatsContent(p))}
    </Layout>
  );
}

function apiParams(info: ScopeInfo, keep: Record<string, string>): Record<string, string> {
  const scope: Record<string, string> = info.type === 'platform' || !info.id ? {} : { [info.type]: info.id };
  return { ...scope, ...keep };
}
