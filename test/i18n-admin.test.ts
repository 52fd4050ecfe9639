// Administration and the editors' columns in English and in Hong Kong Chinese: headings, labels, roles, rules and the
// log in the page's language, what people wrote marked translate="no" and left as written, and a refused form that
// says why in the page's language.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD_DEFAULT } from '../src/demo/demo-seed.ts';
import { createDemoApp, TEST_ENGINE, type TestApp } from './helpers.ts';
import { untranslated } from './untranslated.ts';
import { unmarked } from './user-content.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
const ADMIN = '19900000001';
const EDITOR = '19900000002';
const COUNTY_HEAD = '19900000012';
let staffId: number;

async function signedIn(phone: string, locale: string, ip: string): Promise<WebClient> {
  const web = await new WebClient(t.app, ip).signIn(phone, DEMO_PASSWORD_DEFAULT);
  web.cookies.set('lang', locale);
  return web;
}

/** A page that is right for its language: 200, the language declared, no interface text in another language. */
async function page(web: WebClient, url: string, locale: string): Promise<string> {
  const res = await web.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
  assert.match(res.body, new RegExp(`<html lang="${locale}">`), url);
  assert.deepEqual(untranslated(res.body, locale), [], `${url} in ${locale}`);
  return res.body;
}

before(async () => {
  t = await createDemoApp();
  staffId = (await t.db.selectFrom('users').select('id').where('phone', '=', '19900000011').executeTakeFirstOrThrow())
    .id;
});
after(() => t.close());

describe(`administration in English on ${TEST_ENGINE}`, () => {
  test('the users page: English headings and labels, nicknames marked as written, roles named in English', async () => {
    const admin = await signedIn(ADMIN, 'en', '10.61.0.1');
    const users = await page(admin, '/admin/users?q=199', 'en');
    assert.match(users, /<h1>Users<\/h1>/);
    assert.match(users, /<label for="f-q">Find by phone number or nickname<\/label>/);
    // The nickname is the person's own, in Chinese, marked; what the page says around it is English.
    assert.match(users, /<span translate="no">正定县督查室办理员<\/span> \(199\*\*\*\*0011\)<span> · staff<\/span>/);

    const user = await page(admin, `/admin/users/${staffId}`, 'en');
    assert.match(user, /<h2>Roles<\/h2>/);
    // The role in English; the demo county's dispatching unit by its English name.
    assert.match(user, /Handling unit staff · Supervision Office of Zhengding County \(130123001\)/);
    assert.match(user, /<option value="supervisor">Supervisor \(Handling unit \/ Region\)<\/option>/);

    const index = await page(admin, '/admin', 'en');
    assert.match(index, />Deadlines and working rules<\/a>/);
    assert.match(index, />Open311 keys<\/a>/);

    const settings = await page(admin, '/admin/settings', 'en');
    assert.match(settings, /<label for="totp-unit_head">Head of unit<\/label>/);
    assert.match(settings, /<h2 id="weights">Satisfaction weights<\/h2>/);
  });

  test('the rules page: English headings, places in English, values and sources in English', async () => {
    const admin = await signedIn(ADMIN, 'en', '10.61.0.2');
    const rules = await page(admin, '/admin/rules?region=130000', 'en');
    assert.match(rules, /<h1>Deadlines of Hebei Province \(130000\)<\/h1>/);
    assert.match(rules, /<th>Item<\/th><th>In force<\/th><th>Set by<\/th>/);
    assert.match(rules, /<td>Acceptance deadline<\/td><td><span>3 working days<\/span><\/td><td>Default<\/td>/);
    assert.match(rules, /<td>Review deadline<\/td><td><span>24 hours<\/span><\/td>/);
    assert.match(rules, /href="\/admin\/rules\?region=130100">Shijiazhuang City \(130100\)<\/a>/);
    const provinces = await page(admin, '/admin/rules', 'en');
    assert.match(provinces, /<h2>Provincial-level regions<\/h2>/);
    await page(admin, '/admin/calendar', 'en');
    await page(admin, '/admin/open311', 'en');
    await page(admin, '/admin/private-reads', 'en');
  });

  test('a refused admin form says why in English on an English page', async () => {
    const admin = await signedIn(ADMIN, 'en', '10.61.0.3');
    await admin.get('/admin/rules?region=130100');
    const rules = await admin.post('/admin/rules/130100', { acceptDays: '99', documentUrl: 'ftp://example.gov.cn/a' });
    assert.equal(rules.statusCode, 400);
    assert.match(rules.body, /role="alert">Acceptance deadline: a whole number from 1 to 60<\/p>/);
    assert.match(
      rules.body,
      /role="alert">The link to the governing document must start with http:\/\/ or https:\/\/<\/p>/,
    );
    assert.deepEqual(untranslated(rules.body, 'en'), []);

    await admin.get(`/admin/users/${staffId}`);
    const grant = await admin.post(`/admin/users/${staffId}/grants`, { role: 'supervisor', scopeType: 'global' });
    assert.equal(grant.statusCode, 400);
    assert.match(grant.body, /The role Supervisor can only be granted on: Handling unit or Region\./);
    const missing = await admin.post(`/admin/users/${staffId}/grants`, {
      role: 'unit_staff',
      scopeType: 'unit',
      scopeId: '999999',
    });
    assert.match(missing.body, /There is no Handling unit “999999”\./);

    await admin.get('/admin/calendar');
    const calendar = await admin.post('/admin/calendar', { schedule: '2099-13-01,holiday\n2099-01-02,rest' });
    assert.equal(calendar.statusCode, 400);
    assert.match(calendar.body, /line 1: the date must be YYYY-MM-DD; line 2: the kind must be holiday/);
    // The same mistakes in Chinese on a Chinese page.
    admin.cookies.set('lang', 'zh-CN');
    await admin.get('/admin/rules?region=130100');
    const zh = await admin.post('/admin/rules/130100', { acceptDays: '99' });
    assert.match(zh.body, /role="alert">受理时限应为 1–60 之间的整数<\/p>/);
  });

  test('the admin log in English: actions in words, who did them as they are called', async () => {
    const admin = await signedIn(ADMIN, 'en', '10.61.0.4');
    const log = await page(admin, '/admin/log', 'en');
    assert.match(log, /<span translate="no">演示系统管理员<\/span> logged in/);
    assert.match(log, /<option value="article.publish">[^<]+<\/option>/);
    // Titles people wrote stay as written, marked; the sentence around them is English.
    assert.match(log, /published article \d+ “<span translate="no">[^<]+<\/span>”/);
    assert.match(
      log,
      /set up a staff account for <span translate="no">[^<]+<\/span>: Head of unit \(Supervision Office of/,
    );
  });

  test('a head of unit’s staff page: the unit in English, the staff by their names', async () => {
    const head = await signedIn(COUNTY_HEAD, 'en', '10.61.0.5');
    const unit = await page(head, '/admin/units/130123001', 'en');
    assert.match(unit, /<h1>Supervision Office of Zhengding County<\/h1>/);
    assert.match(
      unit,
      /<span translate="no">正定县督查室办理员<\/span> \(199\*\*\*\*0011\)<span> · Handling unit staff<\/span>/,
    );
    const index = await page(head, '/admin', 'en');
    assert.match(index, /Staff of my unit: Supervision Office of Zhengding County/);
  });

  test('the editors’ desk and columns in English, the articles’ and entries’ own words marked', async () => {
    const editor = await signedIn(EDITOR, 'en', '10.61.0.6');
    const desk = await page(editor, '/editor', 'en');
    assert.match(desk, /<h1>Editors’ desk<\/h1>/);
    const articles = await page(editor, '/editor/articles', 'en');
    assert.match(articles, /<h1>News and announcements<\/h1>|<h1>[A-Z][^<]+<\/h1>/);
    assert.match(articles, /<a href="\/editor\/articles\/\d+\/edit" translate="no">[^<]*年度网民留言办理工作会议/);
    const solicitation = await t.db.selectFrom('solicitations').select('id').orderBy('id').executeTakeFirstOrThrow();
    const solDesk = await page(editor, `/editor/solicitations/${solicitation.id}`, 'en');
    assert.match(unmarked(solDesk), /By 赵逢班 · 10 valid votes/);
    await page(editor, '/editor/stories', 'en');
    await page(editor, '/editor/stories/new', 'en');
    await page(editor, '/editor/solicitations/new', 'en');
    const visitor = new WebClient(t.app, '10.61.0.7');
    visitor.cookies.set('lang', 'en');
    const pub = await page(visitor, `/solicitations/${solicitation.id}`, 'en');
    assert.match(
      pub,
      /<span class="badge signed">No\. 1 · <span translate="no">一等奖（采用为栏目口号）<\/span><\/span>/,
    );
  });

  test('a refused editor’s form says why in English', async () => {
    const editor = await signedIn(EDITOR, 'en', '10.61.0.8');
    await editor.get('/editor/solicitations/new');
    const res = await editor.post('/editor/solicitations', {
      title: 'A slogan for the boards',
      rules: 'One slogan per entry, original work only.',
      entriesPerUser: '99',
      votesPerUser: '3',
      entriesStart: '2030-01-01',
      entriesEnd: '2030-01-10',
      reviewStart: '2030-01-11',
      reviewEnd: '2030-01-15',
      votingStart: '2030-01-16',
      votingEnd: '2030-01-31',
      resultsStart: '',
      resultsEnd: '2030-02-10',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Entries per account: a whole number from 1 to 10\./);
    assert.match(res.body, /Please give the start date of “Results”/);
    assert.deepEqual(untranslated(res.body, 'en'), []);
  });
});

describe(`Open311 in the language the client asks for on ${TEST_ENGINE}`, () => {
  test('services, their attributes and errors in English for an English client; Chinese by default', async () => {
    const get = (url: string, lang?: string) =>
      t.app.inject({ url, remoteAddress: '10.61.2.1', headers: lang ? { 'accept-language': lang } : {} });
    const services = (await get('/open311/v2/services.json', 'en-GB,en;q=0.9')).json() as Record<string, string>[];
    const urban = services.find((s) => s.service_code === 'urban')!;
    assert.equal(urban.service_name, 'Urban development');
    assert.equal(urban.group, 'Urban and rural development');
    assert.doesNotMatch(JSON.stringify(services), /\p{Script=Han}/u);
    const definition = (await get('/open311/v2/services/urban.json', 'en')).json() as {
      attributes: { code: string; description: string; values?: { key: string; name: string }[] }[];
    };
    const type = definition.attributes.find((a) => a.code === 'type')!;
    assert.equal(type.description, 'Type of message');
    assert.ok(
      type.values!.every((v) => !/\p{Script=Han}/u.test(v.name)),
      JSON.stringify(type.values),
    );
    const missing = await get('/open311/v2/services/nope.json', 'en');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /No service code nope/);
    const zh = await get('/open311/v2/services/nope.json');
    assert.match(zh.body, /没有服务代码 nope/);
  });
});

describe(`administration in Hong Kong Chinese on ${TEST_ENGINE}`, () => {
  test('no Simplified-only characters outside what people wrote, and Hong Kong words', async () => {
    const admin = await signedIn(ADMIN, 'zh-HK', '10.61.1.1');
    const rules = await page(admin, '/admin/rules?region=130000', 'zh-HK');
    assert.match(rules, /<h1>河北省（130000）的辦理時限<\/h1>/);
    assert.match(rules, /<td>受理時限<\/td><td><span>3 個工作日<\/span><\/td><td>預設<\/td>/);
    const users = await page(admin, '/admin/users?q=199', 'zh-HK');
    assert.match(users, /<span translate="no">正定县督查室办理员<\/span>（199\*\*\*\*0011）<span> · 工作人員<\/span>/);
    const settings = await page(admin, '/admin/settings', 'zh-HK');
    assert.match(settings, /API 和匯出檔案/);
    for (const url of [
      '/admin',
      '/admin/log',
      '/admin/staff',
      '/admin/calendar',
      '/admin/open311',
      `/admin/users/${staffId}`,
    ])
      await page(admin, url, 'zh-HK');
    const editor = await signedIn(EDITOR, 'zh-HK', '10.61.1.2');
    const stories = await page(editor, '/editor/stories/new', 'zh-HK');
    assert.match(stories, /新建影片故事/);
    for (const url of ['/editor', '/editor/articles', '/editor/solicitations', '/editor/solicitations/new'])
      await page(editor, url, 'zh-HK');
  });
});
