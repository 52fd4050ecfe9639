// The staff side, through the front door: work notices to the right people, the leader's signature before
// publication, the workbench (history in words, photos, windows, return, sorting, priorities, counts, batches), the
// unit's overview, supervision by hand, the review queue (deadlines, flooding, batch approval) and the admin's logs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { verifyAllChains } from '../src/audit/case-events.ts';
import { runSchedulerOnce } from '../src/workflow/supervision.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { unmarked } from './user-content.ts';

let t: TestApp;
let ip = 0;
const tokens: Record<string, string> = {};
const phones: Record<string, string> = {};
const ids: Record<string, number> = {};
const PASSWORD = 'Staff-Work-2026!';
const COUNTY = 130123001;
const DEPT = 130123002;
const BOARD = 1301232; // 正定县 · 县长, handled by the county; its leader has an account here
const OTHER_BOARD = 1301231; // 正定县 · 县委书记: no leader account here

const nextIp = () => `10.11.${Math.floor(++ip / 200)}.${ip % 200}`;
const call = (who: string | null, method: 'GET' | 'POST', url: string, body?: object, remoteAddress = nextIp()) =>
  t.app.inject({
    method,
    url,
    remoteAddress,
    ...(body ? { payload: body } : {}),
    headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
  });
const act = (who: string, id: number, action: string, body: object = {}) =>
  call(who, 'POST', `/api/v1/messages/${id}/actions/${action}`, body);
const ok = async (who: string, id: number, action: string, body: object = {}) => {
  const res = await act(who, id, action, body);
  assert.equal(res.statusCode, 200, `${who} ${action}: ${res.body}`);
  return res.json() as { id: number; status: string };
};

/** A browser signed in as this person, on an address of its own (the write limit counts per address). */
async function browser(who: string): Promise<WebClient> {
  const web = new WebClient(t.app, nextIp());
  await web.get('/login');
  const res = await web.post('/login', { phone: phones[who]!, password: PASSWORD });
  assert.equal(res.statusCode, 303, res.body);
  return web;
}

const events = async (id: number) =>
  (
    await t.db
      .selectFrom('case_events')
      .select(['kind', 'note', 'actor_id'])
      .where('message_id', '=', id)
      .orderBy('seq')
      .execute()
  ).map((e) => e.kind);

/** The notices a person has in the site about a message. */
const noticesOf = (who: string, messageId: number) =>
  t.db
    .selectFrom('notifications')
    .select(['text'])
    .where('user_id', '=', ids[who]!)
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => r.text));

before(async () => {
  t = await createTestApp();
  await t.db
    .insertInto('handling_units')
    .values({
      id: DEPT,
      region_code: '130123',
      parent_id: COUNTY,
      name: '正定县住房和城乡建设局',
      responsibilities: '住房、物业与城市建设',
      kind: 'department',
      level: 'county',
      active: 1,
    })
    .execute();
  const people: [string, string, Record<string, string>][] = [
    ['editor', 'editor', {}],
    ['editor2', 'editor', {}],
    ['admin', 'admin', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['dept', 'unit_staff', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['deptHead', 'unit_head', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['leader', 'leader', { scopeType: 'board', scopeId: String(BOARD) }],
    ['citySupervisor', 'supervisor', { scopeType: 'unit', scopeId: '130100001' }],
    ['beijingSupervisor', 'supervisor', { scopeType: 'region', scopeId: '110000' }],
  ];
  let n = 0;
  for (const [name, role, scope] of people) {
    const phone = `1560000${String(++n).padStart(4, '0')}`;
    phones[name] = phone;
    ids[name] = await createStaff(t.db, COMMAND_LINE, {
      phone,
      nickname: `员${name}`.slice(0, 20),
      password: PASSWORD,
      role,
      ...scope,
    });
    tokens[name] = (await call(null, 'POST', '/api/v1/auth/token', { phone, password: PASSWORD })).json().token;
  }
  for (const [name, phone] of [
    ['citizen', '15500000001'],
    ['neighbour', '15500000002'],
  ] as const) {
    await call(null, 'POST', '/api/v1/auth/sms-code', { phone, purpose: 'register' });
    await call(null, 'POST', '/api/v1/auth/register', {
      phone,
      code: lastCode(t.config, phone),
      password: PASSWORD,
      nickname: name,
    });
    phones[name] = phone;
    tokens[name] = (await call(null, 'POST', '/api/v1/auth/token', { phone, password: PASSWORD })).json().token;
    ids[name] = (await t.db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
  }
});
after(() => t.close());

let titles = 0;
/** A new message from the citizen, as submitted (not yet reviewed). */
async function submitted(
  options: {
    board?: number;
    type?: string;
    title?: string;
    body?: string;
    who?: string;
    from?: string;
    images?: object[];
  } = {},
): Promise<number> {
  const res = await call(
    options.who ?? 'citizen',
    'POST',
    '/api/v1/messages',
    {
      boardId: options.board ?? BOARD,
      type: options.type ?? 'help',
      domain: 'urban',
      title: options.title ?? `小区供暖不热请协调解决 ${++titles}`,
      body:
        options.body ??
        `诉求：请协调供热公司解决小区供暖温度不达标的问题。入冬以来室温长期低于 16 度，多次报修无果。编号 ${titles}`,
      ...(options.images ? { images: options.images } : {}),
    },
    options.from,
  );
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

async function approved(options: Parameters<typeof submitted>[0] = {}): Promise<number> {
  const id = await submitted(options);
  await ok('editor', id, 'approve');
  return id;
}

/** Accepted by the county and assigned to its department. */
async function inDept(options: Parameters<typeof submitted>[0] = {}): Promise<number> {
  const id = await approved(options);
  await ok('county', id, 'accept');
  await ok('county', id, 'assign', { unitId: DEPT, note: '请核实处理' });
  return id;
}

describe('work notices reach the right people, once, in the site and by the channel they chose', () => {
  test('new message, assignment, return, extension, approval, signature and supervision each tell whom they concern', async () => {
    // The department's clerk wants work notices by SMS as well.
    const deptWeb = await browser('dept');
    await deptWeb.get('/workbench/notices');
    const saved = await deptWeb.post('/workbench/notices', { sms: '1' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/workbench/notices?done=noticesSaved');
    assert.match((await deptWeb.get('/workbench/notices')).body, /id="n-sms" name="sms" value="1" checked/);

    const id = await approved();
    for (const who of ['county', 'countyHead']) assert.match((await noticesOf(who, id))[0]!, /新留言待受理/, who);
    assert.deepEqual(await noticesOf('dept', id), [], 'the department has nothing to do with it yet');

    await ok('county', id, 'accept');
    await ok('county', id, 'assign', { unitId: DEPT, note: '请核实处理' });
    for (const who of ['dept', 'deptHead']) assert.match((await noticesOf(who, id)).at(-1)!, /新交办留言/, who);
    // In the site for everyone, and an SMS only for the clerk who chose it.
    const outbox = await t.db
      .selectFrom('outbox')
      .select(['user_id', 'channel'])
      .where('message_id', '=', id)
      .where('dedupe_key', 'like', 'assign:%')
      .execute();
    const channel = (who: string) => outbox.find((o) => o.user_id === ids[who])?.channel;
    assert.equal(channel('dept'), 'sms');
    assert.equal(channel('deptHead'), 'site');

    await ok('dept', id, 'request-extension', { days: 3, reason: '需协调供热公司检修管网' });
    assert.match((await noticesOf('countyHead', id)).at(-1)!, /申请延期 3 天，待审批/);

    await ok('dept', id, 'draft-reply', { body: '经核查，已督促供热公司完成管网检修，室温已达标。', submit: true });
    assert.match((await noticesOf('deptHead', id)).at(-1)!, /答复待审批/);
    assert.ok(!(await noticesOf('dept', id)).some((n) => n.includes('答复待审批')), 'staff do not approve');

    await ok('deptHead', id, 'approve-reply', { sign: true });
    assert.match((await noticesOf('leader', id)).at(-1)!, /答复待您签发/);

    const other = await inDept();
    await ok('dept', other, 'return', { reason: '不属于本单位职责' });
    for (const who of ['county', 'countyHead'])
      assert.match((await noticesOf(who, other)).at(-1)!, /被退回：不属于本单位职责/);

    // Every notice is written once however often its step is retried: the dedupe keys are per person.
    const keys = await t.db
      .selectFrom('outbox')
      .select(['dedupe_key'])
      .where('message_id', 'in', [id, other])
      .execute();
    assert.equal(new Set(keys.map((k) => k.dedupe_key)).size, keys.length);

    // The clerk sees them on their notices page.
    const page = await deptWeb.get('/notifications');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /新交办留言/);
  });

  test('a 督办 tells the handling unit and the supervisors above; a review past its deadline tells each editor once', async () => {
    const id = await inDept();
    const past = new Date(Date.now() - 3600_000).toISOString();
    await t.db.updateTable('messages').set({ handle_due_at: past }).where('id', '=', id).execute();
    const late = await submitted();
    await t.db.updateTable('messages').set({ review_due_at: past }).where('id', '=', late).execute();
    const [a, b] = await Promise.all([runSchedulerOnce(t.db), runSchedulerOnce(t.db)]);
    assert.equal(a!.reviewOverdue + b!.reviewOverdue, 1);
    for (const who of ['dept', 'deptHead']) assert.match((await noticesOf(who, id)).at(-1)!, /^督办/, who);
    // The county supervises its department: its staff are told.
    for (const who of ['county', 'countyHead']) assert.match((await noticesOf(who, id)).at(-1)!, /^督办/, who);
    for (const who of ['editor', 'editor2'])
      assert.deepEqual(await noticesOf(who, late), [
        `审核超时：留言 ${late}“${(await t.db.selectFrom('messages').select('title').where('id', '=', late).executeTakeFirstOrThrow()).title}”已超过审核时限，请尽快审核。`,
      ]);
    await runSchedulerOnce(t.db);
    assert.equal((await noticesOf('editor', late)).length, 1, 'once per overdue item');
  });
});

describe('the leader signs before publication', () => {
  test('asked by the leader: the reply waits unpublished, the leader reads it, sends it back with a note, then signs', async () => {
    const id = await approved();
    await ok('leader', id, 'request-signature');
    const again = await act('leader', id, 'request-signature');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'SIGNATURE_ALREADY_REQUESTED');
    assert.match((await noticesOf('county', id)).at(-1)!, /领导要求答复经本人签发后公开/);

    await ok('county', id, 'accept');
    await ok('county', id, 'draft-reply', { body: '您反映的问题已转供热公司处理，预计三日内恢复。', submit: true });
    // Approved without asking: the leader asked, so it goes to the leader anyway.
    const sent = await ok('countyHead', id, 'approve-reply');
    assert.equal(sent.status, 'assigned', 'not published yet');
    assert.deepEqual((await call('citizen', 'GET', `/api/v1/messages/${id}`)).json().replies, []);
    const redraft = await act('county', id, 'draft-reply', { body: '改一改答复的内容再发出去。', submit: true });
    assert.equal(redraft.statusCode, 409);
    assert.equal(redraft.json().error.code, 'REPLY_AWAITING_SIGNATURE');

    // The sign page shows the reply itself, and both choices.
    const leaderWeb = await browser('leader');
    const page = await leaderWeb.get(`/workbench/messages/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /待您签发的答复/);
    assert.match(page.body, /您反映的问题已转供热公司处理，预计三日内恢复。/);
    assert.match(page.body, /action="\/workbench\/messages\/\d+\/sign-reply"/);
    assert.match(page.body, /action="\/workbench\/messages\/\d+\/send-back-reply"/);

    const noNote = await leaderWeb.post(`/workbench/messages/${id}/send-back-reply`, { note: '' });
    assert.equal(noNote.statusCode, 400);
    assert.match(noNote.body, /请写明意见/);
    const back = await leaderWeb.post(`/workbench/messages/${id}/send-back-reply`, {
      note: '请写明恢复供暖的具体日期',
    });
    assert.equal(back.statusCode, 303);
    assert.match((await noticesOf('county', id)).at(-1)!, /领导退回答复.*请写明恢复供暖的具体日期/);
    const countyWeb = await browser('county');
    assert.match(
      (await countyWeb.get(`/workbench/messages/${id}`)).body,
      // The leader's note is what a person wrote: shown as written, marked so nothing translates it.
      /领导退回了答复，意见：<\/span><span translate="no">请写明恢复供暖的具体日期</,
    );

    await ok('county', id, 'draft-reply', { body: '已协调供热公司，将于本月 20 日前恢复正常供暖。', submit: true });
    await ok('countyHead', id, 'approve-reply');
    const signed = await leaderWeb.post(`/workbench/messages/${id}/sign-reply`, {});
    assert.equal(signed.statusCode, 303);
    assert.equal(signed.headers.location, `/workbench/messages/${id}?done=signed`);
    const view = (await call('citizen', 'GET', `/api/v1/messages/${id}`)).json();
    assert.equal(view.status.key, 'replied');
    assert.equal(view.replies.length, 1);
    assert.match(view.replies[0].signer, /县长/);
    assert.deepEqual((await events(id)).slice(-8), [
      'accept',
      'submit-reply',
      'submit-signature',
      'send-back-reply',
      'submit-reply',
      'submit-signature',
      'sign-reply',
      'publish-reply',
    ]);
    assert.match((await t.app.inject(`/messages/${id}`)).body, /领导签发：/);
    assert.equal((await verifyAllChains(t.db)).broken, null);
  });

  test('asked by the unit; refused where no leader can sign, for what is not waiting, and after publication', async () => {
    const id = await approved();
    await ok('county', id, 'accept');
    assert.equal((await act('leader', id, 'sign-reply')).json().error.code, 'NOTHING_TO_SIGN');
    await ok('county', id, 'draft-reply', { body: '已转交相关部门办理，请耐心等待。', submit: true });
    await ok('countyHead', id, 'approve-reply', { sign: true });
    assert.equal((await act('county', id, 'sign-reply')).statusCode, 403, 'only the board’s leader signs');
    await ok('leader', id, 'sign-reply');
    const after = await act('leader', id, 'sign-reply');
    assert.equal(after.statusCode, 409, 'signing is before publication, never after');
    assert.equal(after.json().error.code, 'WRONG_STATUS');

    // A reply published without the leader carries no signature.
    const plain = await approved();
    await ok('county', plain, 'accept');
    await ok('county', plain, 'draft-reply', { body: '已转交相关部门办理，请耐心等待。', submit: true });
    await ok('countyHead', plain, 'approve-reply');
    assert.equal((await call('citizen', 'GET', `/api/v1/messages/${plain}`)).json().replies[0].signer, null);
    assert.doesNotMatch((await t.app.inject(`/messages/${plain}`)).body, /领导签发：/);

    // No leader account on this board: the unit cannot send it to one.
    const lonely = await approved({ board: OTHER_BOARD });
    await ok('county', lonely, 'accept');
    await ok('county', lonely, 'draft-reply', { body: '已转交相关部门办理，请耐心等待。', submit: true });
    const noSigner = await act('countyHead', lonely, 'approve-reply', { sign: true });
    assert.equal(noSigner.statusCode, 409);
    assert.equal(noSigner.json().error.code, 'NO_SIGNER');
  });
});

describe('the workbench', () => {
  test('a message shows its board and leader, photos (private ones logged), windows, history in words', async () => {
    const png = (
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c00' } })
        .png()
        .toBuffer()
    ).toString('base64');
    const id = await inDept({
      images: [
        { data: png, public: true },
        { data: png, public: false },
      ],
    });
    const deptWeb = await browser('dept');
    const page = await deptWeb.get(`/workbench/messages/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /正定县 · 县长/);
    assert.match(page.body, /（领导：/);
    assert.equal((page.body.match(/<img src="\/attachments\/\d+\?w=360"/g) ?? []).length, 2, 'both photos');
    assert.match(page.body, /留言图片 2（不公开）/);
    const reads = await t.db
      .selectFrom('private_reads')
      .select('what')
      .where('message_id', '=', id)
      .where('user_id', '=', ids.dept!)
      .execute();
    assert.ok(
      reads.some((r) => r.what === 'private-photos'),
      'the read of the private photo is logged',
    );
    assert.match(page.body, /前可退回交办单位（5 个工作日）/);
    assert.match(page.body, /最多 1 次，每次不超过 15 个工作日；已延期 0 天/);
    for (const label of ['提交留言', '审核通过，已公开并转交办理单位', '办理单位已受理', '交办下级单位办理'])
      assert.match(page.body, new RegExp(`<strong>${label}</strong>`), label);
    assert.doesNotMatch(page.body, /<strong>(submit|accept|assign)<\/strong>/, 'no raw codes');
  });

  test('answering a follow-up shows the earlier reply and the question', async () => {
    const id = await approved({ type: 'consult' });
    await ok('county', id, 'accept');
    await ok('county', id, 'draft-reply', { body: '请联系供热公司客服热线办理报修。', submit: true });
    await ok('countyHead', id, 'approve-reply');
    await ok('citizen', id, 'follow-up', { question: '客服热线一直打不通怎么办？' });
    const page = await (await browser('county')).get(`/workbench/messages/${id}`);
    assert.match(page.body, /追问前的答复和追问/);
    assert.match(page.body, /请联系供热公司客服热线办理报修。/);
    assert.match(page.body, /客服热线一直打不通怎么办？/);
  });

  test('after a return the clerk lands on the inbox with a confirmation, not a refusal', async () => {
    const id = await inDept();
    const deptWeb = await browser('dept');
    await deptWeb.get(`/workbench/messages/${id}`);
    const res = await deptWeb.post(`/workbench/messages/${id}/return`, { reason: '不属于本单位职责' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/workbench?done=returned');
    const inbox = await deptWeb.get('/workbench?done=returned');
    assert.equal(inbox.statusCode, 200);
    assert.match(inbox.body, /已退回交办单位/);
    assert.equal((await deptWeb.get(`/workbench/messages/${id}`)).statusCode, 403, 'it is no longer theirs');
  });

  test('sorted by deadline; priorities set by the dispatching unit or a supervisor, shown and filtered; counts', async () => {
    const first = await inDept();
    const second = await inDept();
    // The second is due sooner: it comes first.
    await t.db
      .updateTable('messages')
      .set({ handle_due_at: new Date(Date.now() + 3600_000).toISOString() })
      .where('id', '=', second)
      .execute();
    const list = async (who: string, query = '') => {
      const res = await call(who, 'GET', `/api/v1/workbench/inbox${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as {
        messages: { id: number; priority: string; dueAt: string | null }[];
        counts: Record<string, number>;
        total: number;
      };
    };
    const inbox = await list('dept');
    const dues = inbox.messages.filter((m) => m.dueAt).map((m) => Date.parse(m.dueAt!));
    assert.deepEqual(
      dues,
      [...dues].sort((a, b) => a - b),
      'nearest deadline first',
    );
    assert.ok(inbox.messages.findIndex((m) => m.id === second) < inbox.messages.findIndex((m) => m.id === first));

    const refused = await act('dept', first, 'set-priority', { priority: 'urgent' });
    assert.equal(refused.statusCode, 403, 'the handling unit does not rank its own work');
    const countyWeb = await browser('county');
    await countyWeb.get(`/workbench/messages/${first}`);
    const set = await countyWeb.post(`/workbench/messages/${first}/set-priority`, { priority: 'urgent' });
    assert.equal(set.statusCode, 303);
    assert.match((await noticesOf('dept', first)).at(-1)!, /已标为紧急/);
    const badPriority = await act('county', first, 'set-priority', { priority: 'very' });
    assert.equal(badPriority.statusCode, 400, badPriority.body);
    await ok('citySupervisor', second, 'set-priority', { priority: 'urgent' });
    await ok('citySupervisor', second, 'set-priority', { priority: 'normal' });

    const urgent = await list('dept', '?priority=urgent');
    assert.ok(urgent.messages.some((m) => m.id === first) && urgent.messages.every((m) => m.priority === 'urgent'));
    const all = await list('dept');
    assert.equal(all.counts.urgent, urgent.total, 'the count is what the filter lists');
    for (const [key, query] of [
      ['pending', '?status=pending'],
      ['assigned', '?status=assigned'],
      ['overdue', '?overdue=1'],
      ['dueSoon', '?dueSoon=1'],
      ['supervised', '?supervised=1'],
      ['awaitingApproval', '?awaiting=approval'],
      ['awaitingSignature', '?awaiting=signature'],
    ] as const)
      assert.equal(all.counts[key], (await list('dept', query)).total, key);
    assert.equal(all.counts.all, all.total);
    const html = await (await browser('dept')).get('/workbench?priority=urgent');
    assert.match(html.body, /class="badge urgent">紧急</);
    assert.match(
      html.body,
      new RegExp(
        `<a href="/workbench\\?priority=urgent" aria-current="page" class="quick urgent"><span>紧急</span> <span class="count">${urgent.total}</span>`,
      ),
    );
    assert.ok((await events(first)).includes('set-priority'));
  });

  test('batch accept and batch assign, each message its own transition; what cannot be done is named', async () => {
    const a = await approved();
    const b = await approved();
    const countyWeb = await browser('county');
    await countyWeb.get('/workbench');
    const accepted = await countyWeb.post('/workbench/batch', { batch: 'accept', ids: String(a) });
    assert.equal(accepted.statusCode, 303);
    // A form with several ticked boxes sends `ids` several times.
    const both = await t.app.inject({
      method: 'POST',
      url: '/workbench/batch',
      remoteAddress: nextIp(),
      cookies: Object.fromEntries(countyWeb.cookies),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec((await countyWeb.get('/workbench')).body)![1]!)}&batch=accept&ids=${a}&ids=${b}`,
    });
    assert.equal(both.statusCode, 303);
    assert.equal(both.headers.location, `/workbench?batch=accept&ok=1&failed=${a}`);
    assert.match(
      (await countyWeb.get(String(both.headers.location))).body,
      new RegExp(`已受理 1 条。[\\s\\S]*未能处理：留言 ${a}`),
    );
    const assigned = await t.app.inject({
      method: 'POST',
      url: '/workbench/batch',
      remoteAddress: nextIp(),
      cookies: Object.fromEntries(countyWeb.cookies),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec((await countyWeb.get('/workbench')).body)![1]!)}&batch=assign&unitId=${DEPT}&note=${encodeURIComponent('请一并办理')}&ids=${a}&ids=${b}`,
    });
    assert.equal(assigned.headers.location, '/workbench?batch=assign&ok=2');
    for (const id of [a, b]) {
      const row = await t.db
        .selectFrom('messages')
        .select('current_unit_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.current_unit_id, DEPT);
      assert.deepEqual((await events(id)).slice(-2), ['accept', 'assign']);
    }
    const empty = await countyWeb.post('/workbench/batch', { batch: 'accept' });
    assert.equal(empty.statusCode, 400);
    // Only those who accept and assign may send a batch.
    const leaderWeb = await browser('leader');
    await leaderWeb.get('/workbench');
    assert.equal((await leaderWeb.post('/workbench/batch', { batch: 'accept', ids: String(a) })).statusCode, 403);
  });
});

describe('the unit overview and supervision by hand', () => {
  test('a head sees their unit in figures, per staff member, with the statistics one click away', async () => {
    const id = await inDept();
    await ok('dept', id, 'draft-reply', { body: '已安排专人现场核查，将尽快处理。', submit: true });
    const headWeb = await browser('deptHead');
    const page = await headWeb.get(`/workbench/units/${DEPT}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /正定县住房和城乡建设局概况/);
    assert.match(page.body, new RegExp(`href="/stats/units/${DEPT}"`));
    assert.match(page.body, /答复待审批<\/dt><dd><a href="\/workbench\?awaiting=approval">[1-9]\d*<\/a>/);
    assert.match(
      page.body,
      /<th scope="row"><span translate="no">员dept<\/span><\/th><td class="num">0<\/td><td class="num">[1-9]/,
    );
    assert.equal((await headWeb.get(`/workbench/units/${COUNTY}`)).statusCode, 403, 'not another unit’s');
    assert.equal((await (await browser('dept')).get(`/workbench/units/${DEPT}`)).statusCode, 403, 'not for staff');
    const supervisor = await (await browser('citySupervisor')).get(`/workbench/units/${DEPT}`);
    assert.equal(supervisor.statusCode, 200, 'the supervisor above');
    assert.match(supervisor.body, new RegExp(`href="/workbench\\?awaiting=approval&(amp;)?unit=${DEPT}"`));
    assert.equal((await (await browser('beijingSupervisor')).get(`/workbench/units/${DEPT}`)).statusCode, 403);
  });

  test('a supervisor issues a 督办 with a note and a deadline: in the unit’s inbox and history like the automatic one, never escalated', async () => {
    const id = await inDept();
    const web = await browser('citySupervisor');
    const page = await web.get(`/workbench/messages/${id}`);
    assert.match(page.body, /action="\/workbench\/messages\/\d+\/supervise"/);
    const bad = await web.post(`/workbench/messages/${id}/supervise`, { note: '请尽快办理', dueDate: '2001-01-01' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /督办时限应为今天起 90 天内的日期/);
    const due = new Date(Date.now() + 7 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const issued = await web.post(`/workbench/messages/${id}/supervise`, {
      note: '群众反映强烈，请优先办理',
      dueDate: due,
    });
    assert.equal(issued.statusCode, 303);
    const dup = await act('citySupervisor', id, 'supervise', { note: '再督办一次', dueDate: due });
    assert.equal(dup.json().error.code, 'SUPERVISION_DUPLICATE');
    assert.equal((await act('beijingSupervisor', id, 'supervise', { note: '越权督办', dueDate: due })).statusCode, 403);

    const row = await t.db
      .selectFrom('supervisions')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.deadline, row.unit_id, row.note, row.issued_by],
      ['manual', 130100001, '群众反映强烈，请优先办理', ids.citySupervisor],
    );
    assert.match(
      (await noticesOf('dept', id)).at(-1)!,
      new RegExp(`督办：.*请于 ${due} 前办理。群众反映强烈，请优先办理`),
    );
    const deptWeb = await browser('dept');
    assert.match(
      (await deptWeb.get('/workbench?supervised=1')).body,
      new RegExp(`class="badge supervised">督办：[^<]+前办理<`),
    );
    const detail = await deptWeb.get(`/workbench/messages/${id}`);
    assert.match(detail.body, /<strong>督办<\/strong>/);
    assert.match(detail.body, /群众反映强烈，请优先办理/);
    assert.match((await t.app.inject(`/messages/${id}`)).body, /督办/, 'in the public history too');

    // Not a missed deadline: no escalation and no 超期 in the figures.
    await t.db
      .updateTable('supervisions')
      .set({ created_at: new Date(Date.now() - 60 * 86400_000).toISOString() })
      .where('message_id', '=', id)
      .execute();
    await runSchedulerOnce(t.db);
    assert.equal((await t.db.selectFrom('supervisions').select('id').where('message_id', '=', id).execute()).length, 1);
    const facts = await t.db
      .selectFrom('message_facts')
      .select('overdue')
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(facts.overdue, 0);
  });
});

describe('the review queue', () => {
  test('late items are marked, no reason is chosen for the editor, flooding is flagged, and a batch is approved', async () => {
    const late = await submitted();
    await t.db
      .updateTable('messages')
      .set({ review_due_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', late)
      .execute();
    const text = '诉求：我们小区的垃圾桶已经一个月没有人清运，臭气熏天，蚊蝇滋生，请环卫部门尽快处理。';
    const flood = [
      await submitted({ body: text, from: '10.99.0.1' }),
      await submitted({ body: text, from: '10.99.0.1' }),
    ];
    // Another account on the same network, the same text.
    const network = await submitted({ body: `${text}谢谢`, who: 'neighbour', from: '10.99.0.1' });
    const web = await browser('editor');
    const page = await web.get('/review');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`review-item overdue" aria-labelledby="m-${late}"`));
    assert.match(page.body, /已超审核时限/);
    assert.match(page.body, /待审核 \d+ 条，其中 [1-9]\d* 条已超过审核时限/);
    assert.match(page.body, new RegExp(`同一账号 7 天内还发过高度相似的留言 #${flood[0]}`));
    assert.match(
      page.body,
      new RegExp(
        `同一网络的其他账号 7 天内发过高度相似的留言 #[\\d#、]*${network}|同一网络的其他账号 7 天内发过高度相似的留言 #${flood[0]}`,
      ),
    );
    assert.match(page.body, /<option value="" selected>请选择理由<\/option>/);
    assert.doesNotMatch(page.body, /<option value="illegal" selected/);
    const noReason = await web.post(`/review/${late}/reject`, { reason: '', note: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /请选择不予公开的理由/);

    const batch = await t.app.inject({
      method: 'POST',
      url: '/review/batch',
      remoteAddress: nextIp(),
      cookies: Object.fromEntries(web.cookies),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec((await web.get('/review')).body)![1]!)}&ids=${late}&ids=${flood[0]}`,
    });
    assert.equal(batch.statusCode, 303);
    assert.equal(batch.headers.location, '/review?approved=2');
    for (const id of [late, flood[0]!]) {
      assert.equal(
        (await t.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
        'pending',
      );
      assert.ok((await events(id)).includes('approve'));
    }
    assert.match((await web.get('/review?approved=2')).body, /已通过 2 条。/);
    assert.equal((await (await browser('county')).get('/review')).statusCode, 403);
  });
});

describe('the admin’s logs', () => {
  test('the admin log says who did what to whom, filtered and paged; the private-data reads have a screen', async () => {
    const adminWeb = await browser('admin');
    const page = await adminWeb.get('/admin/log');
    assert.equal(page.statusCode, 200);
    assert.match(
      unmarked(page.body),
      /命令行（系统管理） 为 员dept 开通工作人员账号：办理单位工作人员（正定县住房和城乡建设局（130123002））/,
    );
    assert.match(unmarked(page.body), /员admin 登录/);
    const logins = await adminWeb.get('/admin/log?action=staff.login');
    assert.match(unmarked(logins.body), /员admin 登录/);
    assert.doesNotMatch(unmarked(logins.body), /为 员dept 开通工作人员账号/);
    const who = await adminWeb.get(`/admin/log?who=${encodeURIComponent('员leader')}&action=staff.create`);
    assert.match(who.body, /员leader/);
    assert.doesNotMatch(who.body, /员dept/);
    const future = await adminWeb.get('/admin/log?from=2099-01-01');
    assert.match(future.body, /没有符合条件的记录/);

    const reads = await adminWeb.get('/admin/private-reads');
    assert.equal(reads.statusCode, 200);
    assert.match(reads.body, /员dept/);
    assert.match(unmarked(reads.body), /读取了留言 \d+“[^”]+”的不公开的图片/);
    const one = await t.db.selectFrom('private_reads').select('message_id').orderBy('id').executeTakeFirstOrThrow();
    const filtered = await adminWeb.get(`/admin/private-reads?message=${one.message_id}`);
    assert.ok([...filtered.body.matchAll(/读取了留言 (\d+)/g)].every((m) => Number(m[1]) === one.message_id));
    assert.equal((await (await browser('countyHead')).get('/admin/private-reads')).statusCode, 403);
  });
});
