// The public honours pages: every published year's 先进单位 and 先进工作者 with their figures, and the full ranking.
import { Time } from '../../web/views/time.tsx';
import type { DataTable } from '../../exports/table-export.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { AwardRow } from '../evaluation.repository.ts';
import type { EvaluationYear } from '../evaluation.service.ts';
import { unitAwardsTable, workerAwardsTable } from '../evaluation-tables.ts';
import { DownloadLinks, FormulaNote, TableView } from './evaluation-parts.tsx';

export interface PublishedYear {
  state: EvaluationYear;
  awards: AwardRow[];
}

const crumbs = (year?: number, label?: string) => [
  { label: '首页', href: '/' },
  { label: '荣誉榜', href: '/honours' },
  ...(year ? [{ label: `${year} 年度`, href: `/honours/${year}` }] : []),
  ...(label ? [{ label }] : []),
];

/** The two lists; their headings sit one level below the page's or section's heading (`level`). */
function AwardTables({
  year,
  awards,
  downloads,
  level,
}: {
  year: number;
  awards: AwardRow[];
  downloads: boolean;
  level: 2 | 3;
}) {
  const Heading = ({ text }: { text: string }) => (level === 2 ? <h2 safe>{text}</h2> : <h3 safe>{text}</h3>);
  const units = awards.filter((a) => a.kind === 'unit');
  const workers = awards.filter((a) => a.kind === 'worker');
  const certificate = (list: AwardRow[]) => ({
    label: '证书',
    cell: (i: number) => <a href={`/honours/${year}/certificates/${list[i]!.id}`}>查看证书</a>,
  });
  return (
    <>
      <Heading text={`先进单位（${units.length} 个）`} />
      <TableView table={unitAwardsTable(year, units)} extra={certificate(units)} />
      {downloads ? <DownloadLinks base={`/honours/${year}?list=units`} label="下载先进单位名单" /> : ''}
      <Heading text={`先进工作者（${workers.length} 名）`} />
      <TableView table={workerAwardsTable(year, workers)} extra={certificate(workers)} />
      {downloads ? <DownloadLinks base={`/honours/${year}?list=workers`} label="下载先进工作者名单" /> : ''}
    </>
  );
}

export function HonoursIndexPage({ ctx, years }: { ctx: PageContext; years: PublishedYear[] }): JSX.Element {
  return (
    <Layout ctx={ctx} title="荣誉榜" crumbs={crumbs()}>
      <h1>荣誉榜</h1>
      <p class="lead">
        年度网民留言办理工作考评的先进单位和先进工作者。名单依据公开的考评公式由平台数据计算提出，经系统管理员确认后发布。
      </p>
      {years.length === 0 ? <p>尚未发布年度考评结果。</p> : ''}
      {years.map(({ state, awards }) => (
        <section aria-labelledby={`y-${state.year}`}>
          <h2 id={`y-${state.year}`}>
            <a href={`/honours/${state.year}`} safe>{`${state.year} 年度`}</a>
          </h2>
          <AwardTables year={state.year} awards={awards} downloads={false} level={3} />
        </section>
      ))}
    </Layout>
  );
}

export function HonoursYearPage({
  ctx,
  data,
  conference = null,
}: {
  ctx: PageContext;
  data: PublishedYear;
  /** The published report of that year's annual conference, if there is one. */
  conference?: { id: number; title: string } | null;
}): JSX.Element {
  const { state, awards } = data;
  return (
    <Layout ctx={ctx} title={`${state.year} 年度荣誉榜`} crumbs={crumbs(state.year)}>
      <h1 safe>{`${state.year} 年度网民留言办理工作先进单位和先进工作者`}</h1>
      <p class="meta">
        发布于 <Time ctx={ctx} iso={state.publishedAt} dateOnly />
      </p>
      {conference ? (
        <p class="conference-link">
          <span safe>{ctx.t('news.conferenceArticle')}</span>
          <a href={`/news/${conference.id}`} safe>
            {conference.title}
          </a>
        </p>
      ) : (
        ''
      )}
      <AwardTables year={state.year} awards={awards} downloads level={2} />
      <p>
        <a href={`/honours/${state.year}/results`}>全部参评单位的得分和排名</a>
      </p>
      <FormulaNote config={state.runConfig ?? state.config} />
    </Layout>
  );
}

export function HonoursResultsPage({
  ctx,
  state,
  table,
}: {
  ctx: PageContext;
  state: EvaluationYear;
  table: DataTable;
}): JSX.Element {
  return (
    <Layout ctx={ctx} title={table.title} crumbs={crumbs(state.year, '得分和排名')}>
      <h1 safe>{table.title}</h1>
      <DownloadLinks base={`/honours/${state.year}/results`} />
      <TableView table={table} />
      <FormulaNote config={state.runConfig ?? state.config} />
    </Layout>
  );
}
