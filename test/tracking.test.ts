// The tracking-code lookup every channel uses: the /track page and GET /api/v1/track/{code} — the status for anyone
// holding the code, the public page and answer for a public message, nothing more for a private one — limited per
// address against guessing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, type Cast, createCast, createChannelApp, nextIp } from './channel-helpers.ts';
import { TEST_ENGINE, type TestApp } from './helpers.ts';

let t: TestApp;
let cast: Cast;
let publicCode = '';
let publicId = 0;
let privateCode = '';

before(async () => {
  t = await createChannelApp({ RATE_LIMIT_TRACK_PER_MINUTE: '5', SMS_INBOUND_NUMBER: '10691234' });
  cast = await createCast(t);
  const write = async (visibility: string, title: string) =>
    (
      await cast.call('citizen', 'POST', '/api/v1/messages', {
        boardId: 1301232,
        type: 'help',
        domain: 'urban',
        title,
        body: `${title}，已经持续很长时间了，希望有关部门尽快处理，谢谢。电话13812345678`,
        visibility,
      })
    ).json();
  const pub = await write('public', '小区门口路灯坏了');
  publicCode = pub.trackingCode;
  publicId = pub.id;
  privateCode = (await write('private', '家中老人医保报销问题')).trackingCode;
});
after(() => t.close());

const page = (code?: string, remoteAddress = nextIp()) =>
  t.app.inject({
    method: 'GET',
    url: code === undefined ? '/track' : `/track?code=${encodeURIComponent(code)}`,
    remoteAddress,
  });
const api = (code: string, remoteAddress = nextIp()) =>
  t.app.inject({ method: 'GET', url: `/api/v1/track/${encodeURIComponent(code)}`, remoteAddress });

describe(`tracking-code lookup on ${TEST_ENGINE}`, () => {
  test('the page is a small form that works without signing in', async () => {
    const res = await page();
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="get" action="\/track"/);
    assert.match(res.body, /name="code"/);
    assert.match(res.body, /发短信“查 查询码”到 10691234/);
  });

  test('a message in review shows its status only', async () => {
    const res = await page(publicCode);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /待审核/);
    assert.doesNotMatch(res.body, /小区门口路灯坏了/, 'nothing is public before review');
    const json = (await api(publicCode)).json();
    assert.deepEqual(json, {
      code: publicCode,
      status: 'submitted',
      statusLabel: '待审核',
      message: null,
      reply: null,
    });
  });

  test('a published public message links to its page and shows the answer', async () => {
    await answer(cast, publicId, '经核实，路灯已于本周修复，感谢您的监督。');
    const res = await page(` ${publicCode.toLowerCase().slice(0, 4)}-${publicCode.toLowerCase().slice(4)} `);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /已办理/);
    assert.match(res.body, new RegExp(`href="/messages/${publicId}"`));
    assert.match(res.body, /路灯已于本周修复/);
    const json = (await api(publicCode.toLowerCase())).json();
    assert.equal(json.status, 'replied');
    assert.equal(json.message.id, publicId);
    assert.equal(json.message.path, `/messages/${publicId}`);
    assert.equal(json.message.unit, '正定县委县政府督查室');
    assert.match(json.reply.body, /路灯已于本周修复/);
  });

  test('a private message shows only its status, even once answered', async () => {
    const id = (
      await t.db.selectFrom('messages').select('id').where('tracking_code', '=', privateCode).executeTakeFirstOrThrow()
    ).id;
    await answer(cast, id, '经核实，报销比例已按政策重新核算。');
    const res = await page(privateCode);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /已办理/);
    assert.doesNotMatch(res.body, /医保报销|重新核算|138/);
    assert.doesNotMatch(res.body, new RegExp(`/messages/${id}`));
    assert.deepEqual((await api(privateCode)).json(), {
      code: privateCode,
      status: 'replied',
      statusLabel: '已办理',
      message: null,
      reply: null,
    });
  });

  test('a malformed code and an unknown one are told apart, clearly', async () => {
    const bad = await page('12345');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /查询码应为 8 位字母和数字/);
    assert.match(bad.body, /value="12345"/, 'what was typed is kept');
    const unknown = await page('ZZZZ2222');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /没有找到查询码为 ZZZZ2222 的留言/);
    assert.equal((await api('12345')).json().error.code, 'TRACKING_CODE_INVALID');
    assert.equal((await api('ZZZZ2222')).statusCode, 404);
    const hostile = await page('"><script>alert(1)</script>');
    assert.equal(hostile.statusCode, 400);
    assert.equal(hostile.body.replace(/value="[^"]*"/g, '').includes('<script>alert(1)'), false, 'escaped');
    assert.equal((await page('A\u0000B')).statusCode, 400);
  });

  test('look-ups are limited per address, with a clear Chinese message; the empty form is not counted', async () => {
    const address = '10.66.1.1';
    for (let i = 0; i < 8; i++) assert.equal((await page(undefined, address)).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.notEqual((await page(`ZZZZ222${i + 2}`, address)).statusCode, 429);
    const limited = await page('ZZZZ2229', address);
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /查询过于频繁：为防止他人猜测查询码，每个网络地址每分钟最多查询 5 次/);
    const other = '10.66.1.2';
    for (let i = 0; i < 5; i++) await api('ZZZZ2222', other);
    const apiLimited = await api(publicCode, other);
    assert.equal(apiLimited.statusCode, 429);
    assert.equal(apiLimited.json().error.code, 'TRACK_RATE_LIMITED');
  });
});
