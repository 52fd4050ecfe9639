// Inbound SMS: a text in Alibaba's or Tencent's push format becomes a message in review and is answered with its
// tracking code; the code texted back returns the status; retried pushes do nothing twice; TD stops notices;
// rating and the follow-up by text; the gateway's URL token, allow-list and signature; the staff log.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { runOutboxOnce } from '../src/notify/outbox-worker.ts';
import { answer, type Cast, createCast, createChannelApp, nextIp } from './channel-helpers.ts';
import { sentSms, TEST_ENGINE, type TestApp } from './helpers.ts';

const TOKEN = 'inbound-token-0123456789abcdef';
const SECRET = 'inbound-signing-secret-0123';
let t: TestApp;
let cast: Cast;
let sequence = 1000;

before(async () => {
  t = await createChannelApp({
    SMS_INBOUND_PROVIDERS: 'aliyun,tencent,signed',
    SMS_INBOUND_TOKEN: TOKEN,
    SMS_INBOUND_SECRET: SECRET,
    SMS_INBOUND_PER_NUMBER_PER_HOUR: '8',
  });
  cast = await createCast(t);
});
after(() => t.close());

const aliyun = (phone: string, content: string, sequenceId: number | string = ++sequence) => ({
  phone_number: phone,
  content,
  send_time: '2026-05-01 10:00:00',
  dest_code: '1234',
  sequence_id: sequenceId,
  sign_name: '留言板',
});
const pushAliyun = (texts: object[], token = TOKEN, remoteAddress = nextIp()) =>
  t.app.inject({ method: 'POST', url: `/sms/inbound/aliyun/${token}`, remoteAddress, payload: texts });
let tencentTime = 1_777_000_000;
const pushTencent = (mobile: string, text: string, time = ++tencentTime) =>
  t.app.inject({
    method: 'POST',
    url: `/sms/inbound/tencent/${TOKEN}`,
    remoteAddress: nextIp(),
    payload: { mobile, nationcode: '86', text, sign: '留言板', time, extend: '' },
  });

/** Sends what the outbox holds, and returns the texts that reached this number since `from`. */
async function smsTo(phone: string, from = 0): Promise<string[]> {
  while ((await runOutboxOnce(t.db, t.app.sms)).claimed > 0);
  return sentSms(t.config)
    .slice(from)
    .filter((s) => s.to === phone)
    .map((s) => s.text);
}
const sentCount = () => sentSms(t.config).length;
const codeIn = (text: string) => /查询码([A-Z0-9]{8})/.exec(text)?.[1];

async function messageByCode(code: string) {
  return t.db.selectFrom('messages').selectAll().where('tracking_code', '=', code).executeTakeFirstOrThrow();
}

describe(`inbound SMS on ${TEST_ENGINE}`, () => {
  const sender = '13812345678';
  let code = '';

  test('a text in Alibaba’s format becomes a message in review; the sender is told its tracking code', async () => {
    const from = sentCount();
    const res = await pushAliyun([aliyun(sender, '正定县长 小区门口路灯坏了两个月，晚上出行很不方便')]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { code: 0, msg: '接收成功' });
    assert.equal(res.headers['set-cookie'], undefined, 'the webhook never starts a session');
    const [reply] = await smsTo(sender, from);
    assert.ok(reply, 'a reply SMS was sent');
    assert.ok([...reply].length <= 70, `within one SMS: ${reply}`);
    code = codeIn(reply)!;
    assert.match(code, /^[A-Z2-9]{8}$/, reply);
    assert.match(reply, new RegExp(`查${code}`));
    const m = await messageByCode(code);
    assert.equal(m.status, 'submitted');
    assert.equal(m.channel, 'sms');
    assert.equal(m.board_id, 1301232, '正定县长 is the board of 正定县县长');
    assert.equal(m.body, '小区门口路灯坏了两个月，晚上出行很不方便');
    const author = await t.db
      .selectFrom('users')
      .select(['phone', 'password_hash'])
      .where('id', '=', m.author_id)
      .executeTakeFirstOrThrow();
    assert.equal(author.phone, sender, 'an account for the number the carrier vouched for');
    assert.equal(author.password_hash, null);
    const logged = await t.db
      .selectFrom('inbound_sms')
      .selectAll()
      .where('message_id', '=', m.id)
      .executeTakeFirstOrThrow();
    assert.equal(logged.outcome, 'message');
    assert.equal(logged.provider, 'aliyun');
  });

  test('a retried push (same sequence_id) makes no second message and no second reply', async () => {
    const before = await t.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const from = sentCount();
    const text = aliyun('13812340001', '正定县委书记 村里的垃圾没人清运，希望尽快解决', 'retry-1');
    for (let i = 0; i < 3; i++) assert.equal((await pushAliyun([text])).statusCode, 200);
    // Two deliveries at once, too.
    await Promise.all([pushAliyun([text]), pushAliyun([text])]);
    const after = await t.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n) + 1);
    assert.equal((await smsTo('13812340001', from)).length, 1);
    const rows = await t.db.selectFrom('inbound_sms').select('id').where('provider_id', '=', 'retry-1').execute();
    assert.equal(rows.length, 1, 'stored once');
    const m = await t.db.selectFrom('messages').select('board_id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(m.board_id, 1301231, '正定县委书记');
  });

  test('one push may carry several texts; a numeric board code works as well as a place name', async () => {
    const from = sentCount();
    const res = await pushAliyun([
      aliyun('13812340002', '1301232 县医院门口的红绿灯坏了，路口很危险'),
      aliyun('13812340003', '石家庄市长：二环路施工噪音很大，晚上无法入睡'),
    ]);
    assert.equal(res.statusCode, 200);
    const a = (await smsTo('13812340002', from))[0]!;
    const b = (await smsTo('13812340003', from))[0]!;
    assert.equal((await messageByCode(codeIn(a)!)).board_id, 1301232);
    assert.equal((await messageByCode(codeIn(b)!)).board_id, 1301002, '石家庄市长');
  });

  test('texting the code (in Tencent’s format) returns the status', async () => {
    let from = sentCount();
    const res = await pushTencent(sender, `查 ${code}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { result: 0, errmsg: 'OK' });
    const [status] = await smsTo(sender, from);
    assert.match(status!, new RegExp(`留言${code}：待审核`));
    from = sentCount();
    await pushTencent(sender, code.toLowerCase());
    assert.match((await smsTo(sender, from))[0]!, /待审核/, 'the code alone, in any case');
    from = sentCount();
    await pushTencent(sender, '查 ZZZZ9999');
    assert.match((await smsTo(sender, from))[0]!, /没有查到查询码ZZZZ9999/);
  });

  test('the same Tencent callback pushed again is acted on once', async () => {
    const from = sentCount();
    const time = ++tencentTime;
    await pushTencent(sender, `查 ${code}`, time);
    await pushTencent(sender, `查 ${code}`, time);
    assert.equal((await smsTo(sender, from)).length, 1);
  });

  test('the editor must give a text its type and domain before it goes to the unit', async () => {
    const m = await messageByCode(code);
    const bare = await cast.call('editor', 'POST', `/api/v1/messages/${m.id}/actions/approve`, {});
    assert.equal(bare.statusCode, 400, bare.body);
    assert.match(bare.json().error.message, /类型和领域/);
    await cast.act('editor', m.id, 'approve', { type: 'help', domain: 'transport' });
    const approved = await messageByCode(code);
    assert.equal(approved.status, 'pending');
    assert.equal(approved.type, 'help');
    assert.equal(approved.domain, 'transport');
  });

  test('after review, the status by text names the unit and the deadline', async () => {
    const from = sentCount();
    await pushTencent(sender, `查${code}`);
    const texts = await smsTo(sender, from);
    const status = texts.find((s) => s.startsWith(`留言${code}`))!;
    assert.match(status, /待回复（正定县委县政府督查室），时限\d+月\d+日/);
  });

  test('an answered message can be rated by text (满意 5 4 5), closing it', async () => {
    const phone = '13812340010';
    let from = sentCount();
    await pushAliyun([aliyun(phone, '正定县长 公园里的健身器材坏了好几件，请派人维修')]);
    const id = (await messageByCode(codeIn((await smsTo(phone, from))[0]!)!)).id;
    from = sentCount();
    await answer(cast, id);
    const notice = (await smsTo(phone, from)).find((text) => /已答复/.test(text));
    assert.match(
      notice!,
      /回复“满意 5 5 5”（解决 时效 态度，各1–5分）或“追问 内容”/,
      'the notice says how to answer by text',
    );
    from = sentCount();
    await pushTencent(
      phone,
      '查询 ' +
        (await t.db.selectFrom('messages').select('tracking_code').where('id', '=', id).executeTakeFirstOrThrow())
          .tracking_code,
    );
    assert.match((await smsTo(phone, from)).at(-1)!, /已办理。答复：经核实，路灯已于本周修复.*回复“满意 5 5 5”评价/);
    from = sentCount();
    await pushAliyun([aliyun(phone, '满意 5 4 5 修得很快')]);
    assert.match((await smsTo(phone, from)).at(-1)!, /已评价留言[A-Z0-9]{8}（解决5 时效4 态度5）/);
    const m = await t.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(m.status, 'closed');
    const rating = await t.db.selectFrom('ratings').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([rating.resolution, rating.timeliness, rating.attitude, rating.comment], [5, 4, 5, '修得很快']);
    from = sentCount();
    await pushAliyun([aliyun(phone, '满意')]);
    assert.match((await smsTo(phone, from)).at(-1)!, /没有待评价的留言/);
  });

  test('or followed up once by text (追问 …), back to the unit', async () => {
    const phone = '13812340011';
    let from = sentCount();
    await pushAliyun([aliyun(phone, '正定县长 学校门口的路面塌了一个坑，很危险')]);
    const id = (await messageByCode(codeIn((await smsTo(phone, from))[0]!)!)).id;
    await answer(cast, id, '已安排施工队在本周内修补路面，请您放心。');
    from = sentCount();
    await pushAliyun([aliyun(phone, '追问 坑填了又塌了，能不能彻底修好')]);
    assert.match((await smsTo(phone, from)).at(-1)!, /追问已收到，留言[A-Z0-9]{8}已转回办理单位，办理时限/);
    const m = await t.db
      .selectFrom('messages')
      .select(['status', 'follow_ups'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(m.status, 'assigned');
    assert.equal(m.follow_ups, 1);
    const event = await t.db
      .selectFrom('case_events')
      .select('note')
      .where('message_id', '=', id)
      .where('kind', '=', 'follow-up')
      .executeTakeFirstOrThrow();
    assert.equal(event.note, '坑填了又塌了，能不能彻底修好');
  });

  test('TD stops notices to the number (confirmed once); a status asked for is still answered', async () => {
    const phone = '13812340020';
    let from = sentCount();
    await pushAliyun([aliyun(phone, '正定县长 菜市场门口占道经营很严重，希望整治')]);
    const myCode = codeIn((await smsTo(phone, from))[0]!)!;
    from = sentCount();
    await pushAliyun([aliyun(phone, 'TD')]);
    const confirm = await smsTo(phone, from);
    assert.equal(confirm.length, 1);
    assert.match(confirm[0]!, /已退订/);
    from = sentCount();
    await pushAliyun([aliyun(phone, '退订')]);
    assert.equal((await smsTo(phone, from)).length, 0, 'confirmed only once');
    // The approval notice would go by SMS: it does not.
    from = sentCount();
    const m = await messageByCode(myCode);
    await cast.act('editor', m.id, 'approve', { type: 'complain', domain: 'urban' });
    assert.equal((await smsTo(phone, from)).length, 0, 'no notice after TD');
    const notice = await t.db
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('dedupe_key', '=', `approved:${m.id}`)
      .executeTakeFirstOrThrow();
    assert.equal(notice.status, 'skipped');
    assert.match(notice.last_error!, /退订/);
    from = sentCount();
    await pushAliyun([aliyun(phone, `查 ${myCode}`)]);
    assert.match((await smsTo(phone, from))[0]!, /待回复/, 'an answer to a question is not a notice');
  });

  test('a private message tells others its status only; its author’s number also gets the answer', async () => {
    const created = await cast.call('citizen', 'POST', '/api/v1/messages', {
      boardId: 1301232,
      type: 'help',
      domain: 'health',
      title: '家中老人看病报销问题',
      body: '家中老人在县医院住院，医保报销比例与政策不符，希望有关部门核实处理。',
      visibility: 'private',
    });
    const { id, trackingCode } = created.json();
    await answer(cast, id, '经核实，报销比例已按政策重新核算，差额将退回。');
    let from = sentCount();
    await pushTencent('13812340030', `查 ${trackingCode}`);
    const stranger = (await smsTo('13812340030', from))[0]!;
    assert.equal(stranger, `留言${trackingCode}：已办理。`);
    from = sentCount();
    await pushTencent(cast.phones.citizen!, `查 ${trackingCode}`);
    assert.match((await smsTo(cast.phones.citizen!, from))[0]!, /答复：经核实，报销比例/);
  });

  test('unclear texts get a short help text; an ambiguous place asks for the board code', async () => {
    let from = sentCount();
    await pushAliyun([aliyun('13812340040', '你好')]);
    const help = (await smsTo('13812340040', from))[0]!;
    assert.match(help, /写留言：发“地名\+领导 内容”/);
    assert.ok([...help].length <= 70, help);
    from = sentCount();
    await pushAliyun([aliyun('13812340041', '朝阳区长 小区供暖不热')]);
    assert.match((await smsTo('13812340041', from))[0]!, /“朝阳区长”有多处/);
    from = sentCount();
    await pushAliyun([aliyun('13812340042', '正定县长 灯坏')]);
    assert.match((await smsTo('13812340042', from))[0]!, /留言内容太短/);
    from = sentCount();
    await pushAliyun([aliyun('13812340043', '满意 5 4')]);
    assert.match((await smsTo('13812340043', from))[0]!, /还没有留言/);
  });

  test('a flood from one number is stored but not acted on, and told once', async () => {
    const phone = '13812340050';
    const from = sentCount();
    for (let i = 0; i < 11; i++) await pushAliyun([aliyun(phone, `帮助 ${i}`)]);
    const texts = await smsTo(phone, from);
    assert.equal(texts.filter((s) => /短信过多/.test(s)).length, 1);
    assert.equal(texts.length, 8 + 1);
    const stored = await t.db.selectFrom('inbound_sms').select('outcome').where('phone', '=', phone).execute();
    assert.equal(stored.length, 11);
    assert.equal(stored.filter((r) => r.outcome === 'flood').length, 3);
  });

  test('the URL token, the enabled formats and the body are checked, each answered in the gateway’s format', async () => {
    const wrong = await pushAliyun(
      [aliyun(sender, '正定县长 测试一下这个功能好不好用')],
      'wrong-token-0123456789abcdefgh',
    );
    assert.equal(wrong.statusCode, 404);
    assert.equal(wrong.json().code, 1);
    const bad = await pushAliyun([{ phone_number: sender }]);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 1);
    assert.match(bad.json().msg, /content|sequence_id/);
    const notJson = await t.app.inject({
      method: 'POST',
      url: `/sms/inbound/tencent/${TOKEN}`,
      remoteAddress: nextIp(),
      headers: { 'content-type': 'application/json' },
      payload: '{"mobile":',
    });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().result, 1);
    const nul = await pushTencent('13812340060', '正定县长 \u0000 路灯');
    assert.equal(nul.statusCode, 400);
    const huge = await pushAliyun([aliyun('13812340061', '长'.repeat(3000))]);
    assert.equal(huge.statusCode, 400);
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/sms/inbound/huawei/${TOKEN}`,
      remoteAddress: nextIp(),
      payload: {},
    });
    assert.equal(unknown.statusCode, 404);
  });

  test('the signed format needs a fresh HMAC of the body', async () => {
    const body = JSON.stringify({
      id: 'gw-1',
      from: '13812340070',
      text: '正定县长 小区门口垃圾堆放多日无人清理',
      to: '1069',
    });
    const sign = (ts: string, b: string) => `sha256=${createHmac('sha256', SECRET).update(`${ts}.${b}`).digest('hex')}`;
    const post = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: `/sms/inbound/signed/${TOKEN}`,
        remoteAddress: nextIp(),
        headers: { 'content-type': 'application/json', ...headers },
        payload: body,
      });
    const now = String(Math.floor(Date.now() / 1000));
    assert.equal((await post({})).statusCode, 401);
    assert.equal(
      (await post({ 'x-liuyan-timestamp': now, 'x-liuyan-signature': sign(now, body + ' ') })).statusCode,
      401,
    );
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    assert.equal((await post({ 'x-liuyan-timestamp': old, 'x-liuyan-signature': sign(old, body) })).statusCode, 401);
    const ok = await post({ 'x-liuyan-timestamp': now, 'x-liuyan-signature': sign(now, body) });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { ok: true });
  });

  test('staff read the inbound log with masked numbers; others may not', async () => {
    const web = await import('./web-client.ts');
    const editor = new web.WebClient(t.app, nextIp());
    await editor.get('/login');
    assert.equal(
      (await editor.post('/login', { phone: cast.phones.editor!, password: 'Channel-Pass-2026!' })).statusCode,
      303,
    );
    const page = await editor.get('/admin/sms-inbound');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /138\*\*\*\*5678/);
    assert.doesNotMatch(page.body, /13812345678/);
    assert.match(page.body, /小区门口路灯坏了两个月/);
    const citizen = new web.WebClient(t.app, nextIp());
    await citizen.get('/login');
    await citizen.post('/login', { phone: cast.phones.citizen!, password: 'Channel-Pass-2026!' });
    assert.equal((await citizen.get('/admin/sms-inbound')).statusCode, 403);
  });
});

describe(`inbound SMS address allow-list on ${TEST_ENGINE}`, () => {
  let u: TestApp;
  before(async () => {
    u = await createChannelApp({
      SMS_INBOUND_PROVIDERS: 'aliyun',
      SMS_INBOUND_TOKEN: TOKEN,
      SMS_INBOUND_ALLOW: '10.1.2.0/24, 192.0.2.7',
    });
  });
  after(() => u.close());

  test('a push from outside the gateway’s addresses is refused; from inside it is taken', async () => {
    const push = (remoteAddress: string) =>
      u.app.inject({
        method: 'POST',
        url: `/sms/inbound/aliyun/${TOKEN}`,
        remoteAddress,
        payload: [aliyun('13812349999', '帮助')],
      });
    const outside = await push('10.9.9.9');
    assert.equal(outside.statusCode, 403);
    assert.equal(outside.json().code, 1);
    assert.equal((await push('10.1.2.3')).statusCode, 200);
    assert.equal((await push('192.0.2.7')).statusCode, 200);
    const tencent = await u.app.inject({
      method: 'POST',
      url: `/sms/inbound/tencent/${TOKEN}`,
      remoteAddress: '10.1.2.3',
      payload: {},
    });
    assert.equal(tencent.statusCode, 404, 'a format not switched on');
  });
});
