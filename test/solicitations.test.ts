// Public solicitations (征集): phases from Beijing dates, entries moderated like messages, votes within the allowance
// and once per entry (also when they race), suspicious voting flagged and voided, winners announced, the API, the
// demo's 2009 slogan solicitation, and who may reach the editors' routes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { chinaDate } from '../src/deadlines/working-days.ts';
import { DEMO_SOLICITATION_TITLE, seedSolicitationDemo, WINNING_SLOGAN } from '../src/solicitations/demo.ts';
import { dayStart, scheduleFromDates, standingAt } from '../src/solicitations/phases.ts';
import { BURST_VOTES } from '../src/solicitations/votes.service.ts';
import { createTestApp, People, type Person, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { unmarked } from './user-content.ts';

let t: TestApp;
let app: FastifyInstance;
const PASSWORD = 'Zhengji-Mima-2026!';

let ip = 0;
const nextIp = () => `10.41.${Math.floor(++ip / 200)}.${ip % 200}`;
let accounts: People;

const api = (
  who: Person | null,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: object,
  remoteAddress = nextIp(),
) =>
  app.inject({
    method,
    url,
    remoteAddress,
    ...(body ? { payload: body } : {}),
    headers: who ? { authorization: `Bearer ${who.token}` } : {},
  });

const loginAs = (person: Person) => new WebClient(app, nextIp()).signIn(person.phone, PASSWORD);

/** A Beijing calendar day, `offset` days from today. */
const day = (offset: number) => chinaDate(new Date(Date.now() + offset * 24 * 3600_000));

/** Dates with entries open today; each later phase follows. */
function datesFromToday() {
  return {
    entriesStart: day(0),
    entriesEnd: day(2),
    reviewStart: day(3),
    reviewEnd: day(4),
    votingStart: day(5),
    votingEnd: day(6),
    resultsStart: day(7),
    resultsEnd: day(30),
  };
}

let editor: Person;
let clerk: Person;

before(async () => {
  t = await createTestApp();
  accounts = new People(t.db, PASSWORD, '1370000');
  app = t.app;
  editor = await accounts.staff('征集编辑', 'editor');
  clerk = await accounts.staff('正定办理员', 'unit_staff', { scopeType: 'unit', scopeId: '130123001' });
});
after(() => t.close());

async function createSolicitation(overrides: Record<string, unknown> = {}): Promise<number> {
  const res = await api(editor, 'POST', '/api/v1/solicitations', {
    title: '我心中的留言板口号',
    rules: '为留言板征集一句口号：简洁上口，体现网民留言、领导回复的特点。每人可投稿一件。',
    entriesPerUser: 1,
    votesPerUser: 2,
    ...datesFromToday(),
    ...overrides,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

async function submit(who: Person, id: number, title: string, body = ''): Promise<number> {
  const res = await api(who, 'POST', `/api/v1/solicitations/${id}/entries`, { title, body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

async function editorAct(url: string, body?: object) {
  const res = await api(editor, 'POST', url, body ?? {});
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return res.json();
}

/** A solicitation in its voting phase with these approved entries (one author each). */
async function votingWith(titles: string[], overrides: Record<string, unknown> = {}) {
  const id = await createSolicitation(overrides);
  const entries: number[] = [];
  for (const [i, title] of titles.entries()) {
    const author = await accounts.netizen(`作者${ip}${i}`);
    const entryId = await submit(author, id, title);
    await editorAct(`/api/v1/solicitations/${id}/entries/${entryId}/approve`);
    entries.push(entryId);
  }
  await editorAct(`/api/v1/solicitations/${id}/advance`); // entries → review
  const voting = await editorAct(`/api/v1/solicitations/${id}/advance`); // review → voting
  assert.equal(voting.stage, 'voting');
  assert.equal(voting.running, true);
  return { id, entries };
}

const logged = (action: string) =>
  t.db.selectFrom('admin_log').selectAll().where('action', '=', action).orderBy('id').execute();

describe('phases follow the dates, in Beijing time', () => {
  test('a day starts at midnight in Beijing and a phase includes its last day', () => {
    assert.equal(dayStart('2026-03-01')!.toISOString(), '2026-02-28T16:00:00.000Z');
    assert.equal(dayStart('2026-02-30'), null, 'not a real date');
    assert.equal(dayStart('2026-3-1'), null);
    const { schedule, problems } = scheduleFromDates({
      entriesStart: '2026-03-01',
      entriesEnd: '2026-03-10',
      reviewStart: '2026-03-11',
      reviewEnd: '2026-03-12',
      votingStart: '2026-03-13',
      votingEnd: '2026-03-20',
      resultsStart: '2026-03-21',
      resultsEnd: '2026-04-30',
    });
    assert.deepEqual(problems, []);
    assert.equal(schedule!.entries.endAt, '2026-03-10T16:00:00.000Z', 'to midnight after the last day');
    const at = (iso: string) => standingAt(schedule!, new Date(iso));
    assert.deepEqual(at('2026-02-28T15:59:59Z'), { stage: 'upcoming', running: false });
    assert.deepEqual(at('2026-02-28T16:00:00Z'), { stage: 'entries', running: true });
    assert.deepEqual(at('2026-03-10T15:59:59Z'), { stage: 'entries', running: true }, '23:59 on the last day');
    assert.deepEqual(at('2026-03-10T16:00:00Z'), { stage: 'review', running: true });
    assert.deepEqual(at('2026-03-15T00:00:00Z'), { stage: 'voting', running: true });
    assert.deepEqual(at('2026-04-01T00:00:00Z'), { stage: 'results', running: true });
    assert.deepEqual(at('2026-04-30T16:00:00Z'), { stage: 'closed', running: false });
  });

  test('dates out of order, overlapping or missing are refused, each on its field', () => {
    const { schedule, problems } = scheduleFromDates({
      entriesStart: '2026-03-10',
      entriesEnd: '2026-03-01',
      reviewStart: '2026-03-05',
      reviewEnd: '2026-03-12',
      votingStart: 'tomorrow',
      votingEnd: '2026-03-20',
      resultsStart: '2026-03-21',
    });
    assert.equal(schedule, null);
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.code]));
    assert.deepEqual(byField, {
      entriesEnd: 'PHASE_END_BEFORE_START',
      votingStart: 'PHASE_DATE_INVALID',
      resultsEnd: 'PHASE_DATE_INVALID',
    });
    const overlap = scheduleFromDates({
      entriesStart: '2026-03-01',
      entriesEnd: '2026-03-10',
      reviewStart: '2026-03-10',
      reviewEnd: '2026-03-12',
      votingStart: '2026-03-13',
      votingEnd: '2026-03-20',
      resultsStart: '2026-03-21',
      resultsEnd: '2026-03-22',
    });
    assert.deepEqual(
      overlap.problems.map((p) => [p.field, p.code]),
      [['reviewStart', 'PHASE_OVERLAP']],
    );
  });

  test('the API refuses a solicitation with bad dates and says which, in Chinese', async () => {
    const res = await api(editor, 'POST', '/api/v1/solicitations', {
      title: '口号征集',
      rules: '规则说明规则说明规则说明',
      entriesPerUser: 0,
      votesPerUser: 3,
      ...datesFromToday(),
      reviewStart: day(1),
    });
    assert.equal(res.statusCode, 400);
    const error = res.json().error;
    assert.equal(error.code, 'FORM_INVALID');
    const fields = Object.fromEntries(
      (error.fields as { field: string; code: string; message: string }[]).map((f) => [f.field, f]),
    );
    assert.equal(fields.entriesPerUser!.code, 'ALLOWANCE_INVALID');
    assert.equal(fields.reviewStart!.code, 'PHASE_OVERLAP');
    assert.match(fields.reviewStart!.message, /“作品评审”须在“作品征集”结束之后开始/);
  });
});

describe('a solicitation runs through every phase', () => {
  test('entries, review with reasons, voting within the allowance, results and winners', async () => {
    const id = await createSolicitation();
    const ana = await accounts.netizen('安娜');
    const bo = await accounts.netizen('阿博');
    const cai = await accounts.netizen('小蔡');
    const dong = await accounts.netizen('老董');

    // Entries: one per account; personal data in the text is masked and flagged to the editor.
    const anaEntry = await submit(ana, id, '民有所呼，我有所应', '留言板让网友的呼声得到回应。');
    const again = await api(ana, 'POST', `/api/v1/solicitations/${id}/entries`, { title: '第二件作品' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'ENTRY_LIMIT');
    assert.equal((await api(null, 'POST', `/api/v1/solicitations/${id}/entries`, { title: '匿名' })).statusCode, 401);
    const short = await api(bo, 'POST', `/api/v1/solicitations/${id}/entries`, { title: '好' });
    assert.equal(short.statusCode, 400);
    assert.equal(short.json().error.fields[0].code, 'ENTRY_TITLE_LENGTH');

    const boWeb = await loginAs(bo);
    await boWeb.get(`/solicitations/${id}`);
    const sent = await boWeb.post(`/solicitations/${id}/entries`, {
      title: '一板连民心',
      body: '有事请打 13812345678 联系我',
      anonymous: '1',
    });
    assert.equal(sent.statusCode, 303, sent.body);
    const boEntry = (await t.db
      .selectFrom('solicitation_entries')
      .selectAll()
      .where('author_id', '=', bo.id)
      .executeTakeFirstOrThrow())!;
    assert.equal(boEntry.body, '有事请打 138****5678 联系我');
    assert.deepEqual(JSON.parse(boEntry.flags).personalData, ['phone']);
    assert.equal(boEntry.credit, 'tag');

    // Nothing is public before review.
    let detail = (await api(null, 'GET', `/api/v1/solicitations/${id}`)).json();
    assert.equal(detail.stage, 'entries');
    assert.deepEqual(detail.entries, []);

    // Review: refused with a reason the author sees; the refused entry frees the author's place.
    const refused = await api(editor, 'POST', `/api/v1/solicitations/${id}/entries/${boEntry.id}/refuse`, {
      reason: '内容含有个人联系方式，请修改后重新投稿。',
    });
    assert.equal(refused.statusCode, 200, refused.body);
    const noReason = await api(editor, 'POST', `/api/v1/solicitations/${id}/entries/${anaEntry}/refuse`, {});
    assert.equal(noReason.json().error.code, 'REFUSE_REASON_LENGTH');
    const mine = (await api(bo, 'GET', '/api/v1/me/solicitation-entries')).json().entries;
    assert.equal(mine[0].status, 'refused');
    assert.equal(mine[0].refuseReason, '内容含有个人联系方式，请修改后重新投稿。');
    const page = await boWeb.get(`/solicitations/${id}`);
    assert.match(page.body, /我的征集作品/);
    assert.match(unmarked(page.body), /未采用的理由：内容含有个人联系方式，请修改后重新投稿。/);
    assert.match((await boWeb.get('/my/solicitations')).body, /一板连民心/);
    const boSecondRes = await api(bo, 'POST', `/api/v1/solicitations/${id}/entries`, {
      title: '一板连民心，一帖见真情',
      anonymous: true,
    });
    assert.equal(boSecondRes.statusCode, 201, boSecondRes.body);
    const boSecond = boSecondRes.json().id as number;
    await editorAct(`/api/v1/solicitations/${id}/entries/${anaEntry}/approve`);
    await editorAct(`/api/v1/solicitations/${id}/entries/${boSecond}/approve`);
    const twice = await api(editor, 'POST', `/api/v1/solicitations/${id}/entries/${anaEntry}/approve`, {});
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, 'ENTRY_STATUS');
    const caiEntry = await submit(cai, id, '网民心声直通车');
    await editorAct(`/api/v1/solicitations/${id}/entries/${caiEntry}/approve`);
    const notices = await t.db.selectFrom('notifications').select('text').where('user_id', '=', bo.id).execute();
    assert.ok(notices.some((n) => n.text.includes('未被采用：内容含有个人联系方式')));

    // The editor closes entries early: review. No more entries, no votes yet.
    detail = await editorAct(`/api/v1/solicitations/${id}/advance`);
    assert.equal(detail.stage, 'review');
    const late = await api(dong, 'POST', `/api/v1/solicitations/${id}/entries`, { title: '迟到的作品' });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'ENTRIES_CLOSED');
    const early = await api(dong, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: anaEntry });
    assert.equal(early.json().error.code, 'VOTING_CLOSED');

    // Voting: within the allowance, once per entry, never for one's own entry.
    detail = await editorAct(`/api/v1/solicitations/${id}/advance`);
    assert.equal(detail.stage, 'voting');
    assert.equal(detail.entries.length, 3, 'approved entries only');
    assert.ok(
      detail.entries.every((e: { votes: number | null }) => e.votes === null),
      'no counts while voting runs',
    );
    const first = await api(dong, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: anaEntry });
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual({ used: first.json().votesUsed, left: first.json().votesLeft }, { used: 1, left: 1 });
    const second = await api(dong, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: anaEntry });
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().error.code, 'ALREADY_VOTED');
    assert.match(second.json().error.message, /已经给这件作品投过票/);
    const own = await api(ana, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: anaEntry });
    assert.equal(own.json().error.code, 'OWN_ENTRY_VOTE');
    const refusedOne = await api(dong, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: boEntry.id });
    assert.equal(refusedOne.statusCode, 404, 'a refused entry cannot be voted for');
    assert.equal((await api(dong, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: caiEntry })).statusCode, 201);
    const over = await api(dong, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: boSecond });
    assert.equal(over.statusCode, 409);
    assert.equal(over.json().error.code, 'VOTE_ALLOWANCE_USED');
    assert.equal((await api(null, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: caiEntry })).statusCode, 401);

    // On the page: the vote button, then "voted"; a second vote on the same entry is told why, never a 500.
    const anaWeb = await loginAs(ana);
    let voting = await anaWeb.get(`/solicitations/${id}`);
    assert.match(voting.body, /您还有 2 票（共 2 票）/);
    assert.match(voting.body, new RegExp(`name="entryId" value="${caiEntry}"`));
    assert.doesNotMatch(
      voting.body,
      new RegExp(`name="entryId" value="${anaEntry}"`),
      'no vote button on one’s own entry',
    );
    assert.match(voting.body, /我的作品/);
    const voted = await anaWeb.post(`/solicitations/${id}/vote`, { entryId: String(caiEntry) });
    assert.equal(voted.statusCode, 303);
    voting = await anaWeb.get(`/solicitations/${id}?done=voted`);
    assert.match(voting.body, /投票成功/);
    const repeat = await anaWeb.post(`/solicitations/${id}/vote`, { entryId: String(caiEntry) });
    assert.equal(repeat.statusCode, 409);
    assert.match(repeat.body, /您已经给这件作品投过票了/);
    const anonymousPage = await app.inject({ url: `/solicitations/${id}`, remoteAddress: nextIp() });
    assert.match(anonymousPage.body, /登录后投票/);

    // Results only once voting has ended.
    const tooEarly = await api(editor, 'POST', `/api/v1/solicitations/${id}/announce`, {
      winners: [{ entryId: anaEntry, rank: 1 }],
    });
    assert.equal(tooEarly.statusCode, 409);
    assert.equal(tooEarly.json().error.code, 'ANNOUNCE_TOO_EARLY');
    detail = await editorAct(`/api/v1/solicitations/${id}/advance`);
    assert.equal(detail.stage, 'results');
    assert.equal((await api(cai, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: anaEntry })).statusCode, 409);
    const counted = Object.fromEntries(detail.entries.map((e: { id: number; votes: number }) => [e.id, e.votes]));
    assert.deepEqual(counted, { [anaEntry]: 1, [caiEntry]: 2, [boSecond]: 0 });
    const wrong = await api(editor, 'POST', `/api/v1/solicitations/${id}/announce`, {
      winners: [{ entryId: boEntry.id, rank: 1 }],
    });
    assert.equal(wrong.json().error.code, 'WINNERS_INVALID', 'a refused entry cannot win');

    // The editor announces through the desk page; the public page shows the winners first.
    const editorWeb = await loginAs(editor);
    await editorWeb.get(`/editor/solicitations/${id}`);
    const announced = await editorWeb.post(`/editor/solicitations/${id}/announce`, {
      [`rank_${anaEntry}`]: '1',
      [`prize_${anaEntry}`]: '一等奖',
      [`rank_${caiEntry}`]: '2',
      [`prize_${caiEntry}`]: '二等奖',
      note: '感谢网友参与。',
    });
    assert.equal(announced.statusCode, 303, announced.body);
    detail = (await api(null, 'GET', `/api/v1/solicitations/${id}`)).json();
    assert.deepEqual(
      detail.winners.map((w: { id: number; rank: number; prize: string }) => [w.id, w.rank, w.prize]),
      [
        [anaEntry, 1, '一等奖'],
        [caiEntry, 2, '二等奖'],
      ],
    );
    assert.deepEqual(
      detail.entries.map((e: { id: number }) => e.id),
      [anaEntry, caiEntry, boSecond],
      'winners first',
    );
    assert.equal(detail.announcement, '感谢网友参与。');
    const publicPage = unmarked((await app.inject({ url: `/solicitations/${id}`, remoteAddress: nextIp() })).body);
    const results = publicPage.indexOf('评选结果');
    assert.ok(results > 0 && results < publicPage.indexOf('参选作品'), 'results come first');
    assert.ok(publicPage.indexOf('民有所呼，我有所应') < publicPage.indexOf('网民心声直通车'));
    assert.match(publicPage, /第 1 名 · 一等奖/);
    assert.match(publicPage, /作者：安娜/);
    assert.match(publicPage, /作者：网友[0-9a-f]{6}/, 'an anonymous author is credited by a tag');
    const changeAfter = await api(editor, 'POST', `/api/v1/solicitations/${id}/entries/${boSecond}/refuse`, {
      reason: '公布后不能再改',
    });
    assert.equal(changeAfter.json().error.code, 'RESULTS_LOCKED');

    detail = await editorAct(`/api/v1/solicitations/${id}/advance`);
    assert.equal(detail.stage, 'closed');
    const nothing = await api(editor, 'POST', `/api/v1/solicitations/${id}/advance`, {});
    assert.equal(nothing.statusCode, 409);
    assert.equal(nothing.json().error.code, 'NOTHING_TO_ADVANCE');

    // Every editorial change is in the admin log, by the editor.
    for (const action of [
      'solicitation.create',
      'solicitation.entry.approve',
      'solicitation.entry.refuse',
      'solicitation.advance',
      'solicitation.announce',
    ]) {
      const rows = (await logged(action)).filter((r) => JSON.parse(r.detail).solicitationId === id);
      assert.ok(rows.length > 0, action);
      assert.ok(
        rows.every((r) => r.actor_id === editor.id),
        action,
      );
    }
    const refusal = (await logged('solicitation.entry.refuse')).find(
      (r) => JSON.parse(r.detail).entryId === boEntry.id,
    )!;
    assert.equal(refusal.target_user_id, bo.id);
    const admin = await accounts.staff('系统管理员', 'admin');
    const logPage = await (await loginAs(admin)).get('/admin/log?action=solicitation.');
    assert.equal(logPage.statusCode, 200);
    assert.match(
      unmarked(logPage.body),
      /征集编辑 不予采用 阿博 的征集作品“一板连民心”（征集 \d+ 号），理由：内容含有个人联系方式/,
    );
    assert.match(unmarked(logPage.body), /征集编辑 公布了征集“我心中的留言板口号”的评选结果（2 件获奖作品）/);
  });

  test('the phase follows the dates: the editor moves them and the solicitation moves with them', async () => {
    const id = await createSolicitation({
      entriesStart: day(1),
      entriesEnd: day(2),
      reviewStart: day(3),
      reviewEnd: day(3),
      votingStart: day(4),
      votingEnd: day(5),
      resultsStart: day(6),
      resultsEnd: day(9),
    });
    const before = (await api(null, 'GET', `/api/v1/solicitations/${id}`)).json();
    assert.equal(before.stage, 'upcoming');
    assert.equal(before.phases[0].start, day(1));
    const past = {
      title: '我心中的留言板口号',
      rules: '为留言板征集一句口号：简洁上口，体现网民留言、领导回复的特点。每人可投稿一件。',
      entriesPerUser: 1,
      votesPerUser: 2,
      entriesStart: day(-9),
      entriesEnd: day(-7),
      reviewStart: day(-6),
      reviewEnd: day(-1),
      votingStart: day(0),
      votingEnd: day(0),
      resultsStart: day(1),
      resultsEnd: day(3),
    };
    const moved = await api(editor, 'PUT', `/api/v1/solicitations/${id}`, past);
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().stage, 'voting');
    assert.equal(moved.json().running, true, 'votes are taken until midnight tonight, Beijing time');
    const over = await api(editor, 'PUT', `/api/v1/solicitations/${id}`, {
      ...past,
      votingEnd: day(-1),
      votingStart: day(-1),
      reviewEnd: day(-2),
    });
    assert.equal(over.json().stage, 'voting');
    assert.equal(over.json().running, false, 'voting has ended; the results phase starts tomorrow');
    const edits = (await logged('solicitation.edit')).filter((r) => JSON.parse(r.detail).solicitationId === id);
    assert.equal(edits.length, 2);
    assert.ok(JSON.parse(edits[0]!.detail).changed.includes('votingStart'));
  });

  test('a phase the editor ended early stays ended when the settings are saved again', async () => {
    const id = await createSolicitation();
    const editorWeb = await loginAs(editor);
    await editorWeb.get(`/editor/solicitations/${id}`);
    assert.equal((await editorWeb.post(`/editor/solicitations/${id}/advance`, {})).statusCode, 303);
    const desk = await editorWeb.get(`/editor/solicitations/${id}?done=advanced`);
    assert.match(desk.body, /已进入下一阶段/);
    const saved = await editorWeb.post(`/editor/solicitations/${id}`, {
      title: '我心中的留言板口号（修订）',
      rules: '为留言板征集一句口号：简洁上口，体现网民留言、领导回复的特点。每人可投稿一件。',
      entriesPerUser: '1',
      votesPerUser: '2',
      ...datesFromToday(),
      entriesEnd: day(0),
      reviewStart: day(0),
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const detail = (await api(null, 'GET', `/api/v1/solicitations/${id}`)).json();
    assert.equal(detail.title, '我心中的留言板口号（修订）');
    assert.equal(detail.stage, 'review', 'entries stay closed');
    const bad = await editorWeb.post(`/editor/solicitations/${id}`, {
      title: '口',
      rules: '太短',
      entriesPerUser: '1',
      votesPerUser: '2',
      ...datesFromToday(),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /征集名称应为 4–60 个字/);
    assert.match(bad.body, /征集规则应为 10–5000 个字/);
  });
});

describe('votes within the allowance, even when they race', () => {
  test('concurrent votes by one account never exceed its allowance, nor vote twice for one entry', async () => {
    const { id, entries } = await votingWith(['甲口号作品', '乙口号作品', '丙口号作品', '丁口号作品', '戊口号作品']);
    const voter = await accounts.netizen('抢票的网友');
    const results = await Promise.all(
      entries.map((entryId) => api(voter, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [201, 201, 409, 409, 409], results.map((r) => r.body).join('\n'));
    for (const r of results.filter((r) => r.statusCode === 409))
      assert.equal(r.json().error.code, 'VOTE_ALLOWANCE_USED');
    const same = await Promise.all(
      [1, 2, 3, 4].map(() => api(voter, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[0] })),
    );
    assert.ok(same.every((r) => r.statusCode === 409 && r.statusCode < 500));
    const stored = await t.db
      .selectFrom('solicitation_votes')
      .select('entry_id')
      .where('user_id', '=', voter.id)
      .execute();
    assert.equal(stored.length, 2);
    const participant = await t.db
      .selectFrom('solicitation_participants')
      .select('votes_used')
      .where('user_id', '=', voter.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(participant.votes_used), 2);
    const exported = (await api(voter, 'GET', '/api/v1/me/export')).json();
    assert.equal(exported.solicitations.votes.length, 2, 'votes are in the account’s data export');

    // Many voters at once, each once on the same entry: every vote counted exactly once.
    const crowd = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => accounts.netizen(`围观网友${n}`)));
    const all = await Promise.all(
      crowd.flatMap((p) => [
        api(p, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[4] }),
        api(p, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[4] }),
      ]),
    );
    assert.equal(all.filter((r) => r.statusCode === 201).length, 6);
    assert.equal(all.filter((r) => r.statusCode === 409).length, 6);
  });
});

describe('suspicious voting is flagged to the editor', () => {
  test('a burst from one network and new accounts are flagged; the editor voids them, logged', async () => {
    const { id, entries } = await votingWith(['一号口号', '二号口号', '三号口号', '四号口号'], { votesPerUser: 3 });
    const network = '198.18.7.7';
    const seasoned = await Promise.all(
      [1, 2, 3, 4].map((n) => accounts.netizen(`老网友${n}`, '2020-01-01T00:00:00.000Z')),
    );
    let cast = 0;
    for (const voter of seasoned)
      for (const entryId of entries.slice(0, 3)) {
        const res = await api(voter, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId }, network);
        assert.equal(res.statusCode, 201, res.body);
        cast++;
      }
    assert.ok(cast > BURST_VOTES);
    const fresh = await accounts.netizen('刚注册的网友');
    assert.equal(
      (await api(fresh, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[3] })).statusCode,
      201,
    );
    const calm = await accounts.netizen('平常的网友', '2021-05-01T00:00:00.000Z');
    assert.equal(
      (await api(calm, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[3] })).statusCode,
      201,
    );

    const desk = await api(editor, 'GET', `/api/v1/solicitations/${id}/desk`);
    assert.equal(desk.statusCode, 200, desk.body);
    const { flagged, entries: rows } = desk.json() as {
      flagged: { id: number; voterId: number; burst: boolean; newAccount: boolean; network: string | null }[];
      entries: { id: number; validVotes: number; flaggedVotes: number }[];
    };
    const bursts = flagged.filter((v) => v.burst);
    assert.equal(bursts.length, cast, 'every vote of the burst is flagged');
    assert.equal(new Set(bursts.map((v) => v.network)).size, 1, 'one network, shown by its digest');
    assert.ok(!bursts[0]!.network!.includes('198.18'), 'the address itself is never kept');
    assert.deepEqual(
      flagged.filter((v) => v.newAccount).map((v) => v.voterId),
      [fresh.id],
    );
    assert.ok(!flagged.some((v) => v.voterId === calm.id));
    const first = rows.find((r) => r.id === entries[0])!;
    assert.deepEqual([first.validVotes, first.flaggedVotes], [4, 4]);
    const stored = await t.db
      .selectFrom('solicitation_votes')
      .select('client_key')
      .where('solicitation_id', '=', id)
      .execute();
    assert.ok(stored.every((v) => v.client_key === null || /^[0-9a-f]{32}$/.test(v.client_key)));

    // The editor sees them on the desk page and voids the burst with a reason.
    const editorWeb = await loginAs(editor);
    const page = await editorWeb.get(`/editor/solicitations/${id}`);
    assert.match(page.body, /同一网络集中投票/);
    assert.match(page.body, /新注册账号/);
    const calmVote = await t.db
      .selectFrom('solicitation_votes')
      .select('id')
      .where('user_id', '=', calm.id)
      .executeTakeFirstOrThrow();
    const notFlagged = await api(editor, 'POST', `/api/v1/solicitations/${id}/votes/void`, {
      voteIds: [calmVote.id],
      reason: '试图作废正常投票',
    });
    assert.equal(notFlagged.statusCode, 400);
    assert.equal(notFlagged.json().error.code, 'VOID_INVALID');
    const noReason = await editorWeb.post(`/editor/solicitations/${id}/votes/void`, { voteIds: String(bursts[0]!.id) });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /请写明作废这些投票的理由/);
    const payload = new URLSearchParams({
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
      reason: '同一网络短时间内集中投票',
    });
    for (const v of bursts) payload.append('voteIds', String(v.id));
    const voided = await app.inject({
      method: 'POST',
      url: `/editor/solicitations/${id}/votes/void`,
      payload: payload.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: Object.fromEntries(editorWeb.cookies),
      remoteAddress: nextIp(),
    });
    assert.equal(voided.statusCode, 303, voided.body);
    const afterVoid = (await api(editor, 'GET', `/api/v1/solicitations/${id}/desk`)).json() as {
      entries: { id: number; validVotes: number; voidedVotes: number }[];
    };
    const firstAfter = afterVoid.entries.find((r) => r.id === entries[0])!;
    assert.deepEqual([firstAfter.validVotes, firstAfter.voidedVotes], [0, 4]);
    const log = (await logged('solicitation.votes.void')).filter((r) => JSON.parse(r.detail).solicitationId === id);
    assert.equal(log.length, 1);
    assert.equal(JSON.parse(log[0]!.detail).voteIds.length, cast);
    assert.equal(JSON.parse(log[0]!.detail).reason, '同一网络短时间内集中投票');
    // Voided votes still use the allowance: a burst cannot be re-cast.
    const again = await api(seasoned[0]!, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[3] });
    assert.equal(again.json().error.code, 'VOTE_ALLOWANCE_USED');
  });

  test('refusing an approved entry during the vote voids its votes and gives them back', async () => {
    const { id, entries } = await votingWith(['抄袭的口号', '原创的口号']);
    const voter = await accounts.netizen('被退票的网友');
    await api(voter, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[0] });
    await api(voter, 'POST', `/api/v1/solicitations/${id}/votes`, { entryId: entries[1] });
    await editorAct(`/api/v1/solicitations/${id}/entries/${entries[0]}/refuse`, { reason: '经核实为抄袭作品。' });
    const me = (await api(voter, 'GET', `/api/v1/solicitations/${id}`)).json().me;
    assert.deepEqual([me.votesUsed, me.votesLeft], [1, 1]);
    const detail = (await api(null, 'GET', `/api/v1/solicitations/${id}`)).json();
    assert.deepEqual(
      detail.entries.map((e: { id: number }) => e.id),
      [entries[1]],
    );
  });
});

describe('public pages', () => {
  test('the list groups solicitations by where they stand; the page shows rules, schedule and the form', async () => {
    const open = await createSolicitation({ title: '征集中的活动名称' });
    await votingWith(['投票作品一'], { title: '投票中的活动名称' });
    const list = await app.inject({ url: '/solicitations', remoteAddress: nextIp() });
    assert.equal(list.statusCode, 200);
    const at = (text: string) => list.body.indexOf(text);
    assert.ok(at('征集中的活动名称') > at('>征集中<') && at('征集中的活动名称') < at('>投票中<'));
    assert.ok(at('投票中的活动名称') > at('>投票中<') && at('投票中的活动名称') < at('>已结束<'));
    const page = await app.inject({ url: `/solicitations/${open}`, remoteAddress: nextIp() });
    assert.match(page.body, /征集规则/);
    assert.match(page.body, /<li aria-current="step"><strong>作品征集<\/strong>/);
    assert.match(page.body, /登录后即可投稿/);
    const netizen = await accounts.netizen('想投稿的网友');
    const web = await loginAs(netizen);
    const form = await web.get(`/solicitations/${open}`);
    assert.match(form.body, /<form method="post" action="\/solicitations\/\d+\/entries"/);
    assert.match(form.body, /name="_csrf"/);
    const noCsrf = await web.post(`/solicitations/${open}/entries`, { title: '没有令牌的作品' }, { csrf: false });
    assert.equal(noCsrf.statusCode, 403);
    const tooShort = await web.post(`/solicitations/${open}/entries`, { title: '短', body: '说明文字' });
    assert.equal(tooShort.statusCode, 400);
    assert.match(tooShort.body, /作品标题应为 2–60 个字/);
    assert.match(tooShort.body, /说明文字/, 'what was typed is kept');
    assert.equal((await app.inject({ url: '/solicitations/999999', remoteAddress: nextIp() })).statusCode, 404);
  });

  test('the demo holds the 2009 slogan solicitation, closed, with its winner first', async () => {
    const editorUser = (await loadCurrentUser(t.db, editor.id))!;
    const id = await seedSolicitationDemo(t.db, {
      secret: t.config.secret,
      sensitiveWords: app.sensitiveWords,
      editor: editorUser,
    });
    assert.equal(
      await seedSolicitationDemo(t.db, {
        secret: t.config.secret,
        sensitiveWords: app.sensitiveWords,
        editor: editorUser,
      }),
      id,
      'seeding twice adds nothing',
    );
    const detail = (await api(null, 'GET', `/api/v1/solicitations/${id}`)).json();
    assert.equal(detail.title, DEMO_SOLICITATION_TITLE);
    assert.equal(detail.stage, 'closed');
    assert.equal(detail.phases[2].start, '2009-07-11');
    assert.equal(detail.winners[0].title, WINNING_SLOGAN);
    assert.equal(detail.winners[0].author, '赵逢班');
    assert.equal(detail.winners[0].rank, 1);
    assert.ok(detail.winners[0].votes > detail.entries.at(-1).votes);
    assert.ok(detail.entries.length >= 4);
    const page = await app.inject({ url: `/solicitations/${id}`, remoteAddress: nextIp() });
    assert.match(page.body, /社情民意的集散地，亲民爱民的回音壁/);
    assert.match(page.body, /演示数据/);
    const list = await app.inject({ url: '/solicitations', remoteAddress: nextIp() });
    assert.ok(list.body.indexOf(DEMO_SOLICITATION_TITLE) > list.body.indexOf('>已结束<'));
  });

  test('the winners’ boxes keep their text clear of the border: the list’s own padding does not flatten them', async () => {
    const list = (await api(null, 'GET', '/api/v1/solicitations')).json();
    const demo = list.solicitations.find((s: { title: string }) => s.title === DEMO_SOLICITATION_TITLE);
    assert.ok(demo, 'the demo solicitation is seeded by the test before');
    const page = await app.inject({ url: `/solicitations/${demo.id}`, remoteAddress: nextIp() });
    assert.match(page.body, /<ol class="message-list"><li class="panel" id="entry-\d+">/);
    const css = (await app.inject({ url: '/static/style.css', remoteAddress: nextIp() })).body;
    // `.message-list li` sets `padding: 0.6rem 0`; a boxed item needs a rule at least as specific to pad its sides.
    const rule = /\.message-list li\.panel\s*\{([^}]*)\}/.exec(css);
    assert.ok(rule, 'a rule for boxed items in a list');
    assert.match(rule[1]!, /padding:\s*[\d.]+rem\s+[1-9][\d.]*rem/);
  });
});

describe('who may reach the editors’ routes', () => {
  const pages = (id: number, entryId: number): [string, string][] => [
    ['GET', '/editor/solicitations'],
    ['GET', '/editor/solicitations/new'],
    ['POST', '/editor/solicitations'],
    ['GET', `/editor/solicitations/${id}`],
    ['POST', `/editor/solicitations/${id}`],
    ['POST', `/editor/solicitations/${id}/advance`],
    ['POST', `/editor/solicitations/${id}/entries/${entryId}/approve`],
    ['POST', `/editor/solicitations/${id}/entries/${entryId}/refuse`],
    ['POST', `/editor/solicitations/${id}/votes/void`],
    ['POST', `/editor/solicitations/${id}/announce`],
  ];
  const apis = (id: number, entryId: number): [string, string][] => [
    ['POST', '/api/v1/solicitations'],
    ['PUT', `/api/v1/solicitations/${id}`],
    ['POST', `/api/v1/solicitations/${id}/advance`],
    ['GET', `/api/v1/solicitations/${id}/desk`],
    ['POST', `/api/v1/solicitations/${id}/entries/${entryId}/approve`],
    ['POST', `/api/v1/solicitations/${id}/entries/${entryId}/refuse`],
    ['POST', `/api/v1/solicitations/${id}/votes/void`],
    ['POST', `/api/v1/solicitations/${id}/announce`],
  ];

  test('anonymous visitors, netizens and handling clerks are refused; nothing changes', async () => {
    const id = await createSolicitation();
    const author = await accounts.netizen('投稿网友');
    const entryId = await submit(author, id, '待审核的口号');
    const netizen = await accounts.netizen('普通网友');
    const anonymous = new WebClient(app, nextIp());
    await anonymous.get('/login');
    const people: [string, WebClient, Person | null][] = [
      ['anonymous', anonymous, null],
      ['netizen', await loginAs(netizen), netizen],
      ['clerk', await loginAs(clerk), clerk],
    ];
    for (const [who, web, person] of people) {
      for (const [method, url] of pages(id, entryId)) {
        const res = method === 'GET' ? await web.get(url) : await web.post(url, { reason: '越权操作', title: '越权' });
        if (person) assert.equal(res.statusCode, 403, `${who} ${method} ${url}`);
        else
          assert.ok(
            res.statusCode === 401 || (res.statusCode === 303 && /^\/login\?next=/.test(String(res.headers.location))),
            `${who} ${method} ${url}: ${res.statusCode}`,
          );
      }
      for (const [method, url] of apis(id, entryId)) {
        const res = await api(person, method as 'GET', url, method === 'GET' ? undefined : { reason: '越权操作' });
        assert.equal(res.statusCode, person ? 403 : 401, `${who} ${method} ${url}`);
      }
    }
    const entry = await t.db
      .selectFrom('solicitation_entries')
      .select('status')
      .where('id', '=', entryId)
      .executeTakeFirstOrThrow();
    assert.equal(entry.status, 'submitted');
    const editorWeb = await loginAs(editor);
    assert.equal((await editorWeb.get('/editor/solicitations')).statusCode, 200);
    assert.equal((await editorWeb.get(`/editor/solicitations/${id}`)).statusCode, 200);
    assert.equal((await editorWeb.get('/editor/solicitations/new')).statusCode, 200);
  });

  test('sending an entry, voting and "my entries" need a signed-in account', async () => {
    const id = await createSolicitation();
    const anonymous = new WebClient(app, nextIp());
    await anonymous.get(`/solicitations/${id}`);
    assert.equal((await anonymous.post(`/solicitations/${id}/entries`, { title: '匿名作品' })).statusCode, 401);
    assert.equal((await anonymous.post(`/solicitations/${id}/vote`, { entryId: '1' })).statusCode, 401);
    const mine = await anonymous.get('/my/solicitations');
    assert.equal(mine.statusCode, 303);
    assert.match(String(mine.headers.location), /^\/login\?next=/);
    assert.equal((await api(null, 'GET', '/api/v1/me/solicitation-entries')).statusCode, 401);
  });

  test('the OpenAPI document describes the solicitation endpoints', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json', remoteAddress: nextIp() })).json();
    for (const path of [
      '/api/v1/solicitations',
      '/api/v1/solicitations/{id}',
      '/api/v1/solicitations/{id}/entries',
      '/api/v1/solicitations/{id}/votes',
      '/api/v1/solicitations/{id}/announce',
      '/api/v1/me/solicitation-entries',
    ])
      assert.ok(doc.paths[path], path);
    assert.ok(doc.tags.some((tag: { name: string }) => tag.name === 'solicitations'));
  });
});
