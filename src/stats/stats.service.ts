// Published figures for any scope and period, kept up to date as messages move and rebuilt on demand.
import type { Db } from '../db/kysely.ts';
import { settingsRepository } from '../accounts/settings.repository.ts';
import { AppError } from '../web/app-error.ts';
import {
  COUNTERS,
  countersOf,
  deriveFacts,
  scopesOf,
  zeroCounters,
  type Counters,
  type MessageFacts,
} from './message-facts.ts';
import { statsRepository, type HistogramDelta, type RollupDelta } from './stats.repository.ts';
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

function sameFacts(a: MessageFacts | null, b: MessageFacts | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function factsFor(db: Db, ids: number[]): Promise<MessageFacts[]> {
  const [messages, events] = await Promise.all([
    statsRepository.factsMessages(db, ids),
    statsRepository.factsEvents(db, ids),
  ]);
  return messages.flatMap((m) => deriveFacts(m, events.get(m.id) ?? []) ?? []);
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
      for (const f of rows) contributions(f, 1, rollups, hist);
      facts += rows.length;
    },
    async flush(db: Db): Promise<{ facts: number; rollups: number }> {
      await statsRepository.applyDeltas(db, [...rollups.values()], [...hist.values()]);
      const result = { facts, rollups: rollups.size };
      rollups.clear();
      hist.clear();
      return result;
    },
  };
}

export interface RecomputeReport {
  messages: number;
  facts: number;
  rollups: number;
  seconds: number;
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
  },

  /**
   * Rebuilds every fact and rollup from the case histories, in short transactions so that the server goes on working
   * beside it (on SQLite a long transaction would hold the one write lock): first the facts of each batch of messages,
   * then each month's rollups summed again from its facts. A case event recorded meanwhile moves the facts and the
   * rollups together, so the month rebuilt after it (or before it, under its lock) counts it exactly once.
   */
  async recompute(db: Db, onProgress?: (done: number) => void, batch = 500): Promise<RecomputeReport> {
    const started = Date.now();
    let after = 0;
    let messages = 0;
    let facts = 0;
    for (;;) {
      const ids = await db.transaction().execute(async (trx) => {
        const ids = await statsRepository.messageIdsAfter(trx, after, batch);
        if (ids.length === 0) return ids;
        const fresh = await factsFor(trx, ids);
        await statsRepository.replaceFacts(trx, ids, fresh);
        facts += fresh.length;
        return ids;
      });
      if (ids.length === 0) break;
      messages += ids.length;
      after = ids[ids.length - 1]!;
      onProgress?.(messages);
    }
    await statsRepository.deleteOrphanFacts(db);
    let rollups = 0;
    for (const month of await statsRepository.statsMonths(db)) {
      rollups += await db.transaction().execute(async (trx) => {
        // Cleared first: on PostgreSQL that locks the month's rows, so a concurrent event's delta lands after this sum.
        await statsRepository.clearMonth(trx, month);
        const sums = new Map<string, RollupDelta>();
        const hist = new Map<string, HistogramDelta>();
        for (const f of await statsRepository.factsOfMonth(trx, month)) contributions(f, 1, sums, hist);
        await statsRepository.applyDeltas(trx, [...sums.values()], [...hist.values()]);
        return sums.size;
      });
    }
    const report = { messages, facts, rollups, seconds: (Date.now() - started) / 1000 };
    await statsRepository.recordRun(db, BASELINE_RUN, report);
    return report;
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
   * Compares the stored facts and rollups with a fresh derivation from the case histories, without
   * writing anything: the first differences found (empty when they agree).
   */
  async check(db: Db, batch = 2000): Promise<{ messages: number; differences: string[] }> {
    const rollups = new Map<string, RollupDelta>();
    const hist = new Map<string, HistogramDelta>();
    const differences: string[] = [];
    let after = 0;
    let messages = 0;
    for (;;) {
      const ids = await statsRepository.messageIdsAfter(db, after, batch);
      if (ids.length === 0) break;
      const [fresh, storedFacts] = await Promise.all([
        factsFor(db, ids).then((rows) => new Map(rows.map((f) => [f.messageId, f]))),
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

  /** Figures for several scopes over one period: whole months from the rollups, anything else from the facts. */
  async figuresFor(db: Db, scopes: Scope[], period: Period): Promise<Map<string, Figures>> {
    const weights = await this.weights(db);
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
  },

  async figures(db: Db, scope: Scope, period: Period): Promise<Figures> {
    return (await this.figuresFor(db, [scope], period)).get(scopeKey(scope))!;
  },

  /** Month by month within the period (whole months, from the rollups). */
  async trend(db: Db, scope: Scope, period: Period): Promise<{ month: string; figures: Figures }[]> {
    const months = monthList(period);
    const weights = await this.weights(db);
    const key = scopeKey(scope);
    const [rows, hist] = await Promise.all([
      statsRepository.monthlyRollups(db, key, months[0]!, months[months.length - 1]!),
      statsRepository.monthlyHistograms(db, key, months[0]!, months[months.length - 1]!),
    ]);
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    return months.map((month) => {
      const counters = countersFrom(byMonth.get(month) ?? {});
      const histogram = hist.filter((h) => h.month === month).map((h) => ({ days: h.days, count: Number(h.count) }));
      return { month, figures: computeFigures(counters, histogram, weights) };
    });
  },
};

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
