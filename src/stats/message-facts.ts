// What one message contributes to the published figures, derived from its case history alone, so
// that an incremental update and a full recomputation cannot disagree.
import { chinaDate, isWorkingDay, workingDaysBetween } from '../deadlines/working-days.ts';

/** The parts of a message row the figures need (its history supplies the rest). */
export interface FactsMessage {
  id: number;
  boardId: number;
  unitId: number;
  regionCode: string;
  provinceCode: string;
  cityCode: string | null;
  type: string;
}

export interface FactsEvent {
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export interface MessageFacts {
  messageId: number;
  boardId: number;
  unitId: number;
  regionCode: string;
  provinceCode: string;
  cityCode: string | null;
  type: string;
  receivedAt: string;
  /** China calendar day it reached the handling units, 'YYYY-MM-DD'. */
  receivedDay: string;
  /** 1 unless it is a thank-you, which is acknowledged rather than answered. */
  expected: number;
  repliedAt: string | null;
  dueAt: string | null;
  onTime: number | null;
  handlingDays: number | null;
  resolved: number;
  overdue: number;
  returned: number;
  reopened: number;
  signed: number;
  ratingResolution: number | null;
  ratingTimeliness: number | null;
  ratingAttitude: number | null;
}

/** The case events the facts are derived from (deriveFacts): the ones a recomputation reads, in chain order. */
export const FACT_EVENT_KINDS: readonly string[] = [
  'approve',
  'accept',
  'grant-extension',
  'follow-up',
  'publish-reply',
  'supervise',
  'return',
  'sign-reply',
  'rate',
];
/** Of those, the kinds whose data deriveFacts reads; the others' JSON need not be parsed (their data counts as {}). */
export const KINDS_WITH_DATA: ReadonlySet<string> = new Set([
  'accept',
  'grant-extension',
  'follow-up',
  'publish-reply',
  'rate',
]);

/**
 * The province and city (null when it lies in none below the province) of a message's region, from the region's level
 * and the regions above it (region → parent → grandparent).
 */
export function provinceAndCity(region: {
  code: string;
  level: string;
  parentCode: string | null;
  parentLevel: string | null;
  grandparentCode: string | null;
}): { provinceCode: string; cityCode: string | null } {
  const { code, level, parentCode, parentLevel, grandparentCode } = region;
  const provinceCode =
    level === 'province' ? code : parentLevel === 'province' ? parentCode! : (grandparentCode ?? parentCode ?? code);
  const cityCode = level === 'city' ? code : parentLevel === 'city' ? parentCode : null;
  return { provinceCode, cityCode };
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * null for a message that never reached the handling units (waiting for review or rejected).
 * received = the editor's approval; the deadline that counts for "on time" is the handling deadline
 * in force when the first reply was published (with any granted extension); handling time is in
 * working days on the official calendar from that approval to the first published reply.
 */
export function deriveFacts(
  message: FactsMessage,
  events: readonly FactsEvent[],
  calendar: CalendarMemo | null = null,
): MessageFacts | null {
  const approval = events.find((e) => e.kind === 'approve');
  if (!approval) return null;
  let dueAt: string | null = null;
  let repliedAt: string | null = null;
  let resolved = 0;
  let overdue = 0;
  let returned = 0;
  let reopened = 0;
  let signed = 0;
  let rating: Record<string, unknown> | null = null;
  for (const e of events) {
    const due = typeof e.data.handleDueAt === 'string' ? e.data.handleDueAt : null;
    if (due && repliedAt === null && ['accept', 'grant-extension', 'follow-up', 'recompute-deadline'].includes(e.kind))
      dueAt = due;
    if (e.kind === 'publish-reply') {
      repliedAt ??= e.at;
      resolved = e.data.resolved === true ? 1 : 0;
    } else if (e.kind === 'supervise') overdue = 1;
    else if (e.kind === 'return') returned = 1;
    else if (e.kind === 'follow-up') reopened = 1;
    else if (e.kind === 'sign-reply') signed = 1;
    else if (e.kind === 'rate') rating = e.data;
  }
  const receivedAt = approval.at;
  const handlingDays =
    repliedAt === null
      ? null
      : calendar
        ? calendar.workingDaysBetween(receivedAt, repliedAt)
        : workingDaysBetween(new Date(receivedAt), new Date(repliedAt));
  return {
    messageId: message.id,
    boardId: message.boardId,
    unitId: message.unitId,
    regionCode: message.regionCode,
    provinceCode: message.provinceCode,
    cityCode: message.cityCode,
    type: message.type,
    receivedAt,
    receivedDay: calendar ? calendar.chinaDate(receivedAt) : chinaDate(new Date(receivedAt)),
    expected: message.type === 'thanks' ? 0 : 1,
    repliedAt,
    dueAt,
    onTime: repliedAt === null ? null : dueAt === null || Date.parse(repliedAt) <= Date.parse(dueAt) ? 1 : 0,
    handlingDays,
    resolved,
    overdue,
    returned,
    reopened,
    signed,
    ratingResolution: rating ? num(rating.resolution) : null,
    ratingTimeliness: rating ? num(rating.timeliness) : null,
    ratingAttitude: rating ? num(rating.attitude) : null,
  };
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** The China calendar day (days since 1970-01-01, UTC+8 all year) of an ISO instant. */
const chinaDayNumber = (iso: string) => Math.floor((Date.parse(iso) + CHINA_OFFSET_MS) / DAY_MS);

/**
 * China dates and working days between two instants, kept by their China calendar days: both depend on nothing else,
 * so a recomputation over a million messages works out each pair of days once. Meant for one pass (the official
 * calendar could change between passes).
 */
export interface CalendarMemo {
  chinaDate(iso: string): string;
  workingDaysBetween(fromIso: string, toIso: string): number;
}

export function calendarMemo(): CalendarMemo {
  const dates = new Map<number, string>();
  // Working days counted from day `first` on: counted[i] = working days in (first, first + i].
  let first = 0;
  let counted: number[] = [];
  const cover = (day: number): void => {
    if (counted.length === 0 || day < first || day >= first + counted.length) {
      const from = counted.length === 0 ? day - 400 : Math.min(first, day - 400);
      const to = counted.length === 0 ? day + 400 : Math.max(first + counted.length - 1, day + 400);
      first = from;
      counted = [0];
      for (let d = from + 1; d <= to; d++) {
        // Noon, China time, of day d.
        const working = isWorkingDay(new Date(d * DAY_MS - CHINA_OFFSET_MS + DAY_MS / 2));
        counted.push(counted[counted.length - 1]! + (working ? 1 : 0));
      }
    }
  };
  return {
    chinaDate(iso) {
      const day = chinaDayNumber(iso);
      let date = dates.get(day);
      if (date === undefined) dates.set(day, (date = chinaDate(new Date(iso))));
      return date;
    },
    workingDaysBetween(fromIso, toIso) {
      // The working days after the China day of `from` up to and including that of `to`; 0 when `to` is not later.
      const from = chinaDayNumber(fromIso);
      const to = chinaDayNumber(toIso);
      if (to <= from) return 0;
      cover(from);
      cover(to);
      return counted[to - first]! - counted[from - first]!;
    },
  };
}

const FACT_FIELDS: readonly (keyof MessageFacts)[] = [
  'messageId',
  'boardId',
  'unitId',
  'regionCode',
  'provinceCode',
  'cityCode',
  'type',
  'receivedAt',
  'receivedDay',
  'expected',
  'repliedAt',
  'dueAt',
  'onTime',
  'handlingDays',
  'resolved',
  'overdue',
  'returned',
  'reopened',
  'signed',
  'ratingResolution',
  'ratingTimeliness',
  'ratingAttitude',
];

/**
 * The facts as one string, field after field (message_id aside) separated by U+001F, a missing value written U+001E:
 * the same string as statsRepository.factSignaturesBetween has the database write for stored facts. Control characters
 * appear in no field (codes, types, ISO times, numbers), so equal strings mean equal facts.
 */
export function factsSignature(f: MessageFacts): string {
  const none = '\u001e';
  return [
    f.boardId,
    f.unitId,
    f.regionCode,
    f.provinceCode,
    f.cityCode ?? none,
    f.type,
    f.receivedAt,
    f.receivedDay,
    f.expected,
    f.repliedAt ?? none,
    f.dueAt ?? none,
    f.onTime ?? none,
    f.handlingDays ?? none,
    f.resolved,
    f.overdue,
    f.returned,
    f.reopened,
    f.signed,
    f.ratingResolution ?? none,
    f.ratingTimeliness ?? none,
    f.ratingAttitude ?? none,
  ].join('\u001f');
}

/** Whether two sets of facts (either possibly none) are the same, field by field. */
export function sameFacts(a: MessageFacts | null, b: MessageFacts | null): boolean {
  if (a === null || b === null) return a === b;
  return FACT_FIELDS.every((field) => a[field] === b[field]);
}

/** The rollup scopes a message counts in: its board, its unit, its region and every region above, the platform. */
export function scopesOf(f: MessageFacts): string[] {
  const regions = new Set([f.regionCode, f.provinceCode, ...(f.cityCode ? [f.cityCode] : [])]);
  return ['p', `b:${f.boardId}`, `u:${f.unitId}`, ...[...regions].map((code) => `r:${code}`)];
}

export const COUNTERS = [
  'received',
  'expected',
  'replied',
  'on_time',
  'resolved',
  'overdue',
  'returned',
  'reopened',
  'signed',
  'rated',
  'resolution_sum',
  'timeliness_sum',
  'attitude_sum',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

export const zeroCounters = (): Counters => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;

/** The counters one message adds to each of its scopes for the month it was received. */
export function countersOf(f: MessageFacts): Counters {
  const rated = f.ratingResolution !== null && f.ratingTimeliness !== null && f.ratingAttitude !== null;
  return {
    received: 1,
    expected: f.expected,
    replied: f.repliedAt ? 1 : 0,
    on_time: f.onTime ?? 0,
    resolved: f.resolved,
    overdue: f.overdue,
    returned: f.returned,
    reopened: f.reopened,
    signed: f.signed,
    rated: rated ? 1 : 0,
    resolution_sum: rated ? f.ratingResolution! : 0,
    timeliness_sum: rated ? f.ratingTimeliness! : 0,
    attitude_sum: rated ? f.ratingAttitude! : 0,
  };
}
