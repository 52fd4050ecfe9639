// The evaluation's tables as the pages show them and as CSV/XLSX downloads: one definition for both, in the reader's
// language (headings, levels, honours, notes and the names of dispatching units; a download is made per request).
import type { Cell, Column, DataTable } from '../exports/table-export.ts';
import type { Translate } from '../i18n/i18n.ts';
import type { Names } from '../i18n/place-names.ts';
import type { AwardRow } from './evaluation.repository.ts';
import { indicatorLabel, type IndicatorKey, levelLabel, type UnitResult, type WorkerResult } from './scoring.ts';

/** What a table needs of the reader's language: its words and its names of units. */
export interface TableWords {
  t: Translate;
  names: Names;
}

/** A 0–1 value as a percentage with one decimal; null when the sample is too small (the note column says so). */
export function percent(value: number | null): number | null {
  return value === null ? null : Number((value * 100).toFixed(1));
}

function unitFigureColumns(t: Translate): Column[] {
  const tooFew = t('evaluation.tooFew');
  const notRanked = t('evaluation.notRanked');
  const rate = (key: string, label: string): Column => ({ key, label, missing: tooFew });
  return [
    { key: 'received', label: t('evaluation.col.received') },
    { key: 'replied', label: t('evaluation.col.replied') },
    rate('replyRate', t('evaluation.col.replyRate')),
    rate('onTimeRate', t('evaluation.col.onTimeRate')),
    rate('satisfaction', t('evaluation.col.satisfaction')),
    { key: 'ratings', label: t('evaluation.col.ratings') },
    { key: 'resolved', label: t('evaluation.col.resolved') },
    rate('resolutionRate', t('evaluation.col.resolutionRate')),
    { key: 'volumeIndex', label: t('evaluation.col.volumeIndex'), missing: notRanked },
    { key: 'score', label: t('evaluation.col.score'), missing: notRanked },
  ];
}

/** Why cells of a row are empty, in words: a download's numeric columns hold numbers only. */
const noteColumn = (t: Translate): Column => ({ key: 'note', label: t('evaluation.col.note'), exportOnly: true });

function note(t: Translate, notRanked: boolean, small: IndicatorKey[]): string {
  const figures = small.map((key) => indicatorLabel(key, t)).join(t('stats.listSeparator'));
  return [notRanked ? t('evaluation.notRanked') : '', small.length > 0 ? t('stats.export.tooFewFor', { figures }) : '']
    .filter(Boolean)
    .join(t('stats.noteSeparator'));
}

function unitCells(u: UnitResult, { t, names }: TableWords): Record<string, Cell> {
  const rates: [IndicatorKey, number | null][] = [
    ['replyRate', u.replyRate],
    ['onTimeRate', u.onTimeRate],
    ['satisfaction', u.satisfaction],
    ['resolutionRate', u.resolutionRate],
  ];
  return {
    level: levelLabel(u.level, t),
    rank: u.rank,
    unit: names.unit(u.unitName),
    received: u.received,
    replied: u.replied,
    replyRate: percent(u.replyRate),
    onTimeRate: percent(u.onTimeRate),
    satisfaction: percent(u.satisfaction),
    ratings: u.ratings,
    resolved: u.resolved,
    resolutionRate: percent(u.resolutionRate),
    volumeIndex: percent(u.volumeIndex),
    score: u.score,
    note: note(
      t,
      u.rank === null,
      rates.filter(([, v]) => v === null).map(([key]) => key),
    ),
  };
}

export function resultsTable(year: number, units: UnitResult[], words: TableWords): DataTable {
  const { t } = words;
  return {
    title: t('evaluation.table.results', { year }),
    columns: [
      { key: 'level', label: t('evaluation.col.level') },
      { key: 'rank', label: t('evaluation.col.rank'), missing: t('evaluation.notRanked') },
      { key: 'unit', label: t('evaluation.col.unit') },
      ...unitFigureColumns(t),
      noteColumn(t),
    ],
    rows: units.map((u) => unitCells(u, words)),
  };
}

function workerCells(w: WorkerResult, { t, names }: TableWords): Record<string, Cell> {
  return {
    rank: w.rank,
    name: w.name,
    unit: names.unit(w.unitName),
    replies: w.replies,
    ratings: w.ratings,
    satisfaction: w.satisfaction === null ? null : Number(w.satisfaction.toFixed(1)),
    note: note(t, w.rank === null, w.satisfaction === null ? ['satisfaction'] : []),
  };
}

const workerColumns = (t: Translate): Column[] => [
  { key: 'name', label: t('evaluation.col.name') },
  { key: 'unit', label: t('evaluation.col.workerUnit') },
  { key: 'replies', label: t('evaluation.col.replies') },
  { key: 'ratings', label: t('evaluation.col.ratings') },
  { key: 'satisfaction', label: t('evaluation.col.satisfaction'), missing: t('evaluation.tooFew') },
];

export function workersTable(year: number, workers: WorkerResult[], words: TableWords): DataTable {
  const { t } = words;
  return {
    title: t('evaluation.table.workers', { year }),
    columns: [
      { key: 'rank', label: t('evaluation.col.rank'), missing: t('evaluation.notRanked') },
      ...workerColumns(t),
      noteColumn(t),
    ],
    rows: workers.map((w) => workerCells(w, words)),
  };
}

export function unitAwardsTable(year: number, awards: AwardRow[], words: TableWords): DataTable {
  const { t } = words;
  return {
    title: t('evaluation.table.unitAwards', { year }),
    columns: [
      { key: 'title', label: t('evaluation.col.title') },
      { key: 'level', label: t('evaluation.col.level') },
      { key: 'unit', label: t('evaluation.col.unit') },
      { key: 'rank', label: t('evaluation.col.rank'), missing: t('evaluation.notRanked') },
      ...unitFigureColumns(t),
      noteColumn(t),
    ],
    rows: awards
      .filter((a) => a.kind === 'unit' && a.unit)
      .map((a) => ({ title: t('evaluation.honour.unit'), ...unitCells(a.unit!, words) })),
  };
}

export function workerAwardsTable(year: number, awards: AwardRow[], words: TableWords): DataTable {
  const { t } = words;
  return {
    title: t('evaluation.table.workerAwards', { year }),
    columns: [{ key: 'title', label: t('evaluation.col.title') }, ...workerColumns(t), noteColumn(t)],
    rows: awards
      .filter((a) => a.kind === 'worker' && a.worker)
      .map((a) => ({ title: t('evaluation.honour.worker'), ...workerCells(a.worker!, words) })),
  };
}
