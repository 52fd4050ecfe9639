// The database connection as configured: DATABASE_SYNCHRONOUS reaches SQLite's pragma (PostgreSQL keeps its server's
// synchronous_commit), a bad value stops the start, a server's SQLite log is checkpointed beside its requests, and
// statements kept prepared are reused safely.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../src/config.ts';
import { CHECKPOINT_EVERY_MS, FALLBACK_AUTOCHECKPOINT_PAGES } from '../src/db/checkpoints.ts';
import { openDatabase } from '../src/db/kysely.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from './helpers.ts';

const secret = 'x'.repeat(32);
const tmp = () => mkdtempSync(join(tmpdir(), 'liuyan-connection-'));

describe('DATABASE_SYNCHRONOUS', () => {
  test('defaults to NORMAL; FULL and NORMAL are taken in either case', () => {
    const cwd = tmp();
    try {
      assert.equal(loadConfig({ LIUYAN_SECRET: secret }, cwd).sqliteSynchronous, 'NORMAL');
      assert.equal(loadConfig({ LIUYAN_SECRET: secret, DATABASE_SYNCHRONOUS: 'FULL' }, cwd).sqliteSynchronous, 'FULL');
      assert.equal(loadConfig({ LIUYAN_SECRET: secret, DATABASE_SYNCHRONOUS: 'full' }, cwd).sqliteSynchronous, 'FULL');
      assert.equal(
        loadConfig({ LIUYAN_SECRET: secret, DATABASE_SYNCHRONOUS: ' normal ' }, cwd).sqliteSynchronous,
        'NORMAL',
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('any other value stops the start with one line in Chinese naming the variable and the value', () => {
    const cwd = tmp();
    try {
      for (const value of ['OFF', 'EXTRA', '2', 'Full', 'yes']) {
        assert.throws(
          () => loadConfig({ LIUYAN_SECRET: secret, DATABASE_SYNCHRONOUS: value }, cwd),
          (err: unknown) =>
            err instanceof ConfigError &&
            err.message.startsWith('配置错误：DATABASE_SYNCHRONOUS 应为 NORMAL 或 FULL') &&
            err.message.endsWith(`当前值为 "${value}"`),
          value,
        );
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('SQLite: the pragma reads back 1 (NORMAL) by default and 2 (FULL) when configured, in WAL mode', async () => {
    const cwd = tmp();
    try {
      for (const [value, level] of [
        [undefined, 1],
        ['NORMAL', 1],
        ['FULL', 2],
      ] as const) {
        const env = { DATA_DIR: join(cwd, 'data'), ...(value ? { DATABASE_SYNCHRONOUS: value } : {}) };
        const db = openDatabase(loadConfig(env, cwd));
        try {
          const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
          assert.equal(rows[0]?.synchronous, level, `DATABASE_SYNCHRONOUS=${value ?? '(unset)'}`);
          const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
          assert.equal(mode.rows[0]?.journal_mode, 'wal');
        } finally {
          await db.destroy();
        }
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('SQLite background checkpoints (the server)', () => {
  test('the write-ahead log is copied into the database file by the worker, well below the fallback threshold', async () => {
    const cwd = tmp();
    const file = join(cwd, 'data', 'liuyan.db');
    const db = openDatabase(loadConfig({ DATA_DIR: join(cwd, 'data') }, cwd), { backgroundCheckpoints: true });
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      assert.equal(rows[0]?.wal_autocheckpoint, FALLBACK_AUTOCHECKPOINT_PAGES);
      await sql`create table notes (id integer primary key, body text not null)`.execute(db);
      const before = statSync(file).size;
      // About 1 MB: some 250 pages in the log, far below the connection's own threshold of 10,000.
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 250; i++) await sql`insert into notes (body) values (${'留言'.repeat(2000)})`.execute(trx);
      });
      const deadline = Date.now() + 10 * CHECKPOINT_EVERY_MS + 5000;
      while (statSync(file).size < before + 1_000_000 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_EVERY_MS));
      }
      assert.ok(statSync(file).size >= before + 1_000_000, `database file ${before} → ${statSync(file).size} bytes`);
      const count = await sql<{ n: number }>`select count(*) as n from notes`.execute(db);
      assert.equal(Number(count.rows[0]?.n), 250);
    } finally {
      await db.destroy();
    }
    // Closed cleanly: the file opens again with everything in it.
    const again = openDatabase(loadConfig({ DATA_DIR: join(cwd, 'data') }, cwd));
    try {
      const count = await sql<{ n: number }>`select count(*) as n from notes`.execute(again);
      assert.equal(Number(count.rows[0]?.n), 250);
    } finally {
      await again.destroy();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('the configured database', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.close());

  test('each engine commits as configured: SQLite by DATABASE_SYNCHRONOUS, PostgreSQL by its synchronous_commit', async () => {
    const db = openDatabase(loadConfig({ ...t.env, DATABASE_SYNCHRONOUS: 'FULL' }));
    try {
      if (TEST_ENGINE === 'postgres') {
        // The variable is SQLite's; PostgreSQL opens as usual and keeps the server's own setting (on by default).
        const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
        assert.equal(rows[0]?.synchronous_commit, 'on');
      } else {
        const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
        assert.equal(rows[0]?.synchronous, 2);
      }
      assert.ok(await db.selectFrom('boards').select('id').limit(1).executeTakeFirst(), 'the database answers');
    } finally {
      await db.destroy();
    }
  });

  test('the same statement runs again with new parameters, and after it failed', async () => {
    const boards = await t.db.selectFrom('boards').select('id').orderBy('id').limit(5).execute();
    assert.equal(boards.length, 5);
    const first = (id: number) =>
      t.db.selectFrom('boards').select(['id', 'title']).where('id', '>=', id).orderBy('id').limit(2).execute();
    for (const b of [...boards, ...boards.slice().reverse()]) assert.equal((await first(b.id))[0]?.id, b.id);

    const put = (key: string) => t.db.insertInto('settings').values({ key, value: '"x"' }).execute();
    await put('test.kept-statement-1');
    // The same insert breaks the primary key: it fails, and the statement is still good for the next row.
    await assert.rejects(put('test.kept-statement-1'));
    await put('test.kept-statement-2');
    await assert.rejects(
      t.db.transaction().execute(async (trx) => {
        await trx.insertInto('settings').values({ key: 'test.kept-statement-3', value: '"x"' }).execute();
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    const keys = await t.db
      .selectFrom('settings')
      .select('key')
      .where('key', 'like', 'test.kept-statement-%')
      .orderBy('key')
      .execute();
    assert.deepEqual(
      keys.map((k) => k.key),
      ['test.kept-statement-1', 'test.kept-statement-2'],
    );
  });
});
