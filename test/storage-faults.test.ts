// A full disk, a read-only data directory, a database that takes no writes: a clear Chinese message naming the
// directory or file and the cause at start, a 503 (never a 500) at run time, and read-only commands that work on a
// read-only copy of the database.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { databaseFault } from '../src/db/faults.ts';
import { DatabaseOpenError, explainSqliteFailure, type FileProbe, openDatabase } from '../src/db/kysely.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import { type Cast, createCast, createChannelApp, nextIp, PASSWORD } from './channel-helpers.ts';
import { TEST_ENGINE, type TestApp } from './helpers.ts';
import { freePort } from './processes.ts';
import { WebClient } from './web-client.ts';

const BIN = new URL('../bin/liuyan.js', import.meta.url).pathname;
const SECRET = 'test-secret-0123456789abcdef0123456789';

let serial = 0;
const newMessage = () => ({
  boardId: 1301232,
  type: 'help',
  domain: 'urban',
  title: `井盖缺失第${++serial}处`,
  body: `路口第${serial}处井盖缺失已经一周，夜里行人很容易踩空，请有关部门尽快补上。`,
});

describe('what a database or disk error means', () => {
  const cases: [object, ReturnType<typeof databaseFault>][] = [
    [{ code: 'SQLITE_BUSY' }, 'busy'],
    [{ code: 'SQLITE_BUSY_SNAPSHOT' }, 'busy'],
    [{ code: 'SQLITE_LOCKED' }, 'busy'],
    [{ code: 'SQLITE_FULL' }, 'full'],
    [{ code: 'ENOSPC' }, 'full'],
    [{ code: '53100' }, 'full'],
    [{ code: 'SQLITE_READONLY' }, 'read-only'],
    [{ code: 'SQLITE_READONLY_DIRECTORY' }, 'read-only'],
    [{ code: '25006' }, 'read-only'],
    [{ code: '57P01' }, 'unavailable'],
    [{ code: '57P03' }, 'unavailable'],
    [{ code: '08006' }, 'unavailable'],
    [{ code: 'ECONNREFUSED' }, 'unavailable'],
    [new Error('Connection terminated unexpectedly'), 'unavailable'],
    [new Error('timeout exceeded when trying to connect'), 'unavailable'],
    [new Error('Query read timeout'), 'unavailable'],
    [{ code: '57014' }, 'busy'],
    [{ code: '23505' }, null], // a unique violation is the caller's business
    [{ code: 'SQLITE_CONSTRAINT_UNIQUE' }, null],
    [new TypeError('Cannot read properties of undefined'), null],
  ];
  for (const [err, fault] of cases) {
    test(`${JSON.stringify(err) === '{}' ? (err as Error).message : JSON.stringify(err)} → ${fault}`, () => {
      assert.equal(databaseFault(err), fault);
    });
  }
});

describe('why an SQLite file cannot be opened or written, named with its directory', () => {
  const probe = (over: Partial<{ dir: string; file: string; free: number }>): FileProbe => ({
    cannotWrite: (path) => (path.endsWith('.db') ? over.file : over.dir),
    freeBytes: () => over.free ?? 10 ** 10,
  });
  const err = Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });

  test('a full disk', () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    assert.equal(
      explainSqliteFailure(full, '/srv/liuyan/data/liuyan.db', probe({ free: 0 })),
      '数据库目录 /srv/liuyan/data 所在磁盘已满（剩余 0 KB），无法写入数据库文件 /srv/liuyan/data/liuyan.db。请清理磁盘空间后重试',
    );
    // "disk I/O error" when the log file cannot be created is put down to the disk when it has no room left.
    const io = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    assert.match(
      explainSqliteFailure(io, '/srv/d/liuyan.db', probe({ free: 4096 })),
      /^数据库目录 \/srv\/d 所在磁盘已满/,
    );
  });

  test('a directory the platform may not write, and one on a read-only file system', () => {
    assert.match(
      explainSqliteFailure(err, '/srv/d/liuyan.db', probe({ dir: 'EACCES' })),
      /^数据库目录 \/srv\/d 不可写：权限不足（运行平台的用户不能写入）。请检查该目录的所有者和权限/,
    );
    assert.match(
      explainSqliteFailure(err, '/srv/d/liuyan.db', probe({ dir: 'EROFS' })),
      /^数据库目录 \/srv\/d 不可写：所在文件系统为只读/,
    );
  });

  test('anything else keeps SQLite’s own words, with the file', () => {
    assert.equal(
      explainSqliteFailure(err, '/srv/d/liuyan.db', probe({})),
      '无法打开数据库文件 /srv/d/liuyan.db：unable to open database file',
    );
  });
});

describe('a database server that cannot be reached at start', () => {
  test('is named, without its credentials, with the cause', async () => {
    const port = await freePort();
    const config = {
      engine: 'postgres' as const,
      databaseUrl: `postgres://liuyan:geheim@127.0.0.1:${port}/liuyan`,
      sqliteFile: undefined,
    };
    const db = openDatabase(config);
    try {
      await assert.rejects(prepareDatabase(db, config, { info: () => {} }), (e: Error) => {
        assert.ok(e instanceof DatabaseOpenError);
        assert.match(e.message, new RegExp(`^无法使用数据库 127\\.0\\.0\\.1:${port}/liuyan：连接不上或没有响应`));
        assert.doesNotMatch(e.message, /geheim/);
        return true;
      });
    } finally {
      await db.destroy();
    }
  });
});

describe('a database that takes no writes (a read-only copy, a standby)', () => {
  let t: TestApp;
  let cast: Cast;
  before(async () => {
    t = await createChannelApp();
    cast = await createCast(t);
  });
  after(() => t.close());

  test('read-only opening reads, and a write is a 503 DATABASE_READ_ONLY, not a 500', async () => {
    const db = openDatabase(t.config, { readOnly: true });
    const app = await buildApp({ config: t.config, db, logger: false });
    await app.ready();
    try {
      assert.equal((await app.inject('/api/v1/regions/130000')).statusCode, 200);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/messages',
        remoteAddress: nextIp(),
        headers: { authorization: `Bearer ${cast.tokens.citizen}` },
        payload: newMessage(),
      });
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.headers['retry-after'], '30');
      assert.equal(res.json().error.code, 'DATABASE_READ_ONLY');
      assert.match(res.json().error.message, /只能查看、不能保存/);
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});

if (TEST_ENGINE === 'sqlite') {
  describe('SQLite: a full disk while the server runs', () => {
    let t: TestApp;
    let cast: Cast;
    const lines: string[] = [];
    let app: TestApp['app'];
    before(async () => {
      t = await createChannelApp();
      cast = await createCast(t);
      // The same database through an app whose log the test reads.
      app = await buildApp({
        config: t.config,
        db: t.db,
        logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } },
      });
      await app.ready();
    });
    after(async () => {
      await app.close();
      await t.close();
    });

    const submit = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/messages',
        remoteAddress: nextIp(),
        headers: { authorization: `Bearer ${cast.tokens.citizen}` },
        payload: newMessage(),
      });

    test('SQLITE_FULL is a 503 STORAGE_FULL on the API and on pages, logged as "disk full"', async () => {
      // A file that may not grow stands for a disk that has no room left: submissions fill what room is left in it.
      await sql`vacuum`.execute(t.db);
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(t.db);
      await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(t.db);
      let accepted = 0;
      let res = await submit();
      while (res.statusCode === 201 && accepted < 2000) {
        accepted += 1;
        res = await submit();
      }
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.headers['retry-after'], '60');
      assert.deepEqual(res.json(), {
        error: { code: 'STORAGE_FULL', message: '服务器存储空间已满，暂时无法保存，请稍后再试。' },
      });
      const more = await Promise.all([submit(), submit(), submit()]);
      assert.deepEqual(
        more.map((a) => a.statusCode),
        [503, 503, 503],
      );
      // A login writes a session: small enough to fit a page's last room for a few times, then refused too.
      const login = async () => {
        const web = new WebClient(app, nextIp());
        await web.get('/login');
        return web.post('/login', { phone: cast.phones.citizen!, password: PASSWORD });
      };
      let page = await login();
      for (let i = 0; i < 200 && page.statusCode !== 503; i++) {
        assert.equal(page.statusCode, 303);
        page = await login();
      }
      assert.equal(page.statusCode, 503);
      assert.equal(page.headers['retry-after'], '60');
      assert.match(page.body, /服务器存储空间已满/);
      const log = lines.join('');
      assert.match(log, /disk full/);
      assert.doesNotMatch(log, /cannot rollback/);
      assert.equal(lines.filter((l) => l.includes('disk full')).length, 1, 'logged once, not per request');
    });

    test('with room again, submissions are stored without a restart', async () => {
      await sql.raw('pragma max_page_count = 4294967294').execute(t.db);
      const res = await submit();
      assert.equal(res.statusCode, 201, res.body);
      const id = res.json().id as number;
      assert.ok(await t.db.selectFrom('messages').select('id').where('id', '=', id).executeTakeFirst());
    });
  });

  describe('SQLite: an unwritable or read-only data directory at start', () => {
    let work: string;
    before(() => {
      work = mkdtempSync(join(tmpdir(), 'liuyan-storage-'));
      chmodSync(work, 0o755);
    });
    after(() => {
      spawnSync('chmod', ['-R', 'u+w', work]);
      rmSync(work, { recursive: true, force: true });
    });

    test('a data directory that cannot be created is named, with the cause', () => {
      const blocker = join(work, 'not-a-directory');
      writeFileSync(blocker, '');
      const dataDir = join(blocker, 'data');
      // Without a secret the platform would keep one in DATA_DIR: that fails first, and says so.
      assert.throws(
        () => loadConfig({ DATA_DIR: dataDir }),
        (e: Error) =>
          e instanceof ConfigError &&
          e.message ===
            `配置错误：DATA_DIR 目录 ${dataDir} 无法写入（路径中有一段是文件而不是目录），首次启动时要在其中保存密钥文件 secret`,
      );
      const config = loadConfig({ DATA_DIR: dataDir, LIUYAN_SECRET: SECRET });
      assert.throws(
        () => openDatabase(config),
        (e: Error) =>
          e instanceof DatabaseOpenError &&
          e.message.startsWith(`无法创建数据库目录 ${dataDir}：路径中有一段是文件而不是目录。`),
      );
    });

    /**
     * A read-only data directory holding a database. Root writes through any mode bits, so as root the commands run
     * as the unprivileged user `nobody` (runuser), for whom the modes count.
     */
    function readOnlyCopy(source: string): { dataDir: string; file: string } {
      const dataDir = join(work, `ro-${++serial}`);
      mkdirSync(dataDir);
      const file = join(dataDir, 'liuyan.db');
      copyFileSync(source, file);
      chmodSync(file, 0o444);
      chmodSync(dataDir, 0o555);
      return { dataDir, file };
    }
    const asRoot = process.getuid?.() === 0;
    async function liuyan(args: string[], dataDir: string): Promise<{ code: number | null; output: string }> {
      const env = {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        LIUYAN_SECRET: SECRET,
        LOG_LEVEL: 'silent',
        HOME: work,
      };
      const [cmd, argv] = asRoot
        ? ['runuser', ['-u', 'nobody', '--', process.execPath, BIN, ...args]]
        : [process.execPath, [BIN, ...args]];
      const child = spawn(cmd, argv, { env });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const [code] = (await once(child, 'exit')) as [number | null];
      return { code, output };
    }

    test('the server refuses to start with the directory and the cause; read-only commands work on the copy', async () => {
      if (asRoot) assert.equal(spawnSync('runuser', ['--help']).status, 0, 'runuser is needed to test as non-root');
      // A database with messages and their case histories, checkpointed into one file.
      const t = await createChannelApp();
      const cast = await createCast(t);
      for (let i = 0; i < 3; i++) {
        const res = await cast.call('citizen', 'POST', '/api/v1/messages', newMessage());
        assert.equal(res.statusCode, 201, res.body);
      }
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.db);
      const source = join(work, 'source.db');
      copyFileSync(t.config.sqliteFile!, source);
      await t.close();
      assert.ok(!existsSync(`${source}-wal`));

      const writable = readOnlyCopy(source);
      const readable = readOnlyCopy(source);
      const [migrate, verify] = await Promise.all([
        liuyan(['migrate', 'up'], writable.dataDir),
        liuyan(['audit', 'verify'], readable.dataDir),
      ]);
      assert.equal(migrate.code, 1, migrate.output);
      assert.match(
        migrate.output.trim(),
        new RegExp(`^数据库目录 ${writable.dataDir} 不可写：权限不足（运行平台的用户不能写入）`),
      );
      assert.doesNotMatch(migrate.output, /unable to open database file|disk I\/O error/);
      assert.equal(verify.code, 0, verify.output);
      assert.match(verify.output, /办理记录完好：已校验 3 条留言/);
      assert.ok(!existsSync(`${readable.file}-wal`), 'nothing was written beside the read-only copy');
    });

    test('a read-only command on a missing file says so instead of creating an empty database', () => {
      const config = loadConfig({ DATA_DIR: join(work, 'empty'), LIUYAN_SECRET: SECRET });
      assert.throws(
        () => openDatabase(config, { readOnly: true }),
        (e: Error) => e instanceof DatabaseOpenError && e.message === `数据库文件 ${config.sqliteFile} 不存在`,
      );
      assert.ok(!existsSync(config.sqliteFile!));
    });
  });
}
