// The evaluation's tables as the pages show them and as CSV/XLSX downloads: one definition for both.
import type { Cell, Column, DataTable } from '../exports/table-export.ts';
import type { AwardRow } from './evaluation.repository.ts';
import { levelLabel, type UnitResult, type WorkerResult } from './scoring.ts';

export const NOT_RANKED = '不参评';
export const SMALL_SAMPLE = '样本不足';

/** A 0–1 value as a percentage with one decimal; null when the sample is too small (the note column says so). */
export function percent(value: number | null): number | null {
  return value === null ? null : Number((value * 100).toFixed(1));
}

/** As the pages print it: "85.3%", or "样本不足". */
export function percentText(value: number | null): string {
  const p = percent(value);
  return p === null ? SMALL_SAMPLE : `${p.toFixed(1)}%`;
}

const rate = (key: string, label: string): Column => ({ key, label, missing: SMALL_SAMPLE });

const UNIT_FIGURE_COLUMNS: Column[] = [
  { key: 'received', label: '收到留言' },
  { key: 'replied', label: '已答复' },
  rate('replyRate', '答复率（%）'),
  rate('onTimeRate', '按时答复率（%）'),
  rate('satisfaction', '满意度（%）'),
  { key: 'ratings', label: '评价条数' },
  { key: 'resolved', label: '已解决' },
  rate('resolutionRate', '解决率（%）'),
  { key: 'volumeIndex', label: '留言量（%）', missing: NOT_RANKED },
  { key: 'score', label: '综合得分', missing: NOT_RANKED },
];

/** Why cells of a row are empty, in words: a download's numeric columns hold numbers only. */
const NOTE: Column = { key: 'note', label: '说明', exportOnly: true };

function note(notRanked: boolean, small: string[]): string {
  return [notRanked ? NOT_RANKED : '', small.length > 0 ? `${SMALL_SAMPLE}：${small.join('、')}` : '']
    .filter(Boolean)
    .join('；');
}

function unitCells(u: UnitResult): Record<string, Cell> {
  const rates: [string, number | null][] = [
    ['答复率', u.replyRate],
    ['按时答复率', u.onTimeRate],
    ['满意度', u.satisfaction],
    ['解决率', u.resolutionRate],
  ];
  return {
    level: levelLabel(u.level),
    rank: u.rank,
    unit: u.unitName,
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
      u.rank === null,
      rates.filter(([, v]) => v === null).map(([label]) => label),
    ),
  };
}

export function resultsTable(year: number, units: UnitResult[]): DataTable {
  return {
    title: `${year}年度网民留言办理工作考评结果`,
    columns: [
      { key: 'level', label: '层级' },
      { key: 'rank', label: '排名', missing: NOT_RANKED },
      { key: 'unit', label: '单位' },
      ...UNIT_FIGURE_COLUMNS,
      NOTE,
    ],
    rows: units.map(unitCells),
  };
}

function workerCells(w: WorkerResult): Record<string, Cell> {
  return {
    rank: w.rank,
    name: w.name,
    unit: w.unitName,
    replies: w.replies,
    ratings: w.ratings,
    satisfaction: w.satisfaction === null ? null : Number(w.satisfaction.toFixed(1)),
    note: note(w.rank === null, w.satisfaction === null ? ['满意度'] : []),
  };
}

const WORKER_COLUMNS: Column[] = [
  { key: 'name', label: '姓名' },
  { key: 'unit', label: '所在单位' },
  { key: 'replies', label: '公开答复条数' },
  { key: 'ratings', label: '评价条数' },
  rate('satisfaction', '满意度（%）'),
];

export function workersTable(year: number, workers: WorkerResult[]): DataTable {
  return {
    title: `${year}年度工作人员答复情况`,
    columns: [{ key: 'rank', label: '排名', missing: NOT_RANKED }, ...WORKER_COLUMNS, NOTE],
    rows: workers.map(workerCells),
  };
}

export function unitAwardsTable(year: number, awards: AwardRow[]): DataTable {
  return {
    title: `${year}年度先进单位`,
    columns: [
      { key: 'title', label: '称号' },
      { key: 'level', label: '层级' },
      { key: 'unit', label: '单位' },
      { key: 'rank', label: '排名', missing: NOT_RANKED },
      ...UNIT_FIGURE_COLUMNS,
      NOTE,
    ],
    rows: awards.filter((a) => a.kind === 'unit' && a.unit).map((a) => ({ title: '先进单位', ...unitCells(a.unit!) })),
  };
}

export function workerAwardsTable(year: number, awards: AwardRow[]): DataTable {
  return {
    title: `${year}年度先进工作者`,
    columns: [{ key: 'title', label: '称号' }, ...WORKER_COLUMNS, NOTE],
    rows: awards
      .filter((a) => a.kind === 'worker' && a.worker)
      .map((a) => ({ title: '先进工作者', ...workerCells(a.worker!) })),
  };
}
