import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { startServer } from './processes.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

test('a session created by one app process is accepted by a second process sharing the database, and ends there too', async () => {
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13400000001',
    nickname: '跨进程',
    password: 'Shared-Pass-2026!',
    role: 'editor',
  });
  const web = new WebClient(t.app);
  await web.get('/login');
  assert.equal((await web.post('/login', { phone: '13400000001', password: 'Shared-Pass-2026!' })).statusCode, 303);
  const cookie = [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  const second = await startServer({ ...t.env, LOG_LEVEL: 'warn' });
  try {
    const page = await fetch(`${second.base}/account`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(page.status, 200, second.output());
    assert.match(await page.text(), /<dd translate="no">跨进程<\/dd>/);

    // Logging out everywhere through the first process ends the session in the second.
    await web.get('/account');
    await web.post('/logout/all', {});
    const after = await fetch(`${second.base}/account`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(after.status, 303);
  } finally {
    await second.stop();
  }
});
