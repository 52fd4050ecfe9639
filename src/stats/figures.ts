// The published figures and their formulas: one definition, used by every page, export and the API.
import type { Counters } from './message-facts.ts';

/** Rates and satisfaction over fewer than this many messages or ratings are shown as "样本不足". */
export const MIN_SAMPLE = 5;

export interface SatisfactionWeights {
  resolution: number;
  timeliness: number;
  attitude: number;
}
export const DEFAULT_WEIGHTS: SatisfactionWeights = { resolution: 50, timeliness: 25, attitude: 25 };

export interface Figures {
  received: number;
  expected: number;
  replied: number;
  replyRate: number | null;
  onTime: number;
  onTimeRate: number | null;
  medianDays: number | null;
  p90Days: number | null;
  ratings: number;
  satisfaction: number | null;
  satisfactionResolution: number | null;
  satisfactionTimeliness: number | null;
  satisfactionAttitude: number | null;
  resolved: number;
  overdue: number;
  returned: number;
  reopened: number;
  reopenedRate: number | null;
  signed: number;
}
export type FigureKey = keyof Figures;

type Kind = 'count' | 'rate' | 'days' | 'percent';
export interface FigureDefinition {
  label: string;
  kind: Kind;
  formula: string;
}

/** Labels and the "how is this computed" notes, in the order pages show them. */
export const FIGURES: Record<FigureKey, FigureDefinition> = {
  received: {
    label: '收到留言',
    kind: 'count',
    formula: '统计期内经平台编辑审核通过、转到办理单位的留言条数，按审核通过的日期（北京时间）计入统计期。',
  },
  expected: {
    label: '应答复',
    kind: 'count',
    formula: '收到留言中除“感谢”类以外的条数（感谢类留言只需签收，不需答复）。',
  },
  replied: { label: '已答复', kind: 'count', formula: '收到留言中已公开发布答复的条数（不论答复发布于何时）。' },
  replyRate: { label: '答复率', kind: 'rate', formula: '已答复 ÷ 应答复。' },
  onTime: {
    label: '按时答复',
    kind: 'count',
    formula: '首次答复的发布时间不晚于当时的办理时限（含批准的延期）的条数。',
  },
  onTimeRate: { label: '按时答复率', kind: 'rate', formula: '按时答复 ÷ 已答复。' },
  medianDays: {
    label: '办理用时中位数',
    kind: 'days',
    formula:
      '从审核通过到首次答复发布所经过的工作日数（按国务院公布的节假日和调休安排，审核通过当天不计）；n 条已答复留言按用时排序后取第 ⌈n÷2⌉ 条的值。',
  },
  p90Days: {
    label: '90% 留言办理用时',
    kind: 'days',
    formula: '同上的工作日数，按用时排序后取第 ⌈0.9×n⌉ 条的值：九成已答复留言在此用时以内答复。',
  },
  ratings: {
    label: '评价条数',
    kind: 'count',
    formula: '收到留言中留言人作了评价的条数（追问后再次评价的，以最后一次为准）。',
  },
  satisfaction: {
    label: '满意度',
    kind: 'percent',
    formula:
      '每条评价的三项评分（1–5 分）各折算为 0–100%（(分数 − 1) ÷ 4），再按公布的权重对解决程度、办理时间、办理态度加权平均，然后对全部评价取平均；评价不足 5 条时显示“样本不足”。',
  },
  satisfactionResolution: { label: '解决程度', kind: 'percent', formula: '解决程度评分折算为 0–100% 后的平均值。' },
  satisfactionTimeliness: { label: '办理时间', kind: 'percent', formula: '办理时间评分折算为 0–100% 后的平均值。' },
  satisfactionAttitude: { label: '办理态度', kind: 'percent', formula: '办理态度评分折算为 0–100% 后的平均值。' },
  resolved: { label: '已解决', kind: 'count', formula: '收到留言中最后一次答复标明问题已解决的条数。' },
  overdue: { label: '超期', kind: 'count', formula: '收到留言中超过受理时限或办理时限（含延期）而被督办过的条数。' },
  returned: { label: '退回', kind: 'count', formula: '收到留言中被下级单位在异议期内退回过的条数。' },
  reopened: { label: '追问', kind: 'count', formula: '收到留言中留言人对答复追问、重新办理过的条数。' },
  reopenedRate: { label: '追问率', kind: 'rate', formula: '追问 ÷ 已答复。' },
  signed: { label: '领导签发', kind: 'count', formula: '收到留言中答复由留言对象（领导本人）签发的条数。' },
};

/** The figures shown in tables and rankings, in order. */
export const TABLE_FIGURES: FigureKey[] = [
  'received',
  'replied',
  'replyRate',
  'onTimeRate',
  'medianDays',
  'p90Days',
  'satisfaction',
  'ratings',
  'resolved',
  'overdue',
  'returned',
  'reopenedRate',
  'signed',
];

const ratio = (part: number, whole: number) => (whole >= MIN_SAMPLE ? part / whole : null);

/** The nearest-rank percentile of a histogram of whole working days. */
export function percentile(histogram: readonly { days: number; count: number }[], p: number): number | null {
  const sorted = [...histogram].filter((h) => h.count > 0).sort((a, b) => a.days - b.days);
  const n = sorted.reduce((sum, h) => sum + h.count, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const h of sorted) {
    seen += h.count;
    if (seen >= rank) return h.days;
  }
  return sorted[sorted.length - 1]!.days;
}

const toPercent = (sum: number, n: number) => ((sum / n - 1) / 4) * 100;

export function computeFigures(
  c: Counters,
  histogram: readonly { days: number; count: number }[],
  weights: SatisfactionWeights,
): Figures {
  const enough = c.rated >= MIN_SAMPLE;
  const dims = enough
    ? {
        resolution: toPercent(c.resolution_sum, c.rated),
        timeliness: toPercent(c.timeliness_sum, c.rated),
        attitude: toPercent(c.attitude_sum, c.rated),
      }
    : null;
  const totalWeight = weights.resolution + weights.timeliness + weights.attitude;
  return {
    received: c.received,
    expected: c.expected,
    replied: c.replied,
    replyRate: ratio(c.replied, c.expected),
    onTime: c.on_time,
    onTimeRate: ratio(c.on_time, c.replied),
    medianDays: percentile(histogram, 0.5),
    p90Days: percentile(histogram, 0.9),
    ratings: c.rated,
    satisfaction: dims
      ? (dims.resolution * weights.resolution +
          dims.timeliness * weights.timeliness +
          dims.attitude * weights.attitude) /
        totalWeight
      : null,
    satisfactionResolution: dims?.resolution ?? null,
    satisfactionTimeliness: dims?.timeliness ?? null,
    satisfactionAttitude: dims?.attitude ?? null,
    resolved: c.resolved,
    overdue: c.overdue,
    returned: c.returned,
    reopened: c.reopened,
    reopenedRate: ratio(c.reopened, c.replied),
    signed: c.signed,
  };
}

/** A figure as the pages print it: counts as integers, rates and satisfaction as percentages, "样本不足" when null. */
export function formatFigure(key: FigureKey, value: number | null): string {
  const kind = FIGURES[key].kind;
  if (value === null) return kind === 'days' ? '—' : '样本不足';
  if (kind === 'rate') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'percent') return `${value.toFixed(1)}%`;
  if (kind === 'days') return `${value} 个工作日`;
  return value.toLocaleString('zh-CN');
}

/** For JSON and exports: rates as fractions and satisfaction as a percentage, to 4 decimals. */
export function roundFigures(f: Figures): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(f).map(([key, v]) => [
      key,
      typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v,
    ]),
  );
}
