import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { unmarked } from './user-content.ts';

let t: TestApp;
const PASSWORD = 'Admin-Pass-2026!';
before(async () => {
  t = await createTestApp();
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13500000001',
    nickname: '管理员',
    password: PASSWORD,
    role: 'admin',
  });
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13500000002',
    nickname: '石家庄负责人',
    password: PASSWORD,
    role: 'unit_head',
    scopeType: 'unit',
    scopeId: '130100001',
  });
});
after(() => t.close());

let ip = 0;
async function loginAs(phone: string, password = PASSWORD): Promise<WebClient> {
  const web = new WebClient(t.app, `10.2.0.${++ip}`);
  await web.get('/login');
  const res = await web.post('/login', { phone, password });
  assert.equal(res.statusCode, 303, res.body);
  return web;
}

const userId = async (phone: string) =>
  (await t.db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;

describe('admin pages', () => {
  test('visitors are sent to log in, netizens and unit staff are refused', async () => {
    const visitor = await new WebClient(t.app).get('/admin');
    assert.equal(visitor.statusCode, 303);
    assert.equal(visitor.headers.location, '/login?next=%2Fadmin');
    await createStaff(t.db, COMMAND_LINE, {
      phone: '13500000009',
      nickname: '办理员',
      password: PASSWORD,
      role: 'unit_staff',
      scopeType: 'unit',
      scopeId: '130100001',
    });
    const staff = await loginAs('13500000009');
    const refused = await staff.get('/admin');
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /您没有权限进行此操作/);
  });

  test('an admin finds a user, creates staff, grants and revokes roles with scopes, all logged', async () => {
    const admin = await loginAs('13500000001');
    assert.match((await admin.get('/admin')).body, /href="\/admin\/users"/);
    const created = await (async () => {
      await admin.get('/admin/staff');
      return admin.post('/admin/staff', {
        phone: '13500000003',
        nickname: '省督查',
        password: 'Staff-Pass-2026!',
        role: 'supervisor',
        scopeType: 'region',
        scopeId: '130000',
      });
    })();
    assert.equal(created.statusCode, 303, created.body);
    const id = await userId('13500000003');
    assert.equal(created.headers.location, `/admin/users/${id}?done=staffCreated`);

    const found = await admin.get('/admin/users?q=1350000000');
    assert.match(found.body, new RegExp(`href="/admin/users/${id}"`));
    const page = await admin.get(`/admin/users/${id}`);
    assert.match(page.body, /督查 · 河北省（130000）/);

    const badScope = await admin.post(`/admin/users/${id}/grants`, {
      role: 'leader',
      scopeType: 'board',
      scopeId: '42',
    });
    assert.equal(badScope.statusCode, 400);
    assert.match(badScope.body, /留言板“42”不存在/);
    const wrongKind = await admin.post(`/admin/users/${id}/grants`, {
      role: 'editor',
      scopeType: 'unit',
      scopeId: '130100001',
    });
    assert.match(wrongKind.body, /平台编辑只能按全平台授予/);
    const granted = await admin.post(`/admin/users/${id}/grants`, {
      role: 'leader',
      scopeType: 'board',
      scopeId: '1300001',
    });
    assert.equal(granted.statusCode, 303);
    const grant = await t.db
      .selectFrom('role_grants')
      .select('id')
      .where('user_id', '=', id)
      .where('role', '=', 'leader')
      .executeTakeFirstOrThrow();
    await admin.get(`/admin/users/${id}`);
    assert.equal((await admin.post(`/admin/users/${id}/grants/${grant.id}/revoke`, {})).statusCode, 303);
    assert.equal((await t.db.selectFrom('role_grants').select('id').where('id', '=', grant.id).execute()).length, 0);

    // The log says it in words: who did what to whom.
    const log = await admin.get('/admin/log');
    for (const sentence of [
      /<span>[^<]+ 登录<\/span>/,
      /<span>[^<]+ 为 [^<]+ 开通工作人员账号：/,
      /<span>[^<]+ 授予 [^<]+ 角色“/,
      /<span>[^<]+ 撤销了 [^<]+ 的角色“/,
    ])
      assert.match(unmarked(log.body), sentence);
  });

  test('an admin ends a staff member’s sessions, and that staff member is logged out at once', async () => {
    const staff = await loginAs('13500000003', 'Staff-Pass-2026!');
    assert.equal((await staff.get('/account')).statusCode, 200);
    const admin = await loginAs('13500000001');
    const id = await userId('13500000003');
    await admin.get(`/admin/users/${id}`);
    const res = await admin.post(`/admin/users/${id}/sessions/revoke`, {});
    assert.equal(res.headers.location, `/admin/users/${id}?done=sessionsEnded`);
    assert.equal((await staff.get('/account')).statusCode, 303);
    assert.match(
      unmarked((await admin.get('/admin/log')).body),
      /<span>[^<]+ 结束了 [^<]+ 的全部登录（\d+ 个）<\/span>/,
    );
  });

  test('a unit head manages their own unit’s staff and nothing else', async () => {
    const head = await loginAs('13500000002');
    const index = await head.get('/admin');
    assert.match(index.body, /href="\/admin\/units\/130100001"/);
    assert.doesNotMatch(index.body, /href="\/admin\/users"/);
    await head.get('/admin/units/130100001');
    const made = await head.post('/admin/units/130100001/staff', {
      phone: '13500000004',
      nickname: '新同事',
      password: 'Staff-Pass-2026!',
      role: 'unit_staff',
    });
    assert.equal(made.statusCode, 303, made.body);
    const grants = await t.db
      .selectFrom('role_grants')
      .select(['role', 'scope_id'])
      .where('user_id', '=', await userId('13500000004'))
      .execute();
    assert.deepEqual(grants, [{ role: 'unit_staff', scope_id: '130100001' }]);

    const escalate = await head.post('/admin/units/130100001/staff', {
      phone: '13500000005',
      nickname: '想当头',
      password: 'Staff-Pass-2026!',
      role: 'unit_head',
    });
    assert.equal(escalate.statusCode, 403);
    assert.equal((await head.get('/admin/units/110000001')).statusCode, 403);
    assert.equal((await head.get('/admin/users')).statusCode, 403);
    assert.equal((await head.get('/admin/log')).statusCode, 403);
    assert.equal(
      (await head.get(`/admin/users/${await userId('13500000001')}`)).statusCode,
      403,
      'not someone outside the unit',
    );
  });

  test('an admin can require two-step verification for a role; the role must enrol before using admin pages', async () => {
    const admin = await loginAs('13500000001');
    await admin.get('/admin/settings');
    assert.equal((await admin.post('/admin/settings', { totp_unit_head: '1' })).statusCode, 303);
    assert.match(
      (await admin.get('/admin/settings')).body,
      /id="totp-unit_head" name="totp_unit_head" value="1" checked/,
    );

    const head = await loginAs('13500000002');
    const sent = await head.get('/admin');
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/account/totp');
    const setup = await head.get('/account/totp');
    const secret = /<code class="secret">([A-Z2-7]+)<\/code>/.exec(setup.body)![1]!;
    assert.match(setup.body, /<svg/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
    assert.equal(
      (await head.post('/account/totp', { code: '000000' === totp.generate() ? '111111' : '000000' })).statusCode,
      400,
    );
    assert.equal(
      (await head.post('/account/totp', { code: totp.generate() })).headers.location,
      '/account?done=totpOn',
    );
    assert.equal((await head.get('/admin')).statusCode, 200);

    // From now on the password alone is not enough.
    const again = new WebClient(t.app, '10.2.9.1');
    await again.get('/login');
    const step = await again.post('/login', { phone: '13500000002', password: PASSWORD });
    assert.equal(step.headers.location, '/login/totp?next=%2F');
    assert.equal((await again.get('/account')).statusCode, 303, 'not logged in yet');
    await again.get('/login/totp');
    const wrong = await again.post('/login/totp', { code: '000000' === totp.generate() ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /动态验证码错误/);
    const ok = await again.post('/login/totp', { code: totp.generate() });
    assert.equal(ok.statusCode, 303);
    assert.equal((await again.get('/admin')).statusCode, 200);
  });
});
