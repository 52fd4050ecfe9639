// What the statistics pages and the API show for one scope: its name, figures, trend, ranking and units.
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/kysely.ts';
import { getAncestors, getRegion, listProvinces, type Region } from '../regions/regions.service.ts';
import { regionsRepository } from '../regions/regions.repository.ts';
import { AppError } from '../web/app-error.ts';
import type { FigureKey, Figures } from './figures.ts';
import { FIGURES } from './figures.ts';
import type { Period } from './periods.ts';
import { rankBy, scopeKey, statsService, type Ranked, type Scope } from './stats.service.ts';
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
  if (!/^\d{1,9}$/.test(value)) throw new AppError('VALIDATION', { detail: '编号应为正整数' }, field);
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
  if (given.length > 1)
    throw new AppError(
      'VALIDATION',
      { detail: '地区（region）、办理单位（unit）、留言板（board）只能选一个' },
      given[1],
    );
  if (query.region) return describeRegion(db, query.region);
  if (query.unit) return describeUnit(db, query.unit);
  if (query.board) return describeBoard(db, query.board);
  return PLATFORM;
}

export const platformScope = (): ScopeInfo => PLATFORM;

export function parseFigureKey(value: unknown): FigureKey {
  if (value === undefined || value === '') return 'replyRate';
  if (typeof value === 'string' && Object.hasOwn(FIGURES, value)) return value as FigureKey;
  throw new AppError('VALIDATION', { detail: '排名指标不存在' }, 'by');
}

export interface RankedRegion {
  code: string;
  name: string;
  hasChildren: boolean;
}

/** The regions ranked on a page: provinces for the platform, the regions directly below any other region. */
export async function rankedRegions(
  db: Db,
  info: ScopeInfo,
  period: Period,
  by: FigureKey,
): Promise<Ranked<RankedRegion>[]> {
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
  const scopes: Scope[] = regions.map((r) => ({ kind: 'region', code: r.code, level: r.level }));
  const figures = await statsService.figuresFor(db, scopes, period);
  return rankBy(
    regions.map((r, i) => ({
      item: { code: r.code, name: r.name, hasChildren: r.hasChildren },
      figures: figures.get(scopeKey(scopes[i]!))!,
    })),
    by,
  );
}

/** The handling units seated in a region, with their figures. */
export async function unitsWithFigures(
  db: Db,
  code: string,
  period: Period,
): Promise<{ id: number; name: string; figures: Figures }[]> {
  const units = await statsRepository.unitsOfRegion(db, code);
  const figures = await statsService.figuresFor(
    db,
    units.map((u) => ({ kind: 'unit', id: u.id })),
    period,
  );
  return units.map((u) => ({ id: u.id, name: u.name, figures: figures.get(`u:${u.id}`)! }));
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
