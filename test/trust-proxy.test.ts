// Whose word the app takes for the client's address: TRUST_PROXY's hop count or proxy list, never any client's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { clientKey } from '../src/security/client-address.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.close());

async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
  const app = await buildApp({ config: loadConfig({ ...t.env, ...env }), db: t.db, logger: false });
  await app.ready();
  return app;
}

let phones = 0;
/** Asks for an SMS code as a client would, and returns the address the app recorded for the request. */
async function addressSeen(
  app: FastifyInstance,
  remoteAddress: string,
  forwardedFor?: string,
): Promise<string | undefined> {
  const phone = `1360000${String(++phones).padStart(4, '0')}`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/sms-code',
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    payload: { phone, purpose: 'login' },
  });
  assert.equal(res.statusCode, 202, res.body);
  const row = await t.db.selectFrom('sms_codes').select('ip').where('phone', '=', phone).executeTakeFirst();
  return row?.ip;
}

describe('TRUST_PROXY', () => {
  test('unset: X-Forwarded-For is ignored, the connection is the client', async () => {
    const app = await appWith({});
    try {
      assert.equal(await addressSeen(app, '127.0.0.1', '1.1.1.1'), '127.0.0.1');
    } finally {
      await app.close();
    }
  });

  test('a hop count of 1 takes the address the proxy saw, not the one the client wrote before it', async () => {
    const app = await appWith({ TRUST_PROXY: '1' });
    try {
      assert.equal(await addressSeen(app, '127.0.0.1', '1.1.1.1, 2.2.2.2'), '2.2.2.2');
      assert.equal(await addressSeen(app, '127.0.0.1', '2.2.2.2'), '2.2.2.2');
      assert.equal(await addressSeen(app, '127.0.0.1'), '127.0.0.1', 'no header: the proxy itself');
    } finally {
      await app.close();
    }
  });

  test('a list believes forwarded addresses only from those proxies', async () => {
    const app = await appWith({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    try {
      assert.equal(await addressSeen(app, '127.0.0.1', '1.1.1.1, 10.1.2.3'), '1.1.1.1', 'through two known proxies');
      assert.equal(await addressSeen(app, '127.0.0.1', '9.9.9.9, 1.1.1.1'), '1.1.1.1', 'the first unknown hop');
      assert.equal(await addressSeen(app, '203.0.113.9', '1.1.1.1'), '203.0.113.9', 'a client talking directly');
    } finally {
      await app.close();
    }
  });

  test('60 logins behind the proxy with a new spoofed X-Forwarded-For each time are still limited', async () => {
    const app = await appWith({ TRUST_PROXY: '1' });
    try {
      const statuses: number[] = [];
      for (let i = 1; i <= 60; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/token',
          remoteAddress: '127.0.0.1',
          // The proxy appends the address it saw (2.2.2.2) to whatever the client sent.
          headers: { 'x-forwarded-for': `198.51.100.${i}, 2.2.2.2` },
          payload: { phone: '13600009999', password: `guess-${i}` },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) assert.equal(res.json().error.code, 'RATE_LIMITED');
      }
      assert.ok(
        statuses.slice(0, 30).every((s) => s !== 429),
        'the first 30 a minute are answered',
      );
      assert.deepEqual(statuses.slice(30), Array(30).fill(429), 'every later one is refused');
    } finally {
      await app.close();
    }
  });
});

describe('the address a limit counts against', () => {
  test('IPv4 as it is; IPv6 by its /64 network; IPv4-mapped IPv6 as the IPv4 address', () => {
    assert.equal(clientKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(clientKey('2001:DB8:1:2::abcd'), '2001:db8:1:2::/64', 'any address in the same /64');
    assert.equal(clientKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(clientKey('::1'), '0:0:0:0::/64');
  });
});
