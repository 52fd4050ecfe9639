// A statistics page for one scope: headline totals, the figures with their formulas, the monthly trend
// (chart and table), the ranking of the regions below and the units, each table downloadable.
import type { PageContext } from '../../web/page-context.ts';
import { Layout, type Crumb } from '../../web/views/layout.tsx';
import { chartDataUri } from '../charts.ts';
import {
  FIGURES,
  formatFigure,
  TABLE_FIGURES,
  type FigureKey,
  type Figures,
  type SatisfactionWeights,
} from '../figures.ts';
import type { Period } from '../periods.ts';
import type { PlatformHeadline, RankedRegion, ScopeInfo } from '../stats-page.service.ts';
import type { Ranked } from '../stats.service.ts';

export interface StatsPageProps {
  ctx: PageContext;
  info: ScopeInfo;
  period: Period;
  periodOptions: { value: string; label: string }[];
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

function Downloads({
  path,
  params,
  table,
}: {
  path: string;
  params: Record<string, string>;
  table: string;
}): JSX.Element {
  return (
    <p class="meta">
      下载：<a href={href(path, { ...params, table, format: 'csv' })}>CSV</a> ·{' '}
      <a href={href(path, { ...params, table, format: 'xlsx' })}>Excel（XLSX）</a>
    </p>
  );
}

/** A table of named rows (regions, units) with every ranked figure, optionally with their rank first. */
function FiguresTable(props: {
  id: string;
  caption: string;
  nameLabel?: string;
  rankColumn?: boolean;
  rows: { rank?: number | null; name: string; href: string; figures: Figures }[];
}): JSX.Element {
  return (
    <div class="table-scroll">
      <table class="data" id={props.id}>
        <caption class="visually-hidden" safe>
          {props.caption}
        </caption>
        <thead>
          <tr>
            {props.rankColumn ? <th scope="col">名次</th> : ''}
            <th scope="col" safe>
              {props.nameLabel ?? '地区'}
            </th>
            {TABLE_FIGURES.map((key) => (
              <th scope="col" safe>
                {FIGURES[key].label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              {props.rankColumn ? <td safe>{row.rank == null ? '—' : String(row.rank)}</td> : ''}
              <th scope="row">
                <a href={row.href} safe>
                  {row.name}
                </a>
              </th>
              {TABLE_FIGURES.map((key) => (
                <td safe>{formatFigure(key, row.figures[key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function scopeCrumbs(info: ScopeInfo): Crumb[] {
  return [
    { label: '首页', href: '/' },
    { label: '统计', href: '/stats' },
    ...info.ancestors.map((a) => ({ label: a.name, href: `/stats/regions/${a.code}` })),
    ...(info.type === 'platform' ? [] : [{ label: info.name }]),
  ];
}

export function StatsPage(p: StatsPageProps): JSX.Element {
  const { info, period, figures } = p;
  const title = `${info.name}留言办理统计`;
  const months = p.trend.map((t) => t.month);
  const chart = chartDataUri(months, [
    { name: '收到留言', type: 'bar', values: p.trend.map((t) => t.figures.received) },
    { name: '已答复', type: 'bar', values: p.trend.map((t) => t.figures.replied) },
    {
      name: '答复率（%）',
      type: 'line',
      percent: true,
      values: p.trend.map((t) =>
        t.figures.replyRate === null ? null : Number((t.figures.replyRate * 100).toFixed(1)),
      ),
    },
  ]);
  const rankingChart =
    p.ranking.length > 0
      ? chartDataUri(
          p.ranking.map((r) => r.item.name),
          [{ name: '收到留言', type: 'bar', values: p.ranking.map((r) => r.figures.received) }],
          { height: 300 },
        )
      : null;
  const keep = p.periodQuery;
  return (
    <Layout ctx={p.ctx} title={title} crumbs={scopeCrumbs(info)}>
      <h1 safe>{title}</h1>
      {p.headline ? (
        <dl class="figures" aria-label="平台累计">
          <div>
            <dt>累计收到留言</dt>
            <dd safe>{p.headline.received.toLocaleString('zh-CN')}</dd>
          </div>
          <div>
            <dt>累计解决问题</dt>
            <dd safe>{p.headline.resolved.toLocaleString('zh-CN')}</dd>
          </div>
          <div>
            <dt>公开签发答复的领导</dt>
            <dd safe>{p.headline.leadersReplied.toLocaleString('zh-CN')}</dd>
          </div>
          <div>
            <dt>办理单位</dt>
            <dd safe>{p.headline.units.toLocaleString('zh-CN')}</dd>
          </div>
          <div>
            <dt>留言板</dt>
            <dd safe>{p.headline.boards.toLocaleString('zh-CN')}</dd>
          </div>
        </dl>
      ) : (
        ''
      )}
      <form method="get" action={info.href} class="filters" aria-label="统计期">
        <div class="field">
          <label for="f-period">统计期</label>
          <select id="f-period" name="period">
            {p.periodOptions.map((o) => (
              <option value={o.value} selected={period.kind !== 'custom' && keep.period === o.value} safe>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div class={p.errors?.from ? 'field has-error' : 'field'}>
          <label for="f-from">或自定：开始日期</label>
          <input id="f-from" name="from" type="date" value={keep.from ?? ''} />
        </div>
        <div class={p.errors?.to ? 'field has-error' : 'field'}>
          <label for="f-to">结束日期</label>
          <input id="f-to" name="to" type="date" value={keep.to ?? ''} />
        </div>
        <button type="submit" class="primary">
          查看
        </button>
      </form>
      {Object.values(p.errors ?? {}).map((message) => (
        <p class="error" role="alert" safe>
          {message}
        </p>
      ))}
      <h2 safe>{`${period.label}（${period.from} 至 ${period.to}）`}</h2>
      {info.region ? (
        <p>
          <a href={`/regions/${info.region.code}`} safe>{`${info.name}的留言板和留言`}</a>
        </p>
      ) : (
        ''
      )}
      <table class="data" id="figures">
        <caption class="visually-hidden">各项指标及计算方法</caption>
        <thead>
          <tr>
            <th scope="col">指标</th>
            <th scope="col">数值</th>
            <th scope="col">怎么算</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(FIGURES) as FigureKey[]).map((key) => (
            <tr>
              <th scope="row" safe>
                {FIGURES[key].label}
              </th>
              <td safe>{formatFigure(key, figures[key])}</td>
              <td class="meta" safe>
                {key === 'satisfaction'
                  ? `${FIGURES[key].formula}当前权重：解决程度 ${p.weights.resolution}%、办理时间 ${p.weights.timeliness}%、办理态度 ${p.weights.attitude}%。`
                  : FIGURES[key].formula}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Downloads path={info.href} params={keep} table="figures" />

      <h2>按月走势</h2>
      <figure class="chart">
        <img
          src={chart}
          alt={`${info.name}${period.label}各月收到留言、已答复条数和答复率，数据见下表`}
          width="720"
          height="320"
        />
      </figure>
      <table class="data" id="months">
        <caption class="visually-hidden">按月统计（与上图数据相同）</caption>
        <thead>
          <tr>
            <th scope="col">月份</th>
            <th scope="col">收到留言</th>
            <th scope="col">已答复</th>
            <th scope="col">答复率</th>
            <th scope="col">按时答复率</th>
            <th scope="col">满意度</th>
          </tr>
        </thead>
        <tbody>
          {p.trend.map((t) => (
            <tr>
              <th scope="row" safe>
                {t.month}
              </th>
              <td safe>{formatFigure('received', t.figures.received)}</td>
              <td safe>{formatFigure('replied', t.figures.replied)}</td>
              <td safe>{formatFigure('replyRate', t.figures.replyRate)}</td>
              <td safe>{formatFigure('onTimeRate', t.figures.onTimeRate)}</td>
              <td safe>{formatFigure('satisfaction', t.figures.satisfaction)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Downloads path={info.href} params={keep} table="months" />

      {p.ranking.length > 0 ? (
        <>
          <h2 id="ranking" safe>
            {info.type === 'platform' ? '各省（区、市）排名' : `${info.name}下辖地区排名`}
          </h2>
          <form method="get" action={`${info.href}#ranking`} class="filters" aria-label="排名指标">
            {Object.entries(keep).map(([k, v]) => (
              <input type="hidden" name={k} value={v} />
            ))}
            <div class="field">
              <label for="f-by">排名指标</label>
              <select id="f-by" name="by">
                {TABLE_FIGURES.map((key) => (
                  <option value={key} selected={p.by === key} safe>
                    {FIGURES[key].label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">排序</button>
          </form>
          <p class="meta" safe>
            {`按“${FIGURES[p.by].label}”排名；比率和满意度的样本（分母）不足 5 条的显示“样本不足”，不参与排名。`}
          </p>
          {rankingChart ? (
            <figure class="chart">
              <img src={rankingChart} alt="各地区收到留言条数，数据见下表" width="720" height="300" />
            </figure>
          ) : (
            ''
          )}
          <FiguresTable
            id="ranking-table"
            caption="地区排名"
            rankColumn
            rows={p.ranking.map((r) => ({
              rank: r.rank,
              name: r.item.name,
              href: href(`/stats/regions/${r.item.code}`, keep),
              figures: r.figures,
            }))}
          />
          <Downloads path={info.href} params={{ ...keep, by: p.by }} table="ranking" />
        </>
      ) : (
        ''
      )}

      {p.units.length > 0 ? (
        <>
          <h2>办理单位</h2>
          <FiguresTable
            id="units-table"
            caption="本地区办理单位的指标"
            nameLabel="办理单位"
            rows={p.units.map((u) => ({ name: u.name, href: href(`/stats/units/${u.id}`, keep), figures: u.figures }))}
          />
          <Downloads path={info.href} params={keep} table="units" />
        </>
      ) : (
        ''
      )}
      <h2>更多数据</h2>
      <ul>
        <li>
          <a
            href={href('/stats/indicators', {
              year: period.from.slice(0, 4),
              ...(info.region ? { region: info.region.code } : {}),
            })}
            safe
          >
            {`${period.from.slice(0, 4)} 年${info.region ? info.name + '下辖地区' : '各省（区、市）'}网民留言办理指标表（可下载，供政府网站绩效评估使用）`}
          </a>
        </li>
        <li>
          <a href="/honours">年度网民留言办理工作考评：先进单位和先进工作者</a>
        </li>
        <li>
          <a href="/open-data">开放数据：每日公开的留言、答复与统计明细（个人信息已去除），可据以复算本页各项指标</a>
        </li>
      </ul>
      <p class="meta">
        统计口径：以留言经平台审核通过、转到办理单位的日期计入统计期；各项指标均由留言办理记录自动计算，
        不接受人工填报。数据接口：<a href={href('/api/v1/stats', apiParams(info, keep))}>JSON</a>。
      </p>
    </Layout>
  );
}

function apiParams(info: ScopeInfo, keep: Record<string, string>): Record<string, string> {
  const scope: Record<string, string> = info.type === 'platform' || !info.id ? {} : { [info.type]: info.id };
  return { ...scope, ...keep };
}
