// Published figures for any scope and period, kept up to date as messages move and rebuilt on demand.
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/kysely.ts';
import { settingsRepository } from '../accounts/settings.repository.ts';
import { AppError } from '../web/app-error.ts';
import {
  calendarMemo,
  COUNTERS,
  countersOf,
  deriveFacts,
  factsSignature,
  sameFacts,
  type CalendarMemo,
  scopesOf,
  zeroCounters,
  type Counters,
  type MessageFacts,
} from './message-facts.ts';
import { SCOPE_FAMILIES, statsRepository, type HistogramDelta, type RollupDelta } from './stats.repository.ts';
import { computeFigures, DEFAULT_WEIGHTS, type FigureKey, type Figures, type SatisfactionWeights } from './figures.ts';
import { monthList, splitByMonths, type Period } from './periods.ts';

export type Scope =
  | { kind: 'platform' }
  | { kind: 'region'; code: string; level: string }
  /** Only the messages to the region's own boards, without the regions below (always read from the facts). */
  | { kind: 'region-own'; code: string }
  | { kind: 'board'; id: number }
  | { kind: 'unit'; id: number };

/** The rollup key of a scope: 'p', 'r:<code>', 'b:<id>' or 'u:<id>'. */
export function scopeKey(scope: Scope): string {
  switch (scope.kind) {
    case 'platform':
      return 'p';
    case 'region':
      return `r:${scope.code}`;
    case 'region-own':
      return `o:${scope.code}`;
    case 'board':
      return `b:${scope.id}`;
    case 'unit':
      return `u:${scope.id}`;
  }
}

/** The run recorded when the figures were last rebuilt from the histories. */
const BASELINE_RUN = 'recompute';
const WEIGHTS_KEY = 'stats.satisfaction_weights';

function contributions(
  f: MessageFacts | null,
  sign: 1 | -1,
  rollups: Map<string, RollupDelta>,
  hist: Map<string, HistogramDelta>,
) {
  if (!f) return;
  const month = f.receivedDay.slice(0, 7);
  const counters = countersOf(f);
  for (const scope of scopesOf(f)) {
    const key = `${scope}|${month}`;
    let entry = rollups.get(key);
    if (!entry) rollups.set(key, (entry = { scope, month, counters: zeroCounters() }));
    for (const c of COUNTERS) entry.counters[c] += sign * counters[c];
    if (f.handlingDays !== null) {
      const hkey = `${key}|${f.handlingDays}`;
      let h = hist.get(hkey);
      if (!h) hist.set(hkey, (h = { scope, month, days: f.handlingDays, count: 0 }));
      h.count += sign;
    }
  }
}

/** Which facts belong to a scope, for periods the rollups cannot answer. */
function factsFilter(scope: Scope) {
  switch (scope.kind) {
    case 'platform':
      return null;
    case 'board':
      return { column: 'board_id', value: scope.id } as const;
    case 'unit':
      return { column: 'unit_id', value: scope.id } as const;
    case 'region':
      return { column: statsRepository.regionColumn(scope.level), value: scope.code } as const;
    case 'region-own':
      return { column: 'region_code', value: scope.code } as const;
  }
}

/** Counters from a row (rollup or aggregate) whose numbers may come back as strings or be missing. */
function countersFrom(row: Partial<Record<string, unknown>>): Counters {
  const out = zeroCounters();
  for (const c of COUNTERS) out[c] = Number(row[c] ?? 0);
  return out;
}

/** The months ('YYYY-MM') some facts were received in. */
function monthsOf(facts: readonly (MessageFacts | null | undefined)[]): string[] {
  return facts.flatMap((f) => (f ? [f.receivedDay.slice(0, 7)] : []));
}

async function factsFor(db: Db, ids: number[], calendar: CalendarMemo | null = null): Promise<MessageFacts[]> {
  const [messages, events] = await Promise.all([
    statsRepository.factsMessages(db, ids),
    statsRepository.factsEvents(db, ids),
  ]);
  return messages.flatMap((m) => deriveFacts(m, events.get(m.id) ?? [], calendar) ?? []);
}

/**
 * For bulk loads of messages that have no facts yet: facts are written batch by batch, their
 * contributions summed in memory and added to the rollups once at the end.
 */
export function newMessagesAccumulator() {
  const rollups = new Map<string, RollupDelta>();
  const hist = new Map<string, HistogramDelta>();
  let facts = 0;
  return {
    async add(trx: Db, ids: number[]): Promise<void> {
      const rows = await factsFor(trx, ids);
      await statsRepository.insertFacts(trx, rows);
      await statsRepository.touchMonths(trx, monthsOf(rows));
      for (const f of rows) contributions(f, 1, rollups, hist);
      facts += rows.length;
    },
    async flush(db: Db): Promise<{ facts: number; rollups: number }> {
      await statsRepository.applyDeltas(db, [...rollups.values()], [...hist.values()]);
      await statsRepository.touchMonths(
        db,
        [...rollups.values()].map((d) => d.month),
      );
      const result = { facts, rollups: rollups.size };
      rollups.clear();
      hist.clear();
      return result;
    },
  };
}

export interface RecomputeReport {
  messages: number;
  /** Messages that count in the figures. */
  facts: number;
  /** Monthly rollups there are now. */
  rollups: number;
  seconds: number;
  /** Facts written or deleted: the others already agreed with the histories. */
  factsWritten?: number;
  /** Months whose rollups and histograms were summed again: the others already agreed with the facts. */
  monthsRebuilt?: number;
  /** The longest write transaction, in milliseconds (how long another writer may have had to wait). */
  longestWriteMs?: number;
}

export const statsService = {
  /**
   * Brings one message's facts and every rollup it counts in up to date. Called inside the
   * transaction that appends a case event, so the figures move with the history.
   */
  async refresh(trx: Db, messageId: number): Promise<void> {
    const [next = null] = await factsFor(trx, [messageId]);
    const previous = await statsRepository.facts(trx, messageId);
    if (sameFacts(previous, next)) return;
    const rollups = new Map<string, RollupDelta>();
    const hist = new Map<string, HistogramDelta>();
    contributions(previous, -1, rollups, hist);
    contributions(next, 1, rollups, hist);
    if (next) await statsRepository.putFacts(trx, next);
    else await statsRepository.deleteFacts(trx, messageId);
    await statsRepository.applyDeltas(
      trx,
      [...rollups.values()].filter((d) => COUNTERS.some((c) => d.counters[c] !== 0)),
      [...hist.values()].filter((h) => h.count !== 0),
    );
    await statsRepository.touchMonths(trx, monthsOf([previous, next]));
  },

  /**
   * Rebuilds every fact and rollup from the case histories while the server goes on working beside it. Nothing is
   * written where the stored figures already agree, and what is written is written in short transactions (on SQLite a
   * long one would hold the one write lock):
   *
   * 1. Facts, `batch` messages at a time: their rows, events and stored facts are read without a lock and compared
   *    with facts derived afresh. Only if some differ does a write transaction begin; under its lock (PostgreSQL: the
   *    messages' rows, which every case event is appended under) the differing messages are read again, and those
   *    whose history or row moved meanwhile are derived once more, before the facts are written.
   * 2. Rollups, month by month: the database compares each month's stored rollups and histograms with sums over its
   *    facts in one statement; a month that differs is emptied and summed again (insert … select … group by) in one
   *    transaction, under SQLite's write lock or PostgreSQL's exclusive advisory lock on the month, which every
   *    transaction adding to that month's rollups holds in shared mode (applyDeltas).
   */
  async recompute(db: Db, onProgress?: (done: number) => void, batch = 4000): Promise<RecomputeReport> {
    return statsRepository.withLargePageCache(db, () => recomputeAll(db, onProgress, batch));
  },

  /**
   * A database from before statistics existed (or restored without them) gets its figures built once;
   * from then on they move with each case event. null when nothing had to be done.
   */
  async ensureBaseline(db: Db): Promise<RecomputeReport | null> {
    if (await statsRepository.lastRun(db, BASELINE_RUN)) return null;
    if (!(await statsRepository.anyMessage(db))) {
      await statsRepository.recordRun(db, BASELINE_RUN, { messages: 0, facts: 0, rollups: 0, seconds: 0 });
      return null;
    }
    return this.recompute(db);
  },

  /**
   * After a bulk load that wrote its messages' facts itself (demo/bulk-messages.ts): the rollups and histograms of the
   * months those facts were received in summed again from the facts, each family of scopes in a transaction of its
   * own under the month's exclusive lock, as a recomputation rebuilds a month that differs. Without a baseline (the
   * figures were never built from the histories) nothing vouches for the facts of messages from before the load: with
   * such messages, a full recomputation instead; with none, the load's facts are all there are and become the baseline.
   */
  async rebuildAfterBulkLoad(
    db: Db,
    months: Iterable<string>,
    messagesBefore: number,
  ): Promise<{ monthsRebuilt: number; recomputed: boolean }> {
    const baseline = await statsRepository.lastRun(db, BASELINE_RUN);
    if (!baseline && messagesBefore > 0) {
      const report = await this.recompute(db);
      return { monthsRebuilt: report.monthsRebuilt ?? 0, recomputed: true };
    }
    const started = Date.now();
    const sorted = [...new Set(months)].sort();
    await statsRepository.withLargePageCache(db, async () => {
      for (const month of sorted) {
        for (const family of SCOPE_FAMILIES) {
          await db.transaction().execute(async (trx) => {
            await statsRepository.lockMonths(trx, [month], 'exclusive');
            await statsRepository.rebuildMonth(trx, month, family);
          });
        }
      }
    });
    if (!baseline) {
      const count = async (table: 'messages' | 'message_facts') =>
        Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      await statsRepository.recordRun(db, BASELINE_RUN, {
        messages: await count('messages'),
        facts: await count('message_facts'),
        rollups: await statsRepository.countRollups(db),
        seconds: (Date.now() - started) / 1000,
        monthsRebuilt: sorted.length,
      } satisfies RecomputeReport);
    }
    return { monthsRebuilt: sorted.length, recomputed: false };
  },

  /**
   * Compares the stored facts and rollups with a fresh derivation from the case histories, without
   * writing anything: the first differences found (empty when they agree).
   */
  async check(db: Db, batch = 2000): Promise<{ messages: number; differences: string[] }> {
    const rollups = new Map<string, RollupDelta>();
    const hist = new Map<string, HistogramDelta>();
    const differences: string[] = [];
    const calendar = calendarMemo();
    let after = 0;
    let messages = 0;
    for (;;) {
      const ids = await statsRepository.messageIdsAfter(db, after, batch);
      if (ids.length === 0) break;
      const [fresh, storedFacts] = await Promise.all([
        factsFor(db, ids, calendar).then((rows) => new Map(rows.map((f) => [f.messageId, f]))),
        statsRepository.factsOf(db, ids),
      ]);
      for (const id of ids) {
        const expected = fresh.get(id) ?? null;
        if (!sameFacts(storedFacts.get(id) ?? null, expected) && differences.length < 20)
          differences.push(`留言 ${id} 的统计事实与办理记录不符`);
        contributions(expected, 1, rollups, hist);
      }
      messages += ids.length;
      after = ids[ids.length - 1]!;
    }
    const stored = await statsRepository.allRollups(db);
    const storedKeys = new Set<string>();
    for (const row of stored) {
      const key = `${row.scope}|${row.month}`;
      storedKeys.add(key);
      const want = rollups.get(key)?.counters ?? zeroCounters();
      const bad = COUNTERS.filter((c) => Number(row[c]) !== want[c]);
      if (bad.length && differences.length < 20) differences.push(`${key}：${bad.join('、')} 与重新计算的结果不符`);
    }
    for (const [key, d] of rollups) {
      if (!storedKeys.has(key) && COUNTERS.some((c) => d.counters[c] !== 0) && differences.length < 20)
        differences.push(`${key}：缺少汇总`);
    }
    const storedHist = new Map(
      (await statsRepository.allHistograms(db)).map((h) => [`${h.scope}|${h.month}|${h.days}`, Number(h.count)]),
    );
    for (const [key, h] of hist) {
      if ((storedHist.get(key) ?? 0) !== h.count && differences.length < 20)
        differences.push(`${key}：办理用时分布不符`);
      storedHist.delete(key);
    }
    for (const [key, count] of storedHist) {
      if (count !== 0 && differences.length < 20) differences.push(`${key}：多出办理用时分布`);
    }
    return { messages, differences };
  },

  async weights(db: Db): Promise<SatisfactionWeights> {
    return settingsRepository.get(db, WEIGHTS_KEY, DEFAULT_WEIGHTS);
  },

  async setWeights(db: Db, input: Record<string, unknown>): Promise<SatisfactionWeights> {
    const out: Record<string, number> = {};
    for (const key of ['resolution', 'timeliness', 'attitude'] as const) {
      const n = Number(input[key]);
      if (!Number.isInteger(n) || n < 0 || n > 100)
        throw new AppError('VALIDATION', { detail: '权重应为 0–100 的整数' }, key);
      out[key] = n;
    }
    if (out.resolution! + out.timeliness! + out.attitude! !== 100)
      throw new AppError('VALIDATION', { detail: '三项权重之和应为 100' }, 'resolution');
    await settingsRepository.set(db, WEIGHTS_KEY, out);
    return out as unknown as SatisfactionWeights;
  },

  /**
   * What a request reads once before any figure: every month's counter and the satisfaction weights. Figures are kept
   * by these (see `figuresFor`), so a reading must be taken before the figures it keys are read.
   */
  async reading(db: Db): Promise<StatsReading> {
    const [versions, weights] = await Promise.all([statsRepository.versions(db), this.weights(db)]);
    return { versions, weights, weightsKey: `${weights.resolution},${weights.timeliness},${weights.attitude}` };
  },

  /**
   * Figures for several scopes over one period: whole months from the rollups, anything else from the facts. Kept per
   * database handle by scope, period, weights and the counters of the period's months, which every change to those
   * months' figures moves in its own transaction: what is kept is never older than the reading asked with.
   */
  async figuresFor(db: Db, scopes: Scope[], period: Period, reading?: StatsReading): Promise<Map<string, Figures>> {
    reading ??= await this.reading(db);
    const memo = memoOf(db);
    const base = memoBase(reading, period);
    const out = new Map<string, Figures>();
    const missing = new Map<string, Scope>();
    for (const scope of scopes) {
      const key = scopeKey(scope);
      const kept = memo.get(`f|${key}|${base}`) as Figures | undefined;
      if (kept) out.set(key, kept);
      else missing.set(key, scope);
    }
    if (missing.size > 0) {
      for (const [key, figures] of await figuresFromDatabase(db, [...missing.values()], period, reading.weights)) {
        memo.set(`f|${key}|${base}`, figures);
        out.set(key, figures);
      }
    }
    return out;
  },

  async figures(db: Db, scope: Scope, period: Period, reading?: StatsReading): Promise<Figures> {
    return (await this.figuresFor(db, [scope], period, reading)).get(scopeKey(scope))!;
  },

  /** Month by month within the period (whole months, from the rollups); kept like `figuresFor`. */
  async trend(
    db: Db,
    scope: Scope,
    period: Period,
    reading?: StatsReading,
  ): Promise<{ month: string; figures: Figures }[]> {
    reading ??= await this.reading(db);
    const memo = memoOf(db);
    const memoKey = `t|${scopeKey(scope)}|${memoBase(reading, period)}`;
    const kept = memo.get(memoKey) as { month: string; figures: Figures }[] | undefined;
    if (kept) return kept;
    const months = monthList(period);
    const key = scopeKey(scope);
    const [rows, hist] = await Promise.all([
      statsRepository.monthlyRollups(db, key, months[0]!, months[months.length - 1]!),
      statsRepository.monthlyHistograms(db, key, months[0]!, months[months.length - 1]!),
    ]);
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    const histByMonth = new Map<string, { days: number; count: number }[]>();
    for (const h of hist) {
      const list = histByMonth.get(h.month) ?? [];
      list.push({ days: h.days, count: Number(h.count) });
      histByMonth.set(h.month, list);
    }
    const trend = months.map((month) => ({
      month,
      figures: computeFigures(countersFrom(byMonth.get(month) ?? {}), histByMonth.get(month) ?? [], reading.weights),
    }));
    memo.set(memoKey, trend);
    return trend;
  },
};

/** The most facts a recomputation writes in one transaction. */
const WRITE_CHUNK = 1000;

/** statsService.recompute, under the larger page cache. */
async function recomputeAll(
  db: Db,
  onProgress: ((done: number) => void) | undefined,
  batch: number,
): Promise<RecomputeReport> {
  const started = Date.now();
  const calendar = calendarMemo();
  let after = 0;
  let messages = 0;
  let facts = 0;
  let factsWritten = 0;
  let longestWriteMs = 0;
  const write = async <T>(work: (trx: Db) => Promise<T>): Promise<T> => {
    let began = 0;
    const result = await db.transaction().execute(async (trx) => {
      began = performance.now();
      return work(trx);
    });
    longestWriteMs = Math.max(longestWriteMs, performance.now() - began);
    return result;
  };
  for (;;) {
    const rows = await statsRepository.factsMessagesAfter(db, after, batch);
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!.id;
    const [events, stored] = await Promise.all([
      statsRepository.factsEventsBetween(db, after, last),
      statsRepository.factSignaturesBetween(db, after, last),
    ]);
    const read = new Map(rows.map((m) => [m.id, m]));
    const derived = new Map<number, MessageFacts>();
    for (const m of rows) {
      const f = deriveFacts(m, events.get(m.id) ?? [], calendar);
      if (f) derived.set(m.id, f);
    }
    facts += derived.size;
    // Stored facts in the range without a message are left over from one that is gone.
    const differ = [...new Set([...derived.keys(), ...stored.keys()])]
      .filter((id) => {
        const f = derived.get(id);
        return !f || stored.get(id)?.signature !== factsSignature(f);
      })
      .sort((a, b) => a - b);
    factsWritten += differ.length;
    // Written WRITE_CHUNK messages to a transaction, so that the write lock is never held for long.
    for (let i = 0; i < differ.length; i += WRITE_CHUNK) {
      const changed = differ.slice(i, i + WRITE_CHUNK);
      await write(async (trx) => {
        await statsRepository.lockMessages(trx, changed);
        const [now, counts] = await Promise.all([
          statsRepository.factsMessages(trx, changed),
          statsRepository.factsEventCounts(trx, changed[0]! - 1, changed[changed.length - 1]!),
        ]);
        const current = new Map(now.map((m) => [m.id, m]));
        // Moved since it was read: a new event, or another board, unit, region or type.
        const moved = changed.filter(
          (id) =>
            (counts.get(id) ?? 0) !== (events.get(id)?.length ?? 0) ||
            JSON.stringify(current.get(id) ?? null) !== JSON.stringify(read.get(id) ?? null),
        );
        const again = moved.length > 0 ? await factsFor(trx, moved, calendar) : [];
        const fresh = new Map(changed.flatMap((id) => (derived.has(id) ? [[id, derived.get(id)!] as const] : [])));
        for (const id of moved) fresh.delete(id);
        for (const f of again) fresh.set(f.messageId, f);
        await statsRepository.writeFacts(
          trx,
          [...fresh.values()],
          changed.filter((id) => !fresh.has(id)),
        );
        await statsRepository.touchMonths(trx, [
          ...monthsOf([...fresh.values()]),
          ...changed.flatMap((id) => stored.get(id)?.month ?? []),
        ]);
      });
    }
    messages += rows.length;
    after = last;
    onProgress?.(messages);
  }
  await statsRepository.deleteOrphanFacts(db, after);
  let monthsRebuilt = 0;
  for (const month of await statsRepository.statsMonths(db)) {
    if (!(await statsRepository.monthDiffers(db, month))) continue;
    for (const family of SCOPE_FAMILIES) {
      await write(async (trx) => {
        await statsRepository.lockMonths(trx, [month], 'exclusive');
        await statsRepository.rebuildMonth(trx, month, family);
      });
    }
    monthsRebuilt += 1;
  }
  const report: RecomputeReport = {
    messages,
    facts,
    rollups: await statsRepository.countRollups(db),
    seconds: (Date.now() - started) / 1000,
    factsWritten,
    monthsRebuilt,
    longestWriteMs: Math.round(longestWriteMs),
  };
  await statsRepository.recordRun(db, BASELINE_RUN, report);
  return report;
}

/** The counters of the months a request reads and the weights it uses. */
export interface StatsReading {
  versions: ReadonlyMap<string, number>;
  weights: SatisfactionWeights;
  weightsKey: string;
}

/**
 * Figures and trends kept per database handle (a transaction gets its own, gone with it). Bounded by count: a flood of
 * distinct periods pushes the least recently used out. Kept values are shared: callers must not change them.
 */
const memos = new WeakMap<Db, LRUCache<string, object>>();
function memoOf(db: Db): LRUCache<string, object> {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new LRUCache<string, object>({ max: 20_000 })));
  return memo;
}

/** Period, weights and the counters of the period's months: the part of a memo key shared by every scope. */
function memoBase(reading: StatsReading, period: Period): string {
  const versions = monthList(period).map((month) => reading.versions.get(month) ?? 0);
  return `${period.from}|${period.to}|${reading.weightsKey}|${versions.join('.')}`;
}

/** Forgets what was kept for a database handle (tests that change the statistics tables behind the app's back). */
export function forgetFigures(db: Db): void {
  memos.delete(db);
}

async function figuresFromDatabase(
  db: Db,
  scopes: Scope[],
  period: Period,
  weights: SatisfactionWeights,
): Promise<Map<string, Figures>> {
  const split = splitByMonths(period);
  const sums = new Map<string, { counters: Counters; histogram: Map<number, number> }>();
  const add = (
    key: string,
    counters: Partial<Record<string, unknown>>,
    histogram: { days: number; count: number }[],
  ) => {
    let entry = sums.get(key);
    if (!entry) sums.set(key, (entry = { counters: zeroCounters(), histogram: new Map() }));
    const more = countersFrom(counters);
    for (const c of COUNTERS) entry.counters[c] += more[c];
    for (const h of histogram) entry.histogram.set(h.days, (entry.histogram.get(h.days) ?? 0) + h.count);
  };
  // Whole months from the rollups; a region's own boards alone have no rollup and are read from the facts.
  const fromRollups = split.months ? scopes.filter((scope) => scope.kind !== 'region-own') : [];
  const dayRanges = (scope: Scope) =>
    split.months && scope.kind !== 'region-own' ? split.days : [{ from: period.from, to: period.to }];
  if (split.months && fromRollups.length > 0) {
    const keys = fromRollups.map(scopeKey);
    const [rows, hist] = await Promise.all([
      statsRepository.sumRollups(db, keys, split.months.from, split.months.to),
      statsRepository.sumHistograms(db, keys, split.months.from, split.months.to),
    ]);
    const histByScope = new Map<string, { days: number; count: number }[]>();
    for (const h of hist) {
      const list = histByScope.get(h.scope) ?? [];
      list.push({ days: h.days, count: Number(h.count) });
      histByScope.set(h.scope, list);
    }
    for (const key of keys) add(key, {}, []);
    for (const row of rows) add(row.scope, row, histByScope.get(row.scope) ?? []);
  }
  for (const scope of scopes) {
    for (const range of dayRanges(scope)) {
      const { counters, histogram } = await statsRepository.aggregateFacts(
        db,
        factsFilter(scope),
        range.from,
        range.to,
      );
      add(scopeKey(scope), counters, histogram);
    }
  }
  const out = new Map<string, Figures>();
  for (const scope of scopes) {
    const key = scopeKey(scope);
    const entry = sums.get(key) ?? { counters: zeroCounters(), histogram: new Map<number, number>() };
    const histogram = [...entry.histogram].map(([days, count]) => ({ days, count }));
    out.set(key, computeFigures(entry.counters, histogram, weights));
  }
  return out;
}

/** Figures where a smaller value is better, for ranking. */
const LOWER_IS_BETTER = new Set<FigureKey>([
  'medianDays',
  'p90Days',
  'overdue',
  'returned',
  'reopened',
  'reopenedRate',
]);

export interface Ranked<T> {
  item: T;
  figures: Figures;
  /** 1-based; null when the figure is "样本不足" for this item. */
  rank: number | null;
}

/** Orders items by one figure, best first; ties share a rank; items without the figure come last, unranked. */
export function rankBy<T>(items: { item: T; figures: Figures }[], by: FigureKey): Ranked<T>[] {
  const dir = LOWER_IS_BETTER.has(by) ? 1 : -1;
  const withValue = items.filter((x) => x.figures[by] !== null);
  const without = items.filter((x) => x.figures[by] === null);
  withValue.sort((a, b) => dir * ((a.figures[by] as number) - (b.figures[by] as number)));
  const ranked: Ranked<T>[] = [];
  withValue.forEach((x, i) => {
    const prev = ranked[i - 1];
    const rank = prev && prev.figures[by] === x.figures[by] ? prev.rank : i + 1;
    ranked.push({ ...x, rank });
  });
  return [...ranked, ...without.map((x) => ({ ...x, rank: null }))];
}
