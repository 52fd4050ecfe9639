// Open311 API keys: issued by an admin to an organisation (shown once, stored as a digest), checked in constant
// time, revoked by an admin. Each key has an account of its own that authors its requests.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import { open311Repository } from './open311.repository.ts';

const digest = (key: string) => createHash('sha256').update(key).digest('hex');
const KEY_PATTERN = /^o311_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  id: number;
  key: string;
}

export interface VerifiedKey {
  id: number;
  organisation: string;
  userId: number;
}

export function checkOrganisation(input: unknown): string {
  const name = typeof input === 'string' ? input.trim() : '';
  const length = [...name].length;
  if (length < 2 || length > 100 || /[<>\u0000-\u001f]/.test(name))
    throw new AppError('ORGANISATION_INVALID', {}, 'organisation');
  return name;
}

export async function issueKey(db: Db, organisation: unknown, createdBy: number | null): Promise<IssuedKey> {
  const name = checkOrganisation(organisation);
  const prefix = randomBytes(6).toString('hex');
  const key = `o311_${prefix}_${randomBytes(32).toString('base64url')}`;
  const id = await db.transaction().execute(async (trx) => {
    const userId = await open311Repository.insertServiceAccount(trx, [...`Open311 ${name}`].slice(0, 20).join(''));
    return open311Repository.insertKey(trx, {
      organisation: name,
      keyPrefix: prefix,
      keyHash: digest(key),
      userId,
      createdBy,
    });
  });
  return { id, key };
}

/** The key's organisation and account, or null for a malformed, unknown or revoked key. */
export async function verifyKey(db: Db, given: unknown): Promise<VerifiedKey | null> {
  if (typeof given !== 'string') return null;
  const m = KEY_PATTERN.exec(given.trim());
  if (!m) return null;
  const row = await open311Repository.findKeyByPrefix(db, m[1]!);
  if (!row || row.revoked_at) return null;
  const expected = Buffer.from(row.key_hash, 'hex');
  const actual = Buffer.from(digest(given.trim()), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { id: row.id, organisation: row.organisation, userId: row.user_id };
}

export async function revokeKey(db: Db, id: number): Promise<void> {
  if (!(await open311Repository.revokeKey(db, id, new Date().toISOString())))
    throw new AppError('OPEN311_KEY_NOT_FOUND');
}
