// The State Council's holiday schedule for years the calendar package does not cover yet: loaded by an admin,
// kept in the database, used by every process, and the open deadlines counted again when it arrives.
import type { Actor } from '../accounts/actor.ts';
import { actingUserId, actorCan } from '../accounts/actor.ts';
import { adminLogRepository } from '../accounts/admin-log.repository.ts';
import { caseEventsRepository } from '../audit/case-events.ts';
import type { Db } from '../db/kysely.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../i18n/i18n.ts';
import { AppError } from '../web/app-error.ts';
import { rulesForRegion } from '../workflow/rules.service.ts';
import { addWorkingDays, calendarCoverage, useOfficialSchedule, workingDaysBetween } from './working-days.ts';

export interface ScheduleDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

const KINDS: Record<string, ScheduleDay['kind']> = {
  holiday: 'holiday',
  放假: 'holiday',
  休: 'holiday',
  workday: 'workday',
  上班: 'workday',
  班: 'workday',
};
const MAX_LINES = 400;
/** The command line speaks the default language; the admin page passes its own. */
const zh = translator(DEFAULT_LOCALE);

/**
 * Reads a schedule as typed from the State Council's notice, one day a line: `2027-02-05,holiday,春节` or
 * `2027-02-14,上班,春节调休` (`#` starts a comment). Every bad line is reported with its number; nothing is taken
 * from a text with any bad line.
 */
export function parseSchedule(text: string, t: Translate = zh): ScheduleDay[] {
  const problems: string[] = [];
  const days = new Map<string, ScheduleDay>();
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_LINES)
    throw new AppError('VALIDATION', { detail: t('calendar.error.lines', { max: MAX_LINES }) }, 'schedule');
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [date = '', kindText = '', name = ''] = line.split(/\s*[,，\t]\s*/);
    const kind = KINDS[kindText.trim()];
    const at = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
    const valid = !Number.isNaN(at) && new Date(at).toISOString().startsWith(date);
    if (!valid) problems.push(t('calendar.error.date', { line: i + 1 }));
    else if (!kind) problems.push(t('calendar.error.kind', { line: i + 1 }));
    else if (days.has(date)) problems.push(t('calendar.error.twice', { line: i + 1, date }));
    else days.set(date, { date, kind, name: name.slice(0, 40) });
  });
  if (problems.length > 0)
    throw new AppError('VALIDATION', { detail: problems.slice(0, 10).join(t('calendar.error.separator')) }, 'schedule');
  if (days.size === 0) throw new AppError('VALIDATION', { detail: t('calendar.error.empty') }, 'schedule');
  const covered = calendarCoverage();
  const old = [...days.values()].find((d) => Number(d.date.slice(0, 4)) <= covered.to);
  if (old) {
    throw new AppError(
      'VALIDATION',
      { detail: t('calendar.error.covered', { year: old.date.slice(0, 4), to: covered.to }) },
      'schedule',
    );
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export const calendarRepository = {
  async all(db: Db): Promise<ScheduleDay[]> {
    const rows = await db.selectFrom('calendar_days').select(['day', 'kind', 'name']).orderBy('day').execute();
    return rows.map((r) => ({ date: r.day, kind: r.kind, name: r.name }));
  },
  async replaceYears(db: Db, years: number[], days: ScheduleDay[], at: string): Promise<void> {
    for (const year of years) {
      await db
        .deleteFrom('calendar_days')
        .where('day', '>=', `${year}-01-01`)
        .where('day', '<=', `${year}-12-31`)
        .execute();
    }
    for (const d of days) {
      await db
        .insertInto('calendar_days')
        .values({ day: d.date, kind: d.kind, name: d.name, imported_at: at })
        .execute();
    }
  },
};

/** Puts the stored schedules in force in this process (at start, and before each scheduler pass). */
export async function loadOfficialSchedule(db: Db): Promise<void> {
  useOfficialSchedule(await calendarRepository.all(db));
}

export interface ImportResult {
  years: number[];
  days: number;
  /** Open messages whose deadline was counted again on the new schedule. */
  recomputed: number;
}

/**
 * Stores a year's schedule and counts every open deadline that touches it again: the same number of working days
 * from the moment the deadline was set, on the official schedule instead of the provisional one. Each change is
 * a case event the author and the unit can see.
 */
export async function importSchedule(
  db: Db,
  actor: Actor,
  text: string,
  ip?: string,
  t: Translate = zh,
): Promise<ImportResult> {
  if (!actorCan(actor, 'rules.manage')) throw new AppError('FORBIDDEN');
  const days = parseSchedule(text, t);
  const years = [...new Set(days.map((d) => Number(d.date.slice(0, 4))))];
  const at = new Date().toISOString();
  const previous = await calendarRepository.all(db);
  const open = await openDeadlinesIn(db, years);
  // The working days each deadline was set to, counted on the schedule it was set with.
  const counts = open.map((m) => ({ ...m, days: workingDaysBetween(new Date(m.setAt), new Date(m.dueAt)) }));
  const next = [...previous.filter((d) => !years.includes(Number(d.date.slice(0, 4)))), ...days];
  let recomputed = 0;
  try {
    useOfficialSchedule(next);
    await db.transaction().execute(async (trx) => {
      await calendarRepository.replaceYears(trx, years, days, at);
      for (const m of counts) {
        const due = addWorkingDays(new Date(m.setAt), m.days).toISOString();
        if (due === m.dueAt) continue;
        const column = m.kind === 'accept' ? 'accept_due_at' : 'handle_due_at';
        const moved = await trx
          .updateTable('messages')
          .set({ [column]: due })
          .where('id', '=', m.id)
          .where('status', '=', m.status)
          .where(column, '=', m.dueAt)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0) continue;
        await caseEventsRepository.append(trx, {
          messageId: m.id,
          kind: 'recompute-deadline',
          actorId: actingUserId(actor),
          fromStatus: m.status,
          toStatus: m.status,
          note: `按国务院公布的 ${due.slice(0, 4)} 年放假安排重新计算时限`,
          data: m.kind === 'accept' ? { acceptDueAt: due, was: m.dueAt } : { handleDueAt: due, was: m.dueAt },
          at,
        });
        recomputed++;
      }
      await adminLogRepository.append(trx, {
        actorId: actingUserId(actor),
        action: 'settings.change',
        targetUserId: null,
        detail: { calendarYears: years, days: days.length, recomputed },
        ip: ip ?? null,
      });
    });
  } catch (err) {
    useOfficialSchedule(previous);
    throw err;
  }
  return { years, days: days.length, recomputed };
}

/** Open messages whose running deadline falls in these years, with when it was set (working-day rules only). */
async function openDeadlinesIn(
  db: Db,
  years: number[],
): Promise<{ id: number; status: string; kind: 'accept' | 'handle'; dueAt: string; setAt: string }[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'status', 'region_code', 'accept_due_at', 'handle_due_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('accept_due_at', 'is not', null)]),
        eb.and([eb('status', '=', 'assigned'), eb('handle_due_at', 'is not', null)]),
      ]),
    )
    .execute();
  const out: { id: number; status: string; kind: 'accept' | 'handle'; dueAt: string; setAt: string }[] = [];
  const first = Math.min(...years);
  const dayKinds = new Map<string, string>();
  for (const m of rows) {
    const kind = m.status === 'pending' ? 'accept' : 'handle';
    const dueAt = (kind === 'accept' ? m.accept_due_at : m.handle_due_at)!;
    // A deadline before the imported years, or counted in calendar days, does not move.
    if (Number(dueAt.slice(0, 4)) < first) continue;
    if (!dayKinds.has(m.region_code)) dayKinds.set(m.region_code, (await rulesForRegion(db, m.region_code)).dayKind);
    if (dayKinds.get(m.region_code) !== 'working') continue;
    const field = kind === 'accept' ? 'acceptDueAt' : 'handleDueAt';
    const events = await caseEventsRepository.listForMessage(db, m.id);
    const setting = [...events].reverse().find((e) => e.data[field] === dueAt);
    if (setting) out.push({ id: m.id, status: m.status, kind, dueAt, setAt: setting.at });
  }
  return out;
}
