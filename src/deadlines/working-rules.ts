// Deadline rules as data: the defaults, the 信访 preset, per-region overrides and their validation.
import { DEFAULT_LOCALE, type MessageKey, translator, type Translate } from '../i18n/i18n.ts';
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

interface Range {
  min: number;
  max: number;
  hours?: true;
}

const NUMBER_FIELDS: Record<NumberField, Range> = {
  reviewHours: { min: 1, max: 720, hours: true },
  acceptDays: { min: 1, max: 60 },
  extensionMaxDays: { min: 0, max: 365 },
  maxExtensions: { min: 0, max: 10 },
  objectionDays: { min: 0, max: 365 },
  ratingDays: { min: 1, max: 365 },
  escalationDays: { min: 1, max: 365 },
};

const HANDLING_FIELDS: Record<MessageTypeKey, Range> = {
  consult: { min: 1, max: 365 },
  suggest: { min: 1, max: 365 },
  complain: { min: 1, max: 365 },
  help: { min: 1, max: 365 },
  thanks: { min: 0, max: 365 },
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

/** Blank strings mean "not set"; anything else is trimmed. */
function optionalText(value: unknown): { ok: true; text: string | null } | { ok: false } {
  if (value === null) return { ok: true, text: null };
  if (typeof value !== 'string') return { ok: false };
  const text = value.trim();
  return { ok: true, text: text === '' ? null : text };
}

/** The command line and the API speak the default language; the admin page passes its own. */
const zh = translator(DEFAULT_LOCALE);

/**
 * Checks one region level's override as submitted (parsed JSON or form data turned into numbers).
 * Returns a fresh object holding only the recognised fields, or the first problem in `t`'s language.
 */
export function validateOverride(input: unknown, t: Translate = zh): Validation {
  const fail = (field: string, key: MessageKey, params?: Record<string, string | number>): Validation => ({
    ok: false,
    field,
    message: t(key, params),
  });
  const range = (field: string, spec: Range) =>
    fail(field, spec.hours ? 'rules.error.rangeHours' : 'rules.error.range', {
      label: t(`rules.field.${field}` as MessageKey),
      min: spec.min,
      max: spec.max,
    });
  if (!isPlainObject(input)) return fail('', 'rules.error.object');

  const value: RulesOverride = {};
  for (const [field, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    if (field === 'preset') {
      if (raw !== 'default' && raw !== 'xinfang') return fail(field, 'rules.error.preset');
      value.preset = raw;
    } else if (field === 'dayKind') {
      if (raw !== 'working' && raw !== 'calendar') return fail(field, 'rules.error.dayKind');
      value.dayKind = raw;
    } else if (Object.hasOwn(NUMBER_FIELDS, field)) {
      const spec = NUMBER_FIELDS[field as NumberField];
      if (!integerIn(raw, spec.min, spec.max)) return range(field, spec);
      value[field as NumberField] = raw;
    } else if (field === 'handlingDays') {
      if (!isPlainObject(raw)) return fail(field, 'rules.error.handlingDays');
      const handling: Partial<Record<MessageTypeKey, number>> = {};
      for (const [type, days] of Object.entries(raw)) {
        if (days === undefined) continue;
        const path = `handlingDays.${type}`;
        if (!Object.hasOwn(HANDLING_FIELDS, type)) return fail(path, 'rules.error.messageType', { type });
        const spec = HANDLING_FIELDS[type as MessageTypeKey];
        if (!integerIn(days, spec.min, spec.max)) return range(path, spec);
        handling[type as MessageTypeKey] = days;
      }
      value.handlingDays = handling;
    } else if (field === 'documentTitle') {
      const title = optionalText(raw);
      if (!title.ok) return fail(field, 'rules.error.documentTitle');
      if (title.text !== null && [...title.text].length > TITLE_MAX) {
        return fail(field, 'rules.error.documentTitleLong', { max: TITLE_MAX });
      }
      if (title.text !== null && /[\u0000-\u001f\u007f]/.test(title.text)) {
        return fail(field, 'rules.error.documentTitleControl');
      }
      value.documentTitle = title.text;
    } else if (field === 'documentUrl') {
      const url = optionalText(raw);
      if (!url.ok) return fail(field, 'rules.error.documentUrl');
      if (url.text !== null) {
        if (url.text.length > URL_MAX) return fail(field, 'rules.error.documentUrlLong', { max: URL_MAX });
        let parsed: URL;
        try {
          parsed = new URL(url.text);
        } catch {
          return fail(field, 'rules.error.documentUrlScheme');
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
          return fail(field, 'rules.error.documentUrlScheme');
        }
      }
      value.documentUrl = url.text;
    } else {
      return fail(field, 'rules.error.unknownField', { field });
    }
  }
  return { ok: true, value };
}
