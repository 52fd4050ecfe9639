import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';

let t: TestApp;
let ip = 0;
const tokens: Record<string, string> = {};
const DEPT = 130123002;

const call = (who: string | null, method: 'GET' | 'POST', url: string, body?: object) =>
  t.app.inject({
    method,
    url,
    remoteAddress: `10.9.${Math.floor(++ip / 200)}.${ip % 200}`,
    ...(body ? { payload: body } : {}),
    headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
  });
const act = (who: string, id: number, action: string, body: object = {}) =>
  call(who, 'POST', `/api/v1/messages/${id}/actions/${action}`, body);

before(async () => {
  t = await createTestApp();
  await t.db
    .insertInto('handling_units')
    .values({
      id: DEPT,
      region_code: '130123',
      parent_id: 130123001,
      name: '正定县城管局',
      kind: 'department',
      level: 'county',
      responsibilities: '',
      active: 1,
    })
    .execute();
  const people: [string, string, Record<string, string>][] = [
    ['admin', 'admin', {}],
    ['editor', 'editor', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: '130123001' }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: '130123001' }],
    ['dept', 'unit_staff', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['deptHead', 'unit_head', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['leader', 'leader', { scopeType: 'board', scopeId: '1301232' }],
    ['otherLeader', 'leader', { scopeType: 'board', scopeId: '1100001' }],
    ['beijingStaff', 'unit_staff', { scopeType: 'unit', scopeId: '110000001' }],
    ['beijingHead', 'unit_head', { scopeType: 'unit', scopeId: '110000001' }],
    ['citySupervisor', 'supervisor', { scopeType: 'unit', scopeId: '130100001' }],
    ['beijingSupervisor', 'supervisor', { scopeType: 'region', scopeId: '110000' }],
  ];
  let n = 0;
  for (const [name, role, scope] of people) {
    const phone = `1870000${String(++n).padStart(4, '0')}`;
    await createStaff(t.db, COMMAND_LINE, {
      phone,
      nickname: `员${name}`.slice(0, 20),
      password: 'Bench-Pass-2026!',
      role,
      ...scope,
    });
    tokens[name] = (
      await call(null, 'POST', '/api/v1/auth/token', { phone, password: 'Bench-Pass-2026!' })
    ).json().token;
  }
  for (const [name, phone] of [
    ['citizen', '15300000001'],
    ['neighbour', '15300000002'],
  ]) {
    await call(null, 'POST', '/api/v1/auth/sms-code', { phone, purpose: 'register' });
    await call(null, 'POST', '/api/v1/auth/register', {
      phone,
      code: lastCode(t.config, phone!),
      password: 'Citizen-Bench-2026!',
      nickname: name,
    });
    tokens[name!] = (
      await call(null, 'POST', '/api/v1/auth/token', { phone, password: 'Citizen-Bench-2026!' })
    ).json().token;
  }
});
after(() => t.close());

async function message(type = 'complain', remarks = '投诉人：李先生 13900001111') {
  const res = await call('citizen', 'POST', '/api/v1/messages', {
    boardId: 1301232,
    type,
    domain: 'urban',
    title: '城管执法人员态度恶劣',
    body: '诉求：请调查处理。某日在街边摆摊时，执法人员态度恶劣并摔坏了我的货物，希望依法处理并赔偿损失。',
    remarks,
  });
  const { id } = res.json();
  await act('editor', id, 'approve');
  return id as number;
}

/** Prepares a message in the state each action starts from. */
async function stateFor(action: string): Promise<number> {
  const id = await message();
  if (['accept', 'share-identity', 'request-signature'].includes(action)) return id;
  await act('county', id, 'accept');
  if (action === 'assign') return id;
  await act('county', id, 'assign', { unitId: DEPT });
  if (['return', 'request-extension', 'draft-reply', 'set-priority', 'supervise'].includes(action)) return id;
  if (action === 'decide-extension') {
    await act('dept', id, 'request-extension', { days: 3, reason: '需要现场核查' });
    return id;
  }
  await act('dept', id, 'draft-reply', { body: '经调查，已对相关执法人员进行批评教育。', submit: true });
  if (action === 'approve-reply') return id;
  if (action === 'sign-reply' || action === 'send-back-reply') {
    await act('deptHead', id, 'approve-reply', { sign: true });
    return id; // the reply waits for the leader's signature
  }
  await act('deptHead', id, 'approve-reply');
  return id; // replied: rate, follow-up
}

const BODIES: Record<string, object> = {
  assign: { unitId: DEPT },
  return: { reason: '不属于本单位' },
  'request-extension': { days: 3, reason: '需要现场核查' },
  'draft-reply': { body: '经调查，情况属实，已处理。', submit: true },
  rate: { resolution: 3, timeliness: 3, attitude: 3 },
  'follow-up': { question: '赔偿什么时候到位？' },
  'send-back-reply': { note: '请补充赔偿的具体安排' },
  'set-priority': { priority: 'urgent' },
  supervise: { note: '请尽快核查处理', dueDate: new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10) },
};

/** Who may take each action on the prepared message; everyone else must be refused. */
const ALLOWED: Record<string, string[]> = {
  accept: ['county', 'countyHead'],
  assign: ['county', 'countyHead'],
  return: ['dept', 'deptHead'],
  'request-extension': ['dept', 'deptHead'],
  'decide-extension': ['countyHead'],
  'draft-reply': ['dept', 'deptHead'],
  'approve-reply': ['deptHead'],
  'sign-reply': ['leader'],
  'send-back-reply': ['leader'],
  'request-signature': ['leader'],
  // The dispatching unit (the county, which assigned it) or a supervisor above it; never the department handling it.
  'set-priority': ['county', 'countyHead', 'citySupervisor'],
  supervise: ['citySupervisor'],
  rate: ['citizen'],
  'follow-up': ['citizen'],
  'share-identity': ['county', 'countyHead'],
};

describe('every workflow action is refused to each role and scope that may not take it', () => {
  for (const [action, allowed] of Object.entries(ALLOWED)) {
    test(action, async () => {
      const id = await stateFor(action);
      const everyone = Object.keys(tokens);
      for (const who of everyone.filter((w) => !allowed.includes(w))) {
        const res = await act(who, id, action, BODIES[action] ?? {});
        assert.equal(res.statusCode, 403, `${who} ${action}: ${res.body}`);
        assert.equal(res.json().error.code, 'FORBIDDEN');
      }
      const extension = await t.db
        .selectFrom('extensions')
        .select('id')
        .where('message_id', '=', id)
        .executeTakeFirst();
      const body = action === 'decide-extension' ? { extensionId: extension!.id, grant: true } : (BODIES[action] ?? {});
      const ok = await act(allowed[0]!, id, action, body);
      assert.equal(ok.statusCode, 200, `${allowed[0]} ${action}: ${ok.body}`);
    });
  }
});

describe('the inbox and private data', () => {
  test('each person’s inbox holds what they handle, filtered by status, overdue and due soon', async () => {
    const a = await message('consult', '');
    const b = await message('help', '');
    await act('county', b, 'accept');
    const inbox = async (who: string, query = '') =>
      (await call(who, 'GET', `/api/v1/workbench/inbox${query}`)).json().messages.map((m: { id: number }) => m.id);
    assert.ok((await inbox('county')).includes(a));
    assert.ok((await inbox('county', '?status=assigned')).includes(b));
    assert.ok(!(await inbox('county', '?status=assigned')).includes(a));
    assert.ok(!(await inbox('beijingStaff')).includes(a), 'another unit sees nothing of it');
    assert.ok((await inbox('citySupervisor')).includes(a), 'the city supervisor sees the county');
    assert.ok(!(await inbox('beijingSupervisor')).includes(a));
    assert.ok((await inbox('leader')).includes(a), 'the leader sees their board');
    assert.ok(!(await inbox('county', '?overdue=1')).includes(b));
    await t.db
      .updateTable('messages')
      .set({ handle_due_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', b)
      .execute();
    assert.ok((await inbox('county', '?overdue=1')).includes(b));
    assert.ok((await inbox('county', '?dueSoon=1')).includes(b));
    assert.equal((await call('citizen', 'GET', '/api/v1/workbench/inbox')).statusCode, 403);
  });

  test('a complainant is hidden from the department until the county shares it; staff reads are logged', async () => {
    const id = await message();
    await act('county', id, 'accept');
    await act('county', id, 'assign', { unitId: DEPT });
    const countyView = (await call('county', 'GET', `/api/v1/messages/${id}`)).json();
    assert.match(countyView.remarks, /李先生/);
    const deptView = (await call('dept', 'GET', `/api/v1/messages/${id}`)).json();
    assert.equal(deptView.remarks, null);
    assert.equal(deptView.identityHidden, true);
    assert.equal((await act('county', id, 'share-identity')).statusCode, 200);
    assert.match((await call('dept', 'GET', `/api/v1/messages/${id}`)).json().remarks, /李先生/);
    const reads = await t.db
      .selectFrom('private_reads')
      .select(['user_id', 'what'])
      .where('message_id', '=', id)
      .execute();
    assert.ok(reads.length >= 2, 'every staff read of the remarks is logged');
  });
});
