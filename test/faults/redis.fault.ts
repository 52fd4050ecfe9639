// Redis killed or hung under rate-limited writes: requests go on fast without it, limits hold per process, and it is
// used again once it is back. Runs its own redis-server on a free port; the shared one is never touched.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../helpers.ts';
import { freePort } from '../processes.ts';

/** A throwaway redis-server: no persistence, its own port. */
class RedisServer {
  child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const client = new Redis(this.port, '127.0.0.1', {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => {});
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch (err) {
        client.disconnect();
        if (Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  /** The rate-limit keys Redis holds for one client address. */
  async keysFor(ip: string): Promise<string[]> {
    const client = new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      return (await client.keys('liuyan-rl-*')).filter((k) => k.endsWith(ip));
    } finally {
      client.disconnect();
    }
  }
}

let t: TestDatabase;
let redis: RedisServer;
let app: FastifyInstance;
const logLines: string[] = [];

before(async () => {
  t = await createTestDatabase();
  redis = new RedisServer(await freePort());
  await redis.start();
  const config = loadConfig({
    ...t.env,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    // The code route: a fast 400 for a bad body, with a limit high enough to send many; logins keep a low one.
    RATE_LIMIT_CODE_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '3',
    // A hung Redis that resumes keeps its connection, so only a retry after this pause finds it back (30 s by default).
    REDIS_RETRY_SECONDS: '2',
  });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp({ config, db: t.db, logger: { level: 'info', stream } });
  await app.ready();
});
after(async () => {
  await app?.close();
  await redis?.kill();
  await t?.close();
});

const freshIp = () => `10.${randomInt(50, 250)}.${randomInt(0, 250)}.${randomInt(1, 250)}`;

/** One rate-limited write; its status and how long it took. */
async function write(ip: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/sms-code',
    remoteAddress: ip,
    payload: { phone: 'x', purpose: 'login' },
  });
  return { status: res.statusCode, ms: performance.now() - started };
}

/**
 * 50 writes one after another, then 50 more ten at a time: the statuses, the 95th percentile of the first (a request
 * under way when Redis fails waits for the command timeout once; the ones after do not wait) and the longest of all.
 */
async function burst(ip: string) {
  const sequential: { status: number; ms: number }[] = [];
  for (let i = 0; i < 50; i++) sequential.push(await write(ip));
  const parallel: { status: number; ms: number }[] = [];
  for (let i = 0; i < 5; i++) parallel.push(...(await Promise.all(Array.from({ length: 10 }, () => write(ip)))));
  const times = sequential.map((r) => r.ms).sort((a, b) => a - b);
  const all = [...sequential, ...parallel];
  return {
    statuses: new Set(all.map((r) => r.status)),
    p95: times[Math.ceil(times.length * 0.95) - 1]!,
    max: Math.max(...all.map((r) => r.ms)),
    count: all.length,
  };
}

const report = (what: string, r: Awaited<ReturnType<typeof burst>>) =>
  console.log(
    `${what}: ${r.count} writes, p95 ${r.p95.toFixed(1)} ms (50 in a row), max ${r.max.toFixed(1)} ms, statuses ${[...r.statuses].join(',')}`,
  );

/** Waits until a write is counted in Redis again. */
async function untilRedisUsed(): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    const ip = freshIp();
    await write(ip);
    if ((await redis.keysFor(ip)).length > 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Redis was not used again:\n${logLines.filter((l) => l.includes('Redis')).join('\n')}`);
}

const linesMatching = (re: RegExp) => logLines.filter((l) => re.test(l)).length;

/** Four password logins from one address against a limit of three a minute. */
async function loginStatuses(): Promise<number[]> {
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
  return statuses;
}

describe('Redis outage', () => {
  test('with Redis up, the counters are in Redis', async () => {
    const ip = freshIp();
    assert.equal((await write(ip)).status, 400);
    assert.equal((await redis.keysFor(ip)).length, 1);
    report('Redis up', await burst(freshIp()));
    assert.deepEqual(await loginStatuses(), [401, 401, 401, 429]);
  });

  test('Redis killed: writes answer at once, limits hold per process, one log line; used again once it is back', async () => {
    await redis.kill();
    const outage = await burst(freshIp());
    report('Redis killed', outage);
    assert.deepEqual([...outage.statuses], [400], 'no 5xx, nothing refused');
    assert.ok(outage.p95 < 300, `p95 ${outage.p95} ms`);
    assert.ok(outage.max < 1000, `max ${outage.max} ms`);
    assert.deepEqual(await loginStatuses(), [401, 401, 401, 429], 'the limit is still enforced, by this process');
    assert.equal(linesMatching(/Redis 不可用/), 1, 'one line when Redis goes away, not one per request');

    await redis.start();
    const backAfter = await untilRedisUsed();
    console.log(`Redis restarted: used again after ${backAfter} ms`);
    assert.equal(linesMatching(/Redis 已恢复/), 1, 'one line when it is back');
  });

  test('Redis hung (SIGSTOP): writes wait at most the command timeout once, then go on without it', async () => {
    const before = linesMatching(/Redis 不可用/);
    redis.child!.kill('SIGSTOP');
    try {
      const hung = await burst(freshIp());
      report('Redis hung', hung);
      assert.deepEqual([...hung.statuses], [400]);
      assert.ok(hung.p95 < 300, `p95 ${hung.p95} ms`);
      assert.ok(hung.max < 1000, `max ${hung.max} ms`);
      assert.deepEqual(await loginStatuses(), [401, 401, 401, 429]);
      assert.equal(linesMatching(/Redis 不可用/), before + 1);
    } finally {
      redis.child!.kill('SIGCONT');
    }
    const backAfter = await untilRedisUsed();
    console.log(`Redis resumed: used again after ${backAfter} ms`);
    assert.equal(linesMatching(/Redis 已恢复/), 2);
  });

  test('an app started while Redis is down starts, answers at once and picks Redis up when it comes', async () => {
    await redis.kill();
    const config = loadConfig({ ...t.env, REDIS_URL: `redis://127.0.0.1:${redis.port}`, LOG_LEVEL: 'silent' });
    const started = Date.now();
    const second = await buildApp({ config, db: t.db, logger: false });
    try {
      await second.ready();
      assert.ok(Date.now() - started < 5000, 'the start waits at most about a second for Redis');
      const ip = freshIp();
      const res = await second.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-code',
        remoteAddress: ip,
        payload: { phone: 'x', purpose: 'login' },
      });
      assert.equal(res.statusCode, 400);
      await redis.start();
      const deadline = Date.now() + 20_000;
      let used = false;
      while (!used && Date.now() < deadline) {
        const probe = freshIp();
        await second.inject({
          method: 'POST',
          url: '/api/v1/auth/sms-code',
          remoteAddress: probe,
          payload: { phone: 'x', purpose: 'login' },
        });
        used = (await redis.keysFor(probe)).length > 0;
        if (!used) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(used, 'Redis is used once it is there');
    } finally {
      await second.close();
    }
  });
});
