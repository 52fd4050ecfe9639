import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { verifyAllChains } from '../src/audit/case-events.ts';
import { approveMessage } from '../src/messages/review.ts';
import { submitMessage } from '../src/messages/submit-message.ts';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { SensitiveWords } from '../src/messages/sensitive-words.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const run = promisify(execFile);
const BIN = new URL('../bin/liuyan.js', import.meta.url).pathname;

let t: TestDatabase;
const ids: number[] = [];

async function verifyCli() {
  try {
    const { stdout } = await run(process.execPath, [BIN, 'audit', 'verify'], {
      env: { PATH: process.env.PATH, ...t.env },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

before(async () => {
  t = await createTestDatabase();
  const authorId = await createStaff(t.db, COMMAND_LINE, {
    phone: '13000000001',
    nickname: '留言人',
    password: 'Audit-Pass-2026!',
    role: 'editor',
  });
  const editor = (await loadCurrentUser(t.db, authorId))!;
  const ctx = {
    db: t.db,
    secret: t.config.secret,
    store: new AttachmentStore(`${t.config.dataDir}/attachments`),
    sensitiveWords: new SensitiveWords([]),
    authorId,
    channel: 'api' as const,
  };
  for (let i = 0; i < 3; i++) {
    const { id } = await submitMessage(ctx, {
      boardId: 1100001,
      type: 'suggest',
      domain: 'transport',
      title: `建议增设公交线路 ${i}`,
      body: '建议在新建小区与地铁站之间增设一条接驳公交线路，方便居民早晚通勤出行。',
    });
    await approveMessage(t.db, editor, id);
    ids.push(id);
  }
});
after(() => t.close());

describe('liuyan audit verify', () => {
  test('passes on intact chains', async () => {
    const { code, out } = await verifyCli();
    assert.equal(code, 0, out);
    assert.match(out, /办理记录完好：已校验 3 条留言的 6 条记录/);
  });

  test('names the first event whose content was altered', async () => {
    const target = await t.db
      .selectFrom('case_events')
      .select(['id', 'note'])
      .where('message_id', '=', ids[1]!)
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    await t.db.updateTable('case_events').set({ note: '事后补写' }).where('id', '=', target.id).execute();
    const { code, out } = await verifyCli();
    assert.equal(code, 1);
    assert.match(out, new RegExp(`留言 ${ids[1]} 的第 2 条记录（记录编号 ${target.id}）：内容与哈希不符`));
    await t.db.updateTable('case_events').set({ note: target.note }).where('id', '=', target.id).execute();
    assert.equal((await verifyAllChains(t.db)).broken, null, 'restoring the text restores the chain');
  });

  test('finds a removed event, an inserted one and a status changed behind the history’s back', async () => {
    const first = await t.db
      .selectFrom('case_events')
      .selectAll()
      .where('message_id', '=', ids[0]!)
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    await t.db.deleteFrom('case_events').where('id', '=', first.id).execute();
    let broken = (await verifyAllChains(t.db)).broken;
    assert.equal(broken?.messageId, ids[0]);
    assert.match(broken!.reason, /序号应为 1/);
    await t.db
      .insertInto('case_events')
      .values({ ...first, id: undefined } as never)
      .execute();

    await sql`update case_events set seq = seq + 1 where message_id = ${ids[2]!} and seq = 2`.execute(t.db);
    broken = (await verifyAllChains(t.db)).broken;
    assert.equal(broken?.messageId, ids[2]);
    await sql`update case_events set seq = seq - 1 where message_id = ${ids[2]!} and seq = 3`.execute(t.db);

    await t.db.updateTable('messages').set({ status: 'closed' }).where('id', '=', ids[2]!).execute();
    broken = (await verifyAllChains(t.db)).broken;
    assert.match(broken!.reason, /状态被绕过记录修改/);
    const { code } = await verifyCli();
    assert.equal(code, 1);
  });
});
