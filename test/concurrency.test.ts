// Lost updates under concurrency: the same step fired several times at once, through the front door, on one app and
// (PostgreSQL) on two app instances with their own pools on one database, the real two-process case. Exactly one
// wins; the others get 409 CONFLICT, never a 5xx; one case event, one set of notices. Also: a stale draft save keeps
// both texts, a stale workbench form is a 409, batches name their conflicts, and the migration settles old duplicates.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { buildApp } from '../src/app.ts';
import { verifyAllChains } from '../src/audit/case-events.ts';
import * as oneAtATime from '../src/db/migrations/0012-one-at-a-time.ts';
import { runSchedulerOnce } from '../src/workflow/supervision.ts';
import { createTestApp, lastCode, TEST_ENGINE, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
let ip = 0;
const tokens: Record<string, string> = {};
const phones: Record<string, string> = {};
const PASSWORD = 'Race-Pass-2026!';
const COUNTY = 130123001;
const DEPT = 130123002;
const DEPT_B = 130123003;
const BOARD = 1301232; // 正定县 · 县长, handled by the county
/** Races per scenario and kind; RACE_ROUNDS=50 for a longer run. */
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 6);
/** Requests fired at once in each race. */
const N = 4;

const nextIp = () => `10.23.${Math.floor(++ip / 200) % 250}.${ip % 200}`;
const call = (app: FastifyInstance, who: string | null, method: 'GET' | 'POST', url: string, body?: object) =>
  app.inject({
    method,
    url,
    remoteAddress: nextIp(),
    ...(body ? { payload: body } : {}),
    headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
  });
const act = (who: string, id: number, action: string, body: object = {}, app = t.app) =>
  call(app, who, 'POST', `/api/v1/messages/${id}/actions/${action}`, body);
const ok = async (who: string, id: number, action: string, body: object = {}) => {
  const res = await act(who, id, action, body);
  assert.equal(res.statusCode, 200, `${who} ${action}: ${res.body}`);
  return res.json() as { id: number; status: string; version: number; draftVersion?: number };
};

before(async () => {
  t = await createTestApp();
  for (const [id, name] of [
    [DEPT, '正定县住房和城乡建设局'],
    [DEPT_B, '正定县城市管理综合行政执法局'],
  ] as const) {
    await t.db
      .insertInto('handling_units')
      .values({
        id,
        region_code: '130123',
        parent_id: COUNTY,
        name,
        responsibilities: '城市建设与管理',
        kind: 'department',
        level: 'county',
        active: 1,
      })
      .execute();
  }
  const people: [string, string, Record<string, string>][] = [
    ['editor', 'editor', {}],
    ['editor2', 'editor', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['county2', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['countyHead2', 'unit_head', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['dept', 'unit_staff', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['dept2', 'unit_staff', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['deptHead', 'unit_head', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['deptHead2', 'unit_head', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['leader', 'leader', { scopeType: 'board', scopeId: String(BOARD) }],
    ['leader2', 'leader', { scopeType: 'board', scopeId: String(BOARD) }],
  ];
  let n = 0;
  for (const [name, role, scope] of people) {
    const phone = `1570000${String(++n).padStart(4, '0')}`;
    phones[name] = phone;
    await createStaff(t.db, COMMAND_LINE, { phone, nickname: `竞${name}`, password: PASSWORD, role, ...scope });
    tokens[name] = (await call(t.app, null, 'POST', '/api/v1/auth/token', { phone, password: PASSWORD })).json().token;
  }
  const phone = '15500000009';
  await call(t.app, null, 'POST', '/api/v1/auth/sms-code', { phone, purpose: 'register' });
  await call(t.app, null, 'POST', '/api/v1/auth/register', {
    phone,
    code: lastCode(t.config, phone),
    password: PASSWORD,
    nickname: '竞速网友',
  });
  tokens.citizen = (await call(t.app, null, 'POST', '/api/v1/auth/token', { phone, password: PASSWORD })).json().token;
});
after(() => t.close());

// ---- messages in each state, through the front door

let titles = 0;
async function pending(): Promise<number> {
  const res = await call(t.app, 'citizen', 'POST', '/api/v1/messages', {
    boardId: BOARD,
    type: 'help',
    domain: 'urban',
    title: `路灯不亮请尽快维修 ${++titles}`,
    body: `诉求：小区门口的路灯已经坏了两周，晚上出行很不安全，请尽快安排维修。编号 ${titles}`,
  });
  assert.equal(res.statusCode, 201, res.body);
  const { id } = res.json() as { id: number };
  await ok('editor', id, 'approve');
  return id;
}
async function accepted(): Promise<number> {
  const id = await pending();
  await ok('county', id, 'accept');
  return id;
}
async function assigned(): Promise<number> {
  const id = await accepted();
  await ok('county', id, 'assign', { unitId: DEPT, note: '请核实处理' });
  return id;
}
async function toApprove(): Promise<number> {
  const id = await assigned();
  await ok('dept', id, 'draft-reply', { body: '经核查，路灯线路老化，已安排更换。', submit: true });
  return id;
}
async function toSign(): Promise<number> {
  const id = await toApprove();
  await ok('deptHead', id, 'approve-reply', { sign: true });
  return id;
}
async function replied(): Promise<number> {
  const id = await toApprove();
  await ok('deptHead', id, 'approve-reply');
  return id;
}

const versionOf = async (id: number) =>
  (await t.db.selectFrom('messages').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
const eventsOf = async (id: number, kinds: string[]) =>
  (
    await t.db
      .selectFrom('case_events')
      .select('kind')
      .where('message_id', '=', id)
      .where('kind', 'in', kinds)
      .execute()
  ).length;
const noticesLike = async (id: number, pattern: string) =>
  (
    await t.db
      .selectFrom('notifications')
      .select('id')
      .where('message_id', '=', id)
      .where('text', 'like', pattern)
      .execute()
  ).length;

// ---- the races

interface Tally {
  races: number;
  singleWinners: number;
  losers: number;
  conflicts: number;
  serverErrors: number;
}
const newTally = (): Tally => ({ races: 0, singleWinners: 0, losers: 0, conflicts: 0, serverErrors: 0 });

/**
 * Fires every request at once and checks the outcome: no 5xx; with `winners: 1`, exactly one 200 and every other a
 * 409 whose code is one of `codes` (the step lost the race, or found the message already moved on).
 */
async function race(
  tally: Tally,
  label: string,
  requests: (() => Promise<LightMyRequestResponse>)[],
  codes: string[] = ['CONFLICT'],
  winners: number | null = 1,
): Promise<LightMyRequestResponse[]> {
  const results = await Promise.all(requests.map((r) => r()));
  const summary = results.map((r) => `${r.statusCode} ${r.body.slice(0, 120)}`).join(' | ');
  const wins = results.filter((r) => r.statusCode === 200).length;
  tally.races += 1;
  tally.serverErrors += results.filter((r) => r.statusCode >= 500).length;
  if (wins === 1) tally.singleWinners += 1;
  assert.deepEqual(
    results.filter((r) => r.statusCode >= 500).map((r) => r.body),
    [],
    `${label}: no 5xx`,
  );
  if (winners !== null) assert.equal(wins, winners, `${label}: ${summary}`);
  for (const r of results.filter((x) => x.statusCode !== 200)) {
    tally.losers += 1;
    assert.equal(r.statusCode, 409, `${label}: ${summary}`);
    const code = (r.json() as { error: { code: string; message: string } }).error.code;
    assert.ok(codes.includes(code), `${label}: ${code} not in ${codes.join(', ')}`);
    if (code === 'CONFLICT') {
      tally.conflicts += 1;
      assert.equal(r.json().error.message, '该留言刚被他人处理，请刷新后再试。');
    }
  }
  return results;
}

/** Every scenario, its requests spread over `apps` in turn; `versioned`: each request says the version it saw. */
async function raceAll(apps: FastifyInstance[], tally: Tally, versioned: boolean): Promise<void> {
  const on = (i: number) => apps[i % apps.length]!;
  const v = async (id: number) => (versioned ? { version: await versionOf(id) } : {});
  const tag = versioned ? 'with version' : 'without version';
  for (let round = 0; round < ROUNDS; round++) {
    // Accept twice: one acceptance, one notice to the author.
    {
      const id = await pending();
      const seen = await v(id);
      const who = ['county', 'county2', 'countyHead', 'countyHead2'];
      await race(
        tally,
        `accept ${tag}`,
        who.map((w, i) => () => act(w, id, 'accept', seen, on(i))),
        versioned ? ['CONFLICT'] : ['CONFLICT', 'WRONG_STATUS'],
      );
      assert.equal(await eventsOf(id, ['accept']), 1);
      assert.equal(await noticesLike(id, '%已被受理%'), 1);
    }
    // Assign to two different units at once: one assignment, one unit told.
    {
      const id = await accepted();
      const seen = await v(id);
      const results = await race(
        tally,
        `assign ${tag}`,
        Array.from(
          { length: N },
          (_, i) => () =>
            act(i % 2 ? 'county2' : 'county', id, 'assign', { unitId: i % 2 ? DEPT_B : DEPT, ...seen }, on(i)),
        ),
      );
      const winner = results.findIndex((r) => r.statusCode === 200);
      assert.equal(await eventsOf(id, ['assign']), 1);
      const m = await t.db.selectFrom('messages').select('current_unit_id').where('id', '=', id).executeTakeFirst();
      assert.equal(m!.current_unit_id, winner % 2 ? DEPT_B : DEPT);
      const told = await t.db
        .selectFrom('notifications')
        .select('unit_id')
        .where('message_id', '=', id)
        .where('unit_id', 'in', [DEPT, DEPT_B])
        .execute();
      assert.deepEqual(
        told.map((r) => r.unit_id),
        [m!.current_unit_id],
        'only the winning unit is told',
      );
    }
    // Two extension requests: one pending extension.
    {
      const id = await assigned();
      const seen = await v(id);
      await race(
        tally,
        `request-extension ${tag}`,
        Array.from(
          { length: N },
          (_, i) => () =>
            act(
              i % 2 ? 'dept2' : 'dept',
              id,
              'request-extension',
              { days: 3 + i, reason: '需协调电力部门', ...seen },
              on(i),
            ),
        ),
        versioned ? ['CONFLICT'] : ['CONFLICT', 'EXTENSION_PENDING'],
      );
      const rows = await t.db.selectFrom('extensions').select('status').where('message_id', '=', id).execute();
      assert.deepEqual(
        rows.map((r) => r.status),
        ['pending'],
      );
      assert.equal(await eventsOf(id, ['request-extension']), 1);
    }
    // The extension granted twice: one grant, the deadline moved once, the author told once.
    {
      const id = await assigned();
      await ok('dept', id, 'request-extension', { days: 5, reason: '需协调电力部门' });
      const extension = await t.db
        .selectFrom('extensions')
        .select('id')
        .where('message_id', '=', id)
        .executeTakeFirstOrThrow();
      const seen = await v(id);
      await race(
        tally,
        `grant ${tag}`,
        Array.from(
          { length: N },
          (_, i) => () =>
            act(
              i % 2 ? 'countyHead2' : 'countyHead',
              id,
              'decide-extension',
              { extensionId: extension.id, grant: i !== 3, ...seen },
              on(i),
            ),
        ),
        versioned ? ['CONFLICT'] : ['CONFLICT', 'EXTENSION_DECIDED'],
      );
      assert.equal(await eventsOf(id, ['grant-extension', 'refuse-extension']), 1);
      const m = await t.db.selectFrom('messages').select('extension_days').where('id', '=', id).executeTakeFirst();
      assert.ok([0, 5].includes(m!.extension_days), `extended once at most: ${m!.extension_days}`);
      assert.ok((await noticesLike(id, '%办理延期%')) <= 1);
    }
    // Draft replies saved over the same draft at once: one text saved, the others refused, nothing overwritten.
    {
      const id = await assigned();
      const first = await ok('dept', id, 'draft-reply', { body: '初稿：已联系电力部门，正在核查线路。' });
      assert.equal(first.draftVersion, 1);
      const texts = Array.from({ length: N }, (_, i) => `第 ${i + 1} 稿：路灯线路已更换，恢复照明。`);
      const results = await race(
        tally,
        `draft-reply ${tag}`,
        texts.map(
          (body, i) => () =>
            act(
              ['dept', 'dept2', 'deptHead', 'deptHead2'][i]!,
              id,
              'draft-reply',
              { body, ...(versioned ? { draftVersion: first.draftVersion } : {}) },
              on(i),
            ),
        ),
        ['CONFLICT'],
        versioned ? 1 : null,
      );
      const open = await t.db.selectFrom('replies').select(['body', 'version']).where('message_id', '=', id).execute();
      assert.equal(open.length, 1, 'one draft, never two');
      if (versioned) {
        const winner = results.findIndex((r) => r.statusCode === 200);
        assert.equal(open[0]!.body, texts[winner], 'the saved text is the winner’s, untouched by the others');
        assert.equal(open[0]!.version, 2);
        assert.equal(results[winner]!.json().draftVersion, 2);
      }
    }
    // First drafts at once (no draft yet): one reply row.
    {
      const id = await assigned();
      await race(
        tally,
        `first draft ${tag}`,
        Array.from(
          { length: N },
          (_, i) => () =>
            act(
              i % 2 ? 'dept2' : 'dept',
              id,
              'draft-reply',
              { body: `第 ${i + 1} 份初稿：正在核查路灯线路。`, ...(versioned ? { draftVersion: 0 } : {}) },
              on(i),
            ),
        ),
        ['CONFLICT'],
        versioned ? 1 : null,
      );
      assert.equal((await t.db.selectFrom('replies').select('id').where('message_id', '=', id).execute()).length, 1);
    }
    // The leader signs while another sends the reply back: one of the two.
    {
      const id = await toSign();
      const seen = await v(id);
      await race(
        tally,
        `sign + send-back ${tag}`,
        Array.from(
          { length: N },
          (_, i) => () =>
            i % 2
              ? act(i === 1 ? 'leader2' : 'leader', id, 'send-back-reply', { note: '请补充维修时间', ...seen }, on(i))
              : act(i === 0 ? 'leader' : 'leader2', id, 'sign-reply', seen, on(i)),
        ),
        versioned ? ['CONFLICT'] : ['CONFLICT', 'NOTHING_TO_SIGN', 'WRONG_STATUS'],
      );
      assert.equal(await eventsOf(id, ['sign-reply', 'send-back-reply']), 1);
      assert.ok((await eventsOf(id, ['publish-reply'])) <= 1);
    }
    // Two heads approve the same reply: published once, the author told once.
    {
      const id = await toApprove();
      const seen = await v(id);
      await race(
        tally,
        `approve-reply ${tag}`,
        Array.from(
          { length: N },
          (_, i) => () => act(i % 2 ? 'deptHead2' : 'deptHead', id, 'approve-reply', seen, on(i)),
        ),
        versioned ? ['CONFLICT'] : ['CONFLICT', 'WRONG_STATUS'],
      );
      assert.equal(await eventsOf(id, ['publish-reply']), 1);
      assert.equal(await noticesLike(id, '%已答复%'), 1);
    }
    // The author rates twice (two tabs, a double click): one rating.
    {
      const id = await replied();
      const seen = await v(id);
      await race(
        tally,
        `rate ${tag}`,
        Array.from(
          { length: N },
          (_, i) => () => act('citizen', id, 'rate', { resolution: 1 + i, timeliness: 3, attitude: 4, ...seen }, on(i)),
        ),
        versioned ? ['CONFLICT'] : ['CONFLICT', 'WRONG_STATUS'],
      );
      assert.equal((await t.db.selectFrom('ratings').select('id').where('message_id', '=', id).execute()).length, 1);
      assert.equal(await eventsOf(id, ['rate']), 1);
    }
  }
}

const report = (ctx: TestContext, label: string, tally: Tally) =>
  ctx.diagnostic(
    `${label} on ${TEST_ENGINE}: ${tally.races} races, ${tally.singleWinners} single winners, ` +
      `${tally.losers} losers (${tally.conflicts} × 409 CONFLICT, the rest 409 for the state they found), ` +
      `${tally.serverErrors} × 5xx`,
  );

describe(`concurrent steps on one message, one app on ${TEST_ENGINE}`, () => {
  test('each step fired at once with the version its page showed: exactly one wins, the others get 409 CONFLICT', async (ctx) => {
    const tally = newTally();
    await raceAll([t.app], tally, true);
    report(ctx, 'one app, with versions', tally);
    assert.equal(tally.serverErrors, 0);
    assert.equal(tally.conflicts, tally.losers, 'every loser is told CONFLICT');
  });

  test('without a version (an older API client): still one winner, every other a 409, never a 5xx', async (ctx) => {
    const tally = newTally();
    await raceAll([t.app], tally, false);
    report(ctx, 'one app, without versions', tally);
    assert.equal(tally.serverErrors, 0);
  });

  test('every message’s case history is still one unbroken chain', async () => {
    const { broken } = await verifyAllChains(t.db);
    assert.equal(broken, null);
  });
});

if (TEST_ENGINE === 'postgres') {
  describe('two app instances with their own pools on one PostgreSQL database (two processes)', () => {
    let second: FastifyInstance;
    before(async () => {
      second = await buildApp({ config: t.config, logger: false });
      await second.ready();
    });
    after(() => second.close());

    test('the same steps racing across the instances: one winner, the others 409 CONFLICT', async (ctx) => {
      const tally = newTally();
      await raceAll([t.app, second], tally, true);
      report(ctx, 'two instances, with versions', tally);
      assert.equal(tally.serverErrors, 0);
      assert.equal(tally.conflicts, tally.losers);
    });

    test('without versions across the instances: one winner, never a 5xx', async (ctx) => {
      const tally = newTally();
      await raceAll([t.app, second], tally, false);
      report(ctx, 'two instances, without versions', tally);
      assert.equal(tally.serverErrors, 0);
      const { broken } = await verifyAllChains(t.db);
      assert.equal(broken, null);
    });
  });
}

describe(`what a clerk sees on ${TEST_ENGINE}`, () => {
  async function browser(who: string): Promise<WebClient> {
    const web = new WebClient(t.app, nextIp());
    await web.get('/login');
    const res = await web.post('/login', { phone: phones[who]!, password: PASSWORD });
    assert.equal(res.statusCode, 303, res.body);
    return web;
  }
  const field = (html: string, name: string) => new RegExp(`name="${name}" value="(\\d+)"`).exec(html)?.[1];

  test('a draft saved over a colleague’s newer save: 409, the newer text in the box, the clerk’s own text kept below', async () => {
    const id = await assigned();
    const a = await browser('dept');
    const b = await browser('dept2');
    const pageA = await a.get(`/workbench/messages/${id}`);
    const pageB = await b.get(`/workbench/messages/${id}`);
    assert.equal(field(pageA.body, 'draftVersion'), '0');
    const saved = await a.post(`/workbench/messages/${id}/draft-reply`, {
      body: '甲的答复：路灯已于本周三修复。',
      draftVersion: field(pageA.body, 'draftVersion')!,
      submit: '0',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const stale = await b.post(`/workbench/messages/${id}/draft-reply`, {
      body: '乙的答复：已通知电力部门尽快维修。',
      draftVersion: field(pageB.body, 'draftVersion')!,
      submit: '0',
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /没有保存：同事刚刚修改了这份答复/);
    assert.match(stale.body, /<textarea id="f-reply"[^>]*>甲的答复：路灯已于本周三修复。<\/textarea>/);
    assert.match(stale.body, /<textarea id="f-unsaved"[^>]*>乙的答复：已通知电力部门尽快维修。<\/textarea>/);
    assert.equal(field(stale.body, 'draftVersion'), '1', 'the form now names the newer draft');
    const reply = await t.db.selectFrom('replies').select('body').where('message_id', '=', id).executeTakeFirst();
    assert.equal(reply!.body, '甲的答复：路灯已于本周三修复。', 'nothing overwritten');
    // Merged and saved on the newer version: accepted.
    const merged = await b.post(`/workbench/messages/${id}/draft-reply`, {
      body: '路灯已于本周三修复，并已通知电力部门定期巡检。',
      draftVersion: field(stale.body, 'draftVersion')!,
      submit: '1',
    });
    assert.equal(merged.statusCode, 303, merged.body);
  });

  test('two clerks assign from pages showing the same version: the second is told it changed (409), in Chinese', async () => {
    const id = await accepted();
    const a = await browser('county');
    const b = await browser('county2');
    const pageA = await a.get(`/workbench/messages/${id}`);
    const pageB = await b.get(`/workbench/messages/${id}`);
    const version = field(pageA.body, 'version')!;
    assert.equal(field(pageB.body, 'version'), version);
    const first = await a.post(`/workbench/messages/${id}/assign`, { unitId: String(DEPT), note: '', version });
    assert.equal(first.statusCode, 303, first.body);
    const second = await b.post(`/workbench/messages/${id}/assign`, { unitId: String(DEPT_B), note: '', version });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /该留言刚被他人处理，请刷新后再试。/);
    assert.equal(await eventsOf(id, ['assign']), 1);
  });

  test('a stale version through the API is 409 CONFLICT in the API’s error format; a malformed one is 400', async () => {
    const id = await accepted();
    const res = await act('county', id, 'assign', { unitId: DEPT, version: (await versionOf(id)) - 1 });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json(), { error: { code: 'CONFLICT', message: '该留言刚被他人处理，请刷新后再试。' } });
    const bad = await act('county', id, 'assign', { unitId: DEPT, version: -1 });
    assert.equal(bad.statusCode, 400);
    const done = await ok('county', id, 'assign', { unitId: DEPT, version: await versionOf(id) });
    assert.equal(done.version, await versionOf(id), 'the answer names the new version');
  });

  test('someone with no part in the message is still refused (403), whatever version they send', async () => {
    const id = await assigned();
    const forbidden = await act('county2', id, 'request-extension', {
      days: 2,
      reason: '无关',
      version: await versionOf(id),
    });
    assert.equal(forbidden.statusCode, 403);
  });

  test('two editors decide on one message at once (approve, reject): one decision, the author told once', async () => {
    const tally = newTally();
    for (let round = 0; round < ROUNDS; round++) {
      const res = await call(t.app, 'citizen', 'POST', '/api/v1/messages', {
        boardId: BOARD,
        type: 'help',
        domain: 'urban',
        title: `路灯不亮请尽快维修 ${++titles}`,
        body: `诉求：小区门口的路灯已经坏了两周，晚上出行很不安全，请尽快安排维修。编号 ${titles}`,
      });
      const { id } = res.json() as { id: number };
      await race(
        tally,
        'approve + reject',
        Array.from(
          { length: N },
          (_, i) => () =>
            i % 2
              ? act('editor2', id, 'reject', { reason: 'duplicate', note: '重复' })
              : act('editor', id, 'approve', {}),
        ),
        ['CONFLICT', 'WRONG_STATUS'],
      );
      assert.equal(await eventsOf(id, ['approve', 'reject']), 1);
      assert.equal((await noticesLike(id, '%已审核通过%')) + (await noticesLike(id, '%未通过审核%')), 1);
    }
    assert.equal(tally.serverErrors, 0);
  });

  test('a batch accept racing a single accept: each message accepted once, the conflict named as a failed id', async () => {
    const a = await pending();
    const b = await pending();
    const web = await browser('county');
    const page = await web.get('/workbench');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const [batch, single] = await Promise.all([
      t.app.inject({
        method: 'POST',
        url: '/workbench/batch',
        remoteAddress: nextIp(),
        cookies: Object.fromEntries(web.cookies),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}&batch=accept&ids=${a}&ids=${b}`,
      }),
      act('county2', a, 'accept'),
    ]);
    assert.equal(batch.statusCode, 303, batch.body);
    assert.ok(single.statusCode === 200 || single.statusCode === 409, single.body);
    const location = batch.headers.location as string;
    if (single.statusCode === 200) assert.equal(location, `/workbench?batch=accept&ok=1&failed=${a}`);
    else assert.equal(location, '/workbench?batch=accept&ok=2');
    assert.equal(await eventsOf(a, ['accept']), 1);
    assert.equal(await eventsOf(b, ['accept']), 1);
  });

  test('the scheduler’s 督办 racing an acceptance: no error, one chain', async () => {
    const ids = await Promise.all([pending(), pending(), pending()]);
    const past = new Date(Date.now() - 86400_000).toISOString();
    await t.db.updateTable('messages').set({ accept_due_at: past }).where('id', 'in', ids).execute();
    const [report, ...accepts] = await Promise.all([
      runSchedulerOnce(t.db),
      ...ids.map((id) => act('county', id, 'accept')),
    ]);
    assert.ok(report.supervised <= ids.length);
    for (const res of accepts) assert.equal(res.statusCode, 200, res.body);
    const { broken } = await verifyAllChains(t.db);
    assert.equal(broken, null);
  });
});

describe(`upgrading a database with duplicates left by earlier races on ${TEST_ENGINE}`, () => {
  test('the newest pending extension and open reply stay, the others are settled, and the rules hold after', async () => {
    const id = await assigned();
    const other = await assigned();
    // Back to the schema before this migration (its own down), rows written as then, and up again.
    await oneAtATime.down(t.db);
    try {
      const user = (await t.db.selectFrom('users').select('id').where('phone', '=', phones.dept!).executeTakeFirst())!;
      const extension = (days: number) => ({
        message_id: id,
        unit_id: DEPT,
        requested_by: user.id,
        days,
        reason: '重复',
        status: 'pending',
      });
      const reply = (messageId: number, body: string, status: string) => ({
        message_id: messageId,
        unit_id: DEPT,
        author_id: user.id,
        body,
        resolved: 0,
        status,
        round: 1,
      });
      await t.db
        .insertInto('extensions')
        .values([extension(2), extension(3), extension(4)])
        .execute();
      await t.db
        .insertInto('replies')
        .values([reply(id, '旧稿一', 'draft'), reply(id, '旧稿二', 'pending_approval'), reply(id, '旧稿三', 'draft')])
        .execute();
      await t.db
        .insertInto('replies')
        .values([reply(other, '已公开', 'published'), reply(other, '遗留草稿', 'draft')])
        .execute();
    } finally {
      await oneAtATime.up(t.db);
    }
    const extensions = await t.db
      .selectFrom('extensions')
      .select(['days', 'status'])
      .where('message_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      extensions.map((e) => `${e.days}:${e.status}`),
      ['2:withdrawn', '3:withdrawn', '4:pending'],
    );
    const replies = await t.db
      .selectFrom('replies')
      .select(['message_id', 'body', 'status'])
      .where('message_id', 'in', [id, other])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      replies.map((r) => `${r.message_id === id ? 'a' : 'b'}:${r.body}:${r.status}`),
      ['a:旧稿一:superseded', 'a:旧稿二:superseded', 'a:旧稿三:draft', 'b:已公开:published', 'b:遗留草稿:superseded'],
    );
    // The workbench shows the draft that stayed, and a second pending extension is refused.
    const again = await act('dept', id, 'request-extension', { days: 1, reason: '再次申请' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'EXTENSION_PENDING');
    const saved = await ok('dept', id, 'draft-reply', { body: '在保留的草稿上继续修改答复。', draftVersion: 1 });
    assert.equal(saved.draftVersion, 2);
  });
});
