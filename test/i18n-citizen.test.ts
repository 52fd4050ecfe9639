// The citizens' pages in three languages: the write form in English, the message page read in Traditional characters
// on a Hong Kong page ("顯示繁體") without touching what is stored, the account's language chosen on /account, and the
// API's labels in the language the request asks for.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { toHant } from '../src/i18n/hant.ts';
import { unsubscribePath } from '../src/mail/links.ts';
import { createTestApp, People, type Person, type TestApp } from './helpers.ts';
import { untranslated } from './untranslated.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
const PASSWORD = 'Sanzhong-Yuyan-2026!';
const COUNTY_BOARD = 1301232; // 正定县 · 县长, handled by 130123001
const COUNTY_UNIT = 130123001;

let ip = 0;
const nextIp = () => `10.47.${Math.floor(++ip / 200)}.${ip % 200}`;
let people: People;

const api = (who: Person | null, method: 'GET' | 'POST', url: string, body?: object, headers = {}) =>
  t.app.inject({
    method,
    url,
    remoteAddress: nextIp(),
    ...(body ? { payload: body } : {}),
    headers: { ...headers, ...(who ? { authorization: `Bearer ${who.token}` } : {}) },
  });

async function act(who: Person, id: number, action: string, body: object = {}): Promise<void> {
  const res = await api(who, 'POST', `/api/v1/messages/${id}/actions/${action}`, body);
  assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
}

/** A browser in a language (by its cookie), signed in as `who` unless null. */
async function browser(locale: string | null, who: Person | null = null): Promise<WebClient> {
  const web = new WebClient(t.app, nextIp());
  if (who) await web.signIn(who.phone, PASSWORD);
  if (locale) web.cookies.set('lang', locale);
  return web;
}

/** What the page says outside user content and other-language parts that the page's language should not contain. */
function wrongLanguage(html: string, locale: string): string[] {
  return [...new Set(untranslated(html, locale))];
}

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const storedLocale = async (id: number) =>
  (await t.db.selectFrom('users').select('locale').where('id', '=', id).executeTakeFirstOrThrow()).locale;

let author: Person;
let editor: Person;
let county: Person;
let countyHead: Person;
/** A published public message written in Simplified characters, with a published reply. */
let messageId: number;
let trackingCode: string;
const TITLE = '小区门口路灯坏了两个月';
const BODY = '这里的路灯坏了很久，晚上没有灯光，老人孩子出门很不方便，请有关部门尽快维修，谢谢。';
const REMARKS = '联系电话请打给我，我住在这个小区';
const REPLY = '经过核查，已经安排维修人员更换路灯，现在已经恢复照明，感谢您的监督。';

before(async () => {
  t = await createTestApp();
  people = new People(t.db, PASSWORD, '1370000');
  author = await people.netizen('正定网友');
  editor = await people.staff('编辑', 'editor');
  county = await people.staff('正定办理员', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY_UNIT) });
  countyHead = await people.staff('正定负责人', 'unit_head', { scopeType: 'unit', scopeId: String(COUNTY_UNIT) });
  const res = await api(author, 'POST', '/api/v1/messages', {
    boardId: COUNTY_BOARD,
    type: 'help',
    domain: 'urban',
    title: TITLE,
    body: BODY,
    remarks: REMARKS,
  });
  assert.equal(res.statusCode, 201, res.body);
  messageId = res.json().id;
  trackingCode = res.json().trackingCode;
  await act(editor, messageId, 'approve');
  await act(county, messageId, 'accept');
  await act(county, messageId, 'draft-reply', { body: REPLY, submit: true });
  await act(countyHead, messageId, 'approve-reply');
});
after(() => t.close());

describe('the write form in English', () => {
  test('has English labels, the board named in English, and no CJK outside what people wrote', async () => {
    const web = await browser('en', author);
    const res = await web.get(`/messages/new?board=${COUNTY_BOARD}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="en">/);
    assert.match(res.body, /<h1>Write to Zhengding County · County Head<\/h1>/);
    for (const label of ['Type of message', 'Subject area', 'Title', 'Remarks (not published)', 'Submit message'])
      assert.ok(res.body.includes(`${label}<`), `label ${label}`);
    assert.match(res.body, /Request for help/, 'the types are named in English');
    assert.match(res.body, /20–5,000 characters/, 'numbers as English writes them');
    assert.deepEqual(wrongLanguage(res.body, 'en'), []);
  });

  test('in Simplified Chinese it still reads as before', async () => {
    const web = await browser(null, author);
    const res = await web.get(`/messages/new?board=${COUNTY_BOARD}`);
    assert.match(res.body, /<h1>给正定县 · 县长写留言<\/h1>/);
    assert.match(res.body, /留言类型/);
    assert.match(res.body, /提交留言/);
  });

  test('the other citizen pages in English keep CJK only in what people wrote', async () => {
    const web = await browser('en', author);
    for (const path of [
      `/messages/${messageId}`,
      '/my/messages',
      '/my/follows',
      '/notifications',
      '/account',
      '/account/notices',
      '/help/rules',
      `/track?code=${trackingCode}`,
    ]) {
      const res = await web.get(path);
      assert.equal(res.statusCode, 200, path);
      assert.deepEqual(wrongLanguage(res.body, 'en'), [], path);
    }
    const page = await web.get(`/track?code=${trackingCode}`);
    assert.match(page.body, /Reply from <span>Supervision Office of Zhengding County<\/span>/);
    assert.match(page.body, new RegExp(`translate="no">${TITLE}<`), 'the title is marked as user content');
  });
});

describe('a message with photos, in English', () => {
  test('names its photos in English', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6a8' } })
      .jpeg()
      .toBuffer();
    const res = await api(author, 'POST', '/api/v1/messages', {
      boardId: COUNTY_BOARD,
      type: 'complain',
      domain: 'transport',
      title: '公交站台的顶棚破了一个大洞',
      body: '县城北门公交站台的顶棚破了一个大洞，下雨天等车的人都淋湿了，请尽快修补。',
      images: [
        { data: photo.toString('base64'), public: true },
        { data: photo.toString('base64'), public: false },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().id as number;
    await act(editor, id, 'approve');
    const visitor = await browser('en');
    const page = await visitor.get(`/messages/${id}`);
    assert.match(page.body, /title="View full size"/);
    assert.match(page.body, /alt="Photo 1 of the message"/);
    assert.doesNotMatch(page.body, /not published\)"/, 'a visitor sees the public photo only');
    assert.deepEqual(wrongLanguage(page.body, 'en'), []);
    const own = await (await browser('en', author)).get(`/messages/${id}`);
    assert.match(own.body, /alt="Photo 2 of the message \(not published\)"/);
    assert.deepEqual(wrongLanguage(own.body, 'en'), []);
  });
});

describe('the pages an e-mail opens, in English', () => {
  test('confirming an address and unsubscribing speak the reader’s language', async () => {
    const web = await browser('en');
    const confirm = await web.get(`/account/email/confirm?token=${'a'.repeat(43)}`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Confirm this address/);
    assert.deepEqual(wrongLanguage(confirm.body, 'en'), []);
    const unsubscribe = await web.get(unsubscribePath(t.config.secret, author.id, 'follows'));
    assert.equal(unsubscribe.statusCode, 200);
    assert.match(unsubscribe.body, /Stop getting “Messages and boards I follow” by e-mail\?/);
    assert.deepEqual(wrongLanguage(unsubscribe.body, 'en'), []);
    const forged = await web.get(`/unsubscribe?u=${author.id}&k=follows&s=${'0'.repeat(64)}`);
    assert.equal(forged.statusCode, 400);
    assert.match(forged.body, /This unsubscribe link is not valid/);
  });
});

describe('顯示繁體: a Simplified message read in Traditional characters on a zh-HK page', () => {
  test('offers the switch, converts title, body and replies for reading, and stores nothing', async () => {
    const before = await t.db
      .selectFrom('messages')
      .select(['title', 'body', 'remarks_sealed'])
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    const web = await browser('zh-HK');
    const plain = await web.get(`/messages/${messageId}`);
    assert.equal(plain.statusCode, 200);
    assert.match(plain.body, /<html lang="zh-HK">/);
    assert.match(plain.body, new RegExp(`<a href="/messages/${messageId}\\?hant=1">顯示繁體</a>`));
    assert.ok(plain.body.includes(escapeHtml(BODY)), 'as written until asked');
    assert.deepEqual(wrongLanguage(plain.body, 'zh-HK'), []);

    const hant = await web.get(`/messages/${messageId}?hant=1`);
    assert.equal(hant.statusCode, 200);
    const body = toHant(BODY);
    assert.notEqual(body, BODY, 'the text has characters Hong Kong writes otherwise');
    assert.ok(hant.body.includes(`<div class="message-body" translate="no">${escapeHtml(body)}</div>`));
    assert.ok(hant.body.includes(`<h1 translate="no">${escapeHtml(toHant(TITLE))}</h1>`));
    assert.ok(hant.body.includes(`<div class="message-body" translate="no">${escapeHtml(toHant(REPLY))}</div>`));
    assert.ok(!hant.body.includes(BODY) && !hant.body.includes(REPLY), 'nothing left in Simplified');
    assert.match(hant.body, new RegExp(`<a href="/messages/${messageId}">顯示原文</a>`));
    assert.deepEqual(wrongLanguage(hant.body, 'zh-HK'), []);

    const after = await t.db
      .selectFrom('messages')
      .select(['title', 'body', 'remarks_sealed'])
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, before, 'the stored message is untouched');
    const reply = await t.db
      .selectFrom('replies')
      .select('body')
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    assert.equal(reply.body, REPLY);
    const json = await api(null, 'GET', `/api/v1/messages/${messageId}`);
    assert.equal(json.json().body, BODY, 'the API still gives the text as written');
  });

  test('the author reads their remarks converted too', async () => {
    const web = await browser('zh-HK', author);
    const page = await web.get(`/messages/${messageId}?hant=1`);
    assert.ok(page.body.includes(`<p translate="no">${escapeHtml(toHant(REMARKS))}</p>`));
    const plain = await web.get(`/messages/${messageId}`);
    assert.ok(plain.body.includes(`<p translate="no">${escapeHtml(REMARKS)}</p>`));
  });

  test('is not offered in zh-CN or en, where hant=1 changes nothing', async () => {
    for (const locale of ['zh-CN', 'en']) {
      const web = await browser(locale);
      const page = await web.get(`/messages/${messageId}?hant=1`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /hant=1|顯示繁體|显示繁体|Traditional characters/, locale);
      assert.ok(page.body.includes(escapeHtml(BODY)), `${locale}: the body as written`);
      assert.ok(!page.body.includes(escapeHtml(toHant(BODY))), locale);
    }
  });
});

describe('the account language', () => {
  test('the account page offers the three languages and says what follows the choice', async () => {
    const web = await browser(null, author);
    const page = await web.get('/account');
    assert.match(page.body, /<form method="post" action="\/account\/language"/);
    for (const [locale, name] of [
      ['zh-CN', '简体中文'],
      ['zh-HK', '繁體中文'],
      ['en', 'English'],
    ])
      assert.match(
        page.body,
        new RegExp(
          `name="locale" value="${locale}"[^>]*/>\\s*<label for="f-locale-${locale}" lang="${locale}">${name}</label>`,
        ),
      );
    assert.match(page.body, /通知、电子邮件和短信都会使用您选择的语言/);
  });

  test('choosing English stores it for the account and sets the cookie', async () => {
    const person = await people.netizen('学英语');
    const web = await browser(null, person);
    await web.get('/account');
    const res = await web.post('/account/language', { locale: 'en' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account?done=language');
    const cookie = res.cookies.find((c) => c.name === 'lang');
    assert.equal(cookie?.value, 'en');
    assert.equal(await storedLocale(person.id), 'en');
    const page = await web.get('/account?done=language');
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /Language saved: notices, e-mails and SMS will come in this language\./);
    assert.match(page.body, /value="en" checked/);
    assert.deepEqual(wrongLanguage(page.body, 'en'), []);

    // And back to Traditional Chinese, from the English page.
    const back = await web.post('/account/language', { locale: 'zh-HK' });
    assert.equal(back.statusCode, 303);
    assert.equal(await storedLocale(person.id), 'zh-HK');
    assert.equal(web.cookies.get('lang'), 'zh-HK');
  });

  test('a language that is not ours is refused beside the form, storing nothing', async () => {
    const person = await people.netizen('乱选语言');
    const web = await browser('en', person);
    await web.get('/account');
    const stored = await storedLocale(person.id);
    const res = await web.post('/account/language', { locale: 'fr' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Please choose a language/);
    assert.equal(await storedLocale(person.id), stored);
    assert.ok(!res.cookies.some((c) => c.name === 'lang'));
  });

  test('without the CSRF token the change is refused', async () => {
    const person = await people.netizen('没有令牌');
    const web = await browser(null, person);
    await web.get('/account');
    // Signing in gave the account the language it was read in.
    assert.equal(await storedLocale(person.id), 'zh-CN');
    const res = await web.post('/account/language', { locale: 'en' }, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /页面已过期或来源不明/);
    assert.equal(await storedLocale(person.id), 'zh-CN');
    assert.ok(!res.cookies.some((c) => c.name === 'lang'));
  });

  test('an anonymous visitor cannot post it', async () => {
    const web = await browser(null);
    await web.get('/login');
    const res = await web.post('/account/language', { locale: 'en' });
    assert.equal(res.statusCode, 401);
    assert.ok(!res.cookies.some((c) => c.name === 'lang'));
  });
});

describe('the API labels in the language asked for', () => {
  test('my messages and the tracking code give English labels to an English request', async () => {
    const en = await api(author, 'GET', '/api/v1/me/messages', undefined, { 'accept-language': 'en' });
    assert.equal(en.statusCode, 200);
    const mine = en.json().messages.find((m: { id: number }) => m.id === messageId);
    assert.equal(mine.statusLabel, 'Replied');
    assert.doesNotMatch(mine.channelLabel, /\p{Script=Han}/u, 'the channel named in English');
    const zh = await api(author, 'GET', '/api/v1/me/messages');
    assert.equal(zh.json().messages.find((m: { id: number }) => m.id === messageId).statusLabel, '已办理');

    const tracked = await api(null, 'GET', `/api/v1/track/${trackingCode}`, undefined, { 'accept-language': 'en-GB' });
    assert.equal(tracked.json().statusLabel, 'Replied');
    const message = await api(null, 'GET', `/api/v1/messages/${messageId}`, undefined, { 'accept-language': 'en' });
    assert.deepEqual(message.json().type, { key: 'help', label: 'Request for help' });
    assert.equal(message.json().body, BODY);
  });
});
