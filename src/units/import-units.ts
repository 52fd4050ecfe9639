// Creates handling units or sets their kind, parent and responsibilities from a CSV file; all rows or none.
import type { Db } from '../db/kysely.ts';
import { UNITS_PER_REGION, unitId } from '../reference/reference-ids.ts';
import { readCsv, type RowError } from '../reference/csv-rows.ts';
import { isUnitKind, UNIT_KINDS, type UnitKind } from './unit-kinds.ts';
import { unitsRepository } from './units.repository.ts';

export const UNIT_COLUMNS = { required: ['region_code', 'name'], optional: ['kind', 'parent', 'responsibilities'] };
export const UNIT_NAME_MAX = 100;
export const RESPONSIBILITIES_MAX = 2000;

export type UnitImportOutcome =
  { ok: true; created: number; updated: number; unchanged: number } | { ok: false; errors: RowError[] };

interface UnitPlan {
  id: number;
  isNew: boolean;
  regionCode: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
  responsibilities: string;
}

function parseKind(value: string): UnitKind | undefined {
  if (isUnitKind(value)) return value;
  return (Object.entries(UNIT_KINDS) as [UnitKind, string][]).find(([, label]) => label === value)?.[0];
}

export async function importUnits(db: Db, text: string): Promise<UnitImportOutcome> {
  const csv = readCsv(text, UNIT_COLUMNS.required, UNIT_COLUMNS.optional);
  if (!csv.ok) return csv;

  const [regions, units] = await Promise.all([unitsRepository.listRegionsWithBoards(db), unitsRepository.listAll(db)]);
  const regionParent = new Map(regions.map((r) => [r.code, r.parent_code]));
  const regionLevel = new Map(regions.map((r) => [r.code, r.level]));
  const key = (code: string, name: string) => `${code}\u0000${name}`;
  const byKey = new Map(units.map((u) => [key(u.region_code, u.name), u]));
  const nextNumber = new Map<string, number>();
  for (const u of units) {
    const n = u.id - unitId(u.region_code, 0);
    nextNumber.set(u.region_code, Math.max(nextNumber.get(u.region_code) ?? 1, n + 1));
  }

  const errors: RowError[] = [];
  const plans: UnitPlan[] = [];
  const planned = new Map<string, { line: number; plan: UnitPlan }>();
  for (const { line, values } of csv.rows) {
    const fail = (message: string) => errors.push({ line, message });
    const code = values.region_code ?? '';
    const name = values.name ?? '';
    if (!regionLevel.has(code)) {
      fail(`地区代码 "${code}" 不存在或没有领导留言板`);
      continue;
    }
    if ([...name].length < 2 || [...name].length > UNIT_NAME_MAX) {
      fail(`单位名称应为 2–${UNIT_NAME_MAX} 个字符`);
      continue;
    }
    if (/[<>{}\u0000-\u001f]/.test(name)) {
      fail('单位名称含有不允许的字符');
      continue;
    }
    const earlier = planned.get(key(code, name));
    if (earlier) {
      fail(`与第 ${earlier.line} 行是同一个单位`);
      continue;
    }
    const existing = byKey.get(key(code, name));
    let kind: UnitKind = (existing?.kind as UnitKind | undefined) ?? 'department';
    if (values.kind) {
      const parsed = parseKind(values.kind);
      if (!parsed) {
        fail(
          `单位类型 "${values.kind}" 无法识别，可选：${Object.entries(UNIT_KINDS)
            .map(([k, l]) => `${k}（${l}）`)
            .join('、')}`,
        );
        continue;
      }
      kind = parsed;
    }
    const responsibilities = values.responsibilities ?? existing?.responsibilities ?? '';
    if ([...responsibilities].length > RESPONSIBILITIES_MAX) {
      fail(`职责说明过长（最多 ${RESPONSIBILITIES_MAX} 个字符）`);
      continue;
    }
    let parentId: number | null = existing ? existing.parent_id : unitId(code, 1);
    if (values.parent) {
      // A parent is a unit of the same region or of the region directly above.
      const candidates = [code, regionParent.get(code)].filter((c): c is string => Boolean(c));
      const parent =
        candidates.map((c) => byKey.get(key(c, values.parent!))).find(Boolean) ??
        candidates.map((c) => planned.get(key(c, values.parent!))?.plan).find(Boolean);
      if (!parent) {
        fail(`上级单位 "${values.parent}" 不在本地区或上一级地区`);
        continue;
      }
      if (parent.name === name && ('region_code' in parent ? parent.region_code : parent.regionCode) === code) {
        fail('单位不能是自己的上级');
        continue;
      }
      parentId = parent.id;
    }
    let id = existing?.id;
    if (id === undefined) {
      const n = nextNumber.get(code) ?? 2;
      if (n > UNITS_PER_REGION) {
        fail(`地区 ${code} 的办理单位已达上限 ${UNITS_PER_REGION} 个`);
        continue;
      }
      nextNumber.set(code, n + 1);
      id = unitId(code, n);
    }
    const plan: UnitPlan = { id, isNew: !existing, regionCode: code, name, kind, parentId, responsibilities };
    planned.set(key(code, name), { line, plan });
    plans.push(plan);
  }
  if (errors.length > 0) return { ok: false, errors };

  const changed = plans.filter((p) => {
    if (p.isNew) return true;
    const e = byKey.get(key(p.regionCode, p.name))!;
    return e.kind !== p.kind || e.parent_id !== p.parentId || e.responsibilities !== p.responsibilities;
  });
  await db.transaction().execute(async (trx) => {
    for (const p of changed) {
      if (p.isNew) {
        await unitsRepository.insert(trx, { ...p, level: regionLevel.get(p.regionCode)! });
      } else {
        await unitsRepository.update(trx, p.id, {
          kind: p.kind,
          parentId: p.parentId,
          responsibilities: p.responsibilities,
        });
      }
    }
  });
  const created = changed.filter((p) => p.isNew).length;
  return { ok: true, created, updated: changed.length - created, unchanged: plans.length - changed.length };
}
