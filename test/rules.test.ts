import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { rulesCommand, RulesCliError } from '../src/admin/rules.command.ts';
import { rulesRoutes } from '../src/admin/rules.routes.ts';
import { RULE_FIELDS } from '../src/admin/views/rules-page.tsx';
import { buildApp } from '../src/app.ts';
import { DEFAULT_RULES, XINFANG_PRESET } from '../src/deadlines/working-rules.ts';
import { ownOverride, rulesForRegion } from '../src/workflow/rules.service.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { unmarked } from './user-content.ts';

let t: TestDatabase;
let app: FastifyInstance;
const PASSWORD = 'Admin-Pass-2026!';
const HEBEI_DOC = '《河北省网民留言办理工作办法》';

before(async () => {
  t = await createTestDatabase();
  app = await buildApp({ config: t.config, db: t.db, logger: false });
  if (!app.hasRoute({ method: 'GET', url: '/admin/rules' })) await app.register(rulesRoutes);
  await app.ready();
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13600000001',
    nickname: '管理员',
    password: PASSWORD,
    role: 'admin',
  });
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13600000002',
    nickname: '单位负责人',
    password: PASSWORD,
    role: 'unit_head',
    scopeType: 'unit',
    scopeId: '130100001',
  });
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13600000003',
    nickname: '办理员',
    password: PASSWORD,
    role: 'unit_staff',
    scopeType: 'unit',
    scopeId: '130100001',
  });
});
after(async () => {
  await app.close();
  await t.close();
});

let ip = 0;
async function loginAs(phone: string): Promise<WebClient> {
  const web = new WebClient(app, `10.7.0.${++ip}`);
  await web.get('/login');
  const res = await web.post('/login', { phone, password: PASSWORD });
  assert.equal(res.statusCode, 303, res.body);
  return web;
}

/** The override form as a browser sends it: every field, empty unless given. */
function form(values: Record<string, string>): Record<string, string> {
  const empty = Object.fromEntries([['preset', ''], ...RULE_FIELDS.map((f) => [f.field, ''])]);
  return { ...empty, ...values };
}

async function save(admin: WebClient, code: string, values: Record<string, string>) {
  await admin.get(`/admin/rules?region=${code}`);
  return admin.post(`/admin/rules/${code}`, form(values));
}

async function apiRules(code: string) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/regions/${code}/rules` });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { rules: typeof DEFAULT_RULES } };
}

describe('who may set rules', () => {
  test('a visitor is sent to log in; staff without rules.manage are refused', async () => {
    const visitor = await new WebClient(app).get('/admin/rules?region=130000');
    assert.equal(visitor.statusCode, 303);
    assert.equal(visitor.headers.location, '/login?next=%2Fadmin%2Frules%3Fregion%3D130000');
    const posted = await new WebClient(app).post('/admin/rules/130000', form({ acceptDays: '9' }), { csrf: false });
    assert.equal(posted.statusCode, 401);

    for (const phone of ['13600000002', '13600000003']) {
      const staff = await loginAs(phone);
      const page = await staff.get('/admin/rules');
      assert.equal(page.statusCode, 403, phone);
      assert.match(page.body, /您没有权限进行此操作/);
      assert.equal((await staff.post('/admin/rules/130000', form({ acceptDays: '9' }))).statusCode, 403);
      assert.equal((await staff.post('/admin/rules/130000/clear', {})).statusCode, 403);
    }
    assert.deepEqual(await ownOverride(t.db, '130000'), {});
  });
});

describe('the rules page', () => {
  test('without a region it offers a code field and the 33 provincial regions', async () => {
    const admin = await loginAs('13600000001');
    const page = await admin.get('/admin/rules');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="get" action="\/admin\/rules"/);
    assert.match(page.body, /name="region"/);
    assert.equal(page.body.match(/href="\/admin\/rules\?region=\d{6}"/g)?.length, 33);
    assert.match(page.body, /href="\/admin\/rules\?region=130000">河北省（130000）/);

    const bad = await admin.get('/admin/rules?region=13ab');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /地区代码应为 6 位数字/);
    const missing = await admin.get('/admin/rules?region=999999');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /没有代码为 999999 的地区/);
  });

  test('a region shows the rules in force with their sources, its parent and its children', async () => {
    const admin = await loginAs('13600000001');
    const page = await admin.get('/admin/rules?region=130100');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /石家庄市（130100）的办理时限/);
    assert.match(page.body, /<td>受理时限<\/td>\s*<td><span>3 个工作日<\/span><\/td>\s*<td>默认<\/td>/);
    assert.match(page.body, /href="\/admin\/rules\?region=130000" rel="up">河北省/);
    assert.match(page.body, /href="\/admin\/rules\?region=130102">长安区（130102）/);
    assert.match(page.body, /<form method="post" action="\/admin\/rules\/130100"/);
    for (const name of ['preset', 'dayKind', 'reviewHours', 'acceptDays', 'handlingDays.thanks', 'documentUrl'])
      assert.match(page.body, new RegExp(`name="${name.replace('.', '\\.')}"`));
    // Nothing set yet: nothing to clear.
    assert.doesNotMatch(page.body, /action="\/admin\/rules\/130100\/clear"/);
  });
});

describe('overrides per region, inherited by the regions below', () => {
  test('a province sets acceptance days and its document; a county below inherits them', async () => {
    const admin = await loginAs('13600000001');
    const res = await save(admin, '130000', {
      acceptDays: '5',
      documentTitle: HEBEI_DOC,
      documentUrl: 'https://www.hebei.gov.cn/liuyan.html',
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/admin/rules?region=130000&done=saved');
    const saved = await admin.get(res.headers.location!);
    assert.match(saved.body, /已保存本地区的设置/);
    assert.match(saved.body, /<input id="f-acceptDays" name="acceptDays" type="text" value="5"/);
    assert.match(saved.body, /href="https:\/\/www\.hebei\.gov\.cn\/liuyan\.html"/);
    assert.match(saved.body, /action="\/admin\/rules\/130000\/clear"/);

    assert.deepEqual(await ownOverride(t.db, '130000'), {
      acceptDays: 5,
      documentTitle: HEBEI_DOC,
      documentUrl: 'https://www.hebei.gov.cn/liuyan.html',
    });
    const county = await rulesForRegion(t.db, '130102');
    assert.deepEqual(county, {
      ...DEFAULT_RULES,
      handlingDays: { ...DEFAULT_RULES.handlingDays },
      acceptDays: 5,
      documentTitle: HEBEI_DOC,
      documentUrl: 'https://www.hebei.gov.cn/liuyan.html',
    });

    const api = await apiRules('130102');
    assert.equal(api.status, 200);
    assert.deepEqual(api.body.rules, county);
    assert.deepEqual(api.body.own, {});
    assert.equal((api.body.region as { code: string; name: string }).name, '长安区');
    assert.deepEqual((await apiRules('130000')).body.own, {
      acceptDays: 5,
      documentTitle: HEBEI_DOC,
      documentUrl: 'https://www.hebei.gov.cn/liuyan.html',
    });

    const countyPage = await admin.get('/admin/rules?region=130102');
    assert.match(
      countyPage.body,
      /<td>受理时限<\/td>\s*<td><span>5 个工作日<\/span><\/td>\s*<td>河北省（130000）<\/td>/,
    );
    assert.match(countyPage.body, /留空则沿用：5 个工作日（河北省（130000））/);
    const province = await admin.get('/admin/rules?region=130000');
    assert.match(province.body, /href="\/admin\/rules\?region=130100">石家庄市（130100）/);

    const log = await admin.get('/admin/log');
    assert.match(unmarked(log.body), /<span>[^<]+ 修改了 河北省（130000） 的办理时限与工作机制<\/span>/);
  });

  test('a city takes the 信访 preset; its counties inherit it, except what a county sets itself', async () => {
    const admin = await loginAs('13600000001');
    assert.equal((await save(admin, '130200', { preset: 'xinfang' })).statusCode, 303);
    assert.equal((await save(admin, '130202', { 'handlingDays.consult': '30', reviewHours: '48' })).statusCode, 303);

    const expected = {
      ...XINFANG_PRESET,
      reviewHours: 48,
      handlingDays: { ...XINFANG_PRESET.handlingDays, consult: 30 },
    };
    assert.deepEqual(await rulesForRegion(t.db, '130202'), expected);
    assert.deepEqual((await apiRules('130202')).body.rules, expected);
    assert.deepEqual((await apiRules('130202')).body.own, { handlingDays: { consult: 30 }, reviewHours: 48 });
    // Its neighbour sets nothing: the preset as it is (the province's 5 days are reset by the city's preset).
    assert.deepEqual(await rulesForRegion(t.db, '130203'), { ...XINFANG_PRESET });
    // Another city of the province still has the province's rules.
    assert.equal((await rulesForRegion(t.db, '130102')).acceptDays, 5);

    const page = await admin.get('/admin/rules?region=130202');
    assert.match(
      page.body,
      /<td>受理时限<\/td>\s*<td><span>15 个自然日<\/span><\/td>\s*<td>信访预设（唐山市选用）<\/td>/,
    );
    assert.match(
      page.body,
      /<td>咨询类办理时限<\/td>\s*<td><span>30 个自然日<\/span><\/td>\s*<td>路南区（130202）<\/td>/,
    );
    assert.match(page.body, /<td>依据文件名称<\/td>\s*<td><span>《信访工作条例》<\/span><\/td>/);
    assert.match(page.body, /name="handlingDays\.consult" type="text" value="30"/);
    assert.match(page.body, /留空则沿用：60 个自然日（信访预设（唐山市选用））/);
    const city = await admin.get('/admin/rules?region=130200');
    assert.match(city.body, /<option value="xinfang" selected>/);
    assert.match(city.body, /路南区（130202）<\/a> · 有单独设置/);
  });

  test('invalid input is shown beside its field, everything typed is kept, nothing is saved', async () => {
    const admin = await loginAs('13600000001');
    const res = await save(admin, '130100', {
      acceptDays: '-1',
      'handlingDays.complain': '十五',
      documentTitle: '《石家庄市办法》',
      documentUrl: 'javascript:alert(1)',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<p class="error" id="f-acceptDays-error" role="alert">受理时限应为 1–60 之间的整数<\/p>/);
    assert.match(res.body, /id="f-handlingDays\.complain-error" role="alert">投诉类办理时限应为 1–365 之间的整数/);
    assert.match(
      res.body,
      /id="f-documentUrl-error" role="alert">依据文件链接应为以 http:\/\/ 或 https:\/\/ 开头的网址/,
    );
    assert.match(res.body, /name="acceptDays" type="text" value="-1"/);
    assert.match(res.body, /name="handlingDays\.complain" type="text" value="十五"/);
    assert.match(res.body, /name="documentTitle" type="text" value="《石家庄市办法》"/);
    assert.match(res.body, /name="documentUrl" type="url" value="javascript:alert\(1\)"/);
    assert.doesNotMatch(res.body, /href="javascript:/);
    assert.deepEqual(await ownOverride(t.db, '130100'), {});
    assert.equal(
      (await t.db.selectFrom('working_rules').select('region_code').where('region_code', '=', '130100').execute())
        .length,
      0,
    );

    const unknown = await admin.post('/admin/rules/999999', form({ acceptDays: '4' }));
    assert.equal(unknown.statusCode, 404);
  });

  test('clearing a region’s override makes it inherit everything again', async () => {
    const admin = await loginAs('13600000001');
    await admin.get('/admin/rules?region=130202');
    const res = await admin.post('/admin/rules/130202/clear', {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin/rules?region=130202&done=cleared');
    assert.match((await admin.get(res.headers.location!)).body, /已清除本地区的设置/);
    assert.deepEqual(await ownOverride(t.db, '130202'), {});
    assert.deepEqual(await rulesForRegion(t.db, '130202'), { ...XINFANG_PRESET });
  });
});

describe('the rules API', () => {
  test('answers for any region and says so when there is none', async () => {
    const top = await apiRules('110000');
    assert.equal(top.status, 200);
    assert.deepEqual(top.body, {
      region: {
        code: '110000',
        name: '北京市',
        level: 'province',
        kind: 'municipality',
        kindLabel: (top.body.region as { kindLabel: string }).kindLabel,
        parentCode: null,
        hasBoards: true,
      },
      rules: { ...DEFAULT_RULES },
      own: {},
    });
    const missing = await apiRules('999999');
    assert.equal(missing.status, 404);
    assert.equal((missing.body.error as { code: string }).code, 'REGION_NOT_FOUND');
    assert.equal((await apiRules('13ab00')).status, 400);
  });
});

describe('liuyan rules', () => {
  async function rules(...args: string[]): Promise<string> {
    const lines: string[] = [];
    await rulesCommand({ env: t.env, print: (line) => lines.push(line) }).parseAsync(args, { from: 'user' });
    return lines.join('\n');
  }

  test('show prints the rules in force, where each comes from, and the region’s own settings', async () => {
    const out = await rules('show', '130102');
    assert.match(out, /^长安区（130102）现行办理时限\u3000河北省 › 石家庄市 › 长安区/);
    assert.match(out, /受理时限[\u3000 ]+5 个工作日\u3000← 河北省（130000）/);
    assert.match(out, /咨询类办理时限[\u3000 ]+5 个工作日\u3000← 默认/);
    assert.match(out, /依据文件名称[\u3000 ]+《河北省网民留言办理工作办法》\u3000← 河北省（130000）/);
    assert.match(out, /本地区自己的设置：\n {2}（没有单独设置，全部沿用上级）/);
    const json = JSON.parse(await rules('show', '130000', '--json')) as { own: unknown; rules: { acceptDays: number } };
    assert.equal(json.rules.acceptDays, 5);
    assert.deepEqual(json.own, (await apiRules('130000')).body.own);
  });

  test('set replaces a region’s own settings from --json or --file, after checking them', async () => {
    let out = await rules('set', '130100', '--json', '{"acceptDays":7,"handlingDays":{"help":12}}');
    assert.match(out, /^已保存。/);
    assert.match(out, /受理时限[\u3000 ]+7 个工作日\u3000← 石家庄市（130100）/);
    assert.equal((await rulesForRegion(t.db, '130102')).acceptDays, 7);
    assert.equal((await rulesForRegion(t.db, '130102')).handlingDays.help, 12);

    const file = join(t.config.dataDir, 'override.json');
    writeFileSync(file, JSON.stringify({ objectionDays: 3, documentTitle: '《石家庄市网民留言办理细则》' }));
    out = await rules('set', '130100', '--file', file);
    assert.match(out, /退回时限[\u3000 ]+3 个工作日\u3000← 石家庄市（130100）/);
    assert.deepEqual(await ownOverride(t.db, '130100'), {
      objectionDays: 3,
      documentTitle: '《石家庄市网民留言办理细则》',
    });

    const before = await ownOverride(t.db, '130100');
    await assert.rejects(rules('set', '130100', '--json', '{"acceptDays":-1}'), (err: Error) => {
      assert.ok(err instanceof RulesCliError);
      assert.match(err.message, /受理时限应为 1–60 之间的整数/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
    await assert.rejects(rules('set', '130100', '--json', '{"documentUrl":"javascript:alert(1)"}'), /依据文件链接应为/);
    await assert.rejects(rules('set', '130100', '--json', '{"acceptDays":'), /--json 不是有效的 JSON/);
    await assert.rejects(rules('set', '130100', '--json', '[1]'), /规则设置应为一个对象/);
    await assert.rejects(rules('set', '130100'), /请用 --file 或 --json 之一给出设置/);
    await assert.rejects(rules('set', '130100', '--file', join(t.config.dataDir, 'nope.json')), /无法读取文件/);
    assert.deepEqual(await ownOverride(t.db, '130100'), before);
  });

  test('preset keeps a region’s own values; clear removes them; unknown regions are refused', async () => {
    const out = await rules('preset', '130100', 'xinfang');
    assert.match(out, /^已选用预设：信访/);
    assert.deepEqual(await ownOverride(t.db, '130100'), {
      objectionDays: 3,
      documentTitle: '《石家庄市网民留言办理细则》',
      preset: 'xinfang',
    });
    const county = await rulesForRegion(t.db, '130102');
    assert.equal(county.acceptDays, 15);
    assert.equal(county.objectionDays, 3);
    assert.equal(county.dayKind, 'calendar');
    assert.match(await rules('show', '130102'), /受理时限[\u3000 ]+15 个自然日\u3000← 信访预设（石家庄市选用）/);

    await rules('preset', '130100', 'default');
    assert.equal((await rulesForRegion(t.db, '130102')).dayKind, 'working');
    assert.equal((await rulesForRegion(t.db, '130102')).acceptDays, 3);

    assert.match(await rules('clear', '130100'), /^已清除本地区的设置/);
    assert.deepEqual(await ownOverride(t.db, '130100'), {});
    assert.equal((await rulesForRegion(t.db, '130102')).acceptDays, 5);

    await assert.rejects(rules('preset', '130100', 'strict'), /预设应为 default（默认）或 xinfang/);
    await assert.rejects(rules('show', '999999'), /没有代码为 999999 的地区/);
    await assert.rejects(rules('clear', '999999'), /没有代码为 999999 的地区/);
    await assert.rejects(rules('show', '13'), /地区代码应为 6 位数字/);
  });
});
