// What the statistics pages and the API show for one scope: its name, figures, trend, ranking and units.
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/kysely.ts';
import { getAncestors, getRegion, listProvinces, type Region } from '../regions/regions.service.ts';
import { regionsRepository } from '../regions/regions.repository.ts';
import { localized } from '../i18n/i18n.ts';
import { AppError } from '../web/app-error.ts';
import type { FigureKey, Figures } from './figures.ts';
import { FIGURES } from './figures.ts';
import type { Period } from './periods.ts';
import { rankBy, scopeKey, statsService, type Ranked, type Scope, type StatsReading } from './stats.service.ts';
import { statsRepository } from './stats.repository.ts';

export interface ScopeInfo {
  scope: Scope;
  /** 'platform' | 'region' | 'unit' | 'board' and its code or id, for the API. */
  type: Scope['kind'];
  id: string | null;
  name: string;
  /** The statistics page of this scope. */
  href: string;
  /** Regions from the province down to this region's parent (region scopes), for the breadcrumb. */
  ancestors: Region[];
  region: Region | null;
}

const PLATFORM: ScopeInfo = {
  scope: { kind: 'platform' },
  type: 'platform',
  id: null,
  name: '全平台',
  href: '/stats',
  ancestors: [],
  region: null,
};

const positiveId = (value: string, field: string) => {
  if (!/^\d{1,9}$/.test(value)) throw new AppError('VALIDATION', { detail: localized('stats.error.id') }, field);
  return Number(value);
};

export async function describeRegion(db: Db, code: string): Promise<ScopeInfo> {
  if (!/^\d{6}$/.test(code)) throw new AppError('REGION_NOT_FOUND', { code });
  const region = await getRegion(db, code);
  return {
    scope: { kind: 'region', code, level: region.level },
    type: 'region',
    id: code,
    name: region.name,
    href: `/stats/regions/${code}`,
    ancestors: await getAncestors(db, region),
    region,
  };
}

export async function describeUnit(db: Db, id: string): Promise<ScopeInfo> {
  const unit = await statsRepository.unit(db, positiveId(id, 'unit'));
  if (!unit) throw new AppError('NOT_FOUND');
  const region = await getRegion(db, unit.region_code);
  return {
    scope: { kind: 'unit', id: unit.id },
    type: 'unit',
    id: String(unit.id),
    name: unit.name,
    href: `/stats/units/${unit.id}`,
    ancestors: [...(await getAncestors(db, region)), region],
    region: null,
  };
}

export async function describeBoard(db: Db, id: string): Promise<ScopeInfo> {
  const board = await statsRepository.board(db, positiveId(id, 'board'));
  if (!board) throw new AppError('BOARD_NOT_FOUND', { id });
  const region = await getRegion(db, board.region_code);
  return {
    scope: { kind: 'board', id: board.id },
    type: 'board',
    id: String(board.id),
    name: board.title,
    href: `/stats/boards/${board.id}`,
    ancestors: [...(await getAncestors(db, region)), region],
    region: null,
  };
}

/** The scope named by the API's query: at most one of region, unit, board; none is the platform. */
export async function describeQuery(
  db: Db,
  query: { region?: string; unit?: string; board?: string },
): Promise<ScopeInfo> {
  const given = (['region', 'unit', 'board'] as const).filter((k) => query[k]);
  if (given.length > 1) throw new AppError('VALIDATION', { detail: localized('stats.error.oneScope') }, given[1]);
  if (query.region) return describeRegion(db, query.region);
  if (query.unit) return describeUnit(db, query.unit);
  if (query.board) return describeBoard(db, query.board);
  return PLATFORM;
}

export const platformScope = (): ScopeInfo => PLATFORM;

export function parseFigureKey(value: unknown): FigureKey {
  if (value === undefined || value === '') return 'replyRate';
  if (typeof value === 'string' && Object.hasOwn(FIGURES, value)) return value as FigureKey;
  throw new AppError('VALIDATION', { detail: localized('stats.error.figure') }, 'by');
}

export interface RankedRegion {
  code: string;
  name: string;
  hasChildren: boolean;
}

/** The regions ranked on a page: provinces for the platform, the regions directly below any other region. */
export async function regionsBelow(db: Db, info: ScopeInfo): Promise<(RankedRegion & { scope: Scope })[]> {
  let regions: { code: string; name: string; level: string; hasChildren: boolean }[];
  if (info.type === 'platform') {
    regions = (await listProvinces(db)).map((r) => ({ code: r.code, name: r.name, level: r.level, hasChildren: true }));
  } else if (info.region && info.region.level !== 'county') {
    regions = (await regionsRepository.listChildren(db, info.region.code))
      .filter((r) => r.has_boards)
      .map((r) => ({ code: r.code, name: r.name, level: r.level, hasChildren: r.level !== 'county' }));
  } else {
    return [];
  }
  return regions.map((r) => ({
    code: r.code,
    name: r.name,
    hasChildren: r.hasChildren,
    scope: { kind: 'region', code: r.code, level: r.level },
  }));
}

/** Ranks regions (from `regionsBelow`) by one figure, given their figures by scope key. */
export function rankRegions(
  regions: (RankedRegion & { scope: Scope })[],
  figures: Map<string, Figures>,
  by: FigureKey,
): Ranked<RankedRegion>[] {
  return rankBy(
    regions.map((r) => ({
      item: { code: r.code, name: r.name, hasChildren: r.hasChildren },
      figures: figures.get(scopeKey(r.scope))!,
    })),
    by,
  );
}

export async function rankedRegions(
  db: Db,
  info: ScopeInfo,
  period: Period,
  by: FigureKey,
  reading?: StatsReading,
): Promise<Ranked<RankedRegion>[]> {
  const regions = await regionsBelow(db, info);
  const figures = await statsService.figuresFor(
    db,
    regions.map((r) => r.scope),
    period,
    reading,
  );
  return rankRegions(regions, figures, by);
}

/**
 * Everything a statistics page shows for one scope and period, from one reading: the scope's figures, its months, the
 * regions below ranked and the units seated in its region, their figures asked for together.
 */
export async function scopePageData(db: Db, info: ScopeInfo, period: Period, by: FigureKey) {
  const reading = await statsService.reading(db);
  const [regions, units] = await Promise.all([
    regionsBelow(db, info),
    info.region ? statsRepository.unitsOfRegion(db, info.region.code) : Promise.resolve([]),
  ]);
  const unitScope = (id: number): Scope => ({ kind: 'unit', id });
  const [figures, trend] = await Promise.all([
    statsService.figuresFor(
      db,
      [info.scope, ...regions.map((r) => r.scope), ...units.map((u) => unitScope(u.id))],
      period,
      reading,
    ),
    statsService.trend(db, info.scope, period, reading),
  ]);
  return {
    figures: figures.get(scopeKey(info.scope))!,
    trend,
    ranking: rankRegions(regions, figures, by),
    units: units.map((u) => ({ id: u.id, name: u.name, figures: figures.get(scopeKey(unitScope(u.id)))! })),
    weights: reading.weights,
  };
}

export interface PlatformHeadline {
  received: number;
  replied: number;
  resolved: number;
  leadersReplied: number;
  units: number;
  boards: number;
}

/** Running totals move slowly and counting leaders reads many rows: they are kept for a minute. */
const headlines = new LRUCache<Db, PlatformHeadline>({ max: 8, ttl: 60_000 });

/** Forgets the kept running totals (tests that change the database behind the app's back). */
export function forgetHeadline(db: Db): void {
  headlines.delete(db);
}

/** The platform's running totals, as the home and statistics pages announce them (at most a minute old). */
export async function platformHeadline(db: Db): Promise<PlatformHeadline> {
  const cached = headlines.get(db);
  if (cached) return cached;
  const headline = await countHeadline(db);
  headlines.set(db, headline);
  return headline;
}

async function countHeadline(db: Db): Promise<PlatformHeadline> {
  const [all, leadersReplied, counts] = await Promise.all([
    statsRepository.sumRollups(db, ['p'], '0000-00', '9999-99'),
    statsRepository.boardsWithSignedReplies(db),
    regionsRepository.countTotals(db),
  ]);
  return {
    received: Number(all[0]?.received ?? 0),
    replied: Number(all[0]?.replied ?? 0),
    resolved: Number(all[0]?.resolved ?? 0),
    leadersReplied,
    units: counts.units,
    boards: counts.boards,
  };
}
