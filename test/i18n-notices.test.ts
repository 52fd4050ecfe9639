// Notices, SMS and e-mail in the recipient's language: an account's chosen language (English, Traditional or
// Simplified Chinese) writes its reply notice in the site and by SMS; a unit's inbox reads its region's language;
// verification codes and the answers to texts follow the account holding the number; the words texted back are read in
// each language; the workbench in English shows no Chinese outside what people wrote.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requestCode } from '../src/accounts/sms-codes.service.ts';
import { hasSimplifiedOnly } from '../src/i18n/hant.ts';
import { runOutboxOnce } from '../src/notify/outbox-worker.ts';
import { answer, type Cast, createCast, createChannelApp, nextIp, PASSWORD } from './channel-helpers.ts';
import { lastCode, sentSms, TEST_ENGINE, type TestApp } from './helpers.ts';
import { untranslated } from './untranslated.ts';
import { WebClient } from './web-client.ts';

const TOKEN = 'notices-inbound-token-0123456789';
let t: TestApp;
let cast: Cast;
/** Each citizen's phone and web client, signed in, with the language they chose (none for `plain`). */
const people: Record<string, { phone: string; id: number; web: WebClient }> = {};

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
/** A text with the quoted parts (“…” or "…") taken out: what the platform wrote around what people wrote. */
const unquoted = (text: string) => text.replace(/“[^”]*”|「[^」]*」|"[^"]*"/g, '');

before(async () => {
  t = await createChannelApp({ SMS_INBOUND_PROVIDERS: 'aliyun', SMS_INBOUND_TOKEN: TOKEN });
  cast = await createCast(t);
  let n = 0;
  for (const [name, locale] of [
    ['english', 'en'],
    ['hongKong', 'zh-HK'],
    ['plain', null],
  ] as const) {
    const phone = `1550000010${++n}`;
    await cast.call(null, 'POST', '/api/v1/auth/sms-code', { phone, purpose: 'register' });
    const registered = await cast.call(null, 'POST', '/api/v1/auth/register', {
      phone,
      code: lastCode(t.config, phone),
      password: PASSWORD,
      nickname: `${name}${n}`,
    });
    assert.equal(registered.statusCode, 201, registered.body);
    cast.tokens[name] = (
      await cast.call(null, 'POST', '/api/v1/auth/token', { phone, password: PASSWORD })
    ).json().token;
    const web = await new WebClient(t.app, nextIp()).signIn(phone, PASSWORD);
    // The language switch of the site: a signed-in person's choice is stored on the account.
    if (locale) assert.equal((await web.get(`/lang/${locale}?next=/account`)).statusCode, 303);
    const user = await t.db
      .selectFrom('users')
      .select(['id', 'locale'])
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    if (locale) assert.equal(user.locale, locale, `${name} chose ${locale}`);
    people[name] = { phone, id: user.id, web };
  }
});
after(() => t.close());

/** A message by this person, answered: reviewed, accepted, replied and the reply approved. */
async function answered(who: string, title: string, boardId = 1301232): Promise<{ id: number; code: string }> {
  const res = await cast.call(who, 'POST', '/api/v1/messages', {
    boardId,
    type: 'help',
    domain: 'urban',
    title,
    body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
  });
  assert.equal(res.statusCode, 201, res.body);
  const { id, trackingCode } = res.json();
  await answer(cast, id);
  return { id, code: trackingCode };
}

const notifications = (userId: number, messageId: number) =>
  t.db
    .selectFrom('notifications')
    .select('text')
    .where('user_id', '=', userId)
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => r.text));

const smsQueued = (userId: number, messageId: number) =>
  t.db
    .selectFrom('outbox')
    .select('text')
    .where('user_id', '=', userId)
    .where('message_id', '=', messageId)
    .where('channel', '=', 'sms')
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => r.text));

/** Sends what the outbox holds: how many texts have gone so far. */
async function flushed(): Promise<number> {
  while ((await runOutboxOnce(t.db, t.app.sms)).claimed > 0);
  return sentSms(t.config).length;
}

/** Sends what the outbox holds; the texts that reached this number since `from`. */
async function smsTo(phone: string, from: number): Promise<string[]> {
  await flushed();
  return sentSms(t.config)
    .slice(from)
    .filter((s) => s.to === phone)
    .map((s) => s.text);
}

let sequence = 5000;
/** A text from this number to the platform, in Alibaba's push format. */
const text = (phone: string, content: string) =>
  t.app.inject({
    method: 'POST',
    url: `/sms/inbound/aliyun/${TOKEN}`,
    remoteAddress: nextIp(),
    payload: [{ phone_number: phone, content, send_time: '2026-05-01 10:00:00', sequence_id: ++sequence }],
  });

describe(`notices in the recipient's language on ${TEST_ENGINE}`, () => {
  test('an English-speaking citizen reads the reply notice in English, in the site and by SMS', async () => {
    const { id, code } = await answered('english', '小区门口路灯坏了');
    const site = await notifications(people.english!.id, id);
    const reply = site.find((s) => s.includes('has been answered'));
    assert.ok(reply, `the reply notice in English: ${site.join(' | ')}`);
    assert.match(
      reply,
      /^Your message “小区门口路灯坏了” has been answered\. Please rate the answer by \d{1,2} [A-Z][a-z]+ \d{4}\.$/,
    );
    // Every notice of the journey is in English; only the quoted title is Chinese, as its writer wrote it.
    for (const s of site) assert.ok(!CJK.test(unquoted(s)), `no Chinese outside the title: ${s}`);
    const sms = await smsQueued(people.english!.id, id);
    const replySms = sms.find((s) => s.includes('has been answered'));
    assert.ok(replySms, `the reply SMS: ${sms.join(' | ')}`);
    assert.match(replySms, new RegExp(`^Message ${code} has been answered\\. Please rate it by `));
    assert.match(replySms, /"RATE 5 5 5"/);
    // The English SMS says which words to text back, in English; nothing in it is Chinese. Other texts quote the title.
    assert.ok(!CJK.test(replySms), replySms);
    for (const s of sms) assert.ok(!CJK.test(unquoted(s)), `an English SMS: ${s}`);

    // Texting back the English words rates the message, and the answer is in English too.
    const from = await flushed();
    const rated = await text(people.english!.phone, `RATE ${code} 5 4 5 Fixed quickly`);
    assert.equal(rated.statusCode, 200, rated.body);
    const [answerSms] = await smsTo(people.english!.phone, from);
    assert.equal(answerSms, `Message ${code} rated (resolution 5, timeliness 4, attitude 5). Thank you!`);
    const rating = await t.db.selectFrom('ratings').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([rating.resolution, rating.timeliness, rating.attitude], [5, 4, 5]);
    assert.equal(rating.comment, 'Fixed quickly');
  });

  test('a Hong Kong citizen reads it in Traditional characters, and may answer in them', async () => {
    const { id, code } = await answered('hongKong', '屋苑門口街燈壞了');
    const site = await notifications(people.hongKong!.id, id);
    const reply = site.find((s) => s.includes('已答覆'));
    assert.ok(reply, `the reply notice in Traditional: ${site.join(' | ')}`);
    assert.match(reply, /^您的留言「屋苑門口街燈壞了」已答覆，請在 \d{4}年\d{1,2}月\d{1,2}日 前評價。$/);
    for (const s of site) assert.ok(!hasSimplifiedOnly(s), `no Simplified-only characters: ${s}`);
    const sms = await smsQueued(people.hongKong!.id, id);
    const replySms = sms.find((s) => s.includes('已答覆'));
    assert.ok(replySms, `the reply SMS: ${sms.join(' | ')}`);
    assert.ok(replySms.includes(code), replySms);
    assert.match(replySms, /回覆「滿意 5 5 5」/);
    for (const s of sms) assert.ok(!hasSimplifiedOnly(s), `no Simplified-only characters: ${s}`);

    // The words in Traditional characters are read like the Simplified ones.
    const from = await flushed();
    await text(people.hongKong!.phone, `滿意 ${code}`);
    const [answerSms] = await smsTo(people.hongKong!.phone, from);
    assert.equal(answerSms, `已評價留言${code}（解決5 時效5 態度5），謝謝！`);
    assert.equal(
      (await t.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
      'closed',
    );
  });

  test('a citizen who chose no language reads Simplified Chinese, as before', async () => {
    const { id, code } = await answered('plain', '小区门口路灯坏了');
    const site = await notifications(people.plain!.id, id);
    assert.ok(
      site.some((s) => /^您的留言“小区门口路灯坏了”已答复，请在 \d{4}-\d{2}-\d{2} 前评价。$/.test(s)),
      site.join(' | '),
    );
    assert.ok(
      site.some((s) => /^您的留言“小区门口路灯坏了”已被受理，办理时限至 \d{4}-\d{2}-\d{2}。$/.test(s)),
      site.join(' | '),
    );
    const sms = await smsQueued(people.plain!.id, id);
    assert.ok(
      sms.some((s) =>
        new RegExp(
          `^留言${code}已答复，请在\\d{4}-\\d{2}-\\d{2}前评价：回复“满意 5 5 5”（解决 时效 态度，各1–5分）或“追问 内容”。$`,
        ).test(s),
      ),
      sms.join(' | '),
    );
  });

  test('a unit’s inbox reads its region’s language: Simplified on the mainland, Traditional in Hong Kong', async () => {
    const unitNotices = (unitId: number, messageId: number) =>
      t.db
        .selectFrom('notifications')
        .select('text')
        .where('unit_id', '=', unitId)
        .where('user_id', 'is', null)
        .where('message_id', '=', messageId)
        .execute()
        .then((rows) => rows.map((r) => r.text));
    // Written by the English-speaking citizen: the unit still reads its own language.
    const mainland = await cast.call('english', 'POST', '/api/v1/messages', {
      boardId: 1301232,
      type: 'help',
      domain: 'urban',
      title: '路灯又坏了',
      body: '小区门口的路灯又坏了，晚上出行很不方便，希望有关部门尽快维修。',
    });
    await cast.act('editor', mainland.json().id, 'approve');
    const [fresh] = await unitNotices(130123001, mainland.json().id);
    assert.match(fresh ?? '', /^新留言待受理：“路灯又坏了”，受理时限 \d{4}-\d{2}-\d{2}。$/);

    const board = await t.db
      .selectFrom('boards')
      .select(['id', 'unit_id'])
      .where('region_code', '=', '810000')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const hongKong = await cast.call('plain', 'POST', '/api/v1/messages', {
      boardId: board.id,
      type: 'consult',
      domain: 'transport',
      title: '巴士站搬遷',
      body: '請問屋苑附近的巴士站何時搬遷，搬遷後的新位置在哪裏，謝謝。',
    });
    assert.equal(hongKong.statusCode, 201, hongKong.body);
    await cast.act('editor', hongKong.json().id, 'approve');
    const [hk] = await unitNotices(board.unit_id!, hongKong.json().id);
    assert.match(hk ?? '', /^新留言待受理：「巴士站搬遷」，受理時限 \d{4}年\d{1,2}月\d{1,2}日。$/);
    assert.ok(!hasSimplifiedOnly(hk!), hk);
    // Its author chose no language: their own notice stays in Simplified Chinese.
    assert.ok(
      (await notifications(people.plain!.id, hongKong.json().id)).some((s) =>
        s.startsWith('您的留言“巴士站搬遷”已审核通过'),
      ),
    );
  });

  test('the verification code SMS follows the language of the account holding the number', async () => {
    // Each number had its registration code a moment ago: asked a few minutes on, past the wait between codes.
    const later = new Date(Date.now() + 5 * 60_000);
    const codeSms = async (phone: string) => {
      await requestCode(t.db, t.app.sms, t.config.secret, { phone, purpose: 'login', ip: nextIp(), now: later });
      return sentSms(t.config)
        .filter((s) => s.to === phone)
        .at(-1)!.text;
    };
    const english = await codeSms(people.english!.phone);
    assert.match(english, /^\[Message Boards\] Your sign-in code is \d{6}\. It is valid for 5 minutes\./);
    assert.ok(!CJK.test(english), english);
    const hongKong = await codeSms(people.hongKong!.phone);
    assert.match(hongKong, /^【留言】您的登入驗證碼是 \d{6}，5 分鐘內有效。/);
    assert.ok(!hasSimplifiedOnly(hongKong), hongKong);
    assert.match(await codeSms(people.plain!.phone), /^【留言】您的登录验证码是 \d{6}，5 分钟内有效。/);
    // A number no account holds reads Simplified Chinese.
    assert.match(await codeSms('15500000199'), /^【留言】您的手机号尚未注册/);
  });

  test('answers to texts are in the sender’s language; English words and place names in Traditional are read', async () => {
    let from = await flushed();
    await text(people.english!.phone, 'HELP');
    const [help] = await smsTo(people.english!.phone, from);
    assert.match(help ?? '', /^To write: text the 7-digit SMS code/);
    assert.ok(!CJK.test(help!), help);

    // A message texted in English to a board's code, tracked with TRACK.
    from = await flushed();
    await text(people.english!.phone, '1301232 The street light at the east gate has been broken for two months');
    const [received] = await smsTo(people.english!.phone, from);
    const code = /Tracking code ([A-Z0-9]{8})/.exec(received ?? '')?.[1];
    assert.ok(code, received);
    assert.match(received!, /^Your message to the County Head of Zhengding County has been received\./);
    from = await flushed();
    await text(people.english!.phone, `TRACK ${code}`);
    const [status] = await smsTo(people.english!.phone, from);
    assert.equal(status, `Message ${code}: Awaiting review. It goes to the handling unit once approved.`);

    // A place and post written in Traditional characters find their board; the answer is in Traditional too.
    from = await flushed();
    await text(people.hongKong!.phone, '正定縣長 小區門口的路燈壞了兩個月，晚上出行很不方便');
    const [hk] = await smsTo(people.hongKong!.phone, from);
    assert.match(hk ?? '', /^致正定縣縣長的留言已收到，查詢碼[A-Z0-9]{8}/);
    assert.ok(!hasSimplifiedOnly(hk!), hk);
  });

  test('the workbench in English shows no Chinese outside what people wrote', async () => {
    const web = new WebClient(t.app, nextIp());
    await web.get('/login');
    assert.equal((await web.post('/login', { phone: cast.phones.county!, password: PASSWORD })).statusCode, 303);
    web.cookies.set('lang', 'en');
    const inbox = await web.get('/workbench');
    assert.equal(inbox.statusCode, 200);
    assert.match(inbox.body, /<h1>Workbench<\/h1>/);
    assert.match(inbox.body, /translate="no"[^>]*>\d+\. 路灯又坏了</, 'a message title is shown as written');
    // The board, the type and the domain in English, the handling unit by its English name.
    assert.match(inbox.body, /Zhengding County · County Head · Request for help · Urban development/);
    assert.match(inbox.body, /Supervision Office of Zhengding County/);
    assert.deepEqual(untranslated(inbox.body, 'en'), []);
    const message = await t.db
      .selectFrom('messages')
      .select('id')
      .where('title', '=', '路灯又坏了')
      .executeTakeFirstOrThrow();
    const page = await web.get(`/workbench/messages/${message.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 translate="no">路灯又坏了<\/h1>/);
    assert.deepEqual(untranslated(page.body, 'en'), []);
  });
});
