import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, lastCode, sentSms, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const PASSWORD = 'Qiang-Mima-2026';

/** Moves this number's earlier codes two minutes into the past, as if the person had waited before asking again. */
async function waitBeforeResend(phone: string) {
  const past = new Date(Date.now() - 120_000).toISOString();
  await t.db.updateTable('sms_codes').set({ created_at: past }).where('phone', '=', phone).execute();
}

/** Registers through the pages, as a person would: ask for a code, read it off the phone, fill the form. */
async function registerInBrowser(phone: string, nickname = '热心市民', ip = '10.0.0.1') {
  const web = new WebClient(t.app, ip);
  await web.get('/register');
  const sent = await web.post('/register/code', { phone, nickname });
  assert.equal(sent.statusCode, 200, sent.body);
  assert.match(sent.body, /验证码已发送至 1\d{2}\*{4}\d{4}/);
  assert.match(sent.body, new RegExp(`value="${phone}"`), 'the number typed is kept');
  const done = await web.post('/register', { phone, code: lastCode(t.config, phone), nickname, password: PASSWORD });
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/account?done=registered');
  return web;
}

describe('registration in the browser', () => {
  test('a new user registers with a code from the SMS and lands on their account page, logged in', async () => {
    const web = await registerInBrowser('13900000001');
    const page = await web.get('/account?done=registered');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /注册成功，欢迎使用/);
    assert.match(page.body, /<dd translate="no">热心市民<\/dd>/);
    assert.match(page.body, /<dd>139\*\*\*\*0001<\/dd>/);
    const row = await t.db
      .selectFrom('users')
      .select(['password_hash', 'is_staff'])
      .where('phone', '=', '13900000001')
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash!, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(Boolean(row.is_staff), false);
    const sessions = await t.db.selectFrom('sessions').select(['user_id']).execute();
    assert.ok(
      sessions.some((s) => s.user_id !== null),
      'the session lives in the database',
    );
  });

  test('a weak password, a bad nickname or a wrong code is explained next to the field, and nothing typed is lost', async () => {
    const web = new WebClient(t.app, '10.0.0.2');
    await web.get('/register');
    await web.post('/register/code', { phone: '13900000002' });
    const code = lastCode(t.config, '13900000002');
    const cases: [Record<string, string>, RegExp][] = [
      [{ password: '12345678' }, /密码太容易被猜到/],
      [{ password: 'short' }, /密码至少需要 8 个字符/],
      [{ password: 'x13900000002y!' }, /密码不能包含手机号或昵称/],
      [{ nickname: '<b>' }, /昵称应为 2–20 个字符/],
      [{ code: '000000' === code ? '111111' : '000000' }, /验证码错误或已过期/],
      [{ code: 'abc' }, /验证码错误或已过期/],
      [{ phone: '12345' }, /请输入正确的中国大陆手机号/],
    ];
    for (const [change, message] of cases) {
      const form = { phone: '13900000002', code, nickname: '老街坊', password: PASSWORD, ...change };
      const res = await web.post('/register', form);
      assert.equal(res.statusCode, 400, JSON.stringify(change));
      assert.match(res.body, message);
      assert.match(res.body, /class="field has-error"/);
      assert.match(res.body, /aria-invalid="true"/);
      if (!change.nickname) assert.match(res.body, /value="老街坊"/, 'the nickname is kept');
      assert.doesNotMatch(res.body, new RegExp(PASSWORD), 'a password is never echoed back');
    }
    const ok = await web.post('/register', { phone: '13900000002', code, nickname: '老街坊', password: PASSWORD });
    assert.equal(ok.statusCode, 303, 'the code survived the earlier mistakes');
  });

  test('a code works once, expires after 5 minutes, and dies after 5 wrong guesses', async () => {
    const web = new WebClient(t.app, '10.0.0.3');
    await web.get('/register');
    await web.post('/register/code', { phone: '13900000003' });
    const code = lastCode(t.config, '13900000003');
    await t.db
      .updateTable('sms_codes')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('phone', '=', '13900000003')
      .execute();
    const expired = await web.post('/register', { phone: '13900000003', code, nickname: '过期', password: PASSWORD });
    assert.match(expired.body, /验证码错误或已过期/);

    await waitBeforeResend('13900000003');
    await web.post('/register/code', { phone: '13900000003' });
    const fresh = lastCode(t.config, '13900000003');
    const wrong = fresh === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++)
      await web.post('/register', { phone: '13900000003', code: wrong, nickname: '猜码', password: PASSWORD });
    const exhausted = await web.post('/register', {
      phone: '13900000003',
      code: fresh,
      nickname: '猜码',
      password: PASSWORD,
    });
    assert.match(
      exhausted.body,
      /验证码已输错 5 次，不能再用，请重新获取验证码/,
      'the right code no longer works after 5 wrong guesses',
    );
  });

  test('codes are sent at most once a minute and five times an hour per number', async () => {
    const web = new WebClient(t.app, '10.0.0.4');
    await web.get('/register');
    assert.equal((await web.post('/register/code', { phone: '13900000004' })).statusCode, 200);
    const again = await web.post('/register/code', { phone: '13900000004' });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /验证码发送过于频繁，请在 \d+ 秒后再获取/);
    const hourAgo = (n: number) => new Date(Date.now() - n * 61_000).toISOString();
    for (let i = 1; i <= 4; i++) {
      await t.db
        .insertInto('sms_codes')
        .values({
          phone: '13900000004',
          purpose: 'register',
          code_hash: 'x',
          ip: 'x',
          created_at: hourAgo(i),
          expires_at: hourAgo(i),
        })
        .execute();
    }
    await t.db
      .updateTable('sms_codes')
      .set({ created_at: hourAgo(5) })
      .where('phone', '=', '13900000004')
      .where('code_hash', '!=', 'x')
      .execute();
    const limited = await web.post('/register/code', { phone: '13900000004' });
    assert.match(limited.body, /获取验证码次数过多，请一小时后再试/);
  });
});

describe('login, logout and password reset in the browser', () => {
  test('log in with the password, log out, and the old session is gone', async () => {
    await registerInBrowser('13900000010', '甲先生', '10.0.1.1');
    const web = new WebClient(t.app, '10.0.1.1');
    await web.get('/login');
    const res = await web.post('/login', { phone: '139 0000 0010', password: PASSWORD, next: '/regions/130000' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/regions/130000');
    const sid = web.cookies.get('sid')!;
    assert.match((await web.get('/account')).body, /<dd translate="no">甲先生<\/dd>/);
    const out = await web.post('/logout', {});
    assert.equal(out.statusCode, 303);
    const stale = await t.app.inject({ url: '/account', cookies: { sid } });
    assert.equal(stale.statusCode, 303, 'the old session id no longer works');
    assert.match(String(stale.headers.location), /^\/login\?next=%2Faccount/);
  });

  test('each login gets a new session id', async () => {
    const web = new WebClient(t.app, '10.0.1.2');
    await web.get('/login');
    await web.post('/login', { phone: '13900000010', password: PASSWORD });
    const first = web.cookies.get('sid');
    await web.get('/login');
    await web.post('/login', { phone: '13900000010', password: PASSWORD });
    assert.ok(first && web.cookies.get('sid') && first !== web.cookies.get('sid'));
    const cookie = (await new WebClient(t.app).get('/')).headers['set-cookie'];
    assert.ok(!String(cookie ?? '').includes('sid='), 'visitors get no session');
  });

  test('session cookies are HttpOnly and SameSite=Lax, and Secure behind TLS', async () => {
    const plain = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: { phone: '13900000010', password: PASSWORD },
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(plain.statusCode, 403, 'a post without a CSRF token is refused');
    const web = new WebClient(t.app, '10.0.1.3');
    await web.get('/login');
    const res = await web.post('/login', { phone: '13900000010', password: PASSWORD });
    const sid = String(res.headers['set-cookie'])
      .split(/,(?=\s*\w+=)/)
      .find((c) => c.trim().startsWith('sid='))!;
    assert.match(sid, /HttpOnly/);
    assert.match(sid, /SameSite=Lax/);
    assert.doesNotMatch(sid, /Secure/);
  });

  test('a form posted without its CSRF token, or with a forged one, gets 403 and nothing happens', async () => {
    const web = new WebClient(t.app, '10.0.1.20');
    await web.get('/login');
    const missing = await web.post('/login', { phone: '13900000010', password: PASSWORD }, { csrf: false });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /页面已过期或来源不明，请刷新页面后重新提交/);
    const forged = await web.post(
      '/login',
      { phone: '13900000010', password: PASSWORD, _csrf: 'forged-token' },
      { csrf: false },
    );
    assert.equal(forged.statusCode, 403);
    assert.equal(web.cookies.has('sid'), false, 'no session was started');
    const stranger = new WebClient(t.app, '10.0.1.21');
    const stolen = await stranger.post('/register/code', { phone: '13900000099', _csrf: 'x' }, { csrf: false });
    assert.equal(stolen.statusCode, 403);
    assert.equal(sentSms(t.config).filter((s) => s.to === '13900000099').length, 0, 'no SMS was sent');
  });

  test('behind a TLS proxy the session cookie is Secure', async () => {
    const { buildApp } = await import('../src/app.ts');
    const { loadConfig } = await import('../src/config.ts');
    const app = await buildApp({ config: loadConfig({ ...t.env, TRUST_PROXY: '1' }), db: t.db, logger: false });
    try {
      const page = await app.inject({ url: '/login', headers: { 'x-forwarded-proto': 'https' } });
      const csrfCookie = page.cookies.find((c) => c.name === 'csrf')!;
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { csrf: csrfCookie.value },
        payload: new URLSearchParams({ _csrf: token, phone: '13900000010', password: PASSWORD }).toString(),
      });
      assert.equal(res.statusCode, 303, res.body);
      const sid = res.cookies.find((c) => c.name === 'sid')!;
      assert.equal(sid.secure, true);
      assert.equal(sid.httpOnly, true);
      assert.equal(csrfCookie.secure, true);
    } finally {
      await app.close();
    }
  });

  test('pages without forms set no cookie', async () => {
    const res = await t.app.inject('/regions/130000');
    assert.equal(res.headers['set-cookie'], undefined);
  });

  test('log in with an SMS code', async () => {
    const web = new WebClient(t.app, '10.0.1.4');
    await web.get('/login');
    await waitBeforeResend('13900000010');
    const sent = await web.post('/login/code', { phone: '13900000010' });
    assert.match(sent.body, /验证码已发送/);
    const res = await web.post('/login/by-code', { phone: '13900000010', code: lastCode(t.config, '13900000010') });
    assert.equal(res.statusCode, 303);
    assert.match((await web.get('/account')).body, /<dd translate="no">甲先生<\/dd>/);
  });

  test('reset the password with a code: every session ends, the new password works', async () => {
    const other = new WebClient(t.app, '10.0.1.5');
    await other.get('/login');
    await other.post('/login', { phone: '13900000010', password: PASSWORD });
    assert.equal((await other.get('/account')).statusCode, 200);

    const web = new WebClient(t.app, '10.0.1.6');
    await web.get('/password-reset');
    await waitBeforeResend('13900000010');
    await web.post('/password-reset/code', { phone: '13900000010' });
    const res = await web.post('/password-reset', {
      phone: '13900000010',
      code: lastCode(t.config, '13900000010'),
      password: 'Xin-Mima-2026!',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login?done=reset');
    assert.equal((await other.get('/account')).statusCode, 303, 'the other device was logged out');

    await web.get('/login');
    assert.equal((await web.post('/login', { phone: '13900000010', password: PASSWORD })).statusCode, 401);
    assert.equal((await web.post('/login', { phone: '13900000010', password: 'Xin-Mima-2026!' })).statusCode, 303);
  });

  test('log out everywhere ends the sessions on other devices', async () => {
    const a = new WebClient(t.app, '10.0.1.7');
    const b = new WebClient(t.app, '10.0.1.8');
    for (const web of [a, b]) {
      await web.get('/login');
      await web.post('/login', { phone: '13900000010', password: 'Xin-Mima-2026!' });
    }
    await a.get('/account');
    const res = await a.post('/logout/all', {});
    assert.equal(res.headers.location, '/login?done=loggedOutAll');
    assert.equal((await b.get('/account')).statusCode, 303);
  });
});

describe('nothing tells whether a number is registered', () => {
  test('asking for a code answers the same for a registered and an unknown number', async () => {
    const pages: string[] = [];
    for (const [phone, ip] of [
      ['13900000010', '10.0.2.1'],
      ['13900009999', '10.0.2.2'],
    ] as const) {
      for (const [page, action] of [
        ['/login', '/login/code'],
        ['/password-reset', '/password-reset/code'],
        ['/register', '/register/code'],
      ] as const) {
        await t.db.deleteFrom('sms_codes').where('phone', '=', phone).execute();
        const web = new WebClient(t.app, ip);
        await web.get(page);
        const res = await web.post(action, { phone });
        assert.equal(res.statusCode, 200);
        pages.push(
          res.body
            .replace(/value="[^"]{20,}"/g, '')
            .replaceAll(phone, 'PHONE')
            .replace(/1\d{2}\*{4}\d{4}/g, 'MASKED'),
        );
      }
    }
    assert.deepEqual(pages.slice(0, 3), pages.slice(3));
    const texts = sentSms(t.config)
      .filter((s) => s.to === '13900009999' && s.purpose !== 'register')
      .map((s) => s.text);
    assert.ok(
      texts.every((text) => !/\d{6}/.test(text)),
      'no usable code goes to a number that cannot use it',
    );
  });

  test('a wrong password reads the same for a registered and an unknown number', async () => {
    const answers = [];
    for (const phone of ['13900000010', '13900009998']) {
      const web = new WebClient(t.app, '10.0.2.3');
      await web.get('/login');
      const res = await web.post('/login', { phone, password: 'Wrong-Password-1' });
      answers.push([res.statusCode, /<p class="error form-error" role="alert">([^<]+)</.exec(res.body)?.[1]]);
    }
    assert.deepEqual(answers[0], [401, '手机号或密码错误。']);
    assert.deepEqual(answers[1], answers[0]);
  });

  test('the 21st wrong password in a row gets a lockout answer for known and unknown numbers alike', async () => {
    await t.db.deleteFrom('login_failures').execute();
    const attackers: Record<string, WebClient> = {};
    for (const [phone, ip] of [
      ['13900000010', '10.0.3.1'],
      ['13900009997', '10.0.3.2'],
    ] as const) {
      const web = (attackers[phone] = new WebClient(t.app, ip));
      await web.get('/login');
      let last;
      for (let i = 1; i <= 21; i++) {
        last = await web.post('/login', { phone, password: `wrong-${i}` });
        if (i <= 20) assert.equal(last.statusCode, 401, `attempt ${i}`);
      }
      assert.equal(last!.statusCode, 423);
      assert.match(last!.body, /登录失败次数过多，已暂时锁定，请于 \d{2}:\d{2}（约 15 分钟后）再试/);
      assert.match(last!.body, /仍可用短信验证码登录或找回密码/);
    }
    const web = attackers['13900000010']!;
    const right = await web.post('/login', { phone: '13900000010', password: 'Xin-Mima-2026!' });
    assert.equal(right.statusCode, 423, 'from the locked address even the right password waits for the lock to end');
    await t.db
      .updateTable('login_failures')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .execute();
    assert.equal((await web.post('/login', { phone: '13900000010', password: 'Xin-Mima-2026!' })).statusCode, 303);
  });

  test('a locked address does not lock out the owner: from another address the right password gets in', async () => {
    await t.db.deleteFrom('login_failures').execute();
    const attacker = new WebClient(t.app, '10.0.3.3');
    await attacker.get('/login');
    for (let i = 1; i <= 20; i++) await attacker.post('/login', { phone: '13900000010', password: `wrong-${i}` });
    assert.equal((await attacker.post('/login', { phone: '13900000010', password: 'Xin-Mima-2026!' })).statusCode, 423);

    const owner = new WebClient(t.app, '10.0.3.4');
    await owner.get('/login');
    const res = await owner.post('/login', { phone: '13900000010', password: 'Xin-Mima-2026!' });
    assert.equal(res.statusCode, 303, 'the owner, elsewhere, logs in');
    assert.match((await owner.get('/account')).body, /<dd translate="no">甲先生<\/dd>/);
    assert.equal(
      (await attacker.post('/login', { phone: '13900000010', password: 'wrong-again' })).statusCode,
      423,
      "the owner's login does not unlock the attacker's address",
    );
    const lock = await t.db
      .selectFrom('login_failures')
      .select(['client', 'locks'])
      .where('phone', '=', '13900000010')
      .execute();
    assert.deepEqual(lock, [{ client: '10.0.3.3', locks: 1 }]);
  });

  test('while password login is locked, the owner still logs in with an SMS code', async () => {
    await t.db.deleteFrom('login_failures').execute();
    const web = new WebClient(t.app, '10.0.3.5');
    await web.get('/login');
    for (let i = 1; i <= 20; i++) await web.post('/login', { phone: '13900000010', password: `wrong-${i}` });
    assert.equal((await web.post('/login', { phone: '13900000010', password: 'Xin-Mima-2026!' })).statusCode, 423);

    await waitBeforeResend('13900000010');
    const sent = await web.post('/login/code', { phone: '13900000010' });
    assert.match(sent.body, /验证码已发送/);
    const res = await web.post('/login/by-code', { phone: '13900000010', code: lastCode(t.config, '13900000010') });
    assert.equal(res.statusCode, 303, res.body);
    assert.match((await web.get('/account')).body, /<dd translate="no">甲先生<\/dd>/);
  });

  test('each further lock of the same number from the same address lasts twice as long', async () => {
    await t.db.deleteFrom('login_failures').execute();
    const web = new WebClient(t.app, '10.0.3.6');
    await web.get('/login');
    const minutesOf = (body: string) => Number(/（约 (\d+) 分钟后）/.exec(body)?.[1]);
    let last;
    for (let i = 1; i <= 21; i++) last = await web.post('/login', { phone: '13900009996', password: `wrong-${i}` });
    assert.equal(minutesOf(last!.body), 15);
    // The lock ran out and 19 more wrong passwords came (written here: the login limit allows 30 posts a minute).
    await t.db.updateTable('login_failures').set({ locked_until: null, failures: 19 }).execute();
    assert.equal((await web.post('/login', { phone: '13900009996', password: 'wrong-20' })).statusCode, 401);
    last = await web.post('/login', { phone: '13900009996', password: 'wrong-21' });
    assert.equal(last.statusCode, 423);
    assert.equal(minutesOf(last.body), 30, 'the second lock lasts twice as long');
    const row = await t.db.selectFrom('login_failures').select('locks').executeTakeFirstOrThrow();
    assert.equal(row.locks, 2);
  });
});

describe('the account page', () => {
  test('change the nickname and the password; mistakes are shown in place', async () => {
    const web = await registerInBrowser('13900000020', '乙女士', '10.0.4.1');
    await web.get('/account');
    const bad = await web.post('/account/nickname', { nickname: 'x' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /昵称应为 2–20 个字符/);
    assert.equal(
      (await web.post('/account/nickname', { nickname: '乙先生' })).headers.location,
      '/account?done=nickname',
    );
    assert.match((await web.get('/account')).body, /<dd translate="no">乙先生<\/dd>/);
    const wrong = await web.post('/account/password', { current: 'nope', password: 'Another-Pass-99' });
    assert.match(wrong.body, /当前密码不正确/);
    assert.equal(
      (await web.post('/account/password', { current: PASSWORD, password: 'Another-Pass-99' })).statusCode,
      303,
    );
  });

  test('a new password signs out every other browser and revokes every app token; this browser stays in', async () => {
    const here = await registerInBrowser('13900000040', '丁女士', '10.0.4.5');
    const there = new WebClient(t.app, '10.0.4.6');
    await there.get('/login');
    assert.equal((await there.post('/login', { phone: '13900000040', password: PASSWORD })).statusCode, 303);
    assert.equal((await there.get('/account')).statusCode, 200);
    const issued = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      remoteAddress: '10.0.4.7',
      payload: { phone: '13900000040', password: PASSWORD },
    });
    assert.equal(issued.statusCode, 201, issued.body);
    const me = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${issued.json().token}` } });
    assert.equal((await me()).statusCode, 200);

    await here.get('/account');
    const res = await here.post('/account/password', { current: PASSWORD, password: 'Another-Pass-99' });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/account?done=password');

    assert.equal((await here.get('/account')).statusCode, 200, 'the browser that made the change stays signed in');
    const other = await there.get('/account');
    assert.equal(other.statusCode, 303, 'the other browser is signed out');
    assert.match(String(other.headers.location), /^\/login/);
    const refused = await me();
    assert.equal(refused.statusCode, 401, 'the app token no longer works');
    assert.equal(refused.json().error.code, 'UNAUTHENTICATED');
    const user = await t.db
      .selectFrom('users')
      .select('id')
      .where('phone', '=', '13900000040')
      .executeTakeFirstOrThrow();
    const sessions = await t.db.selectFrom('sessions').select('sid_hash').where('user_id', '=', user.id).execute();
    assert.equal(sessions.length, 1, 'only the session that made the change is left');
    const tokens = await t.db.selectFrom('app_tokens').select('id').where('user_id', '=', user.id).execute();
    assert.equal(tokens.length, 0);
  });

  test('download my data as JSON, then delete the account: the person is gone, the number is free again', async () => {
    const web = await registerInBrowser('13900000030', '丙同学', '10.0.4.2');
    const data = await web.get('/account/export.json');
    assert.equal(data.statusCode, 200);
    assert.match(String(data.headers['content-disposition']), /attachment/);
    const body = JSON.parse(data.body);
    assert.equal(body.account.phone, '13900000030');
    assert.equal(body.account.nickname, '丙同学');
    assert.ok(Array.isArray(body.sessions) && body.sessions.length >= 1);

    await web.get('/account');
    const refused = await web.post('/account/delete', { password: 'wrong' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /当前密码不正确/);
    const res = await web.post('/account/delete', { password: PASSWORD });
    assert.equal(res.headers.location, '/login?done=deleted');
    const row = await t.db
      .selectFrom('users')
      .selectAll()
      .where('nickname', '=', '已注销用户')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.phone, null);
    assert.equal(row.password_hash, null);
    assert.ok(row.deleted_at);
    const leftovers = await t.db.selectFrom('sessions').select('sid_hash').where('user_id', '=', row.id).execute();
    assert.equal(leftovers.length, 0);
    assert.equal((await web.get('/account')).statusCode, 303);
    await registerInBrowser('13900000030', '丙又来了', '10.0.4.3');
  });
});
