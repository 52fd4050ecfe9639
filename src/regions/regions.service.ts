// Regions as the public pages and the API see them: with their boards, units, children and ancestors.
import type { Db } from '../db/kysely.ts';
import { type Board, toBoard } from '../boards/boards.service.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import { unitsRepository } from '../units/units.repository.ts';
import { type Unit, toUnit } from '../units/units.service.ts';
import { AppError } from '../web/app-error.ts';
import { REGION_KINDS, type RegionKind, type RegionLevel } from './region-kinds.ts';
import { regionsRepository } from './regions.repository.ts';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  kind: RegionKind;
  kindLabel: string;
  parentCode: string | null;
  hasBoards: boolean;
}

export interface RegionDetail {
  region: Region;
  /** From the province down to the region's parent. */
  ancestors: Region[];
  boards: Board[];
  units: Unit[];
  children: Region[];
}

export interface PlatformTotals {
  provincesWithBoards: number;
  lowerRegions: number;
  boards: number;
  units: number;
}

type RegionRow = NonNullable<Awaited<ReturnType<typeof regionsRepository.findByCode>>>;

function toRegion(row: RegionRow): Region {
  const kind = row.kind as RegionKind;
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    kind,
    kindLabel: REGION_KINDS[kind]?.label ?? row.kind,
    parentCode: row.parent_code,
    hasBoards: Boolean(row.has_boards),
  };
}

export async function getRegion(db: Db, code: string): Promise<Region> {
  const row = await regionsRepository.findByCode(db, code);
  if (!row) throw new AppError('REGION_NOT_FOUND', { code });
  return toRegion(row);
}

/** The chain of regions above one, province first; at most two levels. */
export async function getAncestors(db: Db, region: Region): Promise<Region[]> {
  const chain: Region[] = [];
  let parentCode = region.parentCode;
  while (parentCode) {
    const parent = await getRegion(db, parentCode);
    chain.unshift(parent);
    parentCode = parent.parentCode;
  }
  return chain;
}

export async function getRegionDetail(db: Db, code: string): Promise<RegionDetail> {
  const region = await getRegion(db, code);
  const [ancestors, boards, units, children] = await Promise.all([
    getAncestors(db, region),
    boardsRepository.listByRegion(db, code),
    unitsRepository.listByRegion(db, code),
    regionsRepository.listChildren(db, code),
  ]);
  return {
    region,
    ancestors,
    boards: boards.map(toBoard),
    units: units.map(toUnit),
    children: children.map(toRegion),
  };
}

export async function listProvinces(db: Db, { withBoardsOnly = true } = {}): Promise<Region[]> {
  const rows = await regionsRepository.listTopLevel(db);
  return rows.map(toRegion).filter((r) => !withBoardsOnly || r.hasBoards);
}

export async function getPlatformTotals(db: Db): Promise<PlatformTotals> {
  const counts = await regionsRepository.countTotals(db);
  const sum = (pick: (r: (typeof counts.regions)[number]) => boolean) =>
    counts.regions.filter(pick).reduce((n, r) => n + Number(r.n), 0);
  return {
    provincesWithBoards: sum((r) => r.level === 'province' && Boolean(r.has_boards)),
    lowerRegions: sum((r) => r.level !== 'province'),
    boards: counts.boards,
    units: counts.units,
  };
}
