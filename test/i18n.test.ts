import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { en } from '../src/i18n/catalog.en.ts';
import { zhHK } from '../src/i18n/catalog.zh-HK.ts';
import { hasSimplifiedOnly } from '../src/i18n/hant.ts';
import { namesFor, placeNameEn } from '../src/i18n/place-names.ts';
import { readRegionSeed } from '../src/reference/seed-reference.ts';
import { WebClient } from './web-client.ts';
import { numberFormat } from '../src/web/number-format.ts';
import { timeFormat } from '../src/web/time-format.ts';
import { zhCN } from '../src/i18n/catalog.zh-CN.ts';
import { safeRedirect } from '../src/web/safe-redirect.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

describe('language switch', () => {
  test('switching to English keeps the page and sets a cookie', async () => {
    const res = await t.app.inject('/lang/en?next=%2Fregions%2F130000');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/regions/130000');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^lang=en;/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);

    const page = await t.app.inject({ url: '/regions/130000', cookies: { lang: 'en' } });
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /Leaders’ boards/);
    assert.match(page.body, /<a href="\/lang\/zh-CN\?next=%2Fregions%2F130000"/);
    assert.match(page.body, /Hebei Province/, 'places in English');
  });

  test('errors follow the language too, in pages and in the API', async () => {
    const page = await t.app.inject({ url: '/regions/999999', cookies: { lang: 'en' } });
    assert.match(page.body, /There is no region with code 999999/);
    const api = await t.app.inject({ url: '/api/v1/boards/7', cookies: { lang: 'en' } });
    assert.equal(api.json().error.message, 'There is no board number 7.');
  });

  test('an unknown language is a 404 and an unknown cookie falls back to Chinese', async () => {
    assert.equal((await t.app.inject('/lang/xx')).statusCode, 404);
    const page = await t.app.inject({ url: '/', cookies: { lang: 'xx' } });
    assert.match(page.body, /<html lang="zh-CN">/);
  });

  test('the switch never redirects off the site', async () => {
    const offSite = [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '',
      '/\t/evil.example',
      '/./\n/evil.example',
    ];
    for (const next of offSite) {
      const res = await t.app.inject(`/lang/en?next=${encodeURIComponent(next)}`);
      assert.equal(res.headers.location, '/', next);
    }
    // The exact request of the report: `%09` is a tab, which browsers drop, leaving `//evil.example`.
    const tab = await t.app.inject('/lang/en?next=/%09/evil.example');
    assert.equal(tab.statusCode, 303);
    assert.equal(tab.headers.location, '/');
    // CR, LF, NUL and non-ASCII never reach the Location header raw, and never give a 5xx.
    for (const next of ['/a%0d%0aSet-Cookie:x=1', '/留言?q=路灯', '/%E0%A4%A']) {
      const res = await t.app.inject(`/lang/en?next=${next}`);
      assert.equal(res.statusCode, 303, next);
      assert.doesNotMatch(String(res.headers.location), /[\r\n\0]|[^\x20-\x7e]/, next);
    }
    // A NUL is refused before any handler sees it (test/hostile-input.test.ts).
    assert.equal((await t.app.inject('/lang/en?next=/a%00b')).statusCode, 400);
    assert.equal(safeRedirect('/boards/1'), '/boards/1');
    assert.equal(safeRedirect('/search?q=%E8%B7%AF#top'), '/search?q=%E8%B7%AF#top');
    assert.equal(safeRedirect('/留言'), '/%E7%95%99%E8%A8%80');
    assert.equal(safeRedirect('/.//evil.example'), '/');
  });
});

test('every catalogue has the same keys, the same placeholders and no empty string', () => {
  const keys = Object.keys(zhCN).sort();
  assert.deepEqual(Object.keys(en).sort(), keys);
  assert.deepEqual(Object.keys(zhHK).sort(), keys);
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of keys as (keyof typeof zhCN)[]) {
    for (const [name, catalogue] of [
      ['en', en],
      ['zh-HK', zhHK],
    ] as const) {
      assert.ok(catalogue[key].trim().length > 0, `${name} ${key} is empty`);
      assert.deepEqual(placeholders(catalogue[key]), placeholders(zhCN[key]), `${name} ${key}`);
    }
    assert.ok(zhCN[key].trim().length > 0, key);
  }
});

test('the Hong Kong catalogue is in Traditional characters, the English one has no Chinese', () => {
  const simplified = Object.entries(zhHK).filter(([, text]) => hasSimplifiedOnly(text));
  assert.deepEqual(simplified, [], 'zh-HK texts with Simplified-only characters');
  // The SMS keywords people text back are Chinese words; an English text quotes them.
  const chinese = Object.entries(en).filter(([, text]) => /\p{Script=Han}/u.test(text.replace(/“[^”]*”|"[^"]*"/g, '')));
  assert.deepEqual(chinese, [], 'English texts with Chinese characters outside quotes');
  // Hong Kong terms, not only characters: a few words Hong Kong says differently.
  assert.equal(zhHK['nav.login'], '登入');
  assert.equal(zhHK['nav.search'], '搜尋');
  assert.doesNotMatch(Object.values(zhHK).join('\n'), /視頻|信息|登錄|默認/);
});

describe('which language a request gets', () => {
  const lang = (res: { body: string }) => /<html lang="([^"]+)">/.exec(res.body)?.[1];

  test('the browser’s Accept-Language, then the cookie over it, then Simplified Chinese', async () => {
    assert.equal(
      lang(await t.app.inject({ url: '/regions/130000', headers: { 'accept-language': 'en-GB,en;q=0.9' } })),
      'en',
    );
    assert.equal(
      lang(await t.app.inject({ url: '/regions/130000', headers: { 'accept-language': 'zh-TW,zh;q=0.9' } })),
      'zh-HK',
    );
    assert.equal(
      lang(await t.app.inject({ url: '/regions/130000', headers: { 'accept-language': 'zh-Hant-HK' } })),
      'zh-HK',
    );
    assert.equal(
      lang(await t.app.inject({ url: '/regions/130000', headers: { 'accept-language': 'fr;q=1, en;q=0.5' } })),
      'en',
    );
    assert.equal(
      lang(await t.app.inject({ url: '/regions/130000', headers: { 'accept-language': 'fr, de' } })),
      'zh-CN',
    );
    assert.equal(
      lang(await t.app.inject({ url: '/regions/130000', headers: { 'accept-language': 'zh-CN;q=0.2, en;q=0.8' } })),
      'en',
    );
    assert.equal(
      lang(await t.app.inject({ url: '/regions/130000', headers: { 'accept-language': ';;;q=x,,' } })),
      'zh-CN',
    );
    const chosen = await t.app.inject({
      url: '/regions/130000',
      headers: { 'accept-language': 'en' },
      cookies: { lang: 'zh-CN' },
    });
    assert.equal(lang(chosen), 'zh-CN', 'a choice made on the site wins over the browser');
    assert.match(String(chosen.headers.vary), /Accept-Language/);
    assert.match(String(chosen.headers.vary), /Cookie/);
  });

  test('the pages of Hong Kong and Macau default to Traditional Chinese', async () => {
    const hk = await t.app.inject({ url: '/regions/810000', headers: { 'accept-language': 'zh-CN' } });
    assert.equal(lang(hk), 'zh-HK');
    assert.match(hk.body, /香港特別行政區/);
    assert.equal(lang(await t.app.inject('/boards/8200001')), 'zh-HK');
    assert.equal(lang(await t.app.inject('/stats/regions/820000')), 'zh-HK');
    // English readers keep English; a choice made on the site wins; a mainland region is unaffected.
    const english = await t.app.inject({ url: '/regions/810000', headers: { 'accept-language': 'en-US' } });
    assert.equal(lang(english), 'en');
    assert.match(english.body, /Hong Kong Special Administrative Region/);
    assert.equal(lang(await t.app.inject({ url: '/regions/810000', cookies: { lang: 'zh-CN' } })), 'zh-CN');
    assert.equal(lang(await t.app.inject('/regions/130000')), 'zh-CN');
    // A message id that merely starts with 81 is not a Hong Kong page.
    assert.notEqual(lang(await t.app.inject('/messages/810001')), 'zh-HK');
  });

  test('the shared page cache keeps one copy per language', async () => {
    const zh = await t.app.inject({ url: '/regions/130100', headers: { 'accept-language': 'zh-CN' } });
    const english = await t.app.inject({ url: '/regions/130100', headers: { 'accept-language': 'en' } });
    const again = await t.app.inject({ url: '/regions/130100', headers: { 'accept-language': 'zh-CN' } });
    assert.equal(lang(zh), 'zh-CN');
    assert.equal(lang(english), 'en');
    assert.match(english.body, /Shijiazhuang City/);
    assert.equal(lang(again), 'zh-CN');
    assert.match(again.body, /石家庄市/);
  });

  test('API errors follow Accept-Language', async () => {
    const english = await t.app.inject({ url: '/api/v1/boards/7', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    assert.equal(english.json().error.message, 'There is no board number 7.');
    const hk = await t.app.inject({ url: '/api/v1/boards/7', headers: { 'accept-language': 'zh-HK' } });
    assert.equal(hk.json().error.message.includes('留言板'), true);
    assert.equal(hasSimplifiedOnly(hk.json().error.message), false);
    const search = await t.app.inject({ url: '/api/v1/messages?region=12', headers: { 'accept-language': 'en' } });
    assert.equal(search.statusCode, 400);
    assert.match(search.json().error.message, /A region code has 6 digits/);
  });
});

describe('names in each language', () => {
  test('official English names for provinces, pinyin for the others, Traditional characters for Hong Kong', () => {
    assert.equal(placeNameEn('广西壮族自治区'), 'Guangxi Zhuang Autonomous Region');
    assert.equal(placeNameEn('香港特别行政区'), 'Hong Kong Special Administrative Region');
    assert.equal(placeNameEn('石家庄市'), 'Shijiazhuang City');
    assert.equal(placeNameEn('正定县'), 'Zhengding County');
    assert.equal(placeNameEn('西安区'), "Xi'an District");
    assert.equal(placeNameEn('吕梁市'), 'Lüliang City');
    assert.equal(placeNameEn('乐亭县'), 'Laoting County', 'place readings, not the dictionary’s');
    assert.equal(placeNameEn('延边朝鲜族自治州'), 'Yanbian Korean Autonomous Prefecture');
    assert.equal(
      placeNameEn('积石山保安族东乡族撒拉族自治县'),
      'Jishishan Bonan, Dongxiang and Salar Autonomous County',
    );
    const en = namesFor('en');
    assert.equal(en.post('县长'), 'County Head');
    assert.equal(en.unit('正定县委县政府督查室'), 'Supervision Office of Zhengding County');
    assert.equal(en.unit('正定县住房和城乡建设局'), '正定县住房和城乡建设局', 'a unit named by people keeps its name');
    assert.equal(en.unitKeptAsWritten('正定县住房和城乡建设局'), true);
    const hk = namesFor('zh-HK');
    assert.equal(hk.place('石家庄市'), '石家莊市');
    assert.equal(hk.post('县长'), '縣長');
    // Every region of the reference data has an English name without Chinese characters.
    for (const [, name] of readRegionSeed().regions) assert.doesNotMatch(placeNameEn(name), /\p{Script=Han}/u, name);
  });
});

describe('the public pages in each language', () => {
  test('a board page names the place, the post and the unit in the reader’s language', async () => {
    const en = await t.app.inject({ url: '/boards/1301232', cookies: { lang: 'en' } });
    assert.match(en.body, /<h1>Zhengding County · County Head<\/h1>/);
    assert.match(en.body, /Supervision Office of Zhengding County/);
    assert.match(en.body, />Hebei Province</, 'the breadcrumb');
    assert.match(en.body, /<span lang="zh-CN">查<\/span>/, 'the SMS keyword stays Chinese, marked as such');
    const hk = await t.app.inject({ url: '/boards/1301232', cookies: { lang: 'zh-HK' } });
    assert.match(hk.body, /<h1>正定縣 · 縣長<\/h1>/);
    assert.match(hk.body, /正定縣委縣政府督查室/);
    const zh = await t.app.inject('/boards/1301232');
    assert.match(zh.body, /<h1>正定县 · 县长<\/h1>/);
  });

  test('search in English: labels, message kinds and the count in English, dates with the month in words', async () => {
    const res = await t.app.inject({ url: '/search?q=%E8%B7%AF&type=complain', cookies: { lang: 'en' } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Search messages<\/h1>/);
    assert.match(res.body, /<option value="complain" selected>Complaint<\/option>/);
    assert.match(res.body, /messages found|No messages found/);
    const bad = await t.app.inject({ url: '/search?q=' + 'x'.repeat(60), cookies: { lang: 'en' } });
    assert.match(bad.body, /Search for at most 50 characters/);
  });

  test('numbers and dates are written the way each language writes them', () => {
    const at = '2026-12-04T02:40:00Z';
    assert.equal(timeFormat('en', 'Asia/Shanghai').dateTime(at), '4 Dec 2026, 10:40');
    assert.equal(timeFormat('zh-CN', 'Asia/Shanghai').date(at), '2026/12/04');
    assert.equal(timeFormat('zh-HK', 'Asia/Shanghai').date(at), '04/12/2026');
    assert.equal(numberFormat('en').count(1234567), '1,234,567');
    assert.equal(numberFormat('zh-HK').percent(0.875), '87.5%');
  });
});

describe('the account’s language', () => {
  test('a language chosen in the browser becomes the account’s when it signs in, and follows it to another browser', async () => {
    const phone = '13900000977';
    const web = new WebClient(t.app, '10.7.0.1');
    web.cookies.set('lang', 'en');
    await web.get('/register');
    await web.post('/register/code', { phone });
    const code = lastCode(t.config, phone);
    const done = await web.post('/register', { phone, code, password: 'a-long-pass-phrase-9', nickname: '语言测试' });
    assert.equal(done.statusCode, 303);
    const row = await t.db
      .selectFrom('users')
      .select(['id', 'locale'])
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    assert.equal(row.locale, 'en');
    // Another browser, no language chosen there: signing in brings English.
    const other = new WebClient(t.app, '10.7.0.2');
    await other.get('/login');
    const login = await other.post('/login', { phone, password: 'a-long-pass-phrase-9' });
    assert.equal(login.statusCode, 303);
    assert.equal(other.cookies.get('lang'), 'en');
    // Switching while signed in stores the new choice.
    await other.get('/lang/zh-HK?next=/');
    const after = await t.db.selectFrom('users').select('locale').where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.equal(after.locale, 'zh-HK');
  });
});
