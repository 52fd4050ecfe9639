import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

// An app whose database has gone away: every page that needs it fails, and must fail politely.
let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
before(async () => {
  t = await createTestDatabase();
  app = await buildApp({ config: t.config, db: t.db, logger: false });
  await app.ready();
  await t.db.destroy();
});
after(async () => {
  await app.close();
  await t.close();
});

test('a failing page gets the Chinese 500 page without internal details', async () => {
  const res = await app.inject('/regions/130000');
  assert.equal(res.statusCode, 500);
  assert.match(res.body, /500 出错了/);
  assert.match(res.body, /服务器出现内部错误，请稍后再试/);
  assert.doesNotMatch(res.body, /at |Error:|sqlite|pool/i);
});

test('a failing API call gets a JSON 500 error without internal details', async () => {
  const res = await app.inject('/api/v1/regions/130000');
  assert.equal(res.statusCode, 500);
  assert.deepEqual(res.json(), { error: { code: 'INTERNAL', message: '服务器出现内部错误，请稍后再试。' } });
});

test('/readyz reports 503 while /healthz stays up', async () => {
  const ready = await app.inject('/readyz');
  assert.equal(ready.statusCode, 503);
  assert.deepEqual(ready.json(), { status: 'unavailable' });
  assert.equal((await app.inject('/healthz')).statusCode, 200);
});
