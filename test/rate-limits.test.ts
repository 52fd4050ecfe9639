import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

/** An address no other test run uses, so shared limit counters in Redis start from zero. */
const freshIp = () => `10.${randomInt(50, 250)}.${randomInt(0, 250)}.${randomInt(1, 250)}`;

describe('rate limits', () => {
  test('logins from one address are limited, with a Chinese message and a retry time', async () => {
    const web = new WebClient(t.app, freshIp());
    await web.get('/login');
    let res;
    for (let i = 1; i <= 31; i++)
      res = await web.post('/login', { phone: `1330000${String(i).padStart(4, '0')}`, password: 'x' });
    assert.equal(res!.statusCode, 429);
    assert.match(res!.body, /操作过于频繁，请在 \d+ 秒后再试/);
    assert.ok(Number(res!.headers['retry-after']) > 0);
  });

  test('every write without a limit of its own gets the default one', async () => {
    const routes = t.app.printRoutes({ commonPrefix: false });
    assert.ok(routes.length > 0);
    const ip = freshIp();
    let last;
    for (let i = 0; i < 61; i++)
      last = await t.app.inject({ method: 'POST', url: '/logout', remoteAddress: ip, payload: {} });
    assert.equal(last!.statusCode, 429, 'the 61st post in a minute is refused before anything else is checked');
    const api = await t.app.inject({ method: 'DELETE', url: '/api/v1/auth/token', remoteAddress: ip });
    assert.notEqual(api.statusCode, 500);
  });

  test('with REDIS_URL the limit is shared by several app processes', async () => {
    const config = loadConfig({ ...t.env, REDIS_URL: 'redis://127.0.0.1:6379' });
    const [a, b] = [
      await buildApp({ config, db: t.db, logger: false }),
      await buildApp({ config, db: t.db, logger: false }),
    ];
    try {
      const ip = freshIp();
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        const app = i % 2 === 0 ? a : b;
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/sms-code',
          remoteAddress: ip,
          payload: { phone: 'x', purpose: 'login' },
        });
        codes.push(res.statusCode);
      }
      // The code route allows 10 a minute per address: spread over two processes, the 11th is still refused.
      assert.deepEqual(codes.slice(0, 10), Array(10).fill(400));
      assert.deepEqual(codes.slice(10), [429, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
