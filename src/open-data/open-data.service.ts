// The daily open-data dump: written once a day (China date) by exactly one of the running processes, kept N days.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { faultLog } from '../db/faults.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { type Manifest, pruneDumps, writeDump } from './dump-writer.ts';
import { openDataRepository } from './open-data.repository.ts';

/** A claim older than this whose process never finished (it died) may be taken over. */
const STALE_CLAIM_MS = 3 * 3600_000;

export const openDataRoot = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'open-data');

export type DailyDumpOutcome =
  | { done: true; date: string; manifest: Manifest; pruned: string[] }
  | { done: false; date: string; reason: 'off' | 'taken' };

/** Writes today's dump into DATA_DIR/open-data/<date>, replacing one made earlier the same day (the command line). */
export async function dumpToday(
  db: Db,
  config: Config,
  now = new Date(),
): Promise<{ dir: string; manifest: Manifest }> {
  const date = chinaDate(now);
  const dir = join(openDataRoot(config), date);
  return { dir, manifest: await writeDump(db, dir, date, now) };
}

/**
 * One pass of the daily schedule. Safe in several processes at once: the day is claimed by inserting its run
 * row, and only the process whose insert took effect writes the dump; a failed dump gives the claim back.
 */
export async function runDailyDump(db: Db, config: Config, now = new Date()): Promise<DailyDumpOutcome> {
  const date = chinaDate(now);
  if (config.openDataDays === 0) return { done: false, date, reason: 'off' };
  const by = `${process.pid}-${randomBytes(4).toString('hex')}`;
  if (!(await openDataRepository.claimDay(db, date, by, now, STALE_CLAIM_MS)))
    return { done: false, date, reason: 'taken' };
  try {
    const root = openDataRoot(config);
    const manifest = await writeDump(db, join(root, date), date, now);
    const pruned = await pruneDumps(root, config.openDataDays, now);
    await openDataRepository.finishDay(db, date, {
      by,
      rows: Object.fromEntries(manifest.files.map((f) => [f.name, f.rows])),
    });
    return { done: true, date, manifest, pruned };
  } catch (err) {
    await openDataRepository.releaseDay(db, date, by).catch(() => {});
    throw err;
  }
}

/** Checks every `intervalMs` whether the day's dump is due; after one is done here or elsewhere, waits for the next day. */
export function startOpenDataSchedule(
  db: Db,
  config: Config,
  log: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void },
  intervalMs = 60_000,
): { stop(): Promise<void> } {
  let settledDay = '';
  let running: Promise<void> | null = null;
  const faults = faultLog(log, '开放数据任务的数据库连接');
  const tick = () => {
    if (running || config.openDataDays === 0) return;
    const now = new Date();
    if (chinaDate(now) === settledDay) return;
    running = runDailyDump(db, config, now)
      .then(async (outcome) => {
        if (outcome.done) {
          settledDay = outcome.date;
          log.info({ date: outcome.date, pruned: outcome.pruned }, '已生成每日开放数据');
        } else if ((await openDataRepository.dayState(db, outcome.date)) === 'done') settledDay = outcome.date;
      })
      .then(() => faults.ok())
      .catch((err: unknown) => faults.failed(err, 'open-data dump failed'))
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
