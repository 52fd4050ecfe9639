// SQL for the annual evaluation: settings and state per year, the stored run, awardees and their edits.
import type { Selectable } from 'kysely';
import type { Db } from '../db/kysely.ts';
import type { EvaluationUnitResultsTable, EvaluationWorkerResultsTable } from '../db/schema.ts';
import { dbBool } from '../db/dialect.ts';
import type { UnitResult, WorkerResult } from './scoring.ts';

export type AwardKind = 'unit' | 'worker';

export interface YearRow {
  year: number;
  config: string;
  runConfig: string | null;
  runAt: string | null;
  confirmedAt: string | null;
  publishedAt: string | null;
}

export interface AwardRow {
  id: number;
  year: number;
  kind: AwardKind;
  source: string;
  unit: UnitResult | null;
  worker: WorkerResult | null;
}

export interface EditRow {
  id: number;
  kind: AwardKind;
  action: 'add' | 'remove';
  name: string;
  reason: string;
  actorName: string | null;
  at: string;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function unitOf(r: Omit<Selectable<EvaluationUnitResultsTable>, 'year'>): UnitResult {
  return {
    unitId: r.unit_id,
    unitName: r.unit_name,
    level: r.level,
    received: Number(r.received),
    expected: Number(r.expected),
    replied: Number(r.replied),
    resolved: Number(r.resolved),
    ratings: Number(r.ratings),
    replyRate: num(r.reply_rate),
    onTimeRate: num(r.on_time_rate),
    satisfaction: num(r.satisfaction),
    resolutionRate: num(r.resolution_rate),
    volumeIndex: num(r.volume_index),
    score: num(r.score),
    rank: num(r.rank),
    eligible: Boolean(r.eligible),
  };
}

function workerOf(r: Omit<Selectable<EvaluationWorkerResultsTable>, 'year'>): WorkerResult {
  return {
    userId: r.user_id,
    name: r.name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    replies: Number(r.replies),
    ratings: Number(r.ratings),
    satisfaction: num(r.satisfaction),
    rank: num(r.rank),
    eligible: Boolean(r.eligible),
  };
}

const UNIT_COLUMNS = [
  'unit_id',
  'unit_name',
  'level',
  'received',
  'expected',
  'replied',
  'resolved',
  'ratings',
  'reply_rate',
  'on_time_rate',
  'satisfaction',
  'resolution_rate',
  'volume_index',
  'score',
  'rank',
  'eligible',
] as const;
const WORKER_COLUMNS = [
  'user_id',
  'name',
  'unit_id',
  'unit_name',
  'replies',
  'ratings',
  'satisfaction',
  'rank',
  'eligible',
] as const;

export const evaluationRepository = {
  async year(db: Db, year: number): Promise<YearRow | null> {
    const row = await db.selectFrom('evaluation_years').selectAll().where('year', '=', year).executeTakeFirst();
    return row
      ? {
          year: row.year,
          config: row.config,
          runConfig: row.run_config,
          runAt: row.run_at,
          confirmedAt: row.confirmed_at,
          publishedAt: row.published_at,
        }
      : null;
  },

  async years(db: Db, { publishedOnly = false } = {}): Promise<YearRow[]> {
    let query = db.selectFrom('evaluation_years').selectAll().orderBy('year', 'desc');
    if (publishedOnly) query = query.where('published_at', 'is not', null);
    return (await query.execute()).map((row) => ({
      year: row.year,
      config: row.config,
      runConfig: row.run_config,
      runAt: row.run_at,
      confirmedAt: row.confirmed_at,
      publishedAt: row.published_at,
    }));
  },

  async saveConfig(db: Db, year: number, config: string): Promise<void> {
    const now = new Date().toISOString();
    const updated = await db
      .updateTable('evaluation_years')
      .set({ config, updated_at: now })
      .where('year', '=', year)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      await db.insertInto('evaluation_years').values({ year, config }).execute();
  },

  /** Replaces the stored run of a year: results, proposed awardees; the confirmation is withdrawn. */
  async replaceRun(
    db: Db,
    year: number,
    run: { config: string; actorId: number; units: UnitResult[]; workers: WorkerResult[] },
    proposed: { unitIds: number[]; userIds: number[] },
  ): Promise<void> {
    const now = new Date().toISOString();
    await db.deleteFrom('evaluation_awards').where('year', '=', year).execute();
    await db.deleteFrom('evaluation_unit_results').where('year', '=', year).execute();
    await db.deleteFrom('evaluation_worker_results').where('year', '=', year).execute();
    // In slices, to stay under either engine's limit on bound parameters.
    for (let i = 0; i < run.units.length; i += 500) {
      await db
        .insertInto('evaluation_unit_results')
        .values(
          run.units.slice(i, i + 500).map((u) => ({
            year,
            unit_id: u.unitId,
            unit_name: u.unitName,
            level: u.level,
            received: u.received,
            expected: u.expected,
            replied: u.replied,
            resolved: u.resolved,
            ratings: u.ratings,
            reply_rate: u.replyRate,
            on_time_rate: u.onTimeRate,
            satisfaction: u.satisfaction,
            resolution_rate: u.resolutionRate,
            volume_index: u.volumeIndex,
            score: u.score,
            rank: u.rank,
            eligible: dbBool(u.eligible),
          })),
        )
        .execute();
    }
    for (let i = 0; i < run.workers.length; i += 500) {
      await db
        .insertInto('evaluation_worker_results')
        .values(
          run.workers.slice(i, i + 500).map((w) => ({
            year,
            user_id: w.userId,
            name: w.name,
            unit_id: w.unitId,
            unit_name: w.unitName,
            replies: w.replies,
            ratings: w.ratings,
            satisfaction: w.satisfaction,
            rank: w.rank,
            eligible: dbBool(w.eligible),
          })),
        )
        .execute();
    }
    const awards = [
      ...proposed.unitIds.map((id) => ({ year, kind: 'unit', unit_id: id, user_id: null, source: 'proposed' })),
      ...proposed.userIds.map((id) => ({ year, kind: 'worker', unit_id: null, user_id: id, source: 'proposed' })),
    ];
    if (awards.length > 0) await db.insertInto('evaluation_awards').values(awards).execute();
    await db
      .updateTable('evaluation_years')
      .set({
        run_config: run.config,
        run_at: now,
        run_by: run.actorId,
        confirmed_at: null,
        confirmed_by: null,
        updated_at: now,
      })
      .where('year', '=', year)
      .execute();
  },

  async unitResults(db: Db, year: number): Promise<UnitResult[]> {
    const rows = await db
      .selectFrom('evaluation_unit_results')
      .select(UNIT_COLUMNS)
      .where('year', '=', year)
      .orderBy('level')
      .orderBy('rank')
      .orderBy('received', 'desc')
      .orderBy('unit_id')
      .execute();
    return rows.map(unitOf);
  },

  async unitResult(db: Db, year: number, unitId: number): Promise<UnitResult | null> {
    const row = await db
      .selectFrom('evaluation_unit_results')
      .select(UNIT_COLUMNS)
      .where('year', '=', year)
      .where('unit_id', '=', unitId)
      .executeTakeFirst();
    return row ? unitOf(row) : null;
  },

  async workerResults(db: Db, year: number): Promise<WorkerResult[]> {
    const rows = await db
      .selectFrom('evaluation_worker_results')
      .select(WORKER_COLUMNS)
      .where('year', '=', year)
      .orderBy('rank')
      .orderBy('replies', 'desc')
      .orderBy('user_id')
      .execute();
    return rows.map(workerOf);
  },

  async workerResult(db: Db, year: number, userId: number): Promise<WorkerResult | null> {
    const row = await db
      .selectFrom('evaluation_worker_results')
      .select(WORKER_COLUMNS)
      .where('year', '=', year)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? workerOf(row) : null;
  },

  /** Awardees of a year with the figures of the stored run. */
  async awards(db: Db, year: number): Promise<AwardRow[]> {
    const awards = await db
      .selectFrom('evaluation_awards')
      .select(['id', 'year', 'kind', 'unit_id', 'user_id', 'source'])
      .where('year', '=', year)
      .orderBy('id')
      .execute();
    const units = new Map((await this.unitResults(db, year)).map((u) => [u.unitId, u]));
    const workers = new Map((await this.workerResults(db, year)).map((w) => [w.userId, w]));
    return awards.map((a) => ({
      id: a.id,
      year: a.year,
      kind: a.kind as AwardKind,
      source: a.source,
      unit: a.unit_id === null ? null : (units.get(a.unit_id) ?? null),
      worker: a.user_id === null ? null : (workers.get(a.user_id) ?? null),
    }));
  },

  async award(db: Db, year: number, id: number): Promise<AwardRow | null> {
    return (await this.awards(db, year)).find((a) => a.id === id) ?? null;
  },

  async findAward(db: Db, year: number, kind: AwardKind, id: number): Promise<number | null> {
    const row = await db
      .selectFrom('evaluation_awards')
      .select('id')
      .where('year', '=', year)
      .where('kind', '=', kind)
      .where(kind === 'unit' ? 'unit_id' : 'user_id', '=', id)
      .executeTakeFirst();
    return row?.id ?? null;
  },

  async addAward(db: Db, year: number, kind: AwardKind, id: number): Promise<number> {
    const row = await db
      .insertInto('evaluation_awards')
      .values({
        year,
        kind,
        unit_id: kind === 'unit' ? id : null,
        user_id: kind === 'worker' ? id : null,
        source: 'added',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async removeAward(db: Db, year: number, id: number): Promise<boolean> {
    const result = await db
      .deleteFrom('evaluation_awards')
      .where('year', '=', year)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async appendEdit(
    db: Db,
    edit: { year: number; kind: AwardKind; action: 'add' | 'remove'; name: string; reason: string; actorId: number },
  ): Promise<void> {
    await db
      .insertInto('evaluation_award_edits')
      .values({
        year: edit.year,
        kind: edit.kind,
        action: edit.action,
        name: edit.name,
        reason: edit.reason,
        actor_id: edit.actorId,
      })
      .execute();
  },

  async edits(db: Db, year: number): Promise<EditRow[]> {
    const rows = await db
      .selectFrom('evaluation_award_edits as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.id', 'e.kind', 'e.action', 'e.name', 'e.reason', 'e.created_at', 'u.nickname'])
      .where('e.year', '=', year)
      .orderBy('e.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as AwardKind,
      action: r.action as 'add' | 'remove',
      name: r.name,
      reason: r.reason,
      actorName: r.nickname,
      at: r.created_at,
    }));
  },

  async setConfirmed(db: Db, year: number, actorId: number | null): Promise<void> {
    const now = new Date().toISOString();
    await db
      .updateTable('evaluation_years')
      .set({ confirmed_at: actorId === null ? null : now, confirmed_by: actorId, updated_at: now })
      .where('year', '=', year)
      .execute();
  },

  async setPublished(db: Db, year: number, actorId: number): Promise<void> {
    const now = new Date().toISOString();
    await db
      .updateTable('evaluation_years')
      .set({ published_at: now, published_by: actorId, updated_at: now })
      .where('year', '=', year)
      .execute();
  },

  /** Every handling unit with its level. */
  units(db: Db) {
    return db.selectFrom('handling_units').select(['id', 'name', 'level']).orderBy('id').execute();
  },

  /**
   * Published replies per author and unit between two instants, with the ratings of the rounds they
   * answered (sums of the three 1–5 scores).
   */
  async replyCounts(db: Db, fromIso: string, toIso: string) {
    const rows = await db
      .selectFrom('replies as r')
      .innerJoin('users as u', 'u.id', 'r.author_id')
      .innerJoin('handling_units as h', 'h.id', 'r.unit_id')
      .leftJoin('ratings as ra', (join) =>
        join.onRef('ra.message_id', '=', 'r.message_id').onRef('ra.round', '=', 'r.round'),
      )
      .select((eb) => [
        'r.author_id',
        'u.nickname',
        'r.unit_id',
        'h.name as unit_name',
        eb.fn.count<number>('r.id').as('replies'),
        eb.fn.count<number>('ra.id').as('ratings'),
        eb.fn.sum<number>('ra.resolution').as('resolution_sum'),
        eb.fn.sum<number>('ra.timeliness').as('timeliness_sum'),
        eb.fn.sum<number>('ra.attitude').as('attitude_sum'),
      ])
      .where('r.status', '=', 'published')
      .where('r.published_at', '>=', fromIso)
      .where('r.published_at', '<', toIso)
      .groupBy(['r.author_id', 'u.nickname', 'r.unit_id', 'h.name'])
      .execute();
    return rows.map((r) => ({
      userId: r.author_id,
      name: r.nickname,
      unitId: r.unit_id,
      unitName: r.unit_name,
      replies: Number(r.replies),
      ratings: Number(r.ratings),
      resolutionSum: Number(r.resolution_sum ?? 0),
      timelinessSum: Number(r.timeliness_sum ?? 0),
      attitudeSum: Number(r.attitude_sum ?? 0),
    }));
  },
};
