// Bulk demo data for scale tests and benchmarks: N generated messages (demo/bulk-generator.ts) written fast.
//
// A worker thread makes the rows batch by batch while this thread writes them (db/bulk-dialect.ts): prepared
// multi-row INSERTs in large transactions on SQLite, COPY on PostgreSQL. Into an empty set of messages (the demo's
// few at most) the secondary indexes and constraints of the loaded tables are set aside and built once at the end,
// which is much cheaper than keeping them up to date row by row; with messages already there, they stay and are kept
// up to date as usual. Either way the ids the rows name are reserved first, so that anything written meanwhile takes
// ids after them. The generator derives each message's facts for the published figures (message_facts) from the
// history it makes, as a recomputation would from the rows, and they are written with the other rows; after the planner
// statistics, the monthly rollups of the months they fall in are summed again from the facts (statsService.
// rebuildAfterBulkLoad), set-based, instead of reading every message back for a full recomputation.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { openBulkWriter, restoreInboxFlags, restoreSetAside, setAsideInboxFlags } from '../db/bulk-dialect.ts';
import type { BulkPayload, IdTable } from '../db/bulk-rows.ts';
import { engineOf } from '../db/dialect.ts';
import type { Db } from '../db/kysely.ts';
import type { Engine } from '../config.ts';
import { calendarRepository } from '../deadlines/calendar.service.ts';
import { useOfficialSchedule } from '../deadlines/working-days.ts';
import { statsService } from '../stats/stats.service.ts';
import { type GeneratorSetup, MOST_PER_MESSAGE, type NextIds, type RawReference } from './bulk-generator.ts';

export interface GenerateOptions {
  count: number;
  /** Same seed, same messages in the database before (by highest id), same `now`: same data. Default 1. */
  seed?: number;
  /** Called after each batch is written. */
  onProgress?: (done: number, total: number) => void;
  /** Called as each step after the rows begins: 'indexes' (and statistics for the planner), 'figures'. */
  onStep?: (step: 'indexes' | 'figures') => void;
  /** The moment the generated history runs up to (default: the current time). */
  now?: Date;
  /** Messages per batch (default 5000, some 60,000 rows over eight tables). */
  batchSize?: number;
  /**
   * Write the messages' facts and rebuild the published figures at the end (default true); without them the
   * statistics pages count nothing new until `liuyan stats recompute`.
   */
  figures?: boolean;
}

export interface GenerateResult {
  inserted: number;
  /** The whole run, ms. */
  ms: number;
  /** Each part, ms: the rows; the indexes built again and planner statistics; the figures. */
  parts: { rows: number; indexes: number; figures: number };
  /** Whether the secondary indexes were set aside and built at the end (an empty set of messages). */
  setAside: boolean;
}

/** Up to this many messages before a run count as an empty set (the demo's 51): indexes are set aside. */
export const SET_ASIDE_BELOW = 1000;
/** Batches the worker may run ahead of the writer. */
const AHEAD = 3;

export interface WorkerInput {
  setup: GeneratorSetup;
  /** The engine the rows are encoded for. */
  format: Engine;
  schedule: { date: string; kind: 'holiday' | 'workday' }[];
}

export type WorkerMessage =
  | { kind: 'batch'; done: number; payload: BulkPayload }
  | { kind: 'done'; nextIds: NextIds; months: string[] }
  | { kind: 'error'; message: string; stack?: string };

/** Inserts `count` generated messages with everything that belongs to them; see the head of this file. */
export async function generateMessages(db: Db, options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const count = Math.max(0, Math.floor(options.count));
  const parts = { rows: 0, indexes: 0, figures: 0 };
  if (count === 0) return { inserted: 0, ms: 0, parts, setAside: false };
  // A load that was killed before it built its indexes again: built now, before anything else.
  await restoreSetAside(db);

  const before = await db
    .selectFrom('messages')
    .select([(eb) => eb.fn.max('id').as('id'), (eb) => eb.fn.countAll<number>().as('n')])
    .executeTakeFirstOrThrow();
  const base = Number(before.id ?? 0);
  const messagesBefore = Number(before.n);
  const setAside = messagesBefore <= SET_ASIDE_BELOW;
  const figures = options.figures ?? true;
  const reference = await loadReference(db);
  const takenCodes = (await db.selectFrom('messages').select('tracking_code').execute()).map((m) => m.tracking_code);
  const schedule = await calendarRepository.all(db);
  useOfficialSchedule(schedule);

  const writer = openBulkWriter(db);
  let worker: Worker | undefined;
  /** The months the facts written fall in (from the generator, once it is done). */
  let months: string[] = [];
  try {
    const reserve: Record<IdTable, number> = {
      users: 5000 + 10 + 2 * reference.units.length + reference.boards.length,
      messages: count,
      replies: MOST_PER_MESSAGE.replies * count,
      supervisions: MOST_PER_MESSAGE.supervisions * count,
    };
    await setAsideInboxFlags(db);
    const firstIds = await writer.begin({ setAside, reserve });
    const input: WorkerInput = {
      setup: {
        seed: Math.floor(options.seed ?? 1) | 0,
        base,
        count,
        now: (options.now ?? new Date()).getTime(),
        batchSize: Math.max(1, Math.floor(options.batchSize ?? 5000)),
        reference,
        firstIds,
        takenCodes,
        facts: figures,
      },
      format: engineOf(db),
      schedule,
    };
    worker = startWorker(input);
    for await (const batch of batches(worker, (done) => (months = done.months))) {
      await writer.write(batch.payload);
      options.onProgress?.(batch.done, count);
    }
    parts.rows = performance.now() - started;
    options.onStep?.('indexes');
    await writer.finish();
    await restoreInboxFlags(db);
    parts.indexes = performance.now() - started - parts.rows;
  } catch (err) {
    await worker?.terminate();
    // Settings back and what was set aside built again; the load's own error is the one to report.
    await writer.close().catch(() => {});
    await restoreInboxFlags(db).catch(() => {});
    throw err;
  }
  await worker.terminate();
  await writer.close();
  if (figures) {
    options.onStep?.('figures');
    const at = performance.now();
    await statsService.rebuildAfterBulkLoad(db, months, messagesBefore);
    parts.figures = performance.now() - at;
  }
  for (const k of Object.keys(parts) as (keyof typeof parts)[]) parts[k] = Math.round(parts[k]);
  return { inserted: count, ms: Math.round(performance.now() - started), parts, setAside };
}

async function loadReference(db: Db): Promise<RawReference> {
  return {
    regions: await db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).orderBy('code').execute(),
    boards: await db
      .selectFrom('boards')
      .select(['id', 'region_code', 'title', 'holder_name', 'unit_id'])
      .where('active', '=', 1)
      .orderBy('id')
      .execute(),
    units: await db
      .selectFrom('handling_units')
      .select(['id', 'parent_id', 'name'])
      .where('active', '=', 1)
      .orderBy('id')
      .execute(),
  };
}

/**
 * The worker, from the compiled code or, when this runs from the TypeScript sources, through tsx registered in the
 * worker first (a worker does not inherit the main thread's loader).
 */
function startWorker(input: WorkerInput): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./bulk-worker.js', self), { workerData: input });
  const target = new URL('./bulk-worker.ts', self).href;
  const api = import.meta.resolve('tsx/esm/api');
  const tsconfig = fileURLToPath(new URL('../../tsconfig.json', self));
  const code = `import(${JSON.stringify(api)}).then((tsx) => {
    tsx.register({ tsconfig: ${JSON.stringify(tsconfig)} });
    return import(${JSON.stringify(target)});
  });`;
  return new Worker(code, { eval: true, workerData: input });
}

/** The worker's batches in order, asking for the next few as each one is taken; `onDone` gets its last word. */
async function* batches(
  worker: Worker,
  onDone: (message: Extract<WorkerMessage, { kind: 'done' }>) => void,
): AsyncGenerator<Extract<WorkerMessage, { kind: 'batch' }>> {
  const queue: WorkerMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    if (!queue.some((m) => m.kind === 'done')) failure ??= new Error(`bulk: the generator's thread stopped (${code})`);
    notify();
  });
  worker.postMessage({ credit: AHEAD });
  for (;;) {
    while (queue.length === 0) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    const message = queue.shift()!;
    if (message.kind === 'error') throw Object.assign(new Error(message.message), { stack: message.stack });
    if (message.kind === 'done') {
      onDone(message);
      return;
    }
    worker.postMessage({ credit: 1 });
    yield message;
  }
}
