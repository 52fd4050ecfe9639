// Netizen and staff accounts: registration, login, password reset, profile, data export and deletion.
import { DEFAULT_LIMITS } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import { assertNotLocked, clearAllFailures, clearFailures, type LockPolicy, recordFailure } from './login-throttle.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { normalizePhone } from './phone.ts';
import { type Grant, isRole, type ScopeType } from './roles.ts';
import { consumeCode } from './sms-codes.service.ts';
import { adminLogRepository } from './admin-log.repository.ts';
import { sessionsRepository } from './sessions.repository.ts';
import { tokensRepository } from './tokens.repository.ts';
import { usersRepository } from './users.repository.ts';
import { messagesRepository } from '../messages/messages.repository.ts';
import { forgetFollows } from '../follows/follows.service.ts';
import { solicitationDataOf } from '../solicitations/solicitations.service.ts';

export interface CurrentUser {
  id: number;
  phone: string;
  nickname: string;
  isStaff: boolean;
  totpEnabled: boolean;
  /**
   * One of the account's roles requires two-step verification and it is not set up: until it is, the account acts
   * as a netizen (its grants are withheld) and every staff route sends it to set up the second step.
   */
  totpPending: boolean;
  grants: Grant[];
}

export const NICKNAME_MIN = 2;
export const NICKNAME_MAX = 20;

export function requirePhone(input: unknown): string {
  const phone = normalizePhone(input);
  if (!phone) throw new AppError('INVALID_PHONE', {}, 'phone');
  return phone;
}

export function checkNickname(input: unknown): string {
  const nickname = typeof input === 'string' ? input.trim() : '';
  const length = [...nickname].length;
  if (length < NICKNAME_MIN || length > NICKNAME_MAX || /[<>"'&{}\\\u0000-\u001f]/.test(nickname)) {
    throw new AppError('NICKNAME_INVALID', {}, 'nickname');
  }
  return nickname;
}

function checkPassword(password: unknown, personal: string[]): string {
  const value = typeof password === 'string' ? password : '';
  const problem = passwordProblem(value, personal);
  if (problem) throw problem;
  return value;
}

export async function loadCurrentUser(db: Db, id: number): Promise<CurrentUser | null> {
  return (await loadSignedIn(db, id))?.user ?? null;
}

/** The account behind a session or token, with its unread notifications: one query per request. */
export async function loadSignedIn(db: Db, id: number): Promise<{ user: CurrentUser; unread: number } | null> {
  const rows = await usersRepository.findSignedIn(db, id);
  const row = rows[0];
  if (!row || !row.phone) return null;
  const user: CurrentUser = {
    id: row.id,
    phone: row.phone,
    nickname: row.nickname,
    isStaff: Boolean(row.is_staff),
    totpEnabled: Boolean(row.totp_enabled_at),
    totpPending: false,
    grants: rows.flatMap((g) =>
      g.role !== null && isRole(g.role)
        ? [{ role: g.role as Grant['role'], scopeType: g.scope_type as ScopeType, scopeId: g.scope_id ?? '' }]
        : [],
    ),
  };
  return { user, unread: Number(row.unread ?? 0) };
}

export interface Registration {
  phone?: unknown;
  code?: unknown;
  password?: unknown;
  nickname?: unknown;
}

export async function register(db: Db, secret: string, input: Registration): Promise<number> {
  const phone = requirePhone(input.phone);
  const nickname = checkNickname(input.nickname);
  const password = checkPassword(input.password, [phone, nickname]);
  // The code is checked outside the transaction so a wrong guess is counted even though registration fails.
  await consumeCode(db, secret, { phone, purpose: 'register', code: String(input.code ?? '') });
  // Whoever holds the code owns the number, so telling them it is registered reveals nothing to others.
  if (await usersRepository.findByPhone(db, phone)) throw new AppError('PHONE_TAKEN', {}, 'phone');
  const passwordHash = await hashPassword(password);
  try {
    return await usersRepository.insert(db, { phone, passwordHash, nickname, isStaff: false });
  } catch (err) {
    if (await usersRepository.findByPhone(db, phone)) throw new AppError('PHONE_TAKEN', {}, 'phone');
    throw err;
  }
}

export type LoginResult = { userId: number; needsTotp: boolean };

/** Where a login comes from: password locks are kept per number and client address, as the configuration says. */
export interface LoginOrigin {
  /** The client's address (request.ip). */
  ip: string;
  /** config.limits; today's defaults when absent. */
  limits?: LockPolicy;
}

/** Phone and password. Every failure looks the same, registered number or not. */
export async function loginWithPassword(
  db: Db,
  input: { phone?: unknown; password?: unknown },
  origin: LoginOrigin,
): Promise<LoginResult> {
  const phone = normalizePhone(input.phone);
  const key = phone ?? String(input.phone ?? '').slice(0, 32);
  await assertNotLocked(db, key, origin.ip);
  const user = phone ? await usersRepository.findByPhone(db, phone) : undefined;
  const ok = await verifyPassword(
    user?.password_hash ?? null,
    typeof input.password === 'string' ? input.password : '',
  );
  if (!user || !ok) {
    await recordFailure(db, key, origin.ip, origin.limits ?? DEFAULT_LIMITS);
    throw new AppError('LOGIN_FAILED');
  }
  await clearFailures(db, key, origin.ip);
  return { userId: user.id, needsTotp: Boolean(user.totp_enabled_at) };
}

/**
 * Phone and SMS code. Open while password logins to the number are locked: only the phone's holder reads the code,
 * and each code dies after a few wrong guesses. It leaves the password lock as it is: guesses at the password from
 * that address are no less suspect for the owner having signed in another way.
 */
export async function loginWithCode(
  db: Db,
  secret: string,
  input: { phone?: unknown; code?: unknown },
): Promise<LoginResult> {
  const phone = requirePhone(input.phone);
  await consumeCode(db, secret, { phone, purpose: 'login', code: String(input.code ?? '') });
  const user = await usersRepository.findByPhone(db, phone);
  // A valid code for an unregistered number cannot exist (none is sent), so this reads as a wrong code.
  if (!user) throw new AppError('CODE_INVALID', {}, 'code');
  return { userId: user.id, needsTotp: Boolean(user.totp_enabled_at) };
}

export async function markLoggedIn(db: Db, userId: number): Promise<void> {
  await usersRepository.update(db, userId, { lastLoginAt: new Date().toISOString() });
}

/** Sets a new password with an SMS code; ends every session and app token of the account. */
export async function resetPassword(
  db: Db,
  secret: string,
  input: { phone?: unknown; code?: unknown; password?: unknown },
): Promise<number> {
  const phone = requirePhone(input.phone);
  const user = await usersRepository.findByPhone(db, phone);
  const password = checkPassword(input.password, [phone, user?.nickname ?? '']);
  await consumeCode(db, secret, { phone, purpose: 'reset', code: String(input.code ?? '') });
  if (!user) throw new AppError('CODE_INVALID', {}, 'code');
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await usersRepository.update(trx, user.id, { passwordHash });
    await sessionsRepository.deleteForUser(trx, user.id);
    await tokensRepository.deleteForUser(trx, user.id);
  });
  await clearAllFailures(db, phone);
  return user.id;
}

export async function changeNickname(db: Db, userId: number, nickname: unknown): Promise<void> {
  await usersRepository.update(db, userId, { nickname: checkNickname(nickname) });
}

export async function changePassword(
  db: Db,
  user: CurrentUser,
  input: { current?: unknown; password?: unknown },
): Promise<void> {
  const row = await usersRepository.findById(db, user.id);
  if (!row || !(await verifyPassword(row.password_hash, String(input.current ?? '')))) {
    throw new AppError('PASSWORD_MISMATCH', {}, 'current');
  }
  const password = checkPassword(input.password, [user.phone, user.nickname]);
  const passwordHash = await hashPassword(password);
  // Whoever is signed in, perhaps with the old password, is signed out; the page that made the change starts the
  // browser's new session (accounts.routes.ts).
  await db.transaction().execute(async (trx) => {
    await usersRepository.update(trx, user.id, { passwordHash });
    await sessionsRepository.deleteForUser(trx, user.id);
    await tokensRepository.deleteForUser(trx, user.id);
  });
  await clearAllFailures(db, user.phone);
}

/** Everything the platform holds about a person (PIPL Art. 45), as one JSON document. */
export async function exportPersonalData(db: Db, userId: number) {
  const row = await usersRepository.findById(db, userId);
  if (!row) throw new AppError('USER_NOT_FOUND');
  const [grants, sessions, tokens, log] = await Promise.all([
    usersRepository.listGrants(db, userId),
    sessionsRepository.listForUser(db, userId),
    tokensRepository.listForUser(db, userId),
    adminLogRepository.listAboutUser(db, userId),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: row.id,
      phone: row.phone,
      nickname: row.nickname,
      isStaff: Boolean(row.is_staff),
      twoFactorEnabled: Boolean(row.totp_enabled_at),
      createdAt: row.created_at,
      lastLoginAt: row.last_login_at,
    },
    roles: grants.map((g) => ({ role: g.role, scopeType: g.scope_type, scopeId: g.scope_id, grantedAt: g.created_at })),
    sessions,
    appTokens: tokens,
    accountLog: log,
    messages: (await messagesRepository.listByAuthor(db, userId)).map((m) => ({
      id: m.id,
      title: m.title,
      status: m.status,
      trackingCode: m.tracking_code,
      submittedAt: m.submitted_at,
      board: `${m.region_name} · ${m.board_title}`,
    })),
    solicitations: await solicitationDataOf(db, userId),
  };
}

/** Deletes the account: the person's data goes, what they published stays without any link to them. */
export async function deleteAccount(db: Db, user: CurrentUser, password: unknown): Promise<void> {
  const row = await usersRepository.findById(db, user.id);
  if (!row || !(await verifyPassword(row.password_hash, String(password ?? '')))) {
    throw new AppError('PASSWORD_MISMATCH', {}, 'password');
  }
  await db.transaction().execute(async (trx) => {
    await usersRepository.deidentify(trx, user.id, row.phone, new Date().toISOString());
    await forgetFollows(trx, user.id);
  });
}
