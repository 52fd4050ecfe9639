// The yearly indicator table's preview: the choice of year and region, the table, its downloads and formulas.
import { type DataTable, pageCell, pageColumns } from '../../exports/table-export.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { FIGURES } from '../figures.ts';
import type { IndicatorTable } from '../indicators.routes.ts';

const NOTED: (keyof typeof FIGURES)[] = [
  'received',
  'expected',
  'replied',
  'replyRate',
  'onTimeRate',
  'medianDays',
  'p90Days',
  'satisfaction',
  'resolved',
  'overdue',
  'returned',
  'reopened',
  'signed',
];

export function IndicatorsPage({
  ctx,
  table,
  data,
}: {
  ctx: PageContext;
  table: IndicatorTable;
  data: DataTable;
}): JSX.Element {
  const params = new URLSearchParams({ year: String(table.year), region: table.region?.code ?? '' });
  const download = (format: string) => `/stats/indicators?${params.toString()}&format=${format}`;
  const { weights } = table;
  return (
    <Layout
      ctx={ctx}
      title={data.title}
      crumbs={[{ label: '首页', href: '/' }, { label: '统计', href: '/stats' }, { label: '年度指标表' }]}
    >
      <h1 safe>{data.title}</h1>
      <p safe>
        {`按年度、按地区汇总的网民留言办理指标，每个${table.region ? '下级地区' : '省级地区'}一行，末行为合计；格式适用于政府网站绩效评估和政务服务“好差评”的指标报送。统计期为 ${table.period.from} 至 ${table.period.to}（按审核通过的日期）。`}
      </p>
      <form method="get" action="/stats/indicators" class="inline-form">
        <label>
          年份 <input type="text" name="year" value={String(table.year)} inputmode="numeric" maxlength="4" size="6" />
        </label>{' '}
        <label>
          地区代码{' '}
          <input
            type="text"
            name="region"
            value={table.region?.code ?? ''}
            inputmode="numeric"
            maxlength="6"
            size="8"
            placeholder="留空为各省"
          />
        </label>{' '}
        <button type="submit">查看</button>
      </form>
      <p>
        下载：<a href={download('csv')}>CSV</a> · <a href={download('xlsx')}>Excel（XLSX）</a>
      </p>
      <div class="table-scroll" tabindex="0" role="region" aria-label={data.title}>
        <table class="data" id="indicators">
          <caption class="visually-hidden" safe>
            {data.title}
          </caption>
          <thead>
            <tr>
              {pageColumns(data).map((c) => (
                <th scope="col" safe>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row, i) => {
              const kind = table.rows[i]!.kind;
              return (
                <tr class={kind === 'total' ? 'total' : undefined}>
                  {pageColumns(data).map((c, j) =>
                    j === 1 ? (
                      <th scope="row">
                        {kind === 'child' ? (
                          <a
                            href={`/stats/indicators?year=${table.year}&region=${encodeURIComponent(String(row.code))}`}
                            safe
                          >
                            {String(row[c.key] ?? '')}
                          </a>
                        ) : (
                          <span safe>{String(row[c.key] ?? '')}</span>
                        )}
                      </th>
                    ) : (
                      <td safe>{pageCell(c, row[c.key])}</td>
                    ),
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">指标说明</h2>
        <dl>
          {NOTED.map((key) => (
            <>
              <dt safe>{FIGURES[key].label}</dt>
              <dd safe>{FIGURES[key].formula}</dd>
            </>
          ))}
        </dl>
        <p safe>
          {`满意度权重：解决程度 ${weights.resolution}%、办理时间 ${weights.timeliness}%、办理态度 ${weights.attitude}%。比率和满意度以百分数表示，保留一位小数；分母不足 5 条时为“样本不足”。“本级”行为直接写给本地区领导留言板的留言；合计为本地区全部留言，各计数列等于上面各行之和。`}
        </p>
        <p>
          全部数字可以用<a href="/open-data">开放数据</a>逐条重新计算。
        </p>
      </section>
    </Layout>
  );
}
