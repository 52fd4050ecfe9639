import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { en } from '../src/i18n/catalog.en.ts';
import { zhCN } from '../src/i18n/catalog.zh-CN.ts';
import { safeRedirect } from '../src/web/safe-redirect.ts';
import { createTestApp, type TestApp } from './helpers.ts';

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
    assert.match(page.body, /河北省/, 'place names stay as they are');
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

test('every catalogue has the same keys and no empty string', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(zhCN).sort());
  for (const [key, text] of [...Object.entries(en), ...Object.entries(zhCN)]) assert.ok(text.trim().length > 0, key);
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
    assert.deepEqual(placeholders(en[key]), placeholders(zhCN[key]), key);
  }
});
