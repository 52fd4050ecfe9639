// Regions, boards, handling units, working-rule overrides and settings held in memory by each app process, read again
// when the database says they changed.
//
// Staleness bound: triggers move `change_counters.reference` on every change to those tables, by anyone. A process
// compares the counter with the one its copy was read at before using the copy, at most every
// REFERENCE_CACHE_SECONDS (and at every use while one of its own write requests is under way, and at the first use
// after one): a change through this process shows at once, a change by another process within that bound. Only the
// app's own database handle uses the copy (see `enableReferenceCache`); a transaction, the CLI and anything else read
// the tables as before.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Selectable } from 'kysely';
import type { Db } from '../db/kysely.ts';
import type { BoardsTable, HandlingUnitsTable, RegionsTable } from '../db/schema.ts';

export type RegionRow = Readonly<Selectable<RegionsTable>>;
export type BoardRow = Readonly<Omit<Selectable<BoardsTable>, 'created_at' | 'updated_at'>>;
export type UnitRow = Readonly<Omit<Selectable<HandlingUnitsTable>, 'created_at' | 'updated_at'>>;

const COUNTER = 'reference';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function groupBy<K, V>(rows: readonly V[], key: (row: V) => K, order: (a: V, b: V) => number): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  for (const list of groups.values()) list.sort(order);
  return groups;
}

const byCode = (a: RegionRow, b: RegionRow) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

/** One consistent reading of the reference tables. Rows are frozen; lists are copies the caller may change. */
export class ReferenceSnapshot {
  private readonly regions: Map<string, RegionRow>;
  private readonly regionChildren: Map<string | null, RegionRow[]>;
  private readonly boards: Map<number, BoardRow>;
  private readonly boardsByRegion: Map<string, BoardRow[]>;
  private readonly units: Map<number, UnitRow>;
  private readonly unitsByRegion: Map<string, UnitRow[]>;
  private readonly unitChildren: Map<number | null, UnitRow[]>;
  private readonly rules: Map<string, string>;
  private readonly settings: Map<string, string>;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly version: number,
    rows: {
      regions: RegionRow[];
      boards: BoardRow[];
      units: UnitRow[];
      rules: { region_code: string; override: string }[];
      settings: { key: string; value: string }[];
    },
  ) {
    const regions = rows.regions.map((r) => Object.freeze({ ...r }));
    const boards = rows.boards.map((b) => Object.freeze({ ...b }));
    const units = rows.units.map((u) => Object.freeze({ ...u }));
    this.regions = new Map(regions.map((r) => [r.code, r]));
    this.regionChildren = groupBy(regions, (r) => r.parent_code, byCode);
    this.boards = new Map(boards.map((b) => [b.id, b]));
    this.boardsByRegion = groupBy(
      boards,
      (b) => b.region_code,
      (a, b) => a.sort_order - b.sort_order || a.id - b.id,
    );
    this.units = new Map(units.map((u) => [u.id, u]));
    this.unitsByRegion = groupBy(units, (u) => u.region_code, byId);
    this.unitChildren = groupBy(units, (u) => u.parent_id, byId);
    this.rules = new Map(rows.rules.map((r) => [r.region_code, r.override]));
    this.settings = new Map(rows.settings.map((s) => [s.key, s.value]));
  }

  region(code: string): RegionRow | undefined {
    return this.regions.get(code);
  }

  /** The regions below `code` (null: the top level), by code. */
  childRegions(code: string | null): RegionRow[] {
    return [...(this.regionChildren.get(code) ?? [])];
  }

  allRegions(): IterableIterator<RegionRow> {
    return this.regions.values();
  }

  board(id: number): BoardRow | undefined {
    return this.boards.get(id);
  }

  /** A region's boards in their display order. */
  regionBoards(code: string): BoardRow[] {
    return [...(this.boardsByRegion.get(code) ?? [])];
  }

  allBoards(): IterableIterator<BoardRow> {
    return this.boards.values();
  }

  unit(id: number): UnitRow | undefined {
    return this.units.get(id);
  }

  /** A region's units (active or not), by id. */
  regionUnits(code: string): UnitRow[] {
    return [...(this.unitsByRegion.get(code) ?? [])];
  }

  /** The units whose parent is `id` (active or not), by id. */
  childUnits(id: number): UnitRow[] {
    return [...(this.unitChildren.get(id) ?? [])];
  }

  allUnits(): IterableIterator<UnitRow> {
    return this.units.values();
  }

  /** A unit and its ancestors, the unit first (as `scopeRepository.unitPath`). */
  unitPath(id: number): number[] {
    const path: number[] = [];
    let current: number | null = id;
    while (current !== null && path.length < 16) {
      const unit = this.units.get(current);
      if (!unit) break;
      path.push(current);
      current = unit.parent_id;
    }
    return path;
  }

  /** A region and its ancestors, the region first (as `scopeRepository.regionPath`). */
  regionPath(code: string): string[] {
    const path: string[] = [];
    let current: string | null = code;
    while (current !== null && path.length < 4) {
      const region = this.regions.get(current);
      if (!region) break;
      path.push(current);
      current = region.parent_code;
    }
    return path;
  }

  /** A region's own working-rules override, as stored (JSON). */
  rulesOverride(code: string): string | undefined {
    return this.rules.get(code);
  }

  /** A setting's stored value (JSON). */
  setting(key: string): string | undefined {
    return this.settings.get(key);
  }

  /** Something computed from this reading only (the rules in force for a region): worked out once per reading. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }
}

async function readVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('change_counters').select('version').where('name', '=', COUNTER).executeTakeFirst();
  return Number(row?.version ?? 0);
}

async function readSnapshot(db: Db, version: number): Promise<ReferenceSnapshot> {
  const [regions, boards, units, rules, settings] = await Promise.all([
    db.selectFrom('regions').select(['code', 'name', 'level', 'kind', 'parent_code', 'has_boards']).execute(),
    db
      .selectFrom('boards')
      .select(['id', 'region_code', 'post', 'title', 'holder_name', 'unit_id', 'active', 'sort_order'])
      .execute(),
    db
      .selectFrom('handling_units')
      .select(['id', 'region_code', 'parent_id', 'name', 'kind', 'level', 'responsibilities', 'active'])
      .execute(),
    db.selectFrom('working_rules').select(['region_code', 'override']).execute(),
    db.selectFrom('settings').select(['key', 'value']).execute(),
  ]);
  return new ReferenceSnapshot(version, { regions, boards, units, rules, settings });
}

/** The copy one database handle keeps, and when it last made sure it is current. */
export class ReferenceCache {
  private snapshot: ReferenceSnapshot | null = null;
  private checkedAt = 0;
  /** Write requests of this process under way: while there are any, every use checks the counter. */
  private writes = 0;
  /** A write request ended since the last check: the next use checks the counter. */
  private recheck = false;
  private checking: Promise<ReferenceSnapshot> | null = null;
  private loading: { version: number; promise: Promise<ReferenceSnapshot> } | null = null;
  /** How many times the tables were read, for tests and the bench. */
  loads = 0;

  constructor(
    private readonly db: Db,
    readonly checkMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<ReferenceSnapshot> {
    const fresh =
      this.snapshot !== null &&
      this.writes === 0 &&
      !this.recheck &&
      this.checkMs > 0 &&
      this.now() - this.checkedAt < this.checkMs;
    if (fresh) return this.snapshot!;
    // While a write of this process is under way each use reads the counter itself: a check that started before the
    // write committed must not answer for a read that comes after it.
    if (this.writes > 0 || this.checkMs === 0) return this.check();
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<ReferenceSnapshot> {
    this.recheck = false;
    const startedAt = this.now();
    const version = await readVersion(this.db);
    let snapshot = this.snapshot;
    if (!snapshot || snapshot.version !== version) {
      // Uses that find the same new version share one reading of the tables.
      let loading = this.loading;
      if (loading?.version !== version) {
        loading = { version, promise: readSnapshot(this.db, version) };
        this.loading = loading;
        this.loads += 1;
      }
      try {
        snapshot = await loading.promise;
      } finally {
        if (this.loading === loading) this.loading = null;
      }
      // A slower, older reading never replaces a newer one.
      if (!this.snapshot || this.snapshot.version <= version) this.snapshot = snapshot;
    }
    this.checkedAt = Math.max(this.checkedAt, startedAt);
    return snapshot;
  }

  writeStarted(): void {
    this.writes += 1;
  }

  writeEnded(): void {
    this.writes = Math.max(0, this.writes - 1);
    this.recheck = true;
  }

  /** Forget the copy: the next use reads the tables again (tests, and after a bulk change in this process). */
  invalidate(): void {
    this.snapshot = null;
    this.recheck = true;
  }
}

const caches = new WeakMap<object, ReferenceCache>();

/** Lets this database handle keep the reference data in memory (the app's handle; see the file's comment). */
export function enableReferenceCache(db: Db, checkMs: number): ReferenceCache {
  const cache = new ReferenceCache(db, checkMs);
  caches.set(db, cache);
  return cache;
}

/** The reference data in memory for this handle, current within the bound; null when the handle keeps none. */
export async function referenceData(db: Db): Promise<ReferenceSnapshot | null> {
  const cache = caches.get(db);
  return cache ? cache.current() : null;
}

declare module 'fastify' {
  interface FastifyInstance {
    referenceCache: ReferenceCache;
  }
  interface FastifyRequest {
    /** This request counted as a write under way for the reference cache. */
    referenceWrite: boolean;
  }
}

/** The app's reference cache: each write request makes the data be checked while it runs and once it has ended. */
async function referenceCachePlugin(app: FastifyInstance, options: { checkMs: number }): Promise<void> {
  const cache = enableReferenceCache(app.db, options.checkMs);
  app.decorate('referenceCache', cache);
  app.decorateRequest('referenceWrite', false);
  app.addHook('onRequest', async (request) => {
    if (!WRITES.has(request.method)) return;
    request.referenceWrite = true;
    cache.writeStarted();
  });
  const ended = async (request: { referenceWrite: boolean }) => {
    if (!request.referenceWrite) return;
    request.referenceWrite = false;
    cache.writeEnded();
  };
  app.addHook('onResponse', ended);
  app.addHook('onRequestAbort', ended);
}

export default fp(referenceCachePlugin, { name: 'reference-cache' });
