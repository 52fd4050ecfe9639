// What one message contributes to the published figures, derived from its case history alone, so
// that an incremental update and a full recomputation cannot disagree.
import { chinaDate, workingDaysBetween } from '../deadlines/working-days.ts';

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

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * null for a message that never reached the handling units (waiting for review or rejected).
 * received = the editor's approval; the deadline that counts for "on time" is the handling deadline
 * in force when the first reply was published (with any granted extension); handling time is in
 * working days on the official calendar from that approval to the first published reply.
 */
export function deriveFacts(message: FactsMessage, events: readonly FactsEvent[]): MessageFacts | null {
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
  return {
    messageId: message.id,
    boardId: message.boardId,
    unitId: message.unitId,
    regionCode: message.regionCode,
    provinceCode: message.provinceCode,
    cityCode: message.cityCode,
    type: message.type,
    receivedAt,
    receivedDay: chinaDate(new Date(receivedAt)),
    expected: message.type === 'thanks' ? 0 : 1,
    repliedAt,
    dueAt,
    onTime: repliedAt === null ? null : dueAt === null || Date.parse(repliedAt) <= Date.parse(dueAt) ? 1 : 0,
    handlingDays: repliedAt === null ? null : workingDaysBetween(new Date(receivedAt), new Date(repliedAt)),
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
