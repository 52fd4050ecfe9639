// Parts the evaluation's admin and public pages share: a data table as shown and downloaded, the formula note.
import { type Cell, type Column, type DataTable, pageCell, pageColumns } from '../../exports/table-export.ts';
import type { PageContext } from '../../web/page-context.ts';
import {
  type EvaluationConfig,
  formulaNotes,
  formulaText,
  indicatorFormula,
  indicatorLabel,
  INDICATOR_KEYS,
} from '../scoring.ts';

/** A cell as the page shows it: numbers as the page's language writes them, an empty cell saying why. */
function shown(ctx: PageContext, column: Column, value: Cell | undefined): string {
  if (typeof value !== 'number') return pageCell(column, value);
  return Number.isInteger(value) ? ctx.num.count(value) : ctx.num.decimal(value, 2);
}

/**
 * A DataTable as an HTML table; `extra` adds a last column (links, forms) for each row; `asWritten` says which cells
 * hold names people gave (a person's, a unit's kept as written), which are marked translate="no".
 */
export function TableView({
  ctx,
  table,
  extra,
  asWritten,
}: {
  ctx: PageContext;
  table: DataTable;
  extra?: { label: string; cell: (index: number) => JSX.Element };
  asWritten?: (column: string, index: number) => boolean;
}): JSX.Element {
  const columns = pageColumns(table);
  // A table wider than the screen scrolls: the region can take the focus so a keyboard can scroll it too.
  return (
    <div class="table-scroll" tabindex="0" role="region" aria-label={table.title}>
      <table class="data">
        <caption class="visually-hidden" safe>
          {table.title}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" safe>
                {c.label}
              </th>
            ))}
            {extra ? (
              <th scope="col" safe>
                {extra.label}
              </th>
            ) : (
              ''
            )}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr>
              {columns.map((c) => (
                <td translate={asWritten?.(c.key, i) ? 'no' : undefined} safe>
                  {shown(ctx, c, row[c.key])}
                </td>
              ))}
              {extra ? <td>{extra.cell(i)}</td> : ''}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length === 0 ? (
        <p class="meta" safe>
          {ctx.t('evaluation.none')}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

/** Links to download a table; `base` is the page's path, with or without a query. */
export function DownloadLinks({ ctx, base, label }: { ctx: PageContext; base: string; label?: string }): JSX.Element {
  const join = base.includes('?') ? '&' : '?';
  return (
    <p class="meta">
      <span safe>{ctx.t('evaluation.downloadLabel', { label: label ?? ctx.t('evaluation.download') })}</span>
      <a href={`${base}${join}format=csv`}>CSV</a> ·{' '}
      <a href={`${base}${join}format=xlsx`} safe>
        {ctx.t('evaluation.xlsx')}
      </a>
    </p>
  );
}

/** "How is this computed": the composite formula with its weights, each indicator and the rules around them. */
export function FormulaNote({ ctx, config }: { ctx: PageContext; config: EvaluationConfig }): JSX.Element {
  const { t } = ctx;
  return (
    <details class="panel formula" open>
      <summary safe>{t('evaluation.formula.summary')}</summary>
      <p>
        <strong safe>{formulaText(config, t)}</strong>
      </p>
      <ul>
        {INDICATOR_KEYS.filter((k) => config.weights[k] > 0).map((k) => (
          <li safe>
            {t('evaluation.formula.weighted', {
              label: indicatorLabel(k, t),
              weight: config.weights[k],
              formula: indicatorFormula(k, t),
            })}
          </li>
        ))}
      </ul>
      <ul>
        {formulaNotes(config, t).map((n) => (
          <li safe>{n}</li>
        ))}
      </ul>
    </details>
  );
}
