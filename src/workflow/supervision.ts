// The scheduler: supervision notices (督办) when a deadline passes, escalation one level up, reminders before a
// deadline, the editors told of messages waiting past their review deadline, closing unrated messages.
import { setImmediate } from 'node:timers/promises';
import { loadOfficialSchedule } from '../deadlines/calendar.service.ts';
import { caseEventsRepository } from '../audit/case-events.ts';
import type { Db } from '../db/kysely.ts';
import { retryWhenBusy } from '../db/dialect.ts';
import { type FaultLogger, faultLog } from '../db/faults.ts';
import { addWorkingDays } from '../deadlines/working-days.ts';
import { deadlineFor } from '../deadlines/working-rules.ts';
import type { NoticeText } from '../notify/notice-language.ts';
import { notifyStaff } from './staff-notices.ts';
import { rulesForRegion } from './rules.service.ts';
import { closeUnrated } from './transitions.ts';
import { workflowRepository } from './workflow.repository.ts';
import { messagesRepository } from '../messages/messages.repository.ts';

export interface SchedulerReport {
  supervised: number;
  escalated: number;
  closed: number;
  /** Messages past their review deadline whose editors were told in this pass. */
  reviewOverdue: number;
}

/** The unit that supervises `unitId`: its parent, or itself at the top of the tree. */
async function supervisorOf(db: Db, unitId: number): Promise<number> {
  const unit = await workflowRepository.unit(db, unitId);
  return unit?.parent_id ?? unitId;
}

/** The supervising unit's staff and the supervisors granted on it or its region. */
async function supervisingAudience(db: Db, unitId: number) {
  const unit = await workflowRepository.unit(db, unitId);
  return [{ unit: unitId }, { supervisorsOf: unitId, region: unit?.region_code ?? '' }];
}

/**
 * One pass. Safe to run in several processes at once: each notice is inserted with a unique key
 * (message, deadline, due time, level), and only the process whose insert took effect writes the case
 * event and the notification, in the same transaction.
 */
/** Every row of a scan, page by page by id, so a backlog of any size is worked through in one pass. */
async function* pages<T extends { id: number }>(page: (afterId: number) => Promise<T[]>): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) return;
    yield* rows;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * Between two messages of a pass: lets the requests waiting on this process go first (SQLite's statements answer
 * without yielding to the event loop, so a pass over a backlog would hold every request until its end), then tells
 * whether the process is stopping.
 */
async function stopping(signal: AbortSignal | undefined): Promise<boolean> {
  await setImmediate();
  return signal?.aborted ?? false;
}

/**
 * One pass over every deadline. `signal`: a process stopping ends the pass between two messages (each message's work
 * is one transaction; the next pass, here or in another process, does the rest).
 */
export async function runSchedulerOnce(db: Db, now = new Date(), signal?: AbortSignal): Promise<SchedulerReport> {
  const report: SchedulerReport = { supervised: 0, escalated: 0, closed: 0, reviewOverdue: 0 };
  const at = now.toISOString();
  // A holiday schedule another process loaded is in force here too before any deadline is read.
  await loadOfficialSchedule(db);

  for await (const m of pages((after) => workflowRepository.overdue(db, at, after))) {
    if (await stopping(signal)) return report;
    if (m.current_unit_id === null) continue;
    const deadline = m.status === 'pending' ? 'accept' : 'handle';
    const dueAt = (deadline === 'accept' ? m.accept_due_at : m.handle_due_at)!;
    const supervisor = await supervisorOf(db, m.current_unit_id);
    const watchers = await supervisingAudience(db, supervisor);
    const created = await retryWhenBusy(() =>
      db.transaction().execute(async (trx) => {
        // Still overdue on this deadline (not accepted or extended a moment ago), and held so that the case event
        // cannot race a handling step.
        const column = deadline === 'accept' ? 'accept_due_at' : 'handle_due_at';
        if (!(await messagesRepository.hold(trx, m.id, { status: m.status, [column]: dueAt }))) return false;
        const id = await workflowRepository.insertSupervisionOnce(trx, {
          messageId: m.id,
          deadline,
          dueAt,
          level: 0,
          unitId: supervisor,
        });
        if (id === null) return false;
        await caseEventsRepository.append(trx, {
          messageId: m.id,
          kind: 'supervise',
          actorId: null,
          actorUnitId: supervisor,
          fromStatus: m.status,
          toStatus: m.status,
          note: deadline === 'accept' ? '超过受理时限，自动督办' : '超过办理时限，自动督办',
          data: { supervisionId: id, level: 0, dueAt },
          at,
        });
        const text: NoticeText = ({ t, date }) =>
          t(deadline === 'accept' ? 'workflow.notice.overdueAccept' : 'workflow.notice.overdueHandle', {
            id: m.id,
            date: date(dueAt),
          });
        await notifyStaff(trx, { to: watchers, messageId: m.id, text, dedupeKey: `supervise:${id}` });
        await notifyStaff(trx, {
          to: [{ unit: m.current_unit_id! }],
          messageId: m.id,
          text,
          dedupeKey: `supervise-handler:${id}`,
        });
        return true;
      }),
    );
    if (created) report.supervised += 1;
  }

  // A reminder to the handling unit one working day before a deadline; the dedupe key makes it once per deadline.
  const soon = addWorkingDays(now, 1).toISOString();
  for await (const m of pages((after) => workflowRepository.dueSoon(db, at, soon, after))) {
    if (await stopping(signal)) return report;
    const dueAt = (m.status === 'pending' ? m.accept_due_at : m.handle_due_at)!;
    if (m.current_unit_id === null) continue;
    await retryWhenBusy(() =>
      db.transaction().execute((trx) =>
        notifyStaff(trx, {
          to: [{ unit: m.current_unit_id! }],
          messageId: m.id,
          text: ({ t, date }) =>
            t(m.status === 'pending' ? 'workflow.notice.dueSoonAccept' : 'workflow.notice.dueSoonHandle', {
              title: m.title,
              date: date(dueAt),
            }),
          dedupeKey: `due-soon:${m.id}:${dueAt}`,
        }),
      ),
    );
  }

  for (const s of await workflowRepository.toEscalate(db, at)) {
    if (await stopping(signal)) return report;
    const message = await db
      .selectFrom('messages')
      .select(['region_code'])
      .where('id', '=', s.message_id)
      .executeTakeFirst();
    if (!message) continue;
    const rules = await rulesForRegion(db, message.region_code);
    // Escalate only once the further period has passed since this notice was raised.
    const notices = await workflowRepository.supervisions(db, s.message_id);
    const current = notices.find((n) => n.deadline === s.deadline && n.due_at === s.due_at && n.level === s.level);
    if (!current || deadlineFor(new Date(current.created_at), rules.escalationDays, rules).getTime() > now.getTime())
      continue;
    const upper = await supervisorOf(db, s.unit_id);
    if (upper === s.unit_id) continue;
    const watchers = await supervisingAudience(db, upper);
    const escalated = await retryWhenBusy(() =>
      db.transaction().execute(async (trx) => {
        if (!(await messagesRepository.hold(trx, s.message_id, { status: s.status }))) return false;
        const id = await workflowRepository.insertSupervisionOnce(trx, {
          messageId: s.message_id,
          deadline: s.deadline,
          dueAt: s.due_at,
          level: s.level + 1,
          unitId: upper,
        });
        if (id === null) return false;
        await caseEventsRepository.append(trx, {
          messageId: s.message_id,
          kind: 'supervise',
          actorId: null,
          actorUnitId: upper,
          fromStatus: s.status,
          toStatus: s.status,
          note: '督办后仍未办理，升级督办',
          data: { supervisionId: id, level: s.level + 1, dueAt: s.due_at },
          at,
        });
        await notifyStaff(trx, {
          to: watchers,
          messageId: s.message_id,
          text: ({ t }) => t('workflow.notice.escalated', { id: s.message_id }),
          dedupeKey: `supervise:${id}`,
        });
        return true;
      }),
    );
    if (escalated) report.escalated += 1;
  }

  // Editors hear once of each message waiting past its review deadline: the claim on the row decides who tells them.
  for await (const m of pages((after) => workflowRepository.reviewOverdue(db, at, after))) {
    if (await stopping(signal)) return report;
    const told = await retryWhenBusy(() =>
      db.transaction().execute(async (trx) => {
        if (!(await workflowRepository.claimReviewOverdue(trx, m.id, at))) return false;
        await notifyStaff(trx, {
          to: [{ editors: true }],
          messageId: m.id,
          text: ({ t }) => t('workflow.notice.reviewOverdue', { id: m.id, title: m.title }),
          dedupeKey: `review-overdue:${m.id}`,
        });
        return true;
      }),
    );
    if (told) report.reviewOverdue += 1;
  }

  for await (const m of pages((after) => workflowRepository.ratingWindowClosed(db, at, after))) {
    if (await stopping(signal)) return report;
    if (await retryWhenBusy(() => closeUnrated(db, m.id))) report.closed += 1;
  }
  return report;
}

export function startScheduler(db: Db, log: FaultLogger, intervalMs = 60_000): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const ending = new AbortController();
  // A database outage fails every pass alike: logged when it starts and when it ends.
  const faults = faultLog(log, '定时任务的数据库连接');
  const pass = async () => {
    try {
      await runSchedulerOnce(db, new Date(), ending.signal);
      faults.ok();
    } catch (err) {
      faults.failed(err, 'scheduler pass failed');
    } finally {
      running = null;
    }
  };
  const tick = () => {
    if (!running && !ending.signal.aborted) running = pass();
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    // The pass under way ends after the message it is at, before the database closes.
    stop: async () => {
      clearInterval(timer);
      ending.abort();
      await running;
    },
  };
}
