// The public honours pages: every published year's 先进单位 and 先进工作者 with their figures, and the full ranking.
import { Time } from '../../web/views/time.tsx';
import type { DataTable } from '../../exports/table-export.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Sentence } from '../../web/views/sentence.tsx';
import type { AwardRow } from '../evaluation.repository.ts';
import type { EvaluationYear } from '../evaluation.service.ts';
import { unitAwardsTable, workerAwardsTable } from '../evaluation-tables.ts';
import type { UnitResult } from '../scoring.ts';
import { DownloadLinks, FormulaNote, TableView } from './evaluation-parts.tsx';

export interface PublishedYear {
  state: EvaluationYear;
  awards: AwardRow[];
}

const crumbs = (ctx: PageContext, year?: number, label?: string) => [
  { label: ctx.t('nav.home'), href: '/' },
  { label: ctx.t('nav.honours'), href: '/honours' },
  ...(year ? [{ label: ctx.t('evaluation.year', { year }), href: `/honours/${year}` }] : []),
  ...(label ? [{ label }] : []),
];

/**
 * Which cells of an award or results table hold names people gave, kept as written: a worker's name always, a unit's
 * name unless it is a dispatching unit the page's language has a name for.
 */
export function namesAsWritten(
  ctx: PageContext,
  units: (string | null)[],
  workers = false,
): (column: string, index: number) => boolean {
  return (column, index) =>
    (workers && column === 'name') ||
    (column === 'unit' && units[index] != null && ctx.names.unitKeptAsWritten(units[index]!));
}

/** The unit names of a results table's rows, for `namesAsWritten`. */
export const unitNames = (units: UnitResult[]) => units.map((u) => u.unitName);

/** The two lists; their headings sit one level below the page's or section's heading (`level`). */
function AwardTables({
  ctx,
  year,
  awards,
  downloads,
  level,
}: {
  ctx: PageContext;
  year: number;
  awards: AwardRow[];
  downloads: boolean;
  level: 2 | 3;
}) {
  const { t } = ctx;
  const Heading = ({ text }: { text: string }) => (level === 2 ? <h2 safe>{text}</h2> : <h3 safe>{text}</h3>);
  const units = awards.filter((a) => a.kind === 'unit' && a.unit);
  const workers = awards.filter((a) => a.kind === 'worker' && a.worker);
  const certificate = (list: AwardRow[]) => ({
    label: t('honours.certificate'),
    cell: (i: number) => (
      <a href={`/honours/${year}/certificates/${list[i]!.id}`} safe>
        {t('honours.viewCertificate')}
      </a>
    ),
  });
  return (
    <>
      <Heading text={t('honours.units', { n: ctx.num.count(units.length) })} />
      <TableView
        ctx={ctx}
        table={unitAwardsTable(year, units, ctx)}
        extra={certificate(units)}
        asWritten={namesAsWritten(
          ctx,
          units.map((a) => a.unit!.unitName),
        )}
      />
      {downloads ? (
        <DownloadLinks ctx={ctx} base={`/honours/${year}?list=units`} label={t('honours.downloadUnits')} />
      ) : (
        ''
      )}
      <Heading text={t('honours.workers', { n: ctx.num.count(workers.length) })} />
      <TableView
        ctx={ctx}
        table={workerAwardsTable(year, workers, ctx)}
        extra={certificate(workers)}
        asWritten={namesAsWritten(
          ctx,
          workers.map((a) => a.worker!.unitName),
          true,
        )}
      />
      {downloads ? (
        <DownloadLinks ctx={ctx} base={`/honours/${year}?list=workers`} label={t('honours.downloadWorkers')} />
      ) : (
        ''
      )}
    </>
  );
}

export function HonoursIndexPage({ ctx, years }: { ctx: PageContext; years: PublishedYear[] }): JSX.Element {
  const { t } = ctx;
  const title = t('nav.honours');
  return (
    <Layout ctx={ctx} title={title} crumbs={crumbs(ctx)}>
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('honours.lead')}
      </p>
      {years.length === 0 ? <p safe>{t('honours.none')}</p> : ''}
      {years.map(({ state, awards }) => (
        <section aria-labelledby={`y-${state.year}`}>
          <h2 id={`y-${state.year}`}>
            <a href={`/honours/${state.year}`} safe>
              {t('evaluation.year', { year: state.year })}
            </a>
          </h2>
          <AwardTables ctx={ctx} year={state.year} awards={awards} downloads={false} level={3} />
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
  const { t } = ctx;
  const { state, awards } = data;
  return (
    <Layout ctx={ctx} title={t('honours.yearTitle', { year: state.year })} crumbs={crumbs(ctx, state.year)}>
      <h1 safe>{t('honours.yearHeading', { year: state.year })}</h1>
      <p class="meta">
        <Sentence
          text={t('honours.publishedOn')}
          slots={{ date: <Time ctx={ctx} iso={state.publishedAt} dateOnly /> }}
        />
      </p>
      {conference ? (
        <p class="conference-link">
          <span safe>{t('news.conferenceArticle')}</span>
          <a href={`/news/${conference.id}`} translate="no" safe>
            {conference.title}
          </a>
        </p>
      ) : (
        ''
      )}
      <AwardTables ctx={ctx} year={state.year} awards={awards} downloads level={2} />
      <p>
        <a href={`/honours/${state.year}/results`} safe>
          {t('honours.allResults')}
        </a>
      </p>
      <FormulaNote ctx={ctx} config={state.runConfig ?? state.config} />
    </Layout>
  );
}

export function HonoursResultsPage({
  ctx,
  state,
  table,
  units,
}: {
  ctx: PageContext;
  state: EvaluationYear;
  table: DataTable;
  /** The table's units as stored, to tell names kept as written. */
  units: UnitResult[];
}): JSX.Element {
  return (
    <Layout ctx={ctx} title={table.title} crumbs={crumbs(ctx, state.year, ctx.t('evaluation.results'))}>
      <h1 safe>{table.title}</h1>
      <DownloadLinks ctx={ctx} base={`/honours/${state.year}/results`} />
      <TableView ctx={ctx} table={table} asWritten={namesAsWritten(ctx, unitNames(units))} />
      <FormulaNote ctx={ctx} config={state.runConfig ?? state.config} />
    </Layout>
  );
}
