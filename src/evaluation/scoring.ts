// The annual evaluation's rules: its settings, the composite score and its published formula, ranks within a level.
import { MIN_SAMPLE, type Figures } from '../stats/figures.ts';
import { AppError } from '../web/app-error.ts';

export const INDICATOR_KEYS = ['replyRate', 'onTimeRate', 'satisfaction', 'resolutionRate', 'volume'] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

/** The indicators, their names and how each is computed, as the pages publish them. */
export const INDICATORS: Record<IndicatorKey, { label: string; formula: string }> = {
  replyRate: { label: '答复率', formula: '已答复 ÷ 应答复（感谢类留言不需答复）。' },
  onTimeRate: { label: '按时答复率', formula: '在办理时限（含批准的延期）内首次答复的条数 ÷ 已答复。' },
  satisfaction: {
    label: '满意度',
    formula: '留言人对解决程度、办理时间、办理态度三项评分折算为 0–100% 后按公布的权重加权平均。',
  },
  resolutionRate: { label: '解决率', formula: '答复标明问题已解决的条数 ÷ 已答复。' },
  volume: {
    label: '留言量',
    formula: '本单位收到的留言条数 ÷ 同一层级参评单位中收到留言最多的条数（办理量越大，此项越接近 100%）。',
  },
};

export const LEVELS = ['province', 'city', 'county'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = { province: '省级', city: '市级', county: '县级' };
export const levelLabel = (level: string): string => LEVEL_LABELS[level as Level] ?? level;

export interface EvaluationConfig {
  /** Whole numbers summing to 100; an indicator with weight 0 is not used. */
  weights: Record<IndicatorKey, number>;
  /** A unit that received fewer messages in the year is not ranked (不参评). */
  minMessages: number;
  /** N: the top N ranked units of each level are proposed as 先进单位. */
  topUnits: number;
  /** How many 先进工作者 are proposed. */
  workerCount: number;
  /** 先进工作者: satisfaction (0–100) of the messages they answered must be at least this. */
  satisfactionFloor: number;
  /** 先进工作者: and over at least this many ratings. */
  minRatings: number;
  /** The body that issues the certificates (颁发单位), printed on each; required before the lists are confirmed. */
  issuer: string;
}

/** The longest name of an issuing body. */
export const ISSUER_MAX = 60;

export const DEFAULT_CONFIG: EvaluationConfig = {
  weights: { replyRate: 25, onTimeRate: 20, satisfaction: 25, resolutionRate: 20, volume: 10 },
  minMessages: 10,
  topUnits: 3,
  workerCount: 10,
  satisfactionFloor: 80,
  minRatings: 5,
  issuer: '',
};

/** The settings' form fields, their labels and bounds. */
export const SETTING_FIELDS = [
  { field: 'minMessages', label: '参评最少留言数', min: 1, max: 1_000_000, hint: '全年收到留言少于此数的单位不参评' },
  {
    field: 'topUnits',
    label: '每级先进单位名额 N',
    min: 0,
    max: 100,
    hint: '每个层级排名前 N 的单位列为先进单位建议名单',
  },
  { field: 'workerCount', label: '先进工作者名额', min: 0, max: 500, hint: '' },
  { field: 'satisfactionFloor', label: '先进工作者满意度下限（%）', min: 0, max: 100, hint: '' },
  { field: 'minRatings', label: '先进工作者最少评价条数', min: 1, max: 100_000, hint: '' },
] as const;
export type SettingField = (typeof SETTING_FIELDS)[number]['field'];

const weightField = (key: IndicatorKey) => `weight_${key}`;

/** The form's values for a configuration. */
export function configToForm(config: EvaluationConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of INDICATOR_KEYS) out[weightField(key)] = String(config.weights[key]);
  for (const { field } of SETTING_FIELDS) out[field] = String(config[field]);
  out.issuer = config.issuer;
  return out;
}

function wholeNumber(raw: unknown): number | null {
  const text = typeof raw === 'string' ? raw.trim().normalize('NFKC') : typeof raw === 'number' ? String(raw) : '';
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/** A configuration from a submitted form; every field's error at once (FORM_INVALID), named by field. */
export function configFromForm(body: Record<string, unknown>): EvaluationConfig {
  const errors: AppError[] = [];
  const weights = {} as Record<IndicatorKey, number>;
  for (const key of INDICATOR_KEYS) {
    const n = wholeNumber(body[weightField(key)]);
    if (n === null || n > 100)
      errors.push(new AppError('VALIDATION', { detail: '权重应为 0–100 的整数' }, weightField(key)));
    else weights[key] = n;
  }
  if (errors.length === 0 && INDICATOR_KEYS.reduce((sum, k) => sum + weights[k], 0) !== 100) {
    errors.push(new AppError('VALIDATION', { detail: '各项指标的权重之和应为 100' }, 'weights'));
  }
  const settings = {} as Record<SettingField, number>;
  for (const { field, label, min, max } of SETTING_FIELDS) {
    const n = wholeNumber(body[field]);
    if (n === null || n < min || n > max)
      errors.push(new AppError('VALIDATION', { detail: `${label}应为 ${min}–${max} 的整数` }, field));
    else settings[field] = n;
  }
  const issuer = typeof body.issuer === 'string' ? body.issuer.trim().replace(/\s+/g, ' ') : '';
  if ([...issuer].length > ISSUER_MAX)
    errors.push(new AppError('VALIDATION', { detail: `颁发单位不超过 ${ISSUER_MAX} 个字` }, 'issuer'));
  if (errors.length > 0) throw new AppError('FORM_INVALID', {}, undefined, errors);
  return { weights, ...settings, issuer };
}

/** A stored configuration, with defaults for anything missing. */
export function parseConfig(text: string | null | undefined): EvaluationConfig {
  if (!text) return DEFAULT_CONFIG;
  const raw = JSON.parse(text) as Partial<EvaluationConfig>;
  return { ...DEFAULT_CONFIG, ...raw, weights: { ...DEFAULT_CONFIG.weights, ...(raw.weights ?? {}) } };
}

/** The composite formula in words, with this configuration's weights, as every page publishes it. */
export function formulaText(config: EvaluationConfig): string {
  const used = INDICATOR_KEYS.filter((k) => config.weights[k] > 0);
  const terms = used.map((k) => `${INDICATORS[k].label} × ${config.weights[k]}`).join(' + ');
  return `综合得分 = ${terms || '0'}（各项指标以 0–100% 计，满分 100 分）`;
}

/** The rules around the formula, in the order the pages list them. */
export function formulaNotes(config: EvaluationConfig): string[] {
  return [
    `统计期为自然年（北京时间 1 月 1 日至 12 月 31 日），留言按平台编辑审核通过、转到办理单位的日期计入，计入当前承办（答复）该留言的单位。`,
    `某项指标样本不足（应答复或已答复少于 ${MIN_SAMPLE} 条、评价少于 ${MIN_SAMPLE} 条）时不计入，其余指标按各自权重折算为百分制：综合得分 = Σ（指标值 × 权重）÷ Σ 计入指标的权重 × 100。`,
    `全年收到留言少于 ${config.minMessages} 条的单位不参评（显示为“不参评”）；省级、市级、县级单位分别排名，得分相同者名次相同。`,
    `每个层级排名前 ${config.topUnits} 的单位列为先进单位建议名单。`,
    `先进工作者：全年公开答复条数最多的工作人员，其答复的留言满意度不低于 ${config.satisfactionFloor}%，且评价不少于 ${config.minRatings} 条；建议名单 ${config.workerCount} 人。`,
    '建议名单经系统管理员确认（增减须写明理由）后发布。',
  ];
}

export interface UnitFiguresInput {
  unitId: number;
  unitName: string;
  level: string;
  figures: Figures;
}

export interface UnitResult {
  unitId: number;
  unitName: string;
  level: string;
  received: number;
  expected: number;
  replied: number;
  resolved: number;
  ratings: number;
  /** Indicator values, 0–1 (satisfaction too), null when the sample is too small. */
  replyRate: number | null;
  onTimeRate: number | null;
  satisfaction: number | null;
  resolutionRate: number | null;
  volumeIndex: number | null;
  /** 0–100, null when not ranked. */
  score: number | null;
  rank: number | null;
  eligible: boolean;
}

const round = (n: number | null, digits = 4): number | null => (n === null ? null : Number(n.toFixed(digits)));

/** Scores every unit and ranks the eligible ones within their level. */
export function scoreUnits(inputs: UnitFiguresInput[], config: EvaluationConfig): UnitResult[] {
  const rows: UnitResult[] = inputs.map(({ unitId, unitName, level, figures: f }) => ({
    unitId,
    unitName,
    level,
    received: f.received,
    expected: f.expected,
    replied: f.replied,
    resolved: f.resolved,
    ratings: f.ratings,
    replyRate: round(f.replyRate),
    onTimeRate: round(f.onTimeRate),
    satisfaction: f.satisfaction === null ? null : round(f.satisfaction / 100),
    resolutionRate: f.replied >= MIN_SAMPLE ? round(f.resolved / f.replied) : null,
    volumeIndex: null,
    score: null,
    rank: null,
    eligible: f.received >= config.minMessages,
  }));
  const maxByLevel = new Map<string, number>();
  for (const r of rows) if (r.eligible) maxByLevel.set(r.level, Math.max(maxByLevel.get(r.level) ?? 0, r.received));
  for (const r of rows) {
    if (!r.eligible) continue;
    r.volumeIndex = round(r.received / maxByLevel.get(r.level)!);
    const values: Record<IndicatorKey, number | null> = {
      replyRate: r.replyRate,
      onTimeRate: r.onTimeRate,
      satisfaction: r.satisfaction,
      resolutionRate: r.resolutionRate,
      volume: r.volumeIndex,
    };
    let weighted = 0;
    let weight = 0;
    for (const key of INDICATOR_KEYS) {
      const v = values[key];
      if (v === null || config.weights[key] === 0) continue;
      weighted += v * config.weights[key];
      weight += config.weights[key];
    }
    r.score = weight > 0 ? round((weighted / weight) * 100, 2) : null;
    if (r.score === null) r.eligible = false;
  }
  for (const level of new Set(rows.map((r) => r.level))) {
    const ranked = rows.filter((r) => r.level === level && r.eligible).sort(byScore);
    ranked.forEach((r, i) => {
      const previous = ranked[i - 1];
      r.rank = previous && previous.score === r.score ? previous.rank : i + 1;
    });
  }
  return rows.sort(
    (a, b) =>
      LEVELS.indexOf(a.level as Level) - LEVELS.indexOf(b.level as Level) ||
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      b.received - a.received ||
      a.unitId - b.unitId,
  );
}

function byScore(a: UnitResult, b: UnitResult): number {
  return (b.score ?? 0) - (a.score ?? 0) || b.received - a.received || a.unitId - b.unitId;
}

export interface WorkerCounts {
  userId: number;
  name: string;
  unitId: number;
  unitName: string;
  replies: number;
  ratings: number;
  /** 0–100 over their ratings; null without ratings. */
  satisfaction: number | null;
}

export interface WorkerResult extends WorkerCounts {
  rank: number | null;
  eligible: boolean;
}

/** Staff who qualify (enough ratings, satisfaction at or above the floor), ranked by published replies. */
export function rankWorkers(workers: WorkerCounts[], config: EvaluationConfig): WorkerResult[] {
  const rows: WorkerResult[] = workers.map((w) => ({
    ...w,
    satisfaction: round(w.satisfaction, 2),
    eligible: w.ratings >= config.minRatings && w.satisfaction !== null && w.satisfaction >= config.satisfactionFloor,
    rank: null,
  }));
  const order = (a: WorkerResult, b: WorkerResult) =>
    b.replies - a.replies || (b.satisfaction ?? 0) - (a.satisfaction ?? 0) || a.userId - b.userId;
  const ranked = rows.filter((w) => w.eligible).sort(order);
  ranked.forEach((w, i) => {
    const previous = ranked[i - 1];
    w.rank =
      previous && previous.replies === w.replies && previous.satisfaction === w.satisfaction ? previous.rank : i + 1;
  });
  return rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || order(a, b));
}

/** The proposed 先进单位: the top N ranks of each level. */
export function proposedUnits(results: UnitResult[], config: EvaluationConfig): UnitResult[] {
  return results.filter((r) => r.eligible && r.rank !== null && r.rank <= config.topUnits);
}

/** The proposed 先进工作者: the first `workerCount` who qualify. */
export function proposedWorkers(workers: WorkerResult[], config: EvaluationConfig): WorkerResult[] {
  return workers.filter((w) => w.eligible).slice(0, config.workerCount);
}
