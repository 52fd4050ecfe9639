// Deadline rules as data: the defaults, the 信访 preset, per-region overrides and their validation.
import { addCalendarDays, addWorkingDays } from './working-days.ts';

export type MessageTypeKey = 'consult' | 'suggest' | 'complain' | 'help' | 'thanks';

export interface WorkingRules {
  dayKind: 'working' | 'calendar'; // how the day counts below are counted
  reviewHours: number; // editor review, default 24 (clock hours)
  acceptDays: number; // default 3
  handlingDays: Record<MessageTypeKey, number>; // consult 5, suggest 10, help 10, complain 15, thanks 0 (thanks need no handling)
  extensionMaxDays: number; // default 15
  maxExtensions: number; // default 1
  objectionDays: number; // return window, default 5
  ratingDays: number; // default 20
  escalationDays: number; // after a supervision notice, escalate one level up after this many days, default 5
  documentTitle: string | null; // the region's governing document, e.g. '《XX省网民留言办理工作办法》'
  documentUrl: string | null;
}

export type RulesOverride = Partial<Omit<WorkingRules, 'handlingDays'>> & {
  handlingDays?: Partial<Record<MessageTypeKey, number>>;
  preset?: 'default' | 'xinfang';
};

const MESSAGE_TYPES: readonly MessageTypeKey[] = ['consult', 'suggest', 'complain', 'help', 'thanks'];

function freezeRules(rules: WorkingRules): WorkingRules {
  Object.freeze(rules.handlingDays);
  return Object.freeze(rules);
}

/** DESIGN.md §3: working days on the official calendar. */
export const DEFAULT_RULES: WorkingRules = freezeRules({
  dayKind: 'working',
  reviewHours: 24,
  acceptDays: 3,
  handlingDays: { consult: 5, suggest: 10, complain: 15, help: 10, thanks: 0 },
  extensionMaxDays: 15,
  maxExtensions: 1,
  objectionDays: 5,
  ratingDays: 20,
  escalationDays: 5,
  documentTitle: null,
  documentUrl: null,
});

/**
 * 信访工作条例 (2022). The 条例 writes its limits as "N日", natural days; only the objection
 * window of Art. 23 is "5个工作日". The rules have one day kind, so this preset counts
 * everything in calendar days, which makes its objection window shorter than Art. 23 allows
 * (5 natural days instead of 5 working days).
 */
export const XINFANG_PRESET: WorkingRules = freezeRules({
  dayKind: 'calendar',
  reviewHours: DEFAULT_RULES.reviewHours, // not set by the 条例
  // Art. 22: the 信访 department handles (转送/交办) within 15日; Art. 23 ¶2–3: written notice of
  // receipt within 15日 of receiving the matter.
  acceptDays: 15,
  // Art. 34: finished within 60日 of acceptance. Thanks still need no handling.
  handlingDays: { consult: 60, suggest: 60, complain: 60, help: 60, thanks: 0 },
  // Art. 34: complicated cases may be extended once, approved by the unit's head, by at most 30日,
  // and the 信访人 is told why.
  extensionMaxDays: 30,
  maxExtensions: 1,
  // Art. 23 ¶3: a unit that receives a matter outside its remit objects within 5个工作日.
  objectionDays: 5,
  // Not set by the 条例 (Art. 35's 30日 are for asking the next level to review, not for rating).
  ratingDays: DEFAULT_RULES.ratingDays,
  escalationDays: DEFAULT_RULES.escalationDays, // not set by the 条例
  documentTitle: '《信访工作条例》',
  documentUrl: null,
});

const PRESETS: Record<NonNullable<RulesOverride['preset']>, WorkingRules> = {
  default: DEFAULT_RULES,
  xinfang: XINFANG_PRESET,
};

function copyRules(rules: WorkingRules): WorkingRules {
  return { ...rules, handlingDays: { ...rules.handlingDays } };
}

type ScalarField = Exclude<keyof WorkingRules, 'handlingDays'>;

const SCALAR_FIELDS = Object.keys(DEFAULT_RULES).filter((key) => key !== 'handlingDays') as ScalarField[];

function setIfDefined<K extends ScalarField>(rules: WorkingRules, level: RulesOverride, key: K): void {
  const value = level[key];
  if (value !== undefined) rules[key] = value as WorkingRules[K];
}

/**
 * The rules in force for a county (or city, or province): `chain` is province first, then city,
 * then county. Each level applies on top of the one above; a level's `preset` first resets to
 * that preset, then its own values apply. Overrides are expected to have passed validateOverride.
 */
export function resolveRules(chain: RulesOverride[]): WorkingRules {
  let rules = copyRules(DEFAULT_RULES);
  for (const level of chain) {
    if (level.preset !== undefined) rules = copyRules(PRESETS[level.preset]);
    for (const key of SCALAR_FIELDS) setIfDefined(rules, level, key);
    for (const type of MESSAGE_TYPES) {
      const days = level.handlingDays?.[type];
      if (days !== undefined) rules.handlingDays[type] = days;
    }
  }
  return rules;
}

/** The deadline `days` days after `start`, counted as `rules.dayKind` says. */
export function deadlineFor(start: Date, days: number, rules: Pick<WorkingRules, 'dayKind'>): Date {
  return rules.dayKind === 'working' ? addWorkingDays(start, days) : addCalendarDays(start, days);
}

// Validation. Field names, labels and ranges are the user-facing contract for region admins.

type NumberField = Exclude<ScalarField, 'dayKind' | 'documentTitle' | 'documentUrl'>;

const NUMBER_FIELDS: Record<NumberField, { label: string; min: number; max: number; unit?: string }> = {
  reviewHours: { label: '审核时限', min: 1, max: 720, unit: '小时' },
  acceptDays: { label: '受理时限', min: 1, max: 60 },
  extensionMaxDays: { label: '延期最长天数', min: 0, max: 365 },
  maxExtensions: { label: '延期次数上限', min: 0, max: 10 },
  objectionDays: { label: '退回时限', min: 0, max: 365 },
  ratingDays: { label: '评价期限', min: 1, max: 365 },
  escalationDays: { label: '督办升级期限', min: 1, max: 365 },
};

const HANDLING_FIELDS: Record<MessageTypeKey, { label: string; min: number; max: number }> = {
  consult: { label: '咨询类办理时限', min: 1, max: 365 },
  suggest: { label: '建言类办理时限', min: 1, max: 365 },
  complain: { label: '投诉类办理时限', min: 1, max: 365 },
  help: { label: '求助类办理时限', min: 1, max: 365 },
  thanks: { label: '感谢类办理时限', min: 0, max: 365 },
};

const TITLE_MAX = 200;
const URL_MAX = 2000;

type Validation = { ok: true; value: RulesOverride } | { ok: false; field: string; message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function integerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function rangeMessage(spec: { label: string; min: number; max: number; unit?: string }): string {
  return `${spec.label}应为 ${spec.min}–${spec.max} 之间的整数${spec.unit ? `（${spec.unit}）` : ''}`;
}

/** Blank strings mean "not set"; anything else is trimmed. */
function optionalText(value: unknown): { ok: true; text: string | null } | { ok: false } {
  if (value === null) return { ok: true, text: null };
  if (typeof value !== 'string') return { ok: false };
  const text = value.trim();
  return { ok: true, text: text === '' ? null : text };
}

/**
 * Checks one region level's override as submitted (parsed JSON or form data turned into numbers).
 * Returns a fresh object holding only the recognised fields.
 */
export function validateOverride(input: unknown): Validation {
  const fail = (field: string, message: string): Validation => ({ ok: false, field, message });
  if (!isPlainObject(input)) return fail('', '规则设置应为一个对象');

  const value: RulesOverride = {};
  for (const [field, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    if (field === 'preset') {
      if (raw !== 'default' && raw !== 'xinfang')
        return fail(field, '预设应为 default（默认）或 xinfang（信访工作条例）');
      value.preset = raw;
    } else if (field === 'dayKind') {
      if (raw !== 'working' && raw !== 'calendar')
        return fail(field, '计日方式应为 working（工作日）或 calendar（自然日）');
      value.dayKind = raw;
    } else if (Object.hasOwn(NUMBER_FIELDS, field)) {
      const spec = NUMBER_FIELDS[field as NumberField];
      if (!integerIn(raw, spec.min, spec.max)) return fail(field, rangeMessage(spec));
      value[field as NumberField] = raw;
    } else if (field === 'handlingDays') {
      if (!isPlainObject(raw)) return fail(field, '办理时限应按留言类型分别设置');
      const handling: Partial<Record<MessageTypeKey, number>> = {};
      for (const [type, days] of Object.entries(raw)) {
        if (days === undefined) continue;
        const path = `handlingDays.${type}`;
        if (!Object.hasOwn(HANDLING_FIELDS, type)) return fail(path, `未知的留言类型：${type}`);
        const spec = HANDLING_FIELDS[type as MessageTypeKey];
        if (!integerIn(days, spec.min, spec.max)) return fail(path, rangeMessage(spec));
        handling[type as MessageTypeKey] = days;
      }
      value.handlingDays = handling;
    } else if (field === 'documentTitle') {
      const title = optionalText(raw);
      if (!title.ok) return fail(field, '依据文件名称应为文字');
      if (title.text !== null && [...title.text].length > TITLE_MAX) {
        return fail(field, `依据文件名称不得超过 ${TITLE_MAX} 个字符`);
      }
      if (title.text !== null && /[\u0000-\u001f\u007f]/.test(title.text)) {
        return fail(field, '依据文件名称不得包含换行或控制字符');
      }
      value.documentTitle = title.text;
    } else if (field === 'documentUrl') {
      const url = optionalText(raw);
      if (!url.ok) return fail(field, '依据文件链接应为网址');
      if (url.text !== null) {
        if (url.text.length > URL_MAX) return fail(field, `依据文件链接不得超过 ${URL_MAX} 个字符`);
        let parsed: URL;
        try {
          parsed = new URL(url.text);
        } catch {
          return fail(field, '依据文件链接应为以 http:// 或 https:// 开头的网址');
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
          return fail(field, '依据文件链接应为以 http:// 或 https:// 开头的网址');
        }
      }
      value.documentUrl = url.text;
    } else {
      return fail(field, `未知的设置项：${field}`);
    }
  }
  return { ok: true, value };
}
