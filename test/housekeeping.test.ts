import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sweepExpired } from '../src/accounts/housekeeping.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.close());

test('the sweep removes expired sessions, tokens, old codes and finished locks, and keeps the rest', async () => {
  const now = new Date('2026-06-01T12:00:00.000Z');
  const iso = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();
  const user = await t.db
    .insertInto('users')
    .values({ phone: '13100000001', nickname: '清理', is_staff: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('sessions')
    .values([
      { sid_hash: 'old', user_id: user.id, data: '{}', expires_at: iso(-1) },
      { sid_hash: 'live', user_id: user.id, data: '{}', expires_at: iso(1) },
    ])
    .execute();
  await t.db
    .insertInto('app_tokens')
    .values([
      { user_id: user.id, token_hash: 'a'.repeat(64), channel: 'app', name: 'old', expires_at: iso(-1) },
      { user_id: user.id, token_hash: 'b'.repeat(64), channel: 'app', name: 'live', expires_at: iso(1) },
    ])
    .execute();
  await t.db
    .insertInto('sms_codes')
    .values([
      { phone: '13100000001', purpose: 'login', code_hash: 'x', ip: 'x', created_at: iso(-30), expires_at: iso(-25) },
      { phone: '13100000001', purpose: 'login', code_hash: 'y', ip: 'x', created_at: iso(-2), expires_at: iso(-1) },
    ])
    .execute();
  await t.db
    .insertInto('login_failures')
    .values([
      { phone: 'stale', client: '10.0.0.1', failures: 3, locks: 1, locked_until: null, updated_at: iso(-30) },
      { phone: 'recent', client: '10.0.0.1', failures: 3, locks: 1, locked_until: null, updated_at: iso(-1) },
      { phone: 'locked', client: '10.0.0.1', failures: 0, locks: 2, locked_until: iso(1), updated_at: iso(-1) },
      { phone: 'ended', client: '10.0.0.1', failures: 0, locks: 1, locked_until: iso(-25), updated_at: iso(-26) },
    ])
    .execute();
  await sweepExpired(t.db, now);
  assert.deepEqual(
    (await t.db.selectFrom('sessions').select('sid_hash').execute()).map((r) => r.sid_hash),
    ['live'],
  );
  assert.deepEqual(
    (await t.db.selectFrom('app_tokens').select('name').execute()).map((r) => r.name),
    ['live'],
  );
  assert.deepEqual(
    (await t.db.selectFrom('sms_codes').select('code_hash').execute()).map((r) => r.code_hash),
    ['y'],
  );
  assert.deepEqual(
    (await t.db.selectFrom('login_failures').select('phone').orderBy('phone').execute()).map((r) => r.phone),
    ['locked', 'recent'],
  );
});
