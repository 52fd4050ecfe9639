// Staff accounts and role grants: who may grant what to whom, every change written to the admin log.
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import { type CurrentUser, checkNickname, requirePhone } from './accounts.service.ts';
import { type Actor, COMMAND_LINE, isCommandLine } from './actor.ts';
import { adminLogRepository } from './admin-log.repository.ts';

export { COMMAND_LINE };
import { hashPassword, passwordProblem } from './passwords.ts';
import { can, type Target } from './permissions.ts';
import { isRole, type Role, ROLE_LABELS, ROLE_SCOPES, type ScopeType } from './roles.ts';
import { scopeRepository } from './scope.repository.ts';
import { sessionsRepository } from './sessions.repository.ts';
import { usersRepository } from './users.repository.ts';

export interface GrantInput {
  role?: unknown;
  scopeType?: unknown;
  scopeId?: unknown;
}

export interface ValidGrant {
  role: Role;
  scopeType: ScopeType;
  scopeId: string;
}

/** Checks that a role is granted on a scope it allows and that the scope exists. */
export async function validateGrant(db: Db, input: GrantInput): Promise<ValidGrant> {
  if (!isRole(input.role))
    throw new AppError(
      'ROLE_SCOPE_INVALID',
      { reason: `角色“${String(input.role)}”不存在`, problem: 'role', role: String(input.role) },
      'role',
    );
  const role = input.role;
  const allowed = ROLE_SCOPES[role];
  const scopeType = (input.scopeType ? String(input.scopeType) : allowed[0]) as ScopeType;
  if (!allowed.includes(scopeType)) {
    throw new AppError(
      'ROLE_SCOPE_INVALID',
      { reason: `${ROLE_LABELS[role]}只能按${allowed.map(scopeLabel).join('或')}授予`, problem: 'scopeType', role },
      'scopeType',
    );
  }
  if (scopeType === 'global') return { role, scopeType, scopeId: '' };
  const scopeId = String(input.scopeId ?? '').trim();
  if (!(await scopeRepository.exists(db, scopeType, scopeId))) {
    throw new AppError(
      'ROLE_SCOPE_INVALID',
      { reason: `${scopeLabel(scopeType)}“${scopeId}”不存在`, problem: 'scopeId', scopeType, scopeId },
      'scopeId',
    );
  }
  return { role, scopeType, scopeId };
}

function scopeLabel(type: ScopeType): string {
  return { global: '全平台', unit: '办理单位', region: '地区', board: '留言板' }[type];
}

/** The target of granting this role on this scope, for the permission check. */
async function grantTarget(db: Db, grant: ValidGrant): Promise<Target> {
  if (grant.scopeType === 'unit')
    return { role: grant.role, unitPath: await scopeRepository.unitPath(db, Number(grant.scopeId)) };
  if (grant.scopeType === 'region')
    return { role: grant.role, regionPath: await scopeRepository.regionPath(db, grant.scopeId) };
  if (grant.scopeType === 'board') return { role: grant.role, boardId: Number(grant.scopeId) };
  return { role: grant.role };
}

/**
 * May this person manage this account's roles and sessions? An admin may manage anyone; anyone else (a unit head)
 * only an account every one of whose roles they could have granted themselves: the staff of their own unit, or an
 * account that holds no role at all. So a unit head can never touch an admin, an editor or another unit's staff.
 */
export async function mayManageAccount(db: Db, actor: CurrentUser, userId: number): Promise<boolean> {
  if (can(actor.grants, 'user.find')) return true;
  for (const row of await usersRepository.listGrants(db, userId)) {
    if (!isRole(row.role)) return false;
    const grant: ValidGrant = { role: row.role, scopeType: row.scope_type as ScopeType, scopeId: row.scope_id };
    if (!can(actor.grants, 'role.grant', await grantTarget(db, grant))) return false;
  }
  return true;
}

export async function grantRole(
  db: Db,
  actor: CurrentUser,
  userId: number,
  input: GrantInput,
  ip?: string,
): Promise<void> {
  const grant = await validateGrant(db, input);
  if (!can(actor.grants, 'role.grant', await grantTarget(db, grant))) throw new AppError('FORBIDDEN');
  const user = await usersRepository.findById(db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (!(await mayManageAccount(db, actor, userId))) throw new AppError('STAFF_OF_OTHERS');
  await db.transaction().execute(async (trx) => {
    const added = await usersRepository.addGrant(trx, { userId, ...grant, grantedBy: actor.id });
    if (!user.is_staff) await usersRepository.update(trx, userId, { isStaff: true });
    if (added)
      await adminLogRepository.append(trx, {
        actorId: actor.id,
        action: 'role.grant',
        targetUserId: userId,
        detail: grant,
        ip,
      });
  });
}

export async function revokeRole(
  db: Db,
  actor: CurrentUser,
  userId: number,
  grantId: number,
  ip?: string,
): Promise<void> {
  const row = await usersRepository.findGrant(db, grantId);
  if (!row || row.user_id !== userId || !isRole(row.role)) throw new AppError('NOT_FOUND');
  const grant: ValidGrant = { role: row.role, scopeType: row.scope_type as ScopeType, scopeId: row.scope_id };
  if (!can(actor.grants, 'role.revoke', await grantTarget(db, grant))) throw new AppError('FORBIDDEN');
  if (!(await mayManageAccount(db, actor, userId))) throw new AppError('STAFF_OF_OTHERS');
  await db.transaction().execute(async (trx) => {
    await usersRepository.removeGrant(trx, grantId);
    await adminLogRepository.append(trx, {
      actorId: actor.id,
      action: 'role.revoke',
      targetUserId: userId,
      detail: grant,
      ip,
    });
  });
}

export interface StaffInput extends GrantInput {
  phone?: unknown;
  nickname?: unknown;
  password?: unknown;
}

/**
 * Creates a staff account with one grant, or adds the grant to an existing account with that phone. Someone other
 * than an admin (or the command line) may add an existing account only if it holds no role they could not grant.
 */
export async function createStaff(db: Db, actor: Actor, input: StaffInput, ip?: string): Promise<number> {
  const phone = requirePhone(input.phone);
  const grant = await validateGrant(db, input);
  const user = isCommandLine(actor) ? null : actor;
  if (user) {
    const target = await grantTarget(db, grant);
    if (!can(user.grants, 'staff.create', target) || !can(user.grants, 'role.grant', target))
      throw new AppError('FORBIDDEN');
  }
  const existing = await usersRepository.findByPhone(db, phone);
  if (user && existing && !(await mayManageAccount(db, user, existing.id))) throw new AppError('STAFF_OF_OTHERS');
  let passwordHash: string | undefined;
  let nickname = '';
  if (!existing) {
    nickname = checkNickname(input.nickname);
    const password = typeof input.password === 'string' ? input.password : '';
    const problem = passwordProblem(password, [phone, nickname]);
    if (problem) throw problem;
    passwordHash = await hashPassword(password);
  }
  return db.transaction().execute(async (trx) => {
    const userId = existing
      ? existing.id
      : await usersRepository.insert(trx, { phone, passwordHash: passwordHash!, nickname, isStaff: true });
    if (existing && !existing.is_staff) await usersRepository.update(trx, userId, { isStaff: true });
    await usersRepository.addGrant(trx, { userId, ...grant, grantedBy: user?.id ?? null });
    await adminLogRepository.append(trx, {
      actorId: user?.id ?? null,
      action: 'staff.create',
      targetUserId: userId,
      detail: grant,
      ip,
    });
    return userId;
  });
}

/** Ends every session of a staff member (admin for anyone; a unit head for their unit's staff). */
export async function endSessions(db: Db, actor: CurrentUser, userId: number, ip?: string): Promise<number> {
  if (!(await usersRepository.findById(db, userId))) throw new AppError('USER_NOT_FOUND');
  const grants = await usersRepository.listGrants(db, userId);
  const unitIds = grants.filter((g) => g.scope_type === 'unit').map((g) => Number(g.scope_id));
  const targets: Target[] = [
    {},
    ...(await Promise.all(unitIds.map(async (id) => ({ unitPath: await scopeRepository.unitPath(db, id) })))),
  ];
  if (!targets.some((t) => can(actor.grants, 'session.revoke', t))) throw new AppError('FORBIDDEN');
  if (!(await mayManageAccount(db, actor, userId))) throw new AppError('STAFF_OF_OTHERS');
  return db.transaction().execute(async (trx) => {
    const ended = await sessionsRepository.deleteForUser(trx, userId);
    await adminLogRepository.append(trx, {
      actorId: actor.id,
      action: 'session.revoke',
      targetUserId: userId,
      detail: { ended },
      ip,
    });
    return ended;
  });
}
