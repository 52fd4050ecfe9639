import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';

let t: TestApp;
let citizen: string;
let editor: string;
let unitStaff: string;
let ip = 0;

const api = (
  method: 'GET' | 'POST',
  url: string,
  token?: string,
  body?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    remoteAddress: `10.5.0.${++ip % 250}`,
    ...(body ? { payload: body } : {}),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });

async function tokenFor(phone: string, password: string) {
  const res = await api('POST', '/api/v1/auth/token', undefined, { phone, password });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().token as string;
}

before(async () => {
  t = await createTestApp();
  await api('POST', '/api/v1/auth/sms-code', undefined, { phone: '13100000001', purpose: 'register' });
  const reg = await api('POST', '/api/v1/auth/register', undefined, {
    phone: '13100000001',
    code: lastCode(t.config, '13100000001'),
    password: 'Citizen-Pass-2026!',
    nickname: '正定居民',
  });
  assert.equal(reg.statusCode, 201, reg.body);
  citizen = await tokenFor('13100000001', 'Citizen-Pass-2026!');
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13100000002',
    nickname: '编辑',
    password: 'Editor-Pass-2026!',
    role: 'editor',
  });
  editor = await tokenFor('13100000002', 'Editor-Pass-2026!');
  await createStaff(t.db, COMMAND_LINE, {
    phone: '13100000003',
    nickname: '正定办理员',
    password: 'Staff-Pass-2026!',
    role: 'unit_staff',
    scopeType: 'unit',
    scopeId: '130123001',
  });
  unitStaff = await tokenFor('13100000003', 'Staff-Pass-2026!');
});
after(() => t.close());

const COUNTY_BOARD = 1301232; // 正定县 · 县长
const good = {
  boardId: COUNTY_BOARD,
  type: 'complain',
  domain: '城建',
  title: '小区门口道路破损多年未修',
  body: '诉求：请尽快修复小区门口道路。该路段破损已有两年，雨天积水，老人孩子出行不便，多次向物业反映无果。联系电话 13812345678。',
  remarks: '我叫张三，住 3 号楼',
};

async function pngBase64() {
  const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c00' } })
    .png()
    .withMetadata({ exif: { IFD0: { Copyright: '拍摄者' } } })
    .toBuffer();
  return image.toString('base64');
}

describe('writing a message through the API', () => {
  test('a complete message is stored masked, flagged, with a tracking code, an image and its first case event', async () => {
    const res = await api('POST', '/api/v1/messages', citizen, {
      ...good,
      images: [{ data: await pngBase64(), public: true }],
    });
    assert.equal(res.statusCode, 201, res.body);
    const { id, trackingCode, status } = res.json();
    assert.equal(status, 'submitted');
    assert.match(trackingCode, /^[A-HJ-NP-Z2-9]{8}$/);
    const row = await t.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.match(row.body, /联系电话 138\*\*\*\*5678/);
    assert.ok(!row.body.includes('13812345678'));
    assert.deepEqual(JSON.parse(row.flags).personalData, ['phone']);
    assert.ok(row.remarks_sealed && !row.remarks_sealed.includes('张三'), 'remarks are encrypted at rest');
    assert.equal(row.type, 'complain');
    assert.equal(row.domain, 'urban', 'the Chinese name is accepted as input');
    assert.equal(row.current_unit_id, 130123001, 'the board’s unit');
    const events = await t.db.selectFrom('case_events').selectAll().where('message_id', '=', id).execute();
    assert.deepEqual(
      events.map((e) => [e.seq, e.kind, e.from_status, e.to_status]),
      [[1, 'submit', null, 'submitted']],
    );
    const attachments = await t.db.selectFrom('message_attachments').selectAll().where('message_id', '=', id).execute();
    assert.equal(attachments.length, 1);
    assert.equal(attachments[0]!.media_type, 'image/png');
  });

  test('a retried submission with the same Idempotency-Key returns the first message, even when both arrive at once', async () => {
    const headers = { 'idempotency-key': 'retry-key-0001' };
    const first = await api('POST', '/api/v1/messages', citizen, good, headers);
    const again = await api('POST', '/api/v1/messages', citizen, good, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), first.json());
    const both = await Promise.all(
      [1, 2].map(() => api('POST', '/api/v1/messages', citizen, good, { 'idempotency-key': 'retry-key-0002' })),
    );
    assert.equal(new Set(both.map((r) => r.json().id)).size, 1);
    const count = await t.db
      .selectFrom('idempotency_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', 'in', ['retry-key-0001', 'retry-key-0002'])
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2);
    const bad = await api('POST', '/api/v1/messages', citizen, good, { 'idempotency-key': 'x' });
    assert.equal(bad.json().error.code, 'IDEMPOTENCY_KEY_INVALID');
  });

  test('every bad field gets its own coded Chinese error, all at once', async () => {
    const res = await api('POST', '/api/v1/messages', citizen, {
      boardId: 7,
      type: 'praise',
      domain: 'space',
      title: '短',
      body: '太短了',
      visibility: 'secret',
      images: [{ data: Buffer.from('GIF89a not really').toString('base64') }],
    });
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, 'FORM_INVALID');
    assert.deepEqual(
      error.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
      [
        ['boardId', 'BOARD_NOT_FOUND'],
        ['type', 'TYPE_INVALID'],
        ['domain', 'DOMAIN_INVALID'],
        ['title', 'TITLE_LENGTH'],
        ['body', 'BODY_LENGTH'],
        ['visibility', 'VISIBILITY_INVALID'],
        ['images', 'IMAGE_INVALID'],
      ],
    );
    assert.match(error.fields[4].message, /正文应为 20–5000 个字（现在 3 个字）/);
    assert.equal((await api('POST', '/api/v1/messages', undefined, good)).statusCode, 401);
  });
});

describe('review, publication and who sees what', () => {
  test('an editor approves: the message is public on its board; a netizen cannot approve', async () => {
    const { id } = (await api('POST', '/api/v1/messages', citizen, good)).json();
    assert.equal((await t.app.inject(`/messages/${id}`)).statusCode, 404, 'not public before review');
    const refused = await api('POST', `/api/v1/messages/${id}/actions/approve`, citizen, {});
    assert.equal(refused.statusCode, 403);
    const ok = await api('POST', `/api/v1/messages/${id}/actions/approve`, editor, {});
    assert.deepEqual(ok.json(), { id, status: 'pending' });
    const again = await api('POST', `/api/v1/messages/${id}/actions/approve`, editor, {});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'WRONG_STATUS');

    const page = await t.app.inject(`/messages/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /联系电话 138\*\*\*\*5678/);
    assert.doesNotMatch(page.body, /张三/, 'remarks are never public');
    assert.match(page.body, /网友[0-9a-f]{6}/);
    assert.match(page.body, /审核通过，已公开并转交办理单位/);
    const board = await t.app.inject(`/boards/${COUNTY_BOARD}`);
    assert.match(board.body, new RegExp(`href="/messages/${id}"`));
    assert.match(board.body, /待回复/);

    const events = (await api('GET', `/api/v1/messages/${id}/events`)).json().events;
    assert.deepEqual(
      events.map((e: { kind: string; toStatus: string }) => [e.kind, e.toStatus]),
      [
        ['submit', 'submitted'],
        ['approve', 'pending'],
      ],
    );
  });

  test('a rejected message shows its reason to the author only', async () => {
    const { id } = (await api('POST', '/api/v1/messages', citizen, good)).json();
    const bad = await api('POST', `/api/v1/messages/${id}/actions/reject`, editor, { reason: 'nonsense' });
    assert.equal(bad.json().error.code, 'REJECT_REASON_INVALID');
    const res = await api('POST', `/api/v1/messages/${id}/actions/reject`, editor, {
      reason: 'several_issues',
      note: '请分开留言',
    });
    assert.deepEqual(res.json(), { id, status: 'rejected' });
    const mine = await api('GET', `/api/v1/messages/${id}`, citizen);
    assert.equal(mine.json().rejectReason.label, '一条留言反映多个事项（请一事一留言）');
    assert.equal(mine.json().rejectReason.note, '请分开留言');
    assert.equal((await api('GET', `/api/v1/messages/${id}`)).statusCode, 404);
  });

  test('a private message is seen by its author, editors and the unit, not the public; private images likewise', async () => {
    const res = await api('POST', '/api/v1/messages', citizen, {
      ...good,
      visibility: 'private',
      images: [{ data: await pngBase64(), public: false }],
    });
    const { id } = res.json();
    await api('POST', `/api/v1/messages/${id}/actions/approve`, editor, {});
    assert.equal((await api('GET', `/api/v1/messages/${id}`)).statusCode, 404);
    const staffView = await api('GET', `/api/v1/messages/${id}`, unitStaff);
    assert.equal(staffView.statusCode, 200);
    assert.equal(staffView.json().remarks, '我叫张三，住 3 号楼');
    const attachment = staffView.json().attachments[0];
    assert.equal((await t.app.inject(`/attachments/${attachment.id}`)).statusCode, 404);
  });

  test('an editor links a duplicate to an earlier message', async () => {
    const first = (await api('POST', '/api/v1/messages', citizen, good)).json().id;
    const second = (await api('POST', '/api/v1/messages', citizen, good)).json().id;
    assert.equal(
      (await api('POST', `/api/v1/messages/${second}/actions/link-duplicate`, editor, { original: second + 1 }))
        .statusCode,
      400,
    );
    const ok = await api('POST', `/api/v1/messages/${second}/actions/link-duplicate`, editor, { original: first });
    assert.equal(ok.statusCode, 200);
    const row = await t.db
      .selectFrom('messages')
      .select('duplicate_of')
      .where('id', '=', second)
      .executeTakeFirstOrThrow();
    assert.equal(row.duplicate_of, first);
  });
});
