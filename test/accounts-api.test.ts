import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { enableTotp, newTotpSecret } from '../src/accounts/totp.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const PASSWORD = 'App-Mima-2026!';
let ipCounter = 0;
/** Each call comes from its own address, so the per-address limits of one test do not spill into the next. */
const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: object,
  token?: string,
  ip = `10.1.0.${++ipCounter % 250}`,
) =>
  t.app.inject({
    method,
    url,
    remoteAddress: ip,
    ...(body ? { payload: body } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

async function registerByApi(phone: string, nickname: string) {
  const sent = await api('POST', '/api/v1/auth/sms-code', { phone, purpose: 'register' });
  assert.equal(sent.statusCode, 202, sent.body);
  assert.deepEqual(sent.json(), { sent: true, retryAfterSeconds: 60 });
  const res = await api('POST', '/api/v1/auth/register', {
    phone,
    code: lastCode(t.config, phone),
    password: PASSWORD,
    nickname,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: number; nickname: string };
}

async function tokenFor(phone: string, password = PASSWORD) {
  const res = await api('POST', '/api/v1/auth/token', { phone, password, channel: 'app', name: '测试手机' });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { token: string; id: number; expiresAt: string };
}

describe('accounts through the API', () => {
  test('register, get a token, read and change the profile, log out', async () => {
    const { id, nickname } = await registerByApi('13700000001', '应用用户');
    assert.equal(nickname, '应用用户');
    const { token, id: tokenId } = await tokenFor('13700000001');
    assert.match(token, /^ly_[\w-]{40,}$/);
    const stored = await t.db
      .selectFrom('app_tokens')
      .select('token_hash')
      .where('id', '=', tokenId)
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, token, 'only a digest is stored');
    assert.match(stored.token_hash, /^[0-9a-f]{64}$/);

    const me = await api('GET', '/api/v1/me', undefined, token);
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json(), {
      id,
      phone: '13700000001',
      nickname: '应用用户',
      isStaff: false,
      twoFactorEnabled: false,
      roles: [],
    });
    assert.equal((await api('PATCH', '/api/v1/me', { nickname: '改名了' }, token)).statusCode, 204);
    assert.equal((await api('GET', '/api/v1/me', undefined, token)).json().nickname, '改名了');
    const bad = await api('PATCH', '/api/v1/me', { nickname: 'a' }, token);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.code, 'NICKNAME_INVALID');

    assert.equal((await api('DELETE', '/api/v1/auth/token', undefined, token)).statusCode, 204);
    const after = await api('GET', '/api/v1/me', undefined, token);
    assert.equal(after.statusCode, 401);
    assert.deepEqual(after.json(), { error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
  });

  test('tokens are listed and revocable by their owner only', async () => {
    await registerByApi('13700000002', '两部手机');
    const a = await tokenFor('13700000002');
    const b = await tokenFor('13700000002');
    const list = await api('GET', '/api/v1/auth/tokens', undefined, a.token);
    assert.deepEqual(
      list.json().tokens.map((x: { id: number }) => x.id),
      [a.id, b.id],
    );
    const stranger = await tokenFor('13700000001');
    assert.equal((await api('DELETE', `/api/v1/auth/tokens/${b.id}`, undefined, stranger.token)).statusCode, 404);
    assert.equal((await api('DELETE', `/api/v1/auth/tokens/${b.id}`, undefined, a.token)).statusCode, 204);
    assert.equal((await api('GET', '/api/v1/me', undefined, b.token)).statusCode, 401);
    assert.equal((await api('GET', '/api/v1/me', undefined, a.token)).statusCode, 200);
  });

  test('a token from an SMS code; a reset password ends every token', async () => {
    await t.db
      .updateTable('sms_codes')
      .set({ created_at: '2000-01-01T00:00:00.000Z' })
      .where('phone', '=', '13700000002')
      .execute();
    await api('POST', '/api/v1/auth/sms-code', { phone: '13700000002', purpose: 'login' });
    const res = await api('POST', '/api/v1/auth/token', {
      phone: '13700000002',
      code: lastCode(t.config, '13700000002'),
    });
    assert.equal(res.statusCode, 201);
    const { token } = res.json();
    await t.db
      .updateTable('sms_codes')
      .set({ created_at: '2000-01-01T00:00:00.000Z' })
      .where('phone', '=', '13700000002')
      .execute();
    await api('POST', '/api/v1/auth/sms-code', { phone: '13700000002', purpose: 'reset' });
    const reset = await api('POST', '/api/v1/auth/password-reset', {
      phone: '13700000002',
      code: lastCode(t.config, '13700000002'),
      password: 'Xin-App-Mima-9',
    });
    assert.equal(reset.statusCode, 204);
    assert.equal((await api('GET', '/api/v1/me', undefined, token)).statusCode, 401);
    assert.equal(
      (await api('POST', '/api/v1/auth/token', { phone: '13700000002', password: PASSWORD })).statusCode,
      401,
    );
    await tokenFor('13700000002', 'Xin-App-Mima-9');
  });

  test('export and delete through the API', async () => {
    await registerByApi('13700000003', '要注销');
    const { token } = await tokenFor('13700000003');
    const data = await api('GET', '/api/v1/me/export', undefined, token);
    assert.equal(data.statusCode, 200);
    assert.equal(data.json().account.phone, '13700000003');
    assert.equal(data.json().appTokens.length, 1);
    const wrong = await api('DELETE', '/api/v1/me', { password: 'nope' }, token);
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.code, 'PASSWORD_MISMATCH');
    assert.equal((await api('DELETE', '/api/v1/me', { password: PASSWORD }, token)).statusCode, 204);
    assert.equal((await api('GET', '/api/v1/me', undefined, token)).statusCode, 401);
    assert.equal(
      (await api('POST', '/api/v1/auth/token', { phone: '13700000003', password: PASSWORD })).statusCode,
      401,
    );
  });

  test('bad input gets a coded Chinese error, never a crash', async () => {
    const cases: [string, object, number, string][] = [
      ['/api/v1/auth/sms-code', { phone: '12345', purpose: 'register' }, 400, 'INVALID_PHONE'],
      ['/api/v1/auth/sms-code', { phone: '13700000009', purpose: 'hack' }, 400, 'VALIDATION'],
      ['/api/v1/auth/sms-code', { phone: 13700000009 }, 400, 'VALIDATION'],
      [
        '/api/v1/auth/register',
        { phone: '13700000009', code: '123456', password: PASSWORD, nickname: '新人' },
        400,
        'CODE_INVALID',
      ],
      [
        '/api/v1/auth/register',
        { phone: '13700000009', code: '123456', password: '123', nickname: '新人' },
        400,
        'PASSWORD_TOO_SHORT',
      ],
      ['/api/v1/auth/token', { phone: '13700000009', password: PASSWORD }, 401, 'LOGIN_FAILED'],
      ['/api/v1/auth/token', { phone: '13700000001', password: PASSWORD, channel: 'fax' }, 400, 'VALIDATION'],
      ['/api/v1/auth/token', {}, 401, 'LOGIN_FAILED'],
    ];
    for (const [url, body, status, code] of cases) {
      const res = await api('POST', url, body);
      assert.equal(res.statusCode, status, `${url} ${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, code);
      assert.match(res.json().error.message, /[\u4e00-\u9fff]/, 'the message is in Chinese');
    }
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: '{"phone":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(garbage.statusCode, 400);
    assert.equal(garbage.json().error.code, 'JSON_INVALID');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { phone: 'x'.repeat(2_000_000) },
    });
    assert.equal(huge.statusCode, 413);
    assert.equal(huge.json().error.code, 'PAYLOAD_TOO_LARGE');
    const bearer = await api('GET', '/api/v1/me', undefined, 'not-a-token');
    assert.equal(bearer.statusCode, 401);
  });

  test('registering a taken number after proving it by code says so; the 21st wrong password is locked out', async () => {
    await t.db
      .updateTable('sms_codes')
      .set({ created_at: '2000-01-01T00:00:00.000Z' })
      .where('phone', '=', '13700000001')
      .execute();
    await api('POST', '/api/v1/auth/sms-code', { phone: '13700000001', purpose: 'register' });
    const taken = await api('POST', '/api/v1/auth/register', {
      phone: '13700000001',
      code: '000000',
      password: PASSWORD,
      nickname: '冒名',
    });
    assert.equal(taken.json().error.code, 'CODE_INVALID', 'no code was sent, since the number is registered');

    const attacker = '10.1.8.1';
    for (let i = 1; i <= 20; i++) {
      const res = await api(
        'POST',
        '/api/v1/auth/token',
        { phone: '13700000001', password: `bad-${i}` },
        undefined,
        attacker,
      );
      assert.equal(res.statusCode, 401);
    }
    const locked = await api(
      'POST',
      '/api/v1/auth/token',
      { phone: '13700000001', password: PASSWORD },
      undefined,
      attacker,
    );
    assert.equal(locked.statusCode, 423);
    assert.equal(locked.json().error.code, 'LOGIN_LOCKED');
    assert.match(locked.json().error.message, /请于 \d{2}:\d{2}（约 15 分钟后）再试/);
  });

  test("the owner gets a token from another address while the attacker's address is locked", async () => {
    await t.db.deleteFrom('login_failures').execute();
    const attacker = '10.1.8.2';
    for (let i = 1; i <= 20; i++)
      await api('POST', '/api/v1/auth/token', { phone: '13700000001', password: `bad-${i}` }, undefined, attacker);
    const locked = await api(
      'POST',
      '/api/v1/auth/token',
      { phone: '13700000001', password: PASSWORD },
      undefined,
      attacker,
    );
    assert.equal(locked.statusCode, 423);
    const owner = await api(
      'POST',
      '/api/v1/auth/token',
      { phone: '13700000001', password: PASSWORD },
      undefined,
      '10.1.8.3',
    );
    assert.equal(owner.statusCode, 201, owner.body);
    const again = await api(
      'POST',
      '/api/v1/auth/token',
      { phone: '13700000001', password: PASSWORD },
      undefined,
      attacker,
    );
    assert.equal(again.statusCode, 423, "the attacker's address stays locked");
  });

  test('while password login is locked, a token from an SMS code is still issued', async () => {
    await t.db.deleteFrom('login_failures').execute();
    const here = '10.1.8.4';
    for (let i = 1; i <= 20; i++)
      await api('POST', '/api/v1/auth/token', { phone: '13700000001', password: `bad-${i}` }, undefined, here);
    const locked = await api(
      'POST',
      '/api/v1/auth/token',
      { phone: '13700000001', password: PASSWORD },
      undefined,
      here,
    );
    assert.equal(locked.statusCode, 423);
    await t.db
      .updateTable('sms_codes')
      .set({ created_at: '2000-01-01T00:00:00.000Z' })
      .where('phone', '=', '13700000001')
      .execute();
    const sent = await api(
      'POST',
      '/api/v1/auth/sms-code',
      { phone: '13700000001', purpose: 'login' },
      undefined,
      here,
    );
    assert.equal(sent.statusCode, 202, sent.body);
    const res = await api(
      'POST',
      '/api/v1/auth/token',
      { phone: '13700000001', code: lastCode(t.config, '13700000001') },
      undefined,
      here,
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await api('GET', '/api/v1/me', undefined, res.json().token)).json().phone, '13700000001');
  });

  test('ten wrong codes at once: exactly five are judged, the rest and then the right code are refused', async () => {
    await registerByApi('13700000005', '并发猜码');
    await t.db
      .updateTable('sms_codes')
      .set({ created_at: '2000-01-01T00:00:00.000Z' })
      .where('phone', '=', '13700000005')
      .execute();
    assert.equal(
      (await api('POST', '/api/v1/auth/sms-code', { phone: '13700000005', purpose: 'login' })).statusCode,
      202,
    );
    const code = lastCode(t.config, '13700000005');
    const guesses = Array.from({ length: 10 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(
      guesses.map((guess) => api('POST', '/api/v1/auth/token', { phone: '13700000005', code: guess })),
    );
    assert.ok(answers.every((a) => a.statusCode === 400));
    const codes = answers.map((a) => a.json().error.code as string).sort();
    assert.deepEqual(codes, [...Array(5).fill('CODE_ATTEMPTS_EXCEEDED'), ...Array(5).fill('CODE_INVALID')]);
    const row = await t.db
      .selectFrom('sms_codes')
      .select(['attempts', 'used_at'])
      .where('phone', '=', '13700000005')
      .where('purpose', '=', 'login')
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { attempts: 5, used_at: null }, 'five tries taken, no more');

    const right = await api('POST', '/api/v1/auth/token', { phone: '13700000005', code });
    assert.equal(right.statusCode, 400);
    assert.equal(right.json().error.code, 'CODE_ATTEMPTS_EXCEEDED');
    assert.equal(right.json().error.message, '验证码已输错 5 次，不能再用，请重新获取验证码。');
    const tokens = await t.db
      .selectFrom('app_tokens')
      .innerJoin('users', 'users.id', 'app_tokens.user_id')
      .select('app_tokens.id')
      .where('users.phone', '=', '13700000005')
      .execute();
    assert.equal(tokens.length, 0, 'no token was issued');
  });

  test('an account with two-step verification needs the one-time code for a token', async () => {
    const { id } = await registerByApi('13700000004', '两步验证');
    const secret = newTotpSecret();
    await enableTotp(t.db, t.config.secret, id, secret);
    const without = await api('POST', '/api/v1/auth/token', { phone: '13700000004', password: PASSWORD });
    assert.equal(without.statusCode, 401);
    assert.equal(without.json().error.code, 'TOTP_REQUIRED');
    const wrong = await api('POST', '/api/v1/auth/token', { phone: '13700000004', password: PASSWORD, totp: '000000' });
    assert.equal(wrong.json().error.code, 'TOTP_INVALID');
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    assert.equal(
      (await api('POST', '/api/v1/auth/token', { phone: '13700000004', password: PASSWORD, totp })).statusCode,
      201,
    );
    const stored = await t.db.selectFrom('users').select('totp_secret').where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(stored.totp_secret && !stored.totp_secret.includes(secret), 'the secret is encrypted at rest');
  });

  test('browser session cookies do not authenticate the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { sid: 'anything' } });
    assert.equal(res.statusCode, 401);
  });
});
