import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { calendarCoverage } from '../src/deadlines/working-days.ts';
import { createEmptyDatabase, type TestDatabase } from './helpers.ts';

const run = promisify(execFile);
const BIN = new URL('../bin/liuyan.js', import.meta.url).pathname;

let t: TestDatabase;
before(async () => {
  t = await createEmptyDatabase();
});
after(() => t.close());

async function liuyan(args: string[], env: Record<string, string> = t.env) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('liuyan command line', () => {
  test('every command has --help', async () => {
    const commands = [
      [],
      ['serve'],
      ['migrate'],
      ['seed'],
      ['seed', 'reference'],
      ['import'],
      ['import', 'boards'],
      ['import', 'units'],
      ['user'],
      ['user', 'create'],
      ['seed', 'demo'],
      ['audit'],
      ['audit', 'verify'],
      ['scheduler'],
      ['rules'],
      ['rules', 'show'],
      ['rules', 'set'],
      ['calendar'],
      ['calendar', 'import'],
      ['calendar', 'show'],
    ];
    for (const command of commands) {
      const { code, stdout } = await liuyan([...command, '--help']);
      assert.equal(code, 0, command.join(' '));
      assert.match(stdout, /^Usage: liuyan/, command.join(' '));
    }
  });

  test('migrate status, up and down report what they do', async () => {
    const names = Object.keys(MIGRATIONS);
    const last = names.at(-1)!;
    assert.match(
      (await liuyan(['migrate', 'status'])).stdout,
      new RegExp(names.map((n) => `未执行 {2}${n}`).join('\n')),
    );
    assert.match((await liuyan(['migrate', 'up'])).stdout, new RegExp(names.map((n) => `已执行 {2}${n}`).join('\n')));
    assert.match((await liuyan(['migrate'])).stdout, /数据库已是最新/);
    assert.equal((await liuyan(['migrate', 'down'])).stdout, `已回退  ${last}\n`);
    assert.match(
      (await liuyan(['migrate', 'status'])).stdout,
      new RegExp(`已执行 {2}${names[0]} .*\n[\\s\\S]*未执行 {2}${last}`),
    );
    const bad = await liuyan(['migrate', 'sideways']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /应为 up、down 或 status/);
  });

  test('seed reference prints the counts and a second run changes nothing', async () => {
    const first = await liuyan(['seed', 'reference']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /地区：省级 34（开通留言板 33）、地级 333、县级 \d{4}，共 \d{4}/);
    assert.match(first.stdout, /留言板：共 \d+，新增 \d+，更新 0/);
    const second = await liuyan(['seed', 'reference', '--json']);
    const report = JSON.parse(second.stdout);
    assert.deepEqual([report.regions.inserted, report.boards.inserted, report.units.inserted], [0, 0, 0]);
    assert.deepEqual([report.regions.updated, report.boards.updated, report.units.updated], [0, 0, 0]);
    const boards = await t.db
      .selectFrom('boards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(report.boards.total, Number(boards.n));
  });

  test('import boards applies a good file and rejects a bad one naming the line', async () => {
    const good = join(t.config.dataDir, 'boards.csv');
    writeFileSync(good, 'region_code,post,holder_name\n110000,party,某书记\n');
    const ok = await liuyan(['import', 'boards', good]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /已更新 1 个留言板/);

    const bad = join(t.config.dataDir, 'bad.csv');
    writeFileSync(bad, 'region_code,post,holder_name\n110000,government,某市长\n000000,party,某人\n');
    const failed = await liuyan(['import', 'boards', bad]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /有 1 处错误，未导入任何数据/);
    assert.match(failed.stderr, /第 3 行：地区代码 000000 不存在/);
    const mayor = await t.db
      .selectFrom('boards')
      .select('holder_name')
      .where('id', '=', 1100002)
      .executeTakeFirstOrThrow();
    assert.equal(mayor.holder_name, null);

    const missing = await liuyan(['import', 'units', join(t.config.dataDir, 'nope.csv')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /无法读取文件 .*nope\.csv：ENOENT/);
  });

  test('user create makes the first admin, adds roles with scopes, and explains a bad scope or password', async () => {
    const admin = await liuyan([
      'user',
      'create',
      '--phone',
      '13300000001',
      '--role',
      'admin',
      '--password',
      'First-Admin-2026!',
    ]);
    assert.equal(admin.code, 0, admin.stderr);
    assert.match(admin.stdout, /已为用户 \d+（13300000001）授予角色 admin/);
    const leader = await liuyan(['user', 'create', '--phone', '13300000001', '--role', 'leader', '--board', '1100001']);
    assert.equal(leader.code, 0, leader.stderr);
    const grants = await t.db
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select(['role', 'scope_type', 'scope_id', 'users.password_hash'])
      .where('users.phone', '=', '13300000001')
      .orderBy('role_grants.id')
      .execute();
    assert.deepEqual(
      grants.map((g) => [g.role, g.scope_type, g.scope_id]),
      [
        ['admin', 'global', ''],
        ['leader', 'board', '1100001'],
      ],
    );
    assert.match(grants[0]!.password_hash!, /^\$argon2id\$/);
    const badScope = await liuyan([
      'user',
      'create',
      '--phone',
      '13300000002',
      '--role',
      'unit_staff',
      '--unit',
      '42',
      '--password',
      'Some-Pass-2026!',
    ]);
    assert.equal(badScope.code, 1);
    assert.equal(badScope.stderr.trim(), '办理单位“42”不存在');
    const weak = await liuyan([
      'user',
      'create',
      '--phone',
      '13300000002',
      '--role',
      'editor',
      '--password',
      'password',
    ]);
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /密码太容易被猜到/);
    const noRole = await liuyan(['user', 'create', '--phone', '13300000002']);
    assert.equal(noRole.code, 1);
    assert.match(noRole.stderr, /--role/);
  });

  test('calendar import loads a year past the package and shows it; a bad file names its lines', async () => {
    await liuyan(['migrate', 'up']);
    const { to } = calendarCoverage();
    const year = to + 1;
    const good = join(t.config.dataDir, 'schedule.txt');
    writeFileSync(good, `# ${year}\n${year}-01-01,放假,元旦\n${year}-02-14,上班,春节调休\n`);
    const imported = await liuyan(['calendar', 'import', good]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, new RegExp(`已导入 ${year} 年的放假安排（2 天）`));
    const shown = await liuyan(['calendar', 'show']);
    assert.match(shown.stdout, new RegExp(`${year}-02-14  上班  春节调休`));
    const bad = join(t.config.dataDir, 'bad.txt');
    writeFileSync(bad, `${year}-02-30,放假\n`);
    const refused = await liuyan(['calendar', 'import', bad]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /第 1 行：日期应为 YYYY-MM-DD/);
  });

  test('a malformed variable stops the command with one line naming it', async () => {
    const { code, stderr } = await liuyan(['migrate', 'status'], { ...t.env, PORT: 'eighty' });
    assert.equal(code, 1);
    assert.equal(stderr.trim(), '配置错误：PORT 应为 1–65535 之间的整数，当前值为 "eighty"');
  });
});
