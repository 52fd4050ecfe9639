// Two-factor login for staff: TOTP (RFC 6238) secrets, QR codes and checks; the roles that must use it.
import * as OTPAuth from 'otpauth';
import type { Db } from '../db/kysely.ts';
import { secretBox } from '../security/secret-box.ts';
import type { CurrentUser } from './accounts.service.ts';
import { ROLES, type Role } from './roles.ts';
import { settingsRepository } from './settings.repository.ts';
import { usersRepository } from './users.repository.ts';

const ISSUER = '留言 Liuyan';
const TOTP_REQUIRED_KEY = 'totp_required_roles';

function totp(secret: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** What an authenticator app needs: the otpauth:// URI and the same as a QR code (SVG). */
export async function totpEnrolment(secret: string, label: string): Promise<{ uri: string; qrSvg: string }> {
  const uri = totp(secret, label).toString();
  // Loaded here, on the few pages that show a QR code, rather than at start-up.
  const { default: QRCode } = await import('qrcode');
  return { uri, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1 }) };
}

/** Accepts the current code and the ones either side of it, for clocks that drift. */
export function checkTotp(secret: string, code: unknown): boolean {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) return false;
  return totp(secret, '').validate({ token: code.trim(), window: 1 }) !== null;
}

export async function enableTotp(db: Db, appSecret: string, userId: number, secret: string): Promise<void> {
  const sealed = secretBox(appSecret, 'totp').seal(secret);
  await usersRepository.update(db, userId, { totpSecret: sealed, totpEnabledAt: new Date().toISOString() });
}

export async function disableTotp(db: Db, userId: number): Promise<void> {
  await usersRepository.update(db, userId, { totpSecret: null, totpEnabledAt: null });
}

/** Checks a user's code against their stored secret. */
export async function verifyUserTotp(db: Db, appSecret: string, userId: number, code: unknown): Promise<boolean> {
  const row = await usersRepository.findById(db, userId);
  if (!row?.totp_secret || !row.totp_enabled_at) return false;
  return checkTotp(secretBox(appSecret, 'totp').open(row.totp_secret), code);
}

export async function rolesRequiringTotp(db: Db): Promise<Role[]> {
  const roles = await settingsRepository.get<string[]>(db, TOTP_REQUIRED_KEY, []);
  return ROLES.filter((r) => roles.includes(r));
}

export async function setRolesRequiringTotp(db: Db, roles: Role[]): Promise<void> {
  await settingsRepository.set(db, TOTP_REQUIRED_KEY, roles);
}

/** True when one of the user's roles requires two-factor login and they have not set it up. */
export async function mustEnrolTotp(db: Db, user: CurrentUser): Promise<boolean> {
  if (user.totpEnabled || user.grants.length === 0) return false;
  const required = await rolesRequiringTotp(db);
  return user.grants.some((g) => required.includes(g.role));
}
