// The database going away, hanging or being held by another process: requests are answered 503 with Retry-After,
// never 500, nothing acknowledged is lost, and the app carries on by itself when the database is back. On SQLite: a
// second process holding the write lock. On PostgreSQL: a throwaway cluster of the test's own, stopped and hung.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { databaseFault } from '../../src/db/faults.ts';
import { openDatabase } from '../../src/db/kysely.ts';
import { type Cast, createCast, createChannelApp, nextIp, PASSWORD } from '../channel-helpers.ts';
import { lastCode, TEST_ENGINE, type TestApp } from '../helpers.ts';
import { freePort, startServer } from '../processes.ts';
import { WebClient } from '../web-client.ts';

const BIN = new URL('../../bin/liuyan.js', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let serial = 0;
/** A new message, with a title of its own so that no duplicate check or limit gets in the way. */
const newMessage = () => ({
  boardId: 1301232,
  type: 'help',
  domain: 'urban',
  title: `路灯坏了第${++serial}处`,
  body: `小区门口第${serial}处路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。`,
});

if (TEST_ENGINE === 'sqlite') {
  describe('SQLite with a second process holding the write lock', () => {
    let t: TestApp;
    let cast: Cast;
    let holder: SQLite.Database;
    before(async () => {
      t = await createChannelApp();
      cast = await createCast(t);
      holder = new SQLite(t.config.sqliteFile!);
      holder.pragma('busy_timeout = 0');
    });
    after(async () => {
      if (holder.inTransaction) holder.exec('rollback');
      holder.close();
      await t.close();
    });

    const stored = async (ids: number[]) =>
      (await t.db.selectFrom('messages').select('id').where('id', 'in', ids).execute()).map((r) => r.id).sort();

    test('a transaction takes the write lock when it begins, so another writer cannot slip in and fail it', async () => {
      await t.db.transaction().execute(async (trx) => {
        await trx.selectFrom('messages').select('id').limit(1).execute();
        assert.throws(() => holder.exec('begin immediate'), { code: 'SQLITE_BUSY' });
      });
      holder.exec('begin immediate');
      holder.exec('rollback');
    });

    test('submissions wait for a lock held longer than busy_timeout, and every one is stored', async () => {
      holder.exec('begin immediate');
      const started = Date.now();
      setTimeout(() => holder.exec('commit'), 1200);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => cast.call('citizen', 'POST', '/api/v1/messages', newMessage())),
      );
      assert.ok(Date.now() - started >= 1100, 'they waited for the lock');
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        Array(10).fill(201),
        answers.map((a) => a.body).join('\n'),
      );
      const ids = answers.map((a) => a.json().id as number).sort();
      assert.deepEqual(await stored(ids), ids);
    });

    test('a lock held past the wait is a 503 DATABASE_BUSY with Retry-After on the API and on pages, never a 500', async () => {
      // The same database, through an app that waits at most two seconds for the lock.
      const config = loadConfig({ ...t.env, DATABASE_STATEMENT_TIMEOUT_SECONDS: '2' });
      const db = openDatabase(config);
      const app = await buildApp({ config, db, logger: false });
      await app.ready();
      const web = new WebClient(app, nextIp());
      try {
        await web.get('/login');
        holder.exec('begin immediate');
        const submit = () =>
          app.inject({
            method: 'POST',
            url: '/api/v1/messages',
            remoteAddress: nextIp(),
            headers: { authorization: `Bearer ${cast.tokens.citizen}` },
            payload: newMessage(),
          });
        const started = Date.now();
        const waiting = submit();
        let settled = false;
        void waiting.then(() => (settled = true));
        // Reading goes on while the submission waits: WAL readers do not wait for a writer, and the app's one
        // connection is not held by a statement waiting for the lock.
        await sleep(400);
        const readAt = Date.now();
        const read = await db.selectFrom('regions').select('code').limit(1).execute();
        assert.equal(read.length, 1);
        assert.ok(Date.now() - readAt < 700, `the read took ${Date.now() - readAt} ms`);
        assert.equal(settled, false, 'the read did not wait for the submission');
        const refused = await waiting;
        assert.ok(Date.now() - started >= 1900, 'the submission waited for the lock');
        assert.ok(Date.now() - started < 5000, 'the wait is bounded');
        assert.equal(refused.statusCode, 503);
        assert.equal(refused.headers['retry-after'], '2');
        assert.deepEqual(refused.json(), { error: { code: 'DATABASE_BUSY', message: '数据库正忙，请稍后再试。' } });
        const page = await web.post('/login', { phone: cast.phones.citizen!, password: PASSWORD });
        assert.equal(page.statusCode, 503);
        assert.equal(page.headers['retry-after'], '2');
        assert.match(String(page.headers['content-type']), /text\/html/);
        assert.match(page.body, /503/);
        assert.match(page.body, /数据库正忙，请稍后再试/);
        holder.exec('rollback');
        const later = await submit();
        assert.equal(later.statusCode, 201, later.body);
        assert.deepEqual(await stored([later.json().id]), [later.json().id]);
      } finally {
        if (holder.inTransaction) holder.exec('rollback');
        await app.close();
        await db.destroy();
      }
    });

    test('`liuyan stats recompute` in another process beside API submissions: no 500, nothing lost', async () => {
      const child = spawn(process.execPath, [BIN, 'stats', 'recompute'], {
        env: { PATH: process.env.PATH, ...t.env },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = once(child, 'exit');
      let done = false;
      void exited.then(() => (done = true));
      const answers: { status: number; id?: number }[] = [];
      // Keep submitting while the command starts, recomputes and ends (and a moment after).
      while (!done) {
        const batch = await Promise.all(
          Array.from({ length: 3 }, () => cast.call('citizen', 'POST', '/api/v1/messages', newMessage())),
        );
        for (const a of batch)
          answers.push({ status: a.statusCode, id: a.statusCode === 201 ? a.json().id : undefined });
      }
      const [code] = await exited;
      assert.equal(code, 0, output);
      assert.match(output, /已重新计算/);
      assert.ok(answers.length > 0);
      assert.deepEqual(
        answers.filter((a) => a.status !== 201),
        [],
        'every submission was accepted (a busy database would be a 503, never a 500)',
      );
      const ids = answers.map((a) => a.id!).sort();
      assert.deepEqual(await stored(ids), ids);
      // The figures the command rebuilt, with the submissions made meanwhile, agree with the histories.
      const { statsService } = await import('../../src/stats/stats.service.ts');
      assert.deepEqual((await statsService.check(t.db)).differences, []);
    });
  });
} else {
  describe('PostgreSQL stopped, restarted and hung under a running server', () => {
    // Sessions of the shared server are never touched: the cluster is the test's own, on its own port and socket.
    const bin = readdirSync('/usr/lib/postgresql')
      .map((v) => join('/usr/lib/postgresql', v, 'bin'))
      .filter((dir) => existsSync(join(dir, 'initdb')))
      .sort()
      .at(-1);
    const asRoot = process.getuid?.() === 0;
    let dir: string;
    let port: number;
    let server: Awaited<ReturnType<typeof startServer>>;
    let token = '';

    /** Runs a PostgreSQL program; initdb and the server refuse to run as root, so then as the postgres user. */
    const pgRun = (program: string, args: string[]) => {
      const [cmd, argv] = asRoot
        ? ['runuser', ['-u', 'postgres', '--', join(bin!, program), ...args]]
        : [join(bin!, program), args];
      const result = spawnSync(cmd, argv, { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${program} ${args.join(' ')}: ${result.stderr}${result.stdout}`);
    };
    const data = () => join(dir, 'data');
    const startCluster = () =>
      pgRun('pg_ctl', [
        '-D',
        data(),
        '-l',
        join(dir, 'log'),
        '-w',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        'start',
      ]);
    const stopCluster = (mode: 'fast' | 'immediate') => pgRun('pg_ctl', ['-D', data(), '-m', mode, '-w', 'stop']);
    /** The postmaster and every backend it started. */
    const clusterPids = () => {
      const postmaster = Number(readFileSync(join(data(), 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((s) => Number(s.trim()))
        .filter(Boolean);
      return [postmaster, ...children];
    };

    before(async () => {
      assert.ok(bin, 'initdb from /usr/lib/postgresql/*/bin is needed for the outage test');
      dir = mkdtempSync(join(tmpdir(), 'liuyan-pg-outage-'));
      if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), 0);
      port = await freePort();
      pgRun('initdb', ['-D', data(), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
      startCluster();
      server = await startServer({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
        DATA_DIR: join(dir, 'app'),
        LIUYAN_SECRET: 'test-secret-0123456789abcdef0123456789',
        LOG_LEVEL: 'warn',
        SMS_DRIVER: 'file',
        SMS_FILE: join(dir, 'sms.jsonl'),
        PAGE_CACHE_SECONDS: '0',
        RATE_LIMIT_SUBMIT_PER_MINUTE: '100000',
        RATE_LIMIT_WRITE_PER_MINUTE: '100000',
        DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
        DATABASE_STATEMENT_TIMEOUT_SECONDS: '1',
      });
      // A citizen who submits messages through the API while the database comes and goes.
      const phone = '15500000009';
      await post('/api/v1/auth/sms-code', { phone, purpose: 'register' });
      const code = lastCode({ smsFile: join(dir, 'sms.jsonl') } as Config, phone);
      const registered = await post('/api/v1/auth/register', { phone, code, password: PASSWORD, nickname: '市民' });
      assert.equal(registered.status, 201, registered.body);
      token = JSON.parse((await post('/api/v1/auth/token', { phone, password: PASSWORD })).body).token;
      assert.ok(token);
    });
    after(async () => {
      await server?.stop();
      if (dir && existsSync(join(data(), 'postmaster.pid'))) {
        for (const pid of clusterPids()) process.kill(pid, 'SIGCONT');
        stopCluster('immediate');
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    // A list and a search read the database at every request (region and board pages share their lists for a while).
    const API = '/api/v1/messages?limit=5';
    const PAGE = `/search?q=${encodeURIComponent('路灯')}`;
    const get = async (path: string) => {
      const started = Date.now();
      const res = await fetch(server.base + path);
      return { status: res.status, headers: res.headers, body: await res.text(), ms: Date.now() - started };
    };
    const post = async (path: string, body: object, headers: Record<string, string> = {}) => {
      const started = Date.now();
      const res = await fetch(server.base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, headers: res.headers, body: await res.text(), ms: Date.now() - started };
    };
    /** Every submission made, by its Idempotency-Key: the message it was, and how it was answered. */
    const submissions = new Map<string, { title: string; status: number; id?: number }>();
    const submit = async (key: string, message = newMessage()) => {
      const res = await post('/api/v1/messages', message, {
        authorization: `Bearer ${token}`,
        'idempotency-key': key,
      });
      const id = res.status === 201 || res.status === 200 ? (JSON.parse(res.body).id as number) : undefined;
      submissions.set(key, { title: message.title, status: res.status, ...(id ? { id } : {}) });
      return { ...res, id, message };
    };
    const alive = () => assert.equal(server.child.exitCode, null, `the server exited:\n${server.output()}`);

    /**
     * Requests that keep coming while the database goes away, reading pages and the API and submitting messages: each
     * answered 200/201 or 503, none 500 nor hanging.
     */
    function inFlight() {
      const answers: { status: number; code?: string; retryAfter: string | null }[] = [];
      let stop = false;
      const record = (res: { status: number; body: string; headers: Headers }) => {
        const code = res.status === 503 && res.body.startsWith('{') ? JSON.parse(res.body).error.code : undefined;
        answers.push({ status: res.status, code, retryAfter: res.headers.get('retry-after') });
      };
      const reads = async () => {
        while (!stop) record(await get(Math.random() < 0.5 ? API : PAGE));
      };
      const writes = async () => {
        while (!stop) {
          record(await submit(`outage-${++serial}`));
          await sleep(100); // a refusal comes at once: keep the count of submissions to retry small
        }
      };
      const loops = [reads(), reads(), writes(), writes()];
      return {
        async end() {
          stop = true;
          await Promise.all(loops);
          return answers;
        },
      };
    }

    async function assertUnavailable() {
      const api = await get(API);
      assert.equal(api.status, 503, api.body);
      assert.equal(api.headers.get('retry-after'), '5');
      assert.deepEqual(JSON.parse(api.body), {
        error: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂时无法连接，请稍后再试。' },
      });
      const page = await get(PAGE);
      assert.equal(page.status, 503);
      assert.equal(page.headers.get('retry-after'), '5');
      assert.match(page.body, /数据库暂时无法连接，请稍后再试/);
      assert.match(page.body, /<html/);
      const ready = await get('/readyz');
      assert.equal(ready.status, 503);
      assert.ok(ready.ms < 2000, `/readyz took ${ready.ms} ms`);
      assert.equal((await get('/healthz')).status, 200);
    }

    async function assertRecovers() {
      const deadline = Date.now() + 15_000;
      let last = 0;
      while (Date.now() < deadline) {
        last = (await get(API)).status;
        if (last === 200) break;
        await sleep(200);
      }
      assert.equal(last, 200, 'the API answers again without a restart');
      assert.equal((await get(PAGE)).status, 200);
      assert.equal((await get('/readyz')).status, 200);
    }

    function assertNoServerErrors(answers: Awaited<ReturnType<ReturnType<typeof inFlight>['end']>>) {
      assert.ok(answers.length > 0);
      const bad = answers.filter(
        (a) => a.status !== 200 && a.status !== 201 && !(a.status === 503 && a.retryAfter !== null),
      );
      assert.deepEqual(bad, [], 'answered 200 or 201, or 503 with Retry-After');
      assert.ok(
        answers.some((a) => a.status === 503),
        'some requests met the outage',
      );
      for (const a of answers.filter((x) => x.code)) assert.equal(a.code, 'DATABASE_UNAVAILABLE');
    }

    test('the server is up on the throwaway cluster', async () => {
      assert.equal((await get(API)).status, 200);
      assert.equal((await get('/readyz')).status, 200);
    });

    for (const mode of ['fast', 'immediate'] as const) {
      test(`pg_ctl stop -m ${mode} under load: 503 DATABASE_UNAVAILABLE, /readyz 503 at once, back by itself`, async () => {
        const load = inFlight();
        await sleep(300);
        stopCluster(mode);
        await sleep(300);
        await assertUnavailable();
        alive();
        await sleep(1500); // the scheduler and outbox worker meet the outage too
        alive();
        startCluster();
        await assertRecovers();
        assertNoServerErrors(await load.end());
        alive();
      });
    }

    test('a database that hangs (SIGSTOP) is a 503 within the timeouts, not a wait for ever', async () => {
      await get(API); // every pooled connection idle and in use a moment ago
      const pids = clusterPids();
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      try {
        const ready = await get('/readyz');
        assert.equal(ready.status, 503);
        assert.ok(ready.ms < 2000, `/readyz took ${ready.ms} ms`);
        // A statement on a pooled connection gets no reply: given up after statement timeout + 2 s; a new connection
        // gets none either: given up after the connect timeout.
        const answers = await Promise.all([get(API), get(PAGE), submit(`hung-${++serial}`)]);
        for (const a of answers) {
          assert.equal(a.status, 503, a.body);
          assert.ok(a.ms < 6000, `answered after ${a.ms} ms`);
          assert.equal(a.headers.get('retry-after'), '5');
        }
        alive();
      } finally {
        for (const pid of pids) process.kill(pid, 'SIGCONT');
      }
      await assertRecovers();
      alive();
    });

    test('no acknowledged submission was lost, and retrying the refused ones with their key gives one message each', async (t) => {
      const refused = [...submissions].filter(([, s]) => s.status === 503);
      const acknowledged = [...submissions.values()].filter((s) => s.id !== undefined).length;
      assert.ok(refused.length > 0);
      for (let i = 0; i < refused.length; i += 8) {
        const again = await Promise.all(
          refused.slice(i, i + 8).map(([key, s]) => submit(key, { ...newMessage(), title: s.title })),
        );
        for (const a of again) assert.ok(a.status === 201 || a.status === 200, a.body);
      }
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      try {
        const titles = [...submissions.values()].map((s) => s.title);
        const { rows } = await client.query<{ id: number; title: string }>(
          'select id, title from messages where title = any($1)',
          [titles],
        );
        const byTitle = new Map<string, number[]>();
        for (const r of rows) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), r.id]);
        const lost = [...submissions.values()].filter((s) => !byTitle.has(s.title));
        const duplicated = [...byTitle].filter(([, ids]) => ids.length > 1);
        t.diagnostic(
          `submissions: ${submissions.size}, acknowledged ${acknowledged}, refused 503 ${refused.length} (then retried), ` +
            `lost ${lost.length}, duplicated ${duplicated.length}`,
        );
        assert.deepEqual(lost, [], 'every submission is stored');
        assert.deepEqual(duplicated, [], 'none twice');
        for (const s of submissions.values()) assert.deepEqual(byTitle.get(s.title), [s.id], s.title);
      } finally {
        await client.end();
      }
    });

    test('the outage was logged, once per outage and not per request, and the process never shut down', async () => {
      const log = server.output();
      assert.doesNotMatch(log, /shutting down after an error/);
      assert.doesNotMatch(log, /"level":50.*request failed/, 'no request was logged as an internal error');
      const lines = log.split('\n').filter((l) => l.includes('database unavailable'));
      assert.ok(lines.length > 0, 'the outage is in the log');
      assert.ok(lines.length < 40, `${lines.length} lines about the outage:\n${lines.join('\n')}`);
    });
  });
}

describe('a database that cannot be reached at all', () => {
  test('a refused connection (no server on the port) is classified as unavailable', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: await freePort(),
      user: 'x',
      connectionTimeoutMillis: 1000,
    });
    const err = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    assert.equal(databaseFault(err), 'unavailable');
  });
});
