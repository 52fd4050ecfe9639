// The published figures and their formulas: one definition, used by every page, export and the API.
import { zhCN } from '../i18n/catalog.zh-CN.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../i18n/i18n.ts';
import { numberFormat, type NumberFormat } from '../web/number-format.ts';
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

const KINDS: Record<FigureKey, Kind> = {
  received: 'count',
  expected: 'count',
  replied: 'count',
  replyRate: 'rate',
  onTime: 'count',
  onTimeRate: 'rate',
  medianDays: 'days',
  p90Days: 'days',
  ratings: 'count',
  satisfaction: 'percent',
  satisfactionResolution: 'percent',
  satisfactionTimeliness: 'percent',
  satisfactionAttitude: 'percent',
  resolved: 'count',
  overdue: 'count',
  returned: 'count',
  reopened: 'count',
  reopenedRate: 'rate',
  signed: 'count',
};

/**
 * Labels and the "how is this computed" notes, in the order pages show them. The Chinese text lives in the
 * catalogue (with its translations); this is the platform's own wording, used by the API and downloads.
 */
export const FIGURES = Object.fromEntries(
  (Object.keys(KINDS) as FigureKey[]).map((key) => [
    key,
    { kind: KINDS[key], label: zhCN[`stats.figure.${key}`], formula: zhCN[`stats.formula.${key}`] },
  ]),
) as Record<FigureKey, FigureDefinition>;

/** A figure's label and formula in the page's language. */
export const figureLabel = (key: FigureKey, t: Translate) => t(`stats.figure.${key}`);
export const figureFormula = (key: FigureKey, t: Translate) => t(`stats.formula.${key}`);

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

/** The yearly indicator table's figures (after 地区代码 and 地区), in the order of the assessment's indicator tables. */
export const INDICATOR_FIGURES = [
  'received',
  'expected',
  'replied',
  'replyRate',
  'onTimeRate',
  'medianDays',
  'p90Days',
  'satisfaction',
  'satisfactionResolution',
  'satisfactionTimeliness',
  'satisfactionAttitude',
  'ratings',
  'resolved',
  'overdue',
  'returned',
  'reopened',
  'signed',
] as const satisfies readonly FigureKey[];

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

/**
 * A figure as the pages print it, in the page's language (`t`, `num`): counts with grouping, rates and satisfaction as
 * percentages to one decimal (Intl: 12,345 and 87.5%), "样本不足" when null.
 */
export function formatFigure(
  key: FigureKey,
  value: number | null,
  t: Translate = translator(DEFAULT_LOCALE),
  num: NumberFormat = numberFormat(DEFAULT_LOCALE),
): string {
  const kind = FIGURES[key].kind;
  if (value === null) return kind === 'days' ? '—' : t('stats.tooFew');
  if (kind === 'rate') return num.percent(value);
  if (kind === 'percent') return num.percent(value / 100);
  if (kind === 'days') return t(value === 1 ? 'stats.days.one' : 'stats.days', { n: num.count(value) });
  return num.count(value);
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
