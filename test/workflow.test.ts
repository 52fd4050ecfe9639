import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';

let t: TestApp;
let ip = 0;
const tokens: Record<string, string> = {};

const call = (who: string | null, method: 'GET' | 'POST', url: string, body?: object) =>
  t.app.inject({
    method,
    url,
    remoteAddress: `10.7.${Math.floor(++ip / 200)}.${ip % 200}`,
    ...(body ? { payload: body } : {}),
    headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
  });

const act = async (who: string, id: number, action: string, body: object = {}) => {
  const res = await call(who, 'POST', `/api/v1/messages/${id}/actions/${action}`, body);
  return res;
};

const COUNTY_BOARD = 1301232; // 正定县 · 县长, handled by 130123001
const COUNTY_UNIT = 130123001;

before(async () => {
  t = await createTestApp();
  const people: [string, string, Record<string, string>][] = [
    ['editor', 'editor', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY_UNIT) }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: String(COUNTY_UNIT) }],
    ['dept', 'unit_staff', { scopeType: 'unit', scopeId: '' }],
    ['deptHead', 'unit_head', { scopeType: 'unit', scopeId: '' }],
    ['leader', 'leader', { scopeType: 'board', scopeId: String(COUNTY_BOARD) }],
    ['otherStaff', 'unit_staff', { scopeType: 'unit', scopeId: '110000001' }],
  ];
  // A department below the county's dispatching unit, to assign to.
  await t.db
    .insertInto('handling_units')
    .values({
      id: 130123002,
      region_code: '130123',
      parent_id: COUNTY_UNIT,
      name: '正定县住房和城乡建设局',
      responsibilities: '住房、物业与城市建设',
      kind: 'department',
      level: 'county',
      active: 1,
    })
    .execute();
  let n = 0;
  for (const [name, role, scope] of people) {
    const phone = `1590000${String(++n).padStart(4, '0')}`;
    const withUnit = scope.scopeType === 'unit' && scope.scopeId === '' ? { ...scope, scopeId: '130123002' } : scope;
    await createStaff(t.db, COMMAND_LINE, {
      phone,
      nickname: `测试${name}`,
      password: 'Flow-Pass-2026!',
      role,
      ...withUnit,
    });
    tokens[name] = (
      await call(null, 'POST', '/api/v1/auth/token', { phone, password: 'Flow-Pass-2026!' })
    ).json().token;
  }
  await call(null, 'POST', '/api/v1/auth/sms-code', { phone: '15800000001', purpose: 'register' });
  await call(null, 'POST', '/api/v1/auth/register', {
    phone: '15800000001',
    code: lastCode(t.config, '15800000001'),
    password: 'Citizen-Flow-2026!',
    nickname: '正定网友',
  });
  tokens.citizen = (
    await call(null, 'POST', '/api/v1/auth/token', { phone: '15800000001', password: 'Citizen-Flow-2026!' })
  ).json().token;
});
after(() => t.close());

async function newApprovedMessage(type = 'help') {
  const res = await call('citizen', 'POST', '/api/v1/messages', {
    boardId: COUNTY_BOARD,
    type,
    domain: 'urban',
    title: '小区供暖不热请协调解决',
    body: '诉求：请协调供热公司解决小区供暖温度不达标的问题。入冬以来室温长期低于 16 度，多次报修无果。',
  });
  assert.equal(res.statusCode, 201, res.body);
  const { id } = res.json();
  assert.equal((await act('editor', id, 'approve')).statusCode, 200);
  return id as number;
}

const statusOf = async (id: number) => (await call('citizen', 'GET', `/api/v1/messages/${id}`)).json();

describe('the full journey through the API', () => {
  test('accept, assign, extension, reply, approval, signature, rating — and the public page shows it all', async () => {
    const id = await newApprovedMessage();
    let view = await statusOf(id);
    assert.equal(view.status.key, 'pending');
    assert.equal(view.deadline.kind, 'accept');

    assert.equal((await act('otherStaff', id, 'accept')).statusCode, 403, 'another unit may not accept');
    assert.equal((await act('county', id, 'accept')).json().status, 'assigned');
    view = await statusOf(id);
    assert.equal(view.deadline.kind, 'handle');
    assert.equal(view.deadline.overdue, false);

    const badAssign = await act('county', id, 'assign', { unitId: 110000001 });
    assert.equal(badAssign.statusCode, 400, 'only to a unit below');
    assert.equal((await act('county', id, 'assign', { unitId: 130123002, note: '请核实处理' })).statusCode, 200);
    assert.equal(
      (await act('county', id, 'draft-reply', { body: '已经联系供热公司处理完毕。' })).statusCode,
      403,
      'no longer the county’s',
    );

    const before = (await statusOf(id)).deadline.dueAt;
    const asked = await act('dept', id, 'request-extension', { days: 5, reason: '需协调供热公司检修管网' });
    assert.equal(asked.statusCode, 200, asked.body);
    const tooLong = await act('dept', id, 'request-extension', { days: 99, reason: 'x' });
    assert.equal(tooLong.statusCode, 400);
    const extensionId = (
      await t.db.selectFrom('extensions').select('id').where('message_id', '=', id).executeTakeFirstOrThrow()
    ).id;
    assert.equal(
      (await act('deptHead', id, 'decide-extension', { extensionId, grant: true })).statusCode,
      403,
      'the assigning unit decides',
    );
    assert.equal((await act('countyHead', id, 'decide-extension', { extensionId, grant: true })).statusCode, 200);
    view = await statusOf(id);
    assert.ok(Date.parse(view.deadline.dueAt) > Date.parse(before), 'the deadline moved');
    assert.equal(view.extensionDays, 5);

    assert.equal(
      (
        await act('dept', id, 'draft-reply', {
          body: '经核查，已督促供热公司完成管网检修，室温已达标。',
          resolved: true,
          submit: true,
        })
      ).statusCode,
      200,
    );
    assert.equal((await act('dept', id, 'approve-reply')).statusCode, 403, 'staff cannot approve');
    // The head sends it to the leader: it waits, unpublished, for the signature.
    assert.equal((await act('deptHead', id, 'approve-reply', { sign: true })).json().status, 'assigned');
    assert.equal((await statusOf(id)).replies.length, 0, 'not public before the signature');
    assert.equal((await act('leader', id, 'sign-reply')).json().status, 'replied');
    assert.equal(
      (await act('dept', id, 'rate', { resolution: 5, timeliness: 4, attitude: 5 })).statusCode,
      403,
      'only the author rates',
    );
    const badRating = await act('citizen', id, 'rate', { resolution: 9, timeliness: 4, attitude: 5 });
    assert.equal(badRating.statusCode, 400);
    assert.equal(
      (await act('citizen', id, 'rate', { resolution: 5, timeliness: 4, attitude: 5, comment: '解决及时' })).json()
        .status,
      'closed',
    );

    const page = await t.app.inject(`/messages/${id}`);
    assert.equal(page.statusCode, 200);
    // The page's words as a reader sees them: names and what people wrote sit in elements of their own.
    const words = page.body.replace(/<[^>]*>/g, '');
    for (const text of [
      '正定县住房和城乡建设局的答复',
      '领导签发：县长',
      '解决程度 5 · 办理时间 4 · 办理态度 5',
      '延期获批准',
      '交办下级单位办理',
      '已办结',
    ]) {
      assert.ok(words.includes(text), text);
    }
    const events = (await call(null, 'GET', `/api/v1/messages/${id}/events`)).json().events;
    assert.deepEqual(
      events.map((e: { kind: string }) => e.kind),
      [
        'submit',
        'approve',
        'accept',
        'assign',
        'request-extension',
        'grant-extension',
        'submit-reply',
        'submit-signature',
        'sign-reply',
        'publish-reply',
        'rate',
      ],
    );
    const notices = await t.db.selectFrom('notifications').select('text').where('message_id', '=', id).execute();
    assert.ok(
      notices.some((n) => n.text.includes('办理延期 5 天')),
      'the author was told of the extension',
    );
  });

  test('a returned message goes back to the unit that assigned it', async () => {
    const id = await newApprovedMessage();
    await act('county', id, 'accept');
    await act('county', id, 'assign', { unitId: 130123002 });
    assert.equal((await act('dept', id, 'return', {})).statusCode, 400, 'a reason is required');
    assert.equal((await act('dept', id, 'return', { reason: '不属于本单位职责' })).statusCode, 200);
    const row = await t.db
      .selectFrom('messages')
      .select(['current_unit_id', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { current_unit_id: COUNTY_UNIT, status: 'assigned' });
    assert.equal(
      (await act('county', id, 'return', { reason: '再退' })).statusCode,
      400,
      'a unit that kept it cannot return it',
    );
  });

  test('one follow-up reopens the message to the same unit; a second is refused', async () => {
    const id = await newApprovedMessage('consult');
    await act('county', id, 'accept');
    await act('county', id, 'draft-reply', { body: '您咨询的问题答复如下：请联系供热公司。', submit: true });
    await act('countyHead', id, 'approve-reply');
    const res = await act('citizen', id, 'follow-up', { question: '供热公司电话打不通怎么办？' });
    assert.equal(res.json().status, 'assigned');
    const row = await t.db
      .selectFrom('messages')
      .select(['current_unit_id', 'follow_ups'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { current_unit_id: COUNTY_UNIT, follow_ups: 1 });
    await act('county', id, 'draft-reply', { body: '已协调供热公司专人联系您。', submit: true });
    await act('countyHead', id, 'approve-reply');
    assert.equal((await act('citizen', id, 'follow-up', { question: '还想再问一次' })).statusCode, 400);
    assert.equal(
      (await act('citizen', id, 'rate', { resolution: 4, timeliness: 4, attitude: 4 })).json().status,
      'closed',
    );
  });

  test('a thanks message is closed when acknowledged', async () => {
    const id = await newApprovedMessage('thanks');
    assert.equal((await act('county', id, 'accept')).json().status, 'closed');
  });

  test('actions in the wrong state or by the wrong person are refused with coded errors', async () => {
    const id = await newApprovedMessage();
    assert.equal((await act('county', id, 'approve-reply')).json().error.code, 'WRONG_STATUS');
    assert.equal((await act('citizen', id, 'accept')).json().error.code, 'FORBIDDEN');
    assert.equal((await act('county', id, 'no-such-action')).statusCode, 404);
    assert.equal((await call(null, 'POST', `/api/v1/messages/${id}/actions/accept`, {})).statusCode, 401);
  });
});
