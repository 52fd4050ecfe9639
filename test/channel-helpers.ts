// Helpers for the channel tests (SMS, Open311, e-mail, tracking): an app with channel settings on a fresh database,
// a small cast of staff with app tokens, and the steps that take a message to an answer.
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Response as LightMyRequestResponse } from 'light-my-request';
import type { Mailer } from '../src/mail/mailer.ts';
import { createTestDatabase, lastCode, type TestApp } from './helpers.ts';

export const PASSWORD = 'Channel-Pass-2026!';

/** A fresh database and the app on it, with extra environment (the channel variables). */
export async function createChannelApp(
  env: Record<string, string> = {},
  options: { mailer?: Mailer | null } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ ...database.env, ...env });
  const app = await buildApp({
    config,
    db: database.db,
    logger: false,
    ...(options.mailer !== undefined ? { mailer: options.mailer } : {}),
  });
  await app.ready();
  return {
    ...database,
    config,
    env: { ...database.env, ...env },
    app,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let ipCounter = 0;
/** A new client address for each request, so per-address limits stay out of the way. */
export const nextIp = () => `10.77.${Math.floor(++ipCounter / 250) % 250}.${ipCounter % 250}`;

export interface Cast {
  tokens: Record<string, string>;
  phones: Record<string, string>;
  call(
    who: string | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: object,
  ): Promise<LightMyRequestResponse>;
  /** A workflow or review action through the API; throws unless it succeeded. */
  act(who: string, id: number, action: string, body?: object): Promise<void>;
}

/** Editor, the 正定县 dispatching unit's staff and head, and two netizens (registered by SMS code). */
export async function createCast(t: TestApp): Promise<Cast> {
  const tokens: Record<string, string> = {};
  const phones: Record<string, string> = {};
  const call: Cast['call'] = (who, method, url, body) =>
    t.app.inject({
      method,
      url,
      remoteAddress: nextIp(),
      ...(body ? { payload: body } : {}),
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
    });
  const staff: [string, string, Record<string, string>][] = [
    ['admin', 'admin', {}],
    ['editor', 'editor', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: '130123001' }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: '130123001' }],
  ];
  let n = 0;
  for (const [name, role, scope] of staff) {
    const phone = `1760000${String(++n).padStart(4, '0')}`;
    await createStaff(t.db, COMMAND_LINE, { phone, nickname: `员${name}`, password: PASSWORD, role, ...scope });
    phones[name] = phone;
    tokens[name] = (await call(null, 'POST', '/api/v1/auth/token', { phone, password: PASSWORD })).json().token;
  }
  for (const [name, phone] of [
    ['citizen', '15500000001'],
    ['neighbour', '15500000002'],
  ] as const) {
    await call(null, 'POST', '/api/v1/auth/sms-code', { phone, purpose: 'register' });
    await call(null, 'POST', '/api/v1/auth/register', {
      phone,
      code: lastCode(t.config, phone),
      password: PASSWORD,
      nickname: name,
    });
    phones[name] = phone;
    tokens[name] = (await call(null, 'POST', '/api/v1/auth/token', { phone, password: PASSWORD })).json().token;
  }
  const act: Cast['act'] = async (who, id, action, body = {}) => {
    const res = await call(who, 'POST', `/api/v1/messages/${id}/actions/${action}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${action} on ${id}: ${res.statusCode} ${res.body}`);
  };
  return { tokens, phones, call, act };
}

/** Approves (with a type and domain for texts), accepts, drafts and approves a reply: the message is `replied`. */
export async function answer(
  cast: Cast,
  id: number,
  reply = '经核实，路灯已于本周修复，感谢您的监督。',
): Promise<void> {
  await cast.act('editor', id, 'approve', { type: 'help', domain: 'urban' });
  await cast.act('county', id, 'accept');
  await cast.act('county', id, 'draft-reply', { body: reply, resolved: true, submit: true });
  await cast.act('countyHead', id, 'approve-reply');
}
