// The annual evaluation's rules: its settings, the composite score and its published formula, ranks within a level.
import { zhCN } from '../i18n/catalog.zh-CN.ts';
import { DEFAULT_LOCALE, localized, type MessageKey, translator, type Translate } from '../i18n/i18n.ts';
import { MIN_SAMPLE, type Figures } from '../stats/figures.ts';
import { AppError } from '../web/app-error.ts';

export const INDICATOR_KEYS = ['replyRate', 'onTimeRate', 'satisfaction', 'resolutionRate', 'volume'] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

/** The platform's own language, in which the API publishes the formula and the levels. */
const zh = translator(DEFAULT_LOCALE);

/** An indicator's name and how it is computed, in a language (the catalogue's `evaluation.indicator.*`). */
export const indicatorLabel = (key: IndicatorKey, t: Translate = zh) => t(`evaluation.indicator.${key}`);
export const indicatorFormula = (key: IndicatorKey, t: Translate = zh) => t(`evaluation.indicator.${key}.formula`);

/** The indicators, their names and how each is computed, in the platform's own language. */
export const INDICATORS = Object.fromEntries(
  INDICATOR_KEYS.map((key) => [key, { label: indicatorLabel(key), formula: indicatorFormula(key) }]),
) as Record<IndicatorKey, { label: string; formula: string }>;

export const LEVELS = ['province', 'city', 'county'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = {
  province: zhCN['evaluation.level.province'],
  city: zhCN['evaluation.level.city'],
  county: zhCN['evaluation.level.county'],
};
/** A level's name in a language; a level the evaluation does not know stays as stored. */
export const levelLabel = (level: string, t: Translate = zh): string =>
  (LEVELS as readonly string[]).includes(level) ? t(`evaluation.level.${level as Level}`) : level;

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

/** The settings' form fields, their labels and hints (catalogue keys) and bounds. */
export const SETTING_FIELDS: readonly {
  field: 'minMessages' | 'topUnits' | 'workerCount' | 'satisfactionFloor' | 'minRatings';
  label: MessageKey;
  min: number;
  max: number;
  hint: MessageKey | null;
}[] = [
  {
    field: 'minMessages',
    label: 'evaluation.setting.minMessages',
    min: 1,
    max: 1_000_000,
    hint: 'evaluation.setting.minMessages.hint',
  },
  {
    field: 'topUnits',
    label: 'evaluation.setting.topUnits',
    min: 0,
    max: 100,
    hint: 'evaluation.setting.topUnits.hint',
  },
  { field: 'workerCount', label: 'evaluation.setting.workerCount', min: 0, max: 500, hint: null },
  { field: 'satisfactionFloor', label: 'evaluation.setting.satisfactionFloor', min: 0, max: 100, hint: null },
  { field: 'minRatings', label: 'evaluation.setting.minRatings', min: 1, max: 100_000, hint: null },
];
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
      errors.push(new AppError('VALIDATION', { detail: localized('evaluation.error.weight') }, weightField(key)));
    else weights[key] = n;
  }
  if (errors.length === 0 && INDICATOR_KEYS.reduce((sum, k) => sum + weights[k], 0) !== 100) {
    errors.push(new AppError('VALIDATION', { detail: localized('evaluation.error.weightSum') }, 'weights'));
  }
  const settings = {} as Record<SettingField, number>;
  for (const { field, label, min, max } of SETTING_FIELDS) {
    const n = wholeNumber(body[field]);
    const detail = localized('evaluation.error.range', { label: localized(label), min, max });
    if (n === null || n < min || n > max) errors.push(new AppError('VALIDATION', { detail }, field));
    else settings[field] = n;
  }
  const issuer = typeof body.issuer === 'string' ? body.issuer.trim().replace(/\s+/g, ' ') : '';
  if ([...issuer].length > ISSUER_MAX)
    errors.push(
      new AppError('VALIDATION', { detail: localized('evaluation.error.issuer', { max: ISSUER_MAX }) }, 'issuer'),
    );
  if (errors.length > 0) throw new AppError('FORM_INVALID', {}, undefined, errors);
  return { weights, ...settings, issuer };
}

/** A stored configuration, with defaults for anything missing. */
export function parseConfig(text: string | null | undefined): EvaluationConfig {
  if (!text) return DEFAULT_CONFIG;
  const raw = JSON.parse(text) as Partial<EvaluationConfig>;
  return { ...DEFAULT_CONFIG, ...raw, weights: { ...DEFAULT_CONFIG.weights, ...(raw.weights ?? {}) } };
}

/** The composite formula in words, with this configuration's weights, as every page publishes it (in `t`'s language). */
export function formulaText(config: EvaluationConfig, t: Translate = zh): string {
  const used = INDICATOR_KEYS.filter((k) => config.weights[k] > 0);
  const terms = used.map((k) => `${indicatorLabel(k, t)} × ${config.weights[k]}`).join(' + ');
  return t('evaluation.formula.text', { terms: terms || '0' });
}

/** The rules around the formula, in the order the pages list them (in `t`'s language). */
export function formulaNotes(config: EvaluationConfig, t: Translate = zh): string[] {
  return [
    t('evaluation.formula.note.period'),
    t('evaluation.formula.note.sample', { min: MIN_SAMPLE }),
    t('evaluation.formula.note.eligible', { minMessages: config.minMessages }),
    t('evaluation.formula.note.units', { topUnits: config.topUnits }),
    t('evaluation.formula.note.workers', {
      floor: config.satisfactionFloor,
      minRatings: config.minRatings,
      workerCount: config.workerCount,
    }),
    t('evaluation.formula.note.confirm'),
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
