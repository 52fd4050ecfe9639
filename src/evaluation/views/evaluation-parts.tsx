// Parts the evaluation's admin and public pages share: a data table as shown and downloaded, the formula note.
import { type DataTable, pageCell, pageColumns } from '../../exports/table-export.ts';
import { type EvaluationConfig, formulaNotes, formulaText, INDICATOR_KEYS, INDICATORS } from '../scoring.ts';

/** A DataTable as an HTML table; `extra` adds a last column (links, forms) for each row. */
export function TableView({
  table,
  extra,
}: {
  table: DataTable;
  extra?: { label: string; cell: (index: number) => JSX.Element };
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
                <td safe>{pageCell(c, row[c.key])}</td>
              ))}
              {extra ? <td>{extra.cell(i)}</td> : ''}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length === 0 ? <p class="meta">（无）</p> : ''}
    </div>
  );
}

/** Links to download a table; `base` is the page's path, with or without a query. */
export function DownloadLinks({ base, label = '下载' }: { base: string; label?: string }): JSX.Element {
  const join = base.includes('?') ? '&' : '?';
  return (
    <p class="meta">
      <span safe>{`${label}：`}</span>
      <a href={`${base}${join}format=csv`}>CSV</a> · <a href={`${base}${join}format=xlsx`}>XLSX（Excel）</a>
    </p>
  );
}

/** "How is this computed": the composite formula with its weights, each indicator and the rules around them. */
export function FormulaNote({ config }: { config: EvaluationConfig }): JSX.Element {
  return (
    <details class="panel formula" open>
      <summary>综合得分如何计算</summary>
      <p>
        <strong safe>{formulaText(config)}</strong>
      </p>
      <ul>
        {INDICATOR_KEYS.filter((k) => config.weights[k] > 0).map((k) => (
          <li safe>{`${INDICATORS[k].label}（权重 ${config.weights[k]}）：${INDICATORS[k].formula}`}</li>
        ))}
      </ul>
      <ul>
        {formulaNotes(config).map((n) => (
          <li safe>{n}</li>
        ))}
      </ul>
    </details>
  );
}
