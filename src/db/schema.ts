// Row types of every table, as Kysely sees them.
import type { Generated } from 'kysely';

export interface RegionsTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  kind: string;
  parent_code: string | null;
  has_boards: boolean | number;
}

export interface HandlingUnitsTable {
  id: number;
  region_code: string;
  parent_id: number | null;
  name: string;
  kind: string;
  level: 'province' | 'city' | 'county';
  responsibilities: string;
  active: boolean | number;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface BoardsTable {
  id: number;
  region_code: string;
  post: string;
  title: string;
  holder_name: string | null;
  unit_id: number;
  active: boolean | number;
  sort_order: number;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface Database {
  regions: RegionsTable;
  handling_units: HandlingUnitsTable;
  boards: BoardsTable;
}
