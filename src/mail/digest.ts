// The daily digest for unit staff: new, due soon, overdue and awaiting approval, by e-mail once a day. Safe in several
// processes: each person's digest is one outbox row under a key naming the day, so only the first insert counts.
import type { Config } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { retryWhenBusy } from '../db/dialect.ts';
import { faultLog } from '../db/faults.ts';
import { namesFor } from '../i18n/place-names.ts';
import { type NoticeLanguage, noticeLanguage } from '../notify/notice-language.ts';
import { recipientChoice } from '../notify/notice-preferences.ts';
import { outboxRepository } from '../notify/outbox.repository.ts';
import { digestRepository, type UnitCounts } from './digest.repository.ts';
import { siteBase } from './links.ts';

/** How far ahead "due soon" looks. */
const SOON_MS = 2 * 86_400_000;

/** The day and hour in the platform's time zone. */
function localDayHour(now: Date, timeZone: string): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

/** One unit's line, in the recipient's language; heads also see the replies waiting for their approval. */
const line = ({ t, locale }: NoticeLanguage, name: string, c: UnitCounts, head: boolean) =>
  t(head ? 'workflow.digest.lineHead' : 'workflow.digest.line', { unit: namesFor(locale).unit(name), ...c });

export interface DigestRun {
  day: string;
  due: boolean;
  queued: number;
}

/** Queues today's digest for everyone who should get one and has not; nothing before DIGEST_HOUR. */
export async function runDigestOnce(
  db: Db,
  config: Pick<Config, 'timeZone' | 'channels' | 'publicUrl' | 'host' | 'port'>,
  now = new Date(),
): Promise<DigestRun> {
  const { day, hour } = localDayHour(now, config.timeZone);
  if (hour < config.channels.digestHour) return { day, due: false, queued: 0 };
  const at = now.toISOString();
  const soon = new Date(now.getTime() + SOON_MS).toISOString();
  let queued = 0;
  for (const person of await digestRepository.recipients(db)) {
    const recipient = await recipientChoice(db, person.userId, 'digest');
    if (!recipient.channels.email) continue;
    // Written in the person's language; the day (Beijing time, like the digest's own day) as it writes dates.
    const lang = noticeLanguage(recipient.locale);
    const date = lang.date(new Date(`${day}T12:00:00+08:00`));
    const lines: string[] = [];
    let total = 0;
    for (const unit of person.units) {
      const c = await digestRepository.counts(db, unit.id, at, soon);
      total += c.fresh + c.dueSoon + c.overdue + (unit.head ? c.awaitingApproval : 0);
      lines.push(line(lang, unit.name, c, unit.head));
    }
    // Nothing waiting is no news: no e-mail.
    if (total === 0) continue;
    const inserted = await retryWhenBusy(() =>
      outboxRepository.insertOnce(db, {
        channel: 'email',
        userId: person.userId,
        unitId: null,
        messageId: null,
        subject: lang.t('workflow.digest.subject', { day: date }),
        text: [
          lang.t('workflow.digest.heading', { day: date }),
          '',
          ...lines,
          '',
          lang.t('workflow.digest.open', { url: `${siteBase(config)}/workbench` }),
        ].join('\n'),
        dedupeKey: `digest:${day}:${person.userId}`,
        status: 'pending',
        nextAttemptAt: at,
        sentAt: null,
      }),
    );
    if (inserted) queued++;
  }
  return { day, due: true, queued };
}

/** Checks every `intervalMs`; the outbox's unique key makes a second process's attempt a no-op. */
export function startDigestSchedule(
  db: Db,
  config: Parameters<typeof runDigestOnce>[1],
  log: { warn(obj: object, msg?: string): void },
  intervalMs = 60_000,
): { stop(): Promise<void> } {
  let doneDay = '';
  let running: Promise<void> | null = null;
  const faults = faultLog(log, '待办摘要任务的数据库连接');
  const tick = () => {
    if (running) return;
    const now = new Date();
    running = (async () => {
      const { day } = localDayHour(now, config.timeZone);
      if (day === doneDay) return;
      const run = await runDigestOnce(db, config, now);
      if (run.due) doneDay = run.day;
    })()
      .then(() => faults.ok())
      .catch((err: unknown) => faults.failed(err, 'digest run failed'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
