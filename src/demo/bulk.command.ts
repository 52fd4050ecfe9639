// `liuyan seed demo --messages <N>`: N generated messages (demo/bulk-messages.ts) with progress and a summary.
//
// Progress goes to stderr: a bar on a terminal, otherwise a line every 10%. The summary goes to stdout, or with
// --json to stderr as one JSON line, so that stdout keeps carrying the demo accounts' JSON alone.
import { InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import type { Db } from '../db/kysely.ts';
import { STATUSES, type MessageStatus } from '../messages/message-kinds.ts';
import { type GenerateResult, generateMessages } from './bulk-messages.ts';

export const BULK_MAX = 10_000_000;

/** A count such as 200000, 200_000 or 200,000. */
export function parseMessageCount(value: string): number {
  const digits = value.trim().replace(/[_,]/g, '');
  const n = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(n) || n < 1 || n > BULK_MAX) {
    throw new InvalidArgumentError(`应为 1–${BULK_MAX} 之间的整数`);
  }
  return n;
}

/** The `--messages <N>` option of `seed demo`: `.addOption(bulkOption)`. */
export const bulkOption = new Option(
  '--messages <N>',
  '另外批量生成 N 条留言（作者、办理记录、答复、评价和搜索索引俱全），用于规模测试和压测',
).argParser(parseMessageCount);

export interface BulkOptions {
  json?: boolean;
  /** Same seed on the same database: same messages (default 1). */
  seed?: number;
  /** Rebuild the published figures at the end (default true). */
  figures?: boolean;
}

const perSecond = (count: number, ms: number) => Math.round(count / Math.max(ms / 1000, 0.001));

export async function runBulk(
  db: Db,
  count: number,
  { json = false, seed = 1, figures = true }: BulkOptions = {},
): Promise<void> {
  const out = json ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => console.log(line);
  const before = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const after = Number(before?.id ?? 0);

  const started = Date.now();
  let onProgress: (done: number, total: number) => void;
  let stop = () => {};
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: '生成留言 [{bar}] {percentage}% | {value}/{total} | {speed} 条/秒 | 剩余 {eta_formatted}',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(count, 0, { speed: 0 });
    onProgress = (done) => bar.update(done, { speed: perSecond(done, Date.now() - started) });
    stop = () => bar.stop();
  } else {
    let nextTenth = 1;
    onProgress = (done, total) => {
      if (done * 10 < nextTenth * total && done < total) return;
      while (done * 10 >= nextTenth * total) nextTenth += 1;
      const ms = Date.now() - started;
      process.stderr.write(
        `生成留言：${done}/${total}（${Math.floor((done * 100) / total)}%），${perSecond(done, ms)} 条/秒，已用 ${(ms / 1000).toFixed(0)} 秒\n`,
      );
    };
  }
  let result: GenerateResult;
  const steps = { indexes: '建立索引和查询统计信息', figures: '重新计算统计数字' };
  try {
    result = await generateMessages(db, {
      count,
      seed,
      onProgress,
      onStep: (step) => {
        stop();
        stop = () => {};
        process.stderr.write(`${steps[step]}……\n`);
      },
      figures,
    });
  } finally {
    stop();
  }

  const rows = await db
    .selectFrom('messages')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('id', '>', after)
    .groupBy('status')
    .execute();
  const byStatus = Object.fromEntries(
    (Object.keys(STATUSES) as MessageStatus[]).map((s) => [s, Number(rows.find((r) => r.status === s)?.n ?? 0)]),
  );
  const tenths = (ms: number) => Math.round(ms / 100) / 10;
  const summary = {
    inserted: result.inserted,
    seconds: tenths(result.ms),
    perSecond: perSecond(result.inserted, result.ms),
    parts: {
      rows: tenths(result.parts.rows),
      indexes: tenths(result.parts.indexes),
      figures: tenths(result.parts.figures),
    },
    byStatus,
  };
  if (json) {
    out(JSON.stringify(summary));
    return;
  }
  out(
    `批量生成留言 ${summary.inserted} 条，用时 ${summary.seconds} 秒（${summary.perSecond} 条/秒；写入 ${summary.parts.rows} 秒，` +
      `建索引 ${summary.parts.indexes} 秒，统计 ${summary.parts.figures} 秒）`,
  );
  out((Object.keys(STATUSES) as MessageStatus[]).map((s) => `${STATUSES[s]} ${byStatus[s]}`).join('，'));
}
