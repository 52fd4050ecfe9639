// A solicitation's four phases — entries, review, voting, results — and where it stands at a moment, from its dates in Beijing time.
import { chinaDate } from '../deadlines/working-days.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../i18n/i18n.ts';
import { AppError } from '../web/app-error.ts';

export const PHASES = ['entries', 'review', 'voting', 'results'] as const;
export type Phase = (typeof PHASES)[number];

/** The phases' Chinese names, for error messages and the API (pages use the catalogue). */
export const PHASE_LABELS: Record<Phase, string> = {
  entries: '作品征集',
  review: '作品评审',
  voting: '网络投票',
  results: '结果公布',
};

/** Before the first phase, in one of them (or past its end, before the next begins), or after the last. */
export type Stage = 'upcoming' | Phase | 'closed';

/** A phase from its start (inclusive) to its end (exclusive), as ISO instants. */
export interface Span {
  startAt: string;
  endAt: string;
}

export type Schedule = Record<Phase, Span>;

export interface Standing {
  stage: Stage;
  /** The stage's phase runs now: false in the gap after it ended and before the next begins, and before or after all. */
  running: boolean;
}

/** The lists of the public page: taking entries (or about to), voting, over. */
export type Group = 'open' | 'voting' | 'closed';

/** The date fields of the editor's form: entriesStart, entriesEnd, reviewStart, … */
export type DateField = `${Phase}${'Start' | 'End'}`;
export const DATE_FIELDS: readonly DateField[] = PHASES.flatMap((p) => [`${p}Start`, `${p}End`] as DateField[]);

const DAY_MS = 24 * 3600_000;
const BEIJING = '+08:00';

/** Where the solicitation stands at `now`: the latest phase that has begun, and whether it is still running. */
export function standingAt(schedule: Schedule, now: Date): Standing {
  const at = now.getTime();
  if (at < Date.parse(schedule.entries.startAt)) return { stage: 'upcoming', running: false };
  let stage: Phase = 'entries';
  for (const phase of PHASES) if (Date.parse(schedule[phase].startAt) <= at) stage = phase;
  const running = at < Date.parse(schedule[stage].endAt);
  if (stage === 'results' && !running) return { stage: 'closed', running: false };
  return { stage, running };
}

export function groupOf(stage: Stage): Group {
  if (stage === 'voting') return 'voting';
  return stage === 'results' || stage === 'closed' ? 'closed' : 'open';
}

/** The phase after this one; null after the last. */
export function nextPhase(phase: Phase): Phase | null {
  return PHASES[PHASES.indexOf(phase) + 1] ?? null;
}

/** The first moment of a Beijing calendar day given as YYYY-MM-DD; null for anything that is not a real date. */
export function dayStart(date: unknown): Date | null {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) return null;
  const day = date.trim();
  const at = new Date(`${day}T00:00:00${BEIJING}`);
  // 2026-02-30 parses as a later day: only a date that reads back the same is real.
  if (Number.isNaN(at.getTime()) || chinaDate(at) !== day) return null;
  return at;
}

/** The Beijing dates the editor sees for a span: its first day and its last (the day before the exclusive end). */
export function spanDates(span: Span): { start: string; end: string } {
  return { start: chinaDate(new Date(span.startAt)), end: chinaDate(new Date(Date.parse(span.endAt) - 1)) };
}

/** The form's dates of a whole schedule. */
export function scheduleDates(schedule: Schedule): Record<DateField, string> {
  const out = {} as Record<DateField, string>;
  for (const phase of PHASES) {
    const { start, end } = spanDates(schedule[phase]);
    out[`${phase}Start`] = start;
    out[`${phase}End`] = end;
  }
  return out;
}

/**
 * A schedule from the editor's dates, each phase from the first moment of its start day to the end of its end day in
 * Beijing time, checked in order: every date given and real, no phase ending before it starts, each phase after the
 * one before. All problems are reported at once, each on its field. A date left as it was keeps the exact moment it
 * stood for, so a phase the editor ended early stays ended when other settings are saved.
 */
export function scheduleFromDates(
  dates: Partial<Record<DateField, unknown>>,
  current?: Schedule,
  t: Translate = translator(DEFAULT_LOCALE),
): { schedule: Schedule | null; problems: AppError[] } {
  const phaseName = (phase: Phase) => t(`sol.phase.${phase}`);
  const problems: AppError[] = [];
  const kept = current ? scheduleDates(current) : undefined;
  const moment = (phase: Phase, edge: 'start' | 'end'): string | null => {
    const field: DateField = `${phase}${edge === 'start' ? 'Start' : 'End'}`;
    const given = typeof dates[field] === 'string' ? (dates[field] as string).trim() : dates[field];
    if (current && kept && given === kept[field]) return current[phase][edge === 'start' ? 'startAt' : 'endAt'];
    const day = dayStart(given);
    if (!day) {
      problems.push(
        new AppError(
          'PHASE_DATE_INVALID',
          { phase: phaseName(phase), edge: t(edge === 'start' ? 'sol.edge.start' : 'sol.edge.end') },
          field,
        ),
      );
      return null;
    }
    return (edge === 'start' ? day : new Date(day.getTime() + DAY_MS)).toISOString();
  };
  const spans: Partial<Schedule> = {};
  for (const phase of PHASES) {
    const startAt = moment(phase, 'start');
    const endAt = moment(phase, 'end');
    if (startAt && endAt) spans[phase] = { startAt, endAt };
  }
  let previous: Phase | null = null;
  for (const phase of PHASES) {
    const span = spans[phase];
    if (span && Date.parse(span.endAt) <= Date.parse(span.startAt))
      problems.push(new AppError('PHASE_END_BEFORE_START', { phase: phaseName(phase) }, `${phase}End`));
    const before = previous ? spans[previous] : undefined;
    if (span && before && previous && Date.parse(span.startAt) < Date.parse(before.endAt))
      problems.push(
        new AppError('PHASE_OVERLAP', { phase: phaseName(phase), previous: phaseName(previous) }, `${phase}Start`),
      );
    previous = phase;
  }
  const complete = PHASES.every((p) => spans[p] !== undefined);
  return { schedule: problems.length === 0 && complete ? (spans as Schedule) : null, problems };
}

/** The catalogue key naming where a solicitation stands ("征集中", "投票已截止，等待公布结果" …). */
export function standingKey(standing: Standing): `sol.stage.${Stage}` | `sol.stage.${Phase}.ended` {
  const { stage, running } = standing;
  return stage === 'upcoming' || stage === 'closed' || running ? `sol.stage.${stage}` : `sol.stage.${stage}.ended`;
}

/** Where it stands in words: in the default language (the API's labels), or in `t`'s for an error a page shows. */
export function standingLabel(standing: Standing, t: Translate = translator(DEFAULT_LOCALE)): string {
  return t(standingKey(standing));
}
