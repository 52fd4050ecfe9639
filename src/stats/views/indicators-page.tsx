// The yearly indicator table's preview: the choice of year and region, the table, its downloads and formulas.
import { type Cell, type Column, type DataTable, pageCell, pageColumns } from '../../exports/table-export.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { figureFormula, figureLabel, INDICATOR_FIGURES, type FigureKey } from '../figures.ts';
import type { IndicatorTable } from '../indicators.routes.ts';
import { Link, Sentence } from '../../web/views/sentence.tsx';

/** The table's figures whose formula the notes give: all but the satisfaction parts and the count of ratings. */
const UNNOTED: FigureKey[] = ['satisfactionResolution', 'satisfactionTimeliness', 'satisfactionAttitude', 'ratings'];
const NOTED: FigureKey[] = INDICATOR_FIGURES.filter((key) => !UNNOTED.includes(key));

/** A cell as the page shows it: numbers as the page's language writes them, an empty cell saying why. */
function shown(ctx: PageContext, column: Column, value: Cell | undefined): string {
  if (typeof value !== 'number') return pageCell(column, value);
  return Number.isInteger(value) ? ctx.num.count(value) : ctx.num.decimal(value, 1);
}

export function IndicatorsPage({
  ctx,
  table,
  data,
}: {
  ctx: PageContext;
  table: IndicatorTable;
  data: DataTable;
}): JSX.Element {
  const { t } = ctx;
  const params = new URLSearchParams({ year: String(table.year), region: table.region?.code ?? '' });
  const download = (format: string) => `/stats/indicators?${params.toString()}&format=${format}`;
  const { weights } = table;
  const { from, to } = table.period;
  return (
    <Layout
      ctx={ctx}
      title={data.title}
      crumbs={[
        { label: t('nav.home'), href: '/' },
        { label: t('nav.stats'), href: '/stats' },
        { label: t('indicators.crumb') },
      ]}
    >
      <h1 safe>{data.title}</h1>
      <p safe>{t(table.region ? 'indicators.intro.region' : 'indicators.intro.provinces', { from, to })}</p>
      <form method="get" action="/stats/indicators" class="inline-form">
        <label>
          <span safe>{t('indicators.year')}</span>{' '}
          <input type="text" name="year" value={String(table.year)} inputmode="numeric" maxlength="4" size="6" />
        </label>{' '}
        <label>
          <span safe>{t('indicators.regionCode')}</span>{' '}
          <input
            type="text"
            name="region"
            value={table.region?.code ?? ''}
            inputmode="numeric"
            maxlength="6"
            size="8"
            placeholder={t('indicators.regionPlaceholder')}
          />
        </label>{' '}
        <button type="submit" safe>
          {t('stats.show')}
        </button>
      </form>
      <p>
        <span safe>{t('stats.download')}</span>
        <a href={download('csv')}>CSV</a> ·{' '}
        <a href={download('xlsx')} safe>
          {t('stats.excel')}
        </a>
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
                      <td safe>{shown(ctx, c, row[c.key])}</td>
                    ),
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading" safe>
          {t('indicators.notes')}
        </h2>
        <dl>
          {NOTED.map((key) => (
            <>
              <dt safe>{figureLabel(key, t)}</dt>
              <dd safe>{figureFormula(key, t)}</dd>
            </>
          ))}
        </dl>
        <p safe>{t('indicators.notes.rules', { ...weights })}</p>
        <p>
          <Sentence
            text={t('indicators.notes.recompute')}
            slots={{
              openData: <Link href="/open-data" text={t('indicators.openData')} />,
            }}
          />
        </p>
      </section>
    </Layout>
  );
}
