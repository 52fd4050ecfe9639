// Leaders' pages on the demo data: "公开回复的领导" by level with counts from the data, each leader's page with the
// replies they signed and their figures, the board page's holder linked; a change of holder keeps the old holder's
// replies on the old holder's page and the new holder starts empty.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CurrentUser, loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { usersRepository } from '../src/accounts/users.repository.ts';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { importBoards } from '../src/boards/import-boards.ts';
import { seedDemo } from '../src/demo/demo-seed.ts';
import { DEMO_HOLDERS } from '../src/leaders/demo-leaders.ts';
import { approveMessage } from '../src/messages/review.ts';
import { loadSensitiveWords, SensitiveWords } from '../src/messages/sensitive-words.ts';
import { submitMessage } from '../src/messages/submit-message.ts';
import { accept, approveReply, draftReply, signReply } from '../src/workflow/transitions.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const PASSWORD = 'Leaders-Test-Pass-2026!';
const COUNTY_BOARD = 1301232;

let t: TestApp;
let ip = 0;
const get = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: `10.41.0.${++ip % 250}` });
const people: Record<string, CurrentUser> = {};
let store: AttachmentStore;
let sensitiveWords: SensitiveWords;

before(async () => {
  t = await createTestApp();
  store = new AttachmentStore(join(t.config.dataDir, 'attachments'));
  sensitiveWords = new SensitiveWords(loadSensitiveWords(t.config.sensitiveWordsFile));
  await seedDemo(t.db, { secret: t.config.secret, store, sensitiveWords }, { password: PASSWORD });
  for (const [name, phone] of [
    ['editor', '19900000002'],
    ['countyStaff', '19900000011'],
    ['countyHead', '19900000012'],
    ['leader', '19900000031'],
    ['netizen', '19900000101'],
  ] as const) {
    const user = await usersRepository.findByPhone(t.db, phone);
    people[name] = (await loadCurrentUser(t.db, user!.id))!;
  }
});
after(() => t.close());

/** Public replies signed on each board, counted straight from the tables. */
async function signedPerBoard(): Promise<Map<number, number>> {
  const rows = await t.db
    .selectFrom('replies')
    .innerJoin('messages', 'messages.id', 'replies.message_id')
    .select(['messages.board_id', (eb) => eb.fn.countAll().as('n')])
    .where('replies.signer_id', 'is not', null)
    .where('replies.status', '=', 'published')
    .where('messages.visibility', '=', 'public')
    .groupBy('messages.board_id')
    .execute();
  return new Map(rows.map((r) => [r.board_id, Number(r.n)]));
}

async function holderOf(boardId: number, name: string) {
  return t.db
    .selectFrom('board_holders')
    .selectAll()
    .where('board_id', '=', boardId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
}

/** A message to the county board taken through to a reply the county's leader signs. */
async function signedMessage(title: string, visibility: 'public' | 'private' = 'public'): Promise<number> {
  const { id } = await submitMessage(
    { db: t.db, secret: t.config.secret, store, sensitiveWords, authorId: people.netizen!.id, channel: 'web' },
    {
      boardId: COUNTY_BOARD,
      type: 'help',
      domain: 'urban',
      title,
      body: `${title}，已经持续一段时间，影响附近居民出行，希望有关部门尽快处理。`,
      visibility,
    },
  );
  await approveMessage(t.db, people.editor!, id);
  await accept(t.db, people.countyStaff!, id);
  await draftReply(t.db, people.countyStaff!, id, {
    body: '经核实，已安排人员现场处理，问题已经解决。感谢您的监督。',
    resolved: true,
    submit: true,
  });
  await approveReply(t.db, people.countyHead!, id, { sign: true });
  await signReply(t.db, people.leader!, id);
  return id;
}

describe('the leaders’ pages on the demo data', () => {
  test('the demo names a holder for each board a demo leader signs for, and the leaders sign replies', async () => {
    const signed = await signedPerBoard();
    for (const { boardId } of DEMO_HOLDERS) assert.ok((signed.get(boardId) ?? 0) > 0, `signed replies on ${boardId}`);
  });

  test('"公开回复的领导" lists them by level, with counts computed from the data', async () => {
    const signed = await signedPerBoard();
    const page = await get('/leaders');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>公开回复的领导<\/h1>/);
    // 北京 is a provincial-level municipality, 深圳 a city, 正定 a county.
    assert.match(page.body, /已有 1 位省级领导、2 位市县领导在本平台公开回复网民留言/);
    assert.match(page.body, /省级领导（1 位）/);
    assert.match(page.body, /市级领导（1 位）/);
    assert.match(page.body, /县级领导（1 位）/);
    for (const { boardId, name } of DEMO_HOLDERS) {
      const holder = await holderOf(boardId, name);
      const row = new RegExp(
        `<a href="/leaders/${holder.id}"><span>[^<]*</span><span translate="no">${name}</span></a>[\\s\\S]*?<td class="num">${signed.get(boardId)}</td>`,
      );
      assert.match(page.body, row, name);
    }

    const json = (await get('/api/v1/leaders')).json();
    assert.deepEqual(json.counts, { province: 1, city: 1, county: 1 });
    for (const leader of json.leaders) assert.equal(leader.signed, signed.get(leader.boardId));
    const county = (await get('/api/v1/leaders?level=county')).json();
    assert.deepEqual(
      county.leaders.map((l: { name: string }) => l.name),
      ['陈立新（演示）'],
    );
    assert.equal((await get('/api/v1/leaders?level=town')).statusCode, 400);
  });

  test('a leader’s page shows their post, board, term, figures and each reply they signed, linked', async () => {
    const holder = await holderOf(COUNTY_BOARD, '陈立新（演示）');
    const page = await get(`/leaders/${holder.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1><span>正定县县长 <\/span><span translate="no">陈立新（演示）<\/span><\/h1>/);
    assert.match(page.body, new RegExp(`<a href="/boards/${COUNTY_BOARD}">正定县 · 县长</a>`));
    assert.match(
      page.body,
      /<span class="term"><time datetime="[^"]+">[^<]+<\/time><span> 至 <\/span><span>今<\/span><\/span>/,
    );
    const signed = await t.db
      .selectFrom('replies')
      .innerJoin('messages', 'messages.id', 'replies.message_id')
      .select(['messages.id', 'messages.title'])
      .where('messages.board_id', '=', COUNTY_BOARD)
      .where('replies.signer_id', 'is not', null)
      .where('messages.visibility', '=', 'public')
      .execute();
    assert.ok(signed.length >= 4);
    assert.match(page.body, new RegExp(`签发的答复（${signed.length} 条）`));
    for (const m of signed)
      assert.ok(page.body.includes(`<a href="/messages/${m.id}" translate="no">${m.title}</a>`), m.title);
    assert.match(page.body, new RegExp(`<dt>签发答复</dt><dd>${signed.length}</dd>`));
    assert.match(page.body, /<dt>收到留言<\/dt><dd>\d+<\/dd>/);
    assert.match(page.body, /<dt>满意度<\/dt><dd>(样本不足|[\d.]+%)<\/dd>/);

    const json = (await get(`/api/v1/leaders/${holder.id}`)).json();
    assert.equal(json.total, signed.length);
    assert.equal(json.leader.level, 'county');
    assert.equal(typeof json.figures.values.received, 'number');
    assert.equal(json.replies[0].url, `/messages/${json.replies[0].messageId}`);
    const times = json.replies.map((r: { signedAt: string }) => r.signedAt);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');

    assert.equal((await get('/leaders/999999')).statusCode, 404);
    assert.equal((await get('/leaders/abc')).statusCode, 404);
    assert.equal((await get('/api/v1/leaders/999999')).statusCode, 404);
  });

  test('a page past the last is not found, rather than contradicting the counts above it', async () => {
    const holder = await holderOf(COUNTY_BOARD, '陈立新（演示）');
    const beyond = await get(`/leaders/${holder.id}?page=999`);
    assert.equal(beyond.statusCode, 404);
    assert.doesNotMatch(beyond.body, /任期内还没有签发公开答复/);
    assert.equal((await get('/leaders?level=county')).statusCode, 200);
    assert.equal((await get('/leaders?level=county&page=999')).statusCode, 404);
    // Without a level every level shows its first few: the page number changes nothing there.
    assert.equal((await get('/leaders?page=2')).statusCode, 200);
  });

  test('the board page names its holder, linked to their page, instead of "待公布"', async () => {
    const holder = await holderOf(COUNTY_BOARD, '陈立新（演示）');
    const board = await get(`/boards/${COUNTY_BOARD}`);
    assert.match(
      board.body,
      new RegExp(`<dt>现任</dt><dd><a href="/leaders/${holder.id}" translate="no">陈立新（演示）</a></dd>`),
    );
    const other = await get('/boards/1301231');
    assert.match(other.body, /<dt>现任<\/dt><dd>待公布<\/dd>/);
  });
});

describe('a change of holder', () => {
  test('keeps the old holder’s replies on the old holder’s page; the new holder starts empty', async () => {
    const old = await holderOf(COUNTY_BOARD, '陈立新（演示）');
    const oldPage = await get(`/leaders/${old.id}`);
    const oldCount = Number(/签发的答复（(\d+) 条）/.exec(oldPage.body)![1]);

    const outcome = await importBoards(t.db, `board_id,holder_name\n${COUNTY_BOARD},赵晓东（演示）\n`);
    assert.deepEqual(outcome, { ok: true, updated: 1, unchanged: 0 });
    const closed = await holderOf(COUNTY_BOARD, '陈立新（演示）');
    assert.ok(closed.until, 'the old term is closed');
    const fresh = await holderOf(COUNTY_BOARD, '赵晓东（演示）');
    assert.equal(fresh.since, closed.until, 'the new term starts where the old one ended');
    assert.equal(fresh.until, null);
    const board = await t.db
      .selectFrom('boards')
      .select('holder_name')
      .where('id', '=', COUNTY_BOARD)
      .executeTakeFirstOrThrow();
    assert.equal(board.holder_name, '赵晓东（演示）');

    const newPage = await get(`/leaders/${fresh.id}`);
    assert.match(newPage.body, /签发的答复（0 条）/);
    assert.match(newPage.body, /任期内还没有签发公开答复/);
    const stillOld = await get(`/leaders/${old.id}`);
    assert.match(stillOld.body, new RegExp(`签发的答复（${oldCount} 条）`));
    assert.match(stillOld.body, /该领导已离任/);

    // The leader account signs again: the reply is the new holder's, and the old page does not move.
    const id = await signedMessage('正定镇一处路口信号灯损坏');
    const reply = await t.db
      .selectFrom('replies')
      .select('signer_name')
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(reply.signer_name, '县长 赵晓东（演示）');
    assert.match((await get(`/leaders/${fresh.id}`)).body, /签发的答复（1 条）/);
    assert.ok(
      (await get(`/leaders/${fresh.id}`)).body.includes(
        `<a href="/messages/${id}" translate="no">正定镇一处路口信号灯损坏</a>`,
      ),
    );
    assert.match((await get(`/leaders/${old.id}`)).body, new RegExp(`签发的答复（${oldCount} 条）`));

    // A reply signed on a private message is not a public reply.
    await signedMessage('个人住房公积金提取问题', 'private');
    assert.match((await get(`/leaders/${fresh.id}`)).body, /签发的答复（1 条）/);

    // Both appear on the list: the county level now has two leaders.
    const list = await get('/leaders');
    assert.match(list.body, /县级领导（2 位）/);
    assert.match(list.body, /已有 1 位省级领导、3 位市县领导/);

    // The board page links the new holder and names the old one among the former holders.
    const boardPage = await get(`/boards/${COUNTY_BOARD}`);
    assert.match(boardPage.body, new RegExp(`<a href="/leaders/${fresh.id}" translate="no">赵晓东（演示）</a>`));
    assert.match(
      boardPage.body,
      new RegExp(`<dt>历任</dt><dd><a href="/leaders/${old.id}" translate="no">陈立新（演示）</a>`),
    );
    // Each page lists the board's holders.
    assert.match(
      stillOld.body,
      new RegExp(`<a href="/leaders/${fresh.id}"><span>县长 </span><span translate="no">赵晓东（演示）</span></a>`),
    );
  });

  test('clearing the name ends the term and the board says "待公布" again; an unchanged name opens nothing', async () => {
    const same = await importBoards(t.db, `board_id,holder_name\n${COUNTY_BOARD},赵晓东（演示）\n`);
    assert.deepEqual(same, { ok: true, updated: 0, unchanged: 1 });
    const terms = await t.db.selectFrom('board_holders').select('id').where('board_id', '=', COUNTY_BOARD).execute();
    assert.equal(terms.length, 2);

    await importBoards(t.db, `board_id,holder_name\n${COUNTY_BOARD},\n`);
    const open = await t.db
      .selectFrom('board_holders')
      .select('id')
      .where('board_id', '=', COUNTY_BOARD)
      .where('until', 'is', null)
      .execute();
    assert.equal(open.length, 0);
    const board = await get(`/boards/${COUNTY_BOARD}`);
    assert.match(board.body, /<dt>现任<\/dt><dd>待公布<\/dd>/);
    assert.match(board.body, /<dt>历任<\/dt>/);
  });

  test('the sitemap lists the leaders who replied', async () => {
    const old = await holderOf(COUNTY_BOARD, '陈立新（演示）');
    assert.match((await get('/sitemap.xml')).body, new RegExp(`<loc>[^<]*/leaders/${old.id}</loc>`));
  });
});
