// Bearer tokens for the mobile app and mini-program: issued at login, stored as digests, revocable by their owner.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/kysely.ts';
import { digest } from '../security/secret-box.ts';
import { AppError } from '../web/app-error.ts';
import { type CurrentUser, loadCurrentUser } from './accounts.service.ts';
import { tokensRepository } from './tokens.repository.ts';

export const TOKEN_CHANNELS = ['app', 'miniprogram'] as const;
export type TokenChannel = (typeof TOKEN_CHANNELS)[number];
export const TOKEN_DAYS = 90;
/** Last-used times are written at most this often, so reading with a token is not a write each time. */
const TOUCH_EVERY_MS = 10 * 60_000;

export async function issueToken(db: Db, userId: number, channel: TokenChannel, name: string) {
  const token = `ly_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + TOKEN_DAYS * 24 * 3600_000).toISOString();
  const id = await tokensRepository.insert(db, {
    userId,
    tokenHash: digest(token),
    channel,
    name: name.slice(0, 64),
    expiresAt,
  });
  return { id, token, expiresAt };
}

export async function userForToken(db: Db, token: string): Promise<{ user: CurrentUser; tokenId: number } | null> {
  const now = new Date();
  const row = await tokensRepository.findUsable(db, digest(token), now.toISOString());
  if (!row) return null;
  const user = await loadCurrentUser(db, row.user_id);
  if (!user) return null;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await tokensRepository.touch(db, row.id, now.toISOString());
  }
  return { user, tokenId: row.id };
}

export function listTokens(db: Db, userId: number) {
  return tokensRepository.listForUser(db, userId);
}

export async function revokeToken(db: Db, userId: number, tokenId: number): Promise<void> {
  if (!(await tokensRepository.deleteOwned(db, userId, tokenId))) throw new AppError('TOKEN_NOT_FOUND');
}
