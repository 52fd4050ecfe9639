import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { rateLimits } from '../src/web/rate-limits.ts';
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

describe('configured limits', () => {
  /** An app on the test database with these limit variables set. */
  async function withLimits(env: Record<string, string>, run: (app: TestApp['app']) => Promise<void>) {
    const app = await buildApp({ config: loadConfig({ ...t.env, ...env }), db: t.db, logger: false });
    try {
      await app.ready();
      await run(app);
    } finally {
      await app.close();
    }
  }

  test('rateLimits() reads each route limit from the configuration, per minute', () => {
    const limits = rateLimits(
      loadConfig({ ...t.env, RATE_LIMIT_LOGIN_PER_MINUTE: '3', RATE_LIMIT_SUBMIT_PER_MINUTE: '7' }),
    );
    assert.deepEqual(limits.login, { max: 3, timeWindow: '1 minute' });
    assert.deepEqual(limits.submit, { max: 7, timeWindow: '1 minute' });
    assert.deepEqual(
      Object.fromEntries(Object.entries(rateLimits(loadConfig(t.env))).map(([k, v]) => [k, v.max])),
      { write: 60, login: 30, code: 10, submit: 10, similar: 30, track: 20, vote: 30 },
      "today's values by default",
    );
  });

  test('RATE_LIMIT_LOGIN_PER_MINUTE=3: the 4th login from one address in a minute gets 429', async () => {
    await withLimits({ RATE_LIMIT_LOGIN_PER_MINUTE: '3' }, async (app) => {
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/token',
          remoteAddress: ip,
          payload: { phone: '13300009999', password: `x-${i}` },
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429]);
    });
  });

  test('RATE_LIMIT_WRITE_PER_MINUTE=2: the 3rd write without a limit of its own gets 429', async () => {
    await withLimits({ RATE_LIMIT_WRITE_PER_MINUTE: '2' }, async (app) => {
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await app.inject({ method: 'POST', url: '/logout', remoteAddress: ip, payload: {} })).statusCode,
        );
      assert.equal(statuses[2], 429);
      assert.ok(statuses.slice(0, 2).every((s) => s !== 429));
    });
  });

  test('RATE_LIMIT_CODE_PER_MINUTE=2: the 3rd code request from one address gets 429', async () => {
    await withLimits({ RATE_LIMIT_CODE_PER_MINUTE: '2' }, async (app) => {
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/sms-code',
          remoteAddress: ip,
          payload: { phone: 'x', purpose: 'login' },
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses, [400, 400, 429]);
    });
  });

  test('SMS_CODES_PER_NUMBER_PER_HOUR=1: a second code to the same number in the hour is refused', async () => {
    await withLimits({ SMS_CODES_PER_NUMBER_PER_HOUR: '1' }, async (app) => {
      const ask = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/sms-code',
          remoteAddress: freshIp(),
          payload: { phone: '13300008888', purpose: 'login' },
        });
      assert.equal((await ask()).statusCode, 202);
      // A minute later, so that only the hourly limit stands in the way.
      await t.db
        .updateTable('sms_codes')
        .set({ created_at: new Date(Date.now() - 120_000).toISOString() })
        .where('phone', '=', '13300008888')
        .execute();
      const second = await ask();
      assert.equal(second.statusCode, 429);
      assert.equal(second.json().error.code, 'CODE_LIMIT');
    });
  });

  test('LOGIN_LOCK_FAILURES=3, LOGIN_LOCK_MINUTES=5: the 4th wrong password is locked for 5 minutes', async () => {
    await withLimits({ LOGIN_LOCK_FAILURES: '3', LOGIN_LOCK_MINUTES: '5' }, async (app) => {
      const ip = freshIp();
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/token',
          remoteAddress: ip,
          payload: { phone: '13300007777', password: `x-${i}` },
        });
        statuses.push(last.statusCode);
      }
      assert.deepEqual(statuses, [401, 401, 401, 423]);
      assert.match(last!.json().error.message, /（约 5 分钟后）/);
    });
  });
});
