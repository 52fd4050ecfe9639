// The annual evaluation as use cases: set up a year, run it, edit the awardees with reasons, confirm, publish.
// Each step is one transaction that also writes the admin log.
import { adminLogRepository } from '../accounts/admin-log.repository.ts';
import type { Db } from '../db/kysely.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { zhCN } from '../i18n/catalog.zh-CN.ts';
import { localized, type MessageKey, type TranslateParams } from '../i18n/i18n.ts';
import { parsePeriod } from '../stats/periods.ts';
import { statsService, type Scope } from '../stats/stats.service.ts';
import { AppError } from '../web/app-error.ts';
import { type AwardKind, type AwardRow, evaluationRepository, type EditRow } from './evaluation.repository.ts';
import {
  configFromForm,
  DEFAULT_CONFIG,
  type EvaluationConfig,
  type Level,
  LEVELS,
  parseConfig,
  proposedUnits,
  proposedWorkers,
  rankWorkers,
  scoreUnits,
  type UnitResult,
  type WorkerResult,
} from './scoring.ts';

export type YearStatus = 'draft' | 'run' | 'confirmed' | 'published';
/** A year's status in words: the catalogue's `evaluation.status.*`, in the platform's own language here. */
export const STATUS_LABELS: Record<YearStatus, string> = {
  draft: zhCN['evaluation.status.draft'],
  run: zhCN['evaluation.status.run'],
  confirmed: zhCN['evaluation.status.confirmed'],
  published: zhCN['evaluation.status.published'],
};

export interface EvaluationYear {
  year: number;
  status: YearStatus;
  /** The settings the next run will use. */
  config: EvaluationConfig;
  /** The settings the stored run used (null before the first run). */
  runConfig: EvaluationConfig | null;
  runAt: string | null;
  confirmedAt: string | null;
  publishedAt: string | null;
}

export interface Actor {
  id: number;
  ip?: string | null;
}

export const REASON_MAX = 500;
const FIRST_YEAR = 2000;

/** A year that can be evaluated: from 2000 to the current year (China time). VALIDATION otherwise. */
export function checkYear(year: number, now = new Date()): number {
  const current = Number(chinaDate(now).slice(0, 4));
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > current)
    throw new AppError(
      'VALIDATION',
      { detail: localized('evaluation.error.year', { first: FIRST_YEAR, current }) },
      'year',
    );
  return year;
}

function statusOf(row: { runAt: string | null; confirmedAt: string | null; publishedAt: string | null }): YearStatus {
  if (row.publishedAt) return 'published';
  if (row.confirmedAt) return 'confirmed';
  if (row.runAt) return 'run';
  return 'draft';
}

/** Refuses a step with a reason said in the reader's language (a catalogue text, translated when shown). */
function refuse(key: MessageKey, field = '_form', params?: TranslateParams): never {
  throw new AppError('VALIDATION', { detail: localized(key, params) }, field);
}

function reasonOf(raw: unknown): string {
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (!reason) refuse('evaluation.error.reason', 'reason');
  if ([...reason].length > REASON_MAX) refuse('evaluation.error.reasonLength', 'reason', { max: REASON_MAX });
  return reason;
}

/** The name an awardee is listed under. */
export function awardName(award: AwardRow): string {
  if (award.kind === 'unit') return award.unit?.unitName ?? '（单位）';
  return award.worker ? `${award.worker.name}（${award.worker.unitName}）` : '（工作人员）';
}

/** The instants a China calendar year starts and ends (exclusive), as ISO strings. */
function yearBounds(year: number): { from: string; to: string } {
  const start = (y: number) => new Date(Date.UTC(y, 0, 1) - 8 * 3600_000).toISOString();
  return { from: start(year), to: start(year + 1) };
}

export const evaluationService = {
  async year(db: Db, year: number): Promise<EvaluationYear> {
    const row = await evaluationRepository.year(db, year);
    if (!row)
      return {
        year,
        status: 'draft',
        config: DEFAULT_CONFIG,
        runConfig: null,
        runAt: null,
        confirmedAt: null,
        publishedAt: null,
      };
    return {
      year,
      status: statusOf(row),
      config: parseConfig(row.config),
      runConfig: row.runConfig ? parseConfig(row.runConfig) : null,
      runAt: row.runAt,
      confirmedAt: row.confirmedAt,
      publishedAt: row.publishedAt,
    };
  },

  async years(db: Db, { publishedOnly = false } = {}): Promise<EvaluationYear[]> {
    return (await evaluationRepository.years(db, { publishedOnly })).map((row) => ({
      year: row.year,
      status: statusOf(row),
      config: parseConfig(row.config),
      runConfig: row.runConfig ? parseConfig(row.runConfig) : null,
      runAt: row.runAt,
      confirmedAt: row.confirmedAt,
      publishedAt: row.publishedAt,
    }));
  },

  /** A published year, or NOT_FOUND: unpublished results are never shown to the public. */
  async publishedYear(db: Db, year: number): Promise<EvaluationYear> {
    const found = await this.year(db, year);
    if (found.status !== 'published') throw new AppError('NOT_FOUND');
    return found;
  },

  async saveConfig(db: Db, actor: Actor, year: number, form: Record<string, unknown>): Promise<EvaluationConfig> {
    checkYear(year);
    const config = configFromForm(form);
    await db.transaction().execute(async (trx) => {
      if ((await this.year(trx, year)).status === 'published') refuse('evaluation.error.publishedSettings');
      await evaluationRepository.saveConfig(trx, year, JSON.stringify(config));
      await adminLogRepository.append(trx, {
        actorId: actor.id,
        action: 'evaluation.config',
        targetUserId: null,
        detail: { year, config },
        ip: actor.ip,
      });
    });
    return config;
  },

  /**
   * Computes every unit's figures, score and rank and the staff figures for the year, stores them as the
   * year's run (replacing an earlier one, with its awardee lists) and proposes the awardees.
   */
  async run(db: Db, actor: Actor, year: number): Promise<{ units: number; ranked: number; awards: number }> {
    checkYear(year);
    const before = await this.year(db, year);
    if (before.status === 'published') refuse('evaluation.error.publishedRun');
    const config = before.config;
    const period = parsePeriod({ period: String(year) });
    const units = await evaluationRepository.units(db);
    const figures = await statsService.figuresFor(
      db,
      units.map((u) => ({ kind: 'unit', id: u.id }) as Scope),
      period,
    );
    const unitResults = scoreUnits(
      units
        .map((u) => ({ unitId: u.id, unitName: u.name, level: u.level, figures: figures.get(`u:${u.id}`)! }))
        .filter((u) => u.figures && u.figures.received > 0),
      config,
    );
    const workerResults = rankWorkers(await workerCounts(db, year), config);
    const unitIds = proposedUnits(unitResults, config).map((u) => u.unitId);
    const userIds = proposedWorkers(workerResults, config).map((w) => w.userId);
    await db.transaction().execute(async (trx) => {
      if ((await this.year(trx, year)).status === 'published') refuse('evaluation.error.publishedRun');
      await evaluationRepository.saveConfig(trx, year, JSON.stringify(config));
      await evaluationRepository.replaceRun(
        trx,
        year,
        { config: JSON.stringify(config), actorId: actor.id, units: unitResults, workers: workerResults },
        { unitIds, userIds },
      );
      await adminLogRepository.append(trx, {
        actorId: actor.id,
        action: 'evaluation.run',
        targetUserId: null,
        detail: { year, units: unitResults.length, units_proposed: unitIds.length, workers_proposed: userIds.length },
        ip: actor.ip,
      });
    });
    return {
      units: unitResults.length,
      ranked: unitResults.filter((u) => u.eligible).length,
      awards: unitIds.length + userIds.length,
    };
  },

  async unitResults(db: Db, year: number): Promise<UnitResult[]> {
    return evaluationRepository.unitResults(db, year);
  },

  async workerResults(db: Db, year: number): Promise<WorkerResult[]> {
    return evaluationRepository.workerResults(db, year);
  },

  /** Units by level and rank, then staff by rank; added awardees without a rank after the others. */
  async awards(db: Db, year: number): Promise<AwardRow[]> {
    const level = (a: AwardRow) => (a.unit ? LEVELS.indexOf(a.unit.level as Level) : 9);
    const rank = (a: AwardRow) => a.unit?.rank ?? a.worker?.rank ?? Infinity;
    return (await evaluationRepository.awards(db, year)).sort(
      (a, b) =>
        (a.kind === b.kind ? 0 : a.kind === 'unit' ? -1 : 1) || level(a) - level(b) || rank(a) - rank(b) || a.id - b.id,
    );
  },

  async edits(db: Db, year: number): Promise<EditRow[]> {
    return evaluationRepository.edits(db, year);
  },

  /** Adds a unit (from the year's results) or a staff member (from the year's staff figures) to the list. */
  async addAward(
    db: Db,
    actor: Actor,
    year: number,
    input: { kind?: unknown; id?: unknown; reason?: unknown },
  ): Promise<number> {
    checkYear(year);
    const kind: AwardKind | null = input.kind === 'unit' || input.kind === 'worker' ? input.kind : null;
    if (!kind) refuse('evaluation.error.kind', 'kind');
    const field = kind === 'unit' ? 'unitId' : 'userId';
    const id = Number(typeof input.id === 'string' ? input.id.trim() : input.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) refuse('evaluation.error.pick', field);
    const reason = reasonOf(input.reason);
    return db.transaction().execute(async (trx) => {
      await editable(trx, year);
      const result =
        kind === 'unit'
          ? await evaluationRepository.unitResult(trx, year, id)
          : await evaluationRepository.workerResult(trx, year, id);
      if (!result) refuse('evaluation.error.notInResults', field);
      if (await evaluationRepository.findAward(trx, year, kind, id)) refuse('evaluation.error.listed', field);
      const awardId = await evaluationRepository.addAward(trx, year, kind, id);
      const name = 'unitName' in result && kind === 'unit' ? result.unitName : nameOfWorker(result as WorkerResult);
      await recordEdit(trx, actor, { year, kind, action: 'add', name, reason });
      return awardId;
    });
  },

  async removeAward(db: Db, actor: Actor, year: number, awardId: number, input: { reason?: unknown }): Promise<void> {
    checkYear(year);
    const reason = reasonOf(input.reason);
    await db.transaction().execute(async (trx) => {
      await editable(trx, year);
      const award = await evaluationRepository.award(trx, year, awardId);
      if (!award) throw new AppError('NOT_FOUND');
      await evaluationRepository.removeAward(trx, year, awardId);
      await recordEdit(trx, actor, { year, kind: award.kind, action: 'remove', name: awardName(award), reason });
    });
  },

  async confirm(db: Db, actor: Actor, year: number): Promise<void> {
    checkYear(year);
    await db.transaction().execute(async (trx) => {
      const state = await this.year(trx, year);
      if (state.status === 'draft') refuse('evaluation.error.notRun');
      if (state.status === 'published') refuse('evaluation.error.published');
      // A certificate names the body that issues it: no list is confirmed before there is one.
      if (!issuerOf(state)) refuse('evaluation.error.noIssuer');
      await evaluationRepository.setConfirmed(trx, year, actor.id);
      const awards = await evaluationRepository.awards(trx, year);
      await adminLogRepository.append(trx, {
        actorId: actor.id,
        action: 'evaluation.confirm',
        targetUserId: null,
        detail: {
          year,
          units: awards.filter((a) => a.kind === 'unit').map(awardName),
          workers: awards.filter((a) => a.kind === 'worker').map(awardName),
        },
        ip: actor.ip,
      });
    });
  },

  async publish(db: Db, actor: Actor, year: number): Promise<void> {
    checkYear(year);
    await db.transaction().execute(async (trx) => {
      const state = await this.year(trx, year);
      if (state.status === 'published') refuse('evaluation.error.published');
      if (state.status !== 'confirmed') refuse('evaluation.error.notConfirmed');
      await evaluationRepository.setPublished(trx, year, actor.id);
      await adminLogRepository.append(trx, {
        actorId: actor.id,
        action: 'evaluation.publish',
        targetUserId: null,
        detail: { year },
        ip: actor.ip,
      });
    });
  },
};

/** The body that issues the year's certificates, as the settings name it (they cannot change once published). */
export function issuerOf(state: Pick<EvaluationYear, 'config'>): string {
  return state.config.issuer;
}

function nameOfWorker(w: WorkerResult): string {
  return `${w.name}（${w.unitName}）`;
}

/** The lists may change after a run and before publication; any change withdraws the confirmation. */
async function editable(trx: Db, year: number): Promise<void> {
  const state = await evaluationService.year(trx, year);
  if (state.status === 'draft') refuse('evaluation.error.notRun');
  if (state.status === 'published') refuse('evaluation.error.publishedLists');
  if (state.status === 'confirmed') await evaluationRepository.setConfirmed(trx, year, null);
}

async function recordEdit(
  trx: Db,
  actor: Actor,
  edit: { year: number; kind: AwardKind; action: 'add' | 'remove'; name: string; reason: string },
): Promise<void> {
  await evaluationRepository.appendEdit(trx, { ...edit, actorId: actor.id });
  await adminLogRepository.append(trx, {
    actorId: actor.id,
    action: 'evaluation.award',
    targetUserId: null,
    detail: edit,
    ip: actor.ip,
  });
}

/** Staff figures for the year: published replies per author, and the satisfaction of the rounds they answered. */
async function workerCounts(db: Db, year: number) {
  const { from, to } = yearBounds(year);
  const weights = await statsService.weights(db);
  const total = weights.resolution + weights.timeliness + weights.attitude;
  const rows = await evaluationRepository.replyCounts(db, from, to);
  // A person who answered for several units is listed under the one they answered for most.
  const byUser = new Map<
    number,
    { name: string; unitId: number; unitName: string; best: number; replies: number; ratings: number; sums: number[] }
  >();
  for (const r of rows) {
    let entry = byUser.get(r.userId);
    if (!entry)
      byUser.set(
        r.userId,
        (entry = {
          name: r.name,
          unitId: r.unitId,
          unitName: r.unitName,
          best: 0,
          replies: 0,
          ratings: 0,
          sums: [0, 0, 0],
        }),
      );
    if (r.replies > entry.best) Object.assign(entry, { unitId: r.unitId, unitName: r.unitName, best: r.replies });
    entry.replies += r.replies;
    entry.ratings += r.ratings;
    entry.sums = [entry.sums[0]! + r.resolutionSum, entry.sums[1]! + r.timelinessSum, entry.sums[2]! + r.attitudeSum];
  }
  const percent = (sum: number, n: number) => ((sum / n - 1) / 4) * 100;
  return [...byUser].map(([userId, e]) => ({
    userId,
    name: e.name,
    unitId: e.unitId,
    unitName: e.unitName,
    replies: e.replies,
    ratings: e.ratings,
    satisfaction:
      e.ratings > 0 && total > 0
        ? (percent(e.sums[0]!, e.ratings) * weights.resolution +
            percent(e.sums[1]!, e.ratings) * weights.timeliness +
            percent(e.sums[2]!, e.ratings) * weights.attitude) /
          total
        : null,
  }));
}
