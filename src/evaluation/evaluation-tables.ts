// The evaluation's tables as the pages show them and as CSV/XLSX downloads: one definition for both.
import type { Cell, DataTable } from '../exports/table-export.ts';
import type { AwardRow } from './evaluation.repository.ts';
import { levelLabel, type UnitResult, type WorkerResult } from './scoring.ts';

export const NOT_RANKED = '不参评';
export const SMALL_SAMPLE = '样本不足';

/** A 0–1 value as a percentage with one decimal, or "样本不足". */
export function percent(value: number | null): Cell {
  return value === null ? SMALL_SAMPLE : Number((value * 100).toFixed(1));
}

/** As the pages print it: "85.3%". */
export function percentText(value: number | null): string {
  const p = percent(value);
  return typeof p === 'number' ? `${p.toFixed(1)}%` : String(p);
}

const UNIT_FIGURE_COLUMNS = [
  { key: 'received', label: '收到留言' },
  { key: 'replied', label: '已答复' },
  { key: 'replyRate', label: '答复率（%）' },
  { key: 'onTimeRate', label: '按时答复率（%）' },
  { key: 'satisfaction', label: '满意度（%）' },
  { key: 'ratings', label: '评价条数' },
  { key: 'resolved', label: '已解决' },
  { key: 'resolutionRate', label: '解决率（%）' },
  { key: 'volumeIndex', label: '留言量（%）' },
  { key: 'score', label: '综合得分' },
];

function unitCells(u: UnitResult): Record<string, Cell> {
  return {
    level: levelLabel(u.level),
    rank: u.rank ?? NOT_RANKED,
    unit: u.unitName,
    received: u.received,
    replied: u.replied,
    replyRate: percent(u.replyRate),
    onTimeRate: percent(u.onTimeRate),
    satisfaction: percent(u.satisfaction),
    ratings: u.ratings,
    resolved: u.resolved,
    resolutionRate: percent(u.resolutionRate),
    volumeIndex: u.volumeIndex === null ? NOT_RANKED : percent(u.volumeIndex),
    score: u.score ?? NOT_RANKED,
  };
}

export function resultsTable(year: number, units: UnitResult[]): DataTable {
  return {
    title: `${year}年度网民留言办理工作考评结果`,
    columns: [
      { key: 'level', label: '层级' },
      { key: 'rank', label: '排名' },
      { key: 'unit', label: '单位' },
      ...UNIT_FIGURE_COLUMNS,
    ],
    rows: units.map(unitCells),
  };
}

function workerCells(w: WorkerResult): Record<string, Cell> {
  return {
    rank: w.rank ?? NOT_RANKED,
    name: w.name,
    unit: w.unitName,
    replies: w.replies,
    ratings: w.ratings,
    satisfaction: w.satisfaction === null ? SMALL_SAMPLE : Number(w.satisfaction.toFixed(1)),
  };
}

const WORKER_COLUMNS = [
  { key: 'name', label: '姓名' },
  { key: 'unit', label: '所在单位' },
  { key: 'replies', label: '公开答复条数' },
  { key: 'ratings', label: '评价条数' },
  { key: 'satisfaction', label: '满意度（%）' },
];

export function workersTable(year: number, workers: WorkerResult[]): DataTable {
  return {
    title: `${year}年度工作人员答复情况`,
    columns: [{ key: 'rank', label: '排名' }, ...WORKER_COLUMNS],
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
      { key: 'rank', label: '排名' },
      ...UNIT_FIGURE_COLUMNS,
    ],
    rows: awards.filter((a) => a.kind === 'unit' && a.unit).map((a) => ({ title: '先进单位', ...unitCells(a.unit!) })),
  };
}

export function workerAwardsTable(year: number, awards: AwardRow[]): DataTable {
  return {
    title: `${year}年度先进工作者`,
    columns: [{ key: 'title', label: '称号' }, ...WORKER_COLUMNS],
    rows: awards
      .filter((a) => a.kind === 'worker' && a.worker)
      .map((a) => ({ title: '先进工作者', ...workerCells(a.worker!) })),
  };
}
