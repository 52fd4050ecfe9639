// The working rules in force for a region: the defaults, overridden by its province, city and county in turn.
import { type Actor, actingUserId, actorCan } from '../accounts/actor.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import type { Db } from '../db/kysely.ts';
import { resolveRules, type RulesOverride, validateOverride, type WorkingRules } from '../deadlines/working-rules.ts';
import { AppError } from '../web/app-error.ts';
import { workflowRepository } from './workflow.repository.ts';

export async function rulesForRegion(db: Db, regionCode: string): Promise<WorkingRules> {
  const path = await scopeRepository.regionPath(db, regionCode); // county, city, province
  const rows = await workflowRepository.rulesOverrides(db, path);
  const byCode = new Map(rows.map((r) => [r.region_code, JSON.parse(r.override) as RulesOverride]));
  const chain = [...path].reverse().flatMap((code) => (byCode.has(code) ? [byCode.get(code)!] : []));
  return resolveRules(chain);
}

/** The override a region itself sets (not inherited), or an empty one. */
export async function ownOverride(db: Db, regionCode: string): Promise<RulesOverride> {
  const [row] = await workflowRepository.rulesOverrides(db, [regionCode]);
  return row ? (JSON.parse(row.override) as RulesOverride) : {};
}

export async function setOverride(db: Db, regionCode: string, input: unknown, actor: Actor): Promise<RulesOverride> {
  if (!actorCan(actor, 'rules.manage')) throw new AppError('FORBIDDEN');
  if (!(await scopeRepository.exists(db, 'region', regionCode)))
    throw new AppError('REGION_NOT_FOUND', { code: regionCode });
  const checked = validateOverride(input);
  if (!checked.ok) throw new AppError('VALIDATION', { detail: checked.message }, checked.field);
  await workflowRepository.saveRulesOverride(db, regionCode, JSON.stringify(checked.value), actingUserId(actor));
  return checked.value;
}
