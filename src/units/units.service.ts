// Handling units as pages and the API see them.
import type { RegionLevel } from '../regions/region-kinds.ts';
import { UNIT_KINDS, type UnitKind } from './unit-kinds.ts';
import type { unitsRepository } from './units.repository.ts';

export interface Unit {
  id: number;
  name: string;
  kind: UnitKind;
  kindLabel: string;
  level: RegionLevel;
  regionCode: string;
  parentId: number | null;
  responsibilities: string;
}

type UnitRow = Awaited<ReturnType<typeof unitsRepository.listByRegion>>[number];

export function toUnit(row: UnitRow): Unit {
  const kind = row.kind as UnitKind;
  return {
    id: row.id,
    name: row.name,
    kind,
    kindLabel: UNIT_KINDS[kind] ?? row.kind,
    level: row.level,
    regionCode: row.region_code,
    parentId: row.parent_id,
    responsibilities: row.responsibilities,
  };
}
