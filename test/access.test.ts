// The exact requests of the hostile review: access decided by the matched route, never by how the URL is spelled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { setRolesRequiringTotp } from '../src/accounts/totp.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
let ip = 0;
const nextIp = () => `10.77.${Math.floor(++ip / 200)}.${ip % 200}`;
const PASSWORD = 'Access-Pass-2026!';
const phones: Record<string, string> = {};
const tokens: Record<string, string> = {};

const api = (who: string | null, method: string, url: string, body?: object, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: method as 'GET',
    url,
    remoteAddress: nextIp(),
    ...(body ? { payload: body } : {}),
    headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...headers },
  });

async function loginAs(who: string): Promise<WebClient> {
  const web = new WebClient(t.app, nextIp());
  await web.get('/login');
  const res = await web.post('/login', { phone: phones[who]!, password: PASSWORD });
  assert.equal(res.statusCode, 303, res.body);
  return web;
}

const countUsers = async () =>
  Number(
    (
      await t.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

before(async () => {
  t = await createTestApp();
  const staff: [string, string, Record<string, string>][] = [
    ['admin', 'admin', {}],
    ['editor', 'editor', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: '130123001' }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: '130123001' }],
    ['otherHead', 'unit_head', { scopeType: 'unit', scopeId: '110000001' }],
    ['otherStaff', 'unit_staff', { scopeType: 'unit', scopeId: '110000001' }],
    ['leader', 'leader', { scopeType: 'board', scopeId: '1301232' }],
    ['supervisor', 'supervisor', { scopeType: 'region', scopeId: '130000' }],
  ];
  let n = 0;
  for (const [name, role, scope] of staff) {
    phones[name] = `1860000${String(++n).padStart(4, '0')}`;
    await createStaff(t.db, COMMAND_LINE, {
      phone: phones[name],
      nickname: `员${name}`,
      password: PASSWORD,
      role,
      ...scope,
    });
    tokens[name] = (await api(null, 'POST', '/api/v1/auth/token', { phone: phones[name], password: PASSWORD })).json()
      .token as string;
  }
  phones.citizen = '15900000001';
  await api(null, 'POST', '/api/v1/auth/sms-code', { phone: phones.citizen, purpose: 'register' });
  await api(null, 'POST', '/api/v1/auth/register', {
    phone: phones.citizen,
    code: lastCode(t.config, phones.citizen),
    password: PASSWORD,
    nickname: '街坊',
  });
  tokens.citizen = (await api(null, 'POST', '/api/v1/auth/token', { phone: phones.citizen, password: PASSWORD })).json()
    .token as string;
});
after(() => t.close());

async function submitted(visibility = 'public'): Promise<number> {
  const res = await api('citizen', 'POST', '/api/v1/messages', {
    boardId: 1301232,
    type: 'help',
    domain: 'urban',
    title: '小区门口路灯坏了',
    body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
    remarks: '联系人：王女士 13900002222',
    visibility,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

describe('percent-encoded and double-slash spellings meet the route’s own declaration', () => {
  test('anonymous POST /%61dmin/units/130123001/staff creates no unit head', async () => {
    const before = await countUsers();
    for (const url of [
      '/%61dmin/units/130123001/staff',
      '//admin/units/130123001/staff',
      '/admin/units/130123001/staff',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        remoteAddress: nextIp(),
        payload: new URLSearchParams({
          phone: '13711112222',
          nickname: '冒充负责人',
          password: 'Evil-Pass-2026!!',
          role: 'unit_head',
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.statusCode, 401, `${url}: ${res.body.slice(0, 200)}`);
    }
    // Nor does it give a role to an existing account.
    const grant = await t.app.inject({
      method: 'POST',
      url: '/%61dmin/units/130123001/staff',
      remoteAddress: nextIp(),
      payload: `phone=${phones.citizen}&role=unit_head`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(grant.statusCode, 401);
    assert.equal(await countUsers(), before);
    const grants = await t.db.selectFrom('role_grants').select('role').where('role', '=', 'unit_head').execute();
    assert.equal(grants.length, 2, 'only the two heads made at the start');
    const log = await t.db.selectFrom('admin_log').select('action').where('actor_id', 'is', null).execute();
    assert.equal(log.length, 8, 'the command line created the eight staff, nobody else acted as it');
  });

  test('a signed-in netizen cannot change rules or run, confirm and publish the evaluation', async () => {
    const citizen = await loginAs('citizen');
    await citizen.get('/account');
    for (const url of [
      '/%61dmin/rules/130000',
      '/%61dmin/evaluation/2026/run',
      '/%61dmin/evaluation/2026/confirm',
      '/%61dmin/evaluation/2026/publish',
      '/%61dmin/evaluation/2026/config',
    ]) {
      const res = await citizen.post(url, { acceptDays: '1' });
      assert.equal(res.statusCode, 403, url);
    }
    const runs = await t.db.selectFrom('evaluation_years').selectAll().execute();
    assert.equal(runs.length, 0);
    const overrides = await t.db.selectFrom('working_rules').selectAll().execute();
    assert.equal(overrides.length, 0);
  });

  test('anonymous visitors do not read unpublished evaluation results or per-staff figures', async () => {
    for (const url of [
      '/%61dmin/evaluation/2026/results?format=csv',
      '/%61dmin/evaluation/2026/workers?format=csv',
      '/admin/evaluation/2026/results?format=csv',
    ]) {
      const res = await t.app.inject({ url, remoteAddress: nextIp() });
      assert.equal(res.statusCode, 303, url);
      assert.match(String(res.headers.location), /^\/login\?next=/);
      assert.doesNotMatch(String(res.headers['content-type'] ?? ''), /csv/);
    }
  });

  test('the API takes no session cookie: /%61pi/v1/me and API writes with a browser session are anonymous', async () => {
    const citizen = await loginAs('citizen');
    const cookies = Object.fromEntries(citizen.cookies);
    for (const url of ['/%61pi/v1/me', '/api/v1/me', '//api/v1/me']) {
      const res = await t.app.inject({ url, cookies, remoteAddress: nextIp() });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.json().error.code, 'UNAUTHENTICATED');
    }
    const write = await t.app.inject({
      method: 'POST',
      url: '/%61pi/v1/messages',
      cookies,
      remoteAddress: nextIp(),
      payload: { boardId: 1301232, type: 'help', domain: 'urban', title: '标题标题', body: '正文'.repeat(10) },
    });
    assert.equal(write.statusCode, 401);
    // And a page ignores a bearer token: it acts on the session only.
    const page = await t.app.inject({
      url: '/account',
      headers: { authorization: `Bearer ${tokens.citizen}` },
      remoteAddress: nextIp(),
    });
    assert.equal(page.statusCode, 303);
  });
});

describe('two-step verification wherever a staff permission is used', () => {
  test('staff whose role requires it are sent to set it up on pages, refused on the API and get no token', async () => {
    const id = await submitted('private');
    await api('editor', 'POST', `/api/v1/messages/${id}/actions/approve`, {});
    await setRolesRequiringTotp(t.db, ['unit_staff', 'editor']);
    try {
      const county = await loginAs('county');
      for (const url of ['/workbench', '/w%6Frkbench', `/workbench/messages/${id}`]) {
        const res = await county.get(url);
        assert.equal(res.statusCode, 303, url);
        assert.equal(res.headers.location, '/account/totp', url);
      }
      // Acting as a netizen meanwhile: the private message is not theirs to read.
      assert.equal((await county.get(`/messages/${id}`)).statusCode, 404);
      const editor = await loginAs('editor');
      assert.equal((await editor.get('/review')).headers.location, '/account/totp');
      assert.equal((await editor.get('/%72eview')).headers.location, '/account/totp');

      const inbox = await api('county', 'GET', '/api/v1/workbench/inbox');
      assert.equal(inbox.statusCode, 403);
      assert.equal(inbox.json().error.code, 'TOTP_ENROL_REQUIRED');
      const read = await api('county', 'GET', `/api/v1/messages/${id}`);
      assert.equal(read.statusCode, 404);
      const approve = await api('editor', 'POST', `/api/v1/messages/${await submitted()}/actions/approve`, {});
      assert.equal(approve.statusCode, 403);
      const token = await api(null, 'POST', '/api/v1/auth/token', { phone: phones.county, password: PASSWORD });
      assert.equal(token.statusCode, 403);
      assert.equal(token.json().error.code, 'TOTP_ENROL_REQUIRED');
      // Roles that do not require it are untouched.
      assert.equal((await api('countyHead', 'GET', '/api/v1/workbench/inbox')).statusCode, 200);
    } finally {
      await setRolesRequiringTotp(t.db, []);
    }
  });
});

describe('defects of the report, each with its exact request', () => {
  test('handling roles do not see a message still in review or rejected, nor its remarks', async () => {
    const id = await submitted();
    for (const who of ['county', 'countyHead', 'leader', 'supervisor']) {
      const res = await api(who, 'GET', `/api/v1/messages/${id}`);
      assert.equal(res.statusCode, 404, who);
      assert.doesNotMatch(res.body, /13900002222/);
    }
    const county = await loginAs('county');
    assert.equal((await county.get(`/workbench/messages/${id}`)).statusCode, 404);
    // The editor and the author do see it.
    assert.equal((await api('editor', 'GET', `/api/v1/messages/${id}`)).statusCode, 200);
    assert.equal((await api('citizen', 'GET', `/api/v1/messages/${id}`)).statusCode, 200);
    const rejected = await api('editor', 'POST', `/api/v1/messages/${id}/actions/reject`, { reason: 'illegal' });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal((await api('countyHead', 'GET', `/api/v1/messages/${id}`)).statusCode, 404);
    // Once passed on, the unit sees it.
    const passed = await submitted();
    await api('editor', 'POST', `/api/v1/messages/${passed}/actions/approve`, {});
    const seen = await api('county', 'GET', `/api/v1/messages/${passed}`);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().remarks, '联系人：王女士 13900002222');
  });

  test('a unit head cannot make the admin or another unit’s staff their staff, nor end their sessions', async () => {
    const head = await loginAs('countyHead');
    await head.get('/admin/units/130123001');
    const adminId = (
      await t.db.selectFrom('users').select('id').where('phone', '=', phones.admin!).executeTakeFirstOrThrow()
    ).id;
    const viaPhone = await head.post('/admin/units/130123001/staff', { phone: phones.admin!, role: 'unit_staff' });
    assert.equal(viaPhone.statusCode, 400);
    assert.match(viaPhone.body, /只有系统管理员可以管理它/);
    const viaGrant = await head.post(`/admin/users/${adminId}/grants`, {
      role: 'unit_staff',
      scopeType: 'unit',
      scopeId: '130123001',
    });
    assert.equal(viaGrant.statusCode, 403);
    const end = await head.post(`/admin/users/${adminId}/sessions/revoke`, {});
    assert.equal(end.statusCode, 403);
    const adminGrants = await t.db.selectFrom('role_grants').select('role').where('user_id', '=', adminId).execute();
    assert.deepEqual(
      adminGrants.map((g) => g.role),
      ['admin'],
    );
    // Another unit's staff: not theirs to see or manage.
    const otherId = (
      await t.db.selectFrom('users').select('id').where('phone', '=', phones.otherStaff!).executeTakeFirstOrThrow()
    ).id;
    assert.equal((await head.get(`/admin/users/${otherId}`)).statusCode, 403);
    assert.equal((await head.post(`/admin/users/${otherId}/sessions/revoke`, {})).statusCode, 403);
    // Another unit's staff page: the scope is checked on the route.
    assert.equal((await head.get('/admin/units/110000001')).statusCode, 403);
    assert.equal(
      (await head.post('/admin/units/110000001/staff', { phone: '13722223333', role: 'unit_staff' })).statusCode,
      403,
    );
    // A new account with no role is theirs to add.
    const added = await head.post('/admin/units/130123001/staff', {
      phone: '13722224444',
      nickname: '新办理员',
      password: 'New-Staff-2026!x',
      role: 'unit_staff',
    });
    assert.equal(added.statusCode, 303, added.body);
  });

  test('workflow actions are looked up by name only: prototype names are unknown actions', async () => {
    const id = await submitted('private');
    for (const action of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      const res = await api('otherStaff', 'POST', `/api/v1/messages/${id}/actions/${action}`, {});
      assert.equal(res.statusCode, 404, action);
      assert.equal(res.json().error.code, 'NOT_FOUND');
      assert.doesNotMatch(res.body, /submitted|status/);
    }
    const county = await loginAs('county');
    await county.get('/account');
    for (const action of ['constructor', '__proto__', 'toString']) {
      const res = await county.post(`/workbench/messages/${id}/${action}`, {});
      assert.ok([403, 404].includes(res.statusCode), `${action}: ${res.statusCode}`);
    }
  });

  test('the rating and the follow-up are the author’s only', async () => {
    const id = await submitted();
    const neighbour = await loginAs('county');
    await neighbour.get('/account');
    const res = await neighbour.post(`/messages/${id}/rate`, { resolution: '1', timeliness: '1', attitude: '1' });
    assert.equal(res.statusCode, 404);
  });

  test('ending the sessions of an account that does not exist is a 404, not a 500', async () => {
    const admin = await loginAs('admin');
    await admin.get('/admin');
    const res = await admin.post('/admin/users/999999/sessions/revoke', {});
    assert.equal(res.statusCode, 404);
  });

  test('after login, `next` never leaves the site', async () => {
    const web = new WebClient(t.app, nextIp());
    await web.get('/login');
    for (const next of ['/%09/evil.example', '//evil.example', 'https://evil.example', '/a\r\nSet-Cookie: x=1']) {
      const res = await web.post('/login', {
        phone: phones.citizen!,
        password: PASSWORD,
        next: decodeURIComponent(next),
      });
      assert.equal(res.statusCode, 303, next);
      assert.ok(!/evil|[\r\n]/.test(String(res.headers.location)), String(res.headers.location));
      await web.post('/logout', {});
      await web.get('/login');
    }
  });
});
