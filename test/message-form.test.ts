import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
let web: WebClient;

/** A multipart body as a browser sends it: text fields and files. */
function multipart(
  fields: Record<string, string>,
  files: { field: string; name: string; type: string; data: Buffer }[],
) {
  const boundary = `----liuyan${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
    );
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function post(fields: Record<string, string>, files: Parameters<typeof multipart>[1] = [], csrf = true) {
  const page = await web.get('/messages/new?board=1301232');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)![1]!;
  const body = multipart(
    { ...(csrf ? { _csrf: token } : {}), idempotencyKey: key, boardId: '1301232', ...fields },
    files,
  );
  return t.app.inject({
    method: 'POST',
    url: '/messages?board=1301232',
    ...body,
    cookies: Object.fromEntries(web.cookies),
    remoteAddress: '10.12.0.1',
  });
}

const good = {
  type: 'help',
  domain: 'urban',
  title: '路灯损坏影响夜间出行',
  body: '诉求：请尽快修复路口的路灯。路灯已经坏了一个月，晚上行人和车辆通行很危险。',
  visibility: 'public',
};

before(async () => {
  t = await createTestApp();
  await createStaff(t.db, COMMAND_LINE, {
    phone: '18800000001',
    nickname: '写信人',
    password: 'Form-Pass-2026!',
    role: 'editor',
  });
  web = new WebClient(t.app, '10.12.0.1');
  await web.get('/login');
  await web.post('/login', { phone: '18800000001', password: 'Form-Pass-2026!' });
});
after(() => t.close());

test('the form takes public and private photos separately and stores them marked so', async () => {
  const jpeg = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#0a0' } })
    .jpeg()
    .toBuffer();
  const res = await post(good, [
    { field: 'images', name: 'a.jpg', type: 'image/jpeg', data: jpeg },
    { field: 'privateImages', name: 'b.jpg', type: 'image/jpeg', data: jpeg },
  ]);
  assert.equal(res.statusCode, 303, res.body);
  const id = Number(/\/messages\/(\d+)/.exec(String(res.headers.location))![1]);
  const rows = await t.db
    .selectFrom('message_attachments')
    .select(['is_public'])
    .where('message_id', '=', id)
    .orderBy('position')
    .execute();
  assert.deepEqual(
    rows.map((r) => Boolean(r.is_public)),
    [true, false],
  );
});

test('mistakes come back beside their fields with the text kept; an oversize photo is one of them', async () => {
  const huge = Buffer.alloc(5 * 1024 * 1024 + 10, 1);
  const res = await post({ ...good, title: '短' }, [
    { field: 'images', name: 'big.png', type: 'image/png', data: huge },
  ]);
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /标题应为 5–50 个字/);
  assert.match(res.body, /图片不能超过 5 MB/);
  assert.match(res.body, /路灯已经坏了一个月/, 'the text typed is still there');
});

test('the form without its CSRF token is refused and nothing is stored', async () => {
  const before = (await t.db.selectFrom('messages').select('id').execute()).length;
  const res = await post(good, [], false);
  assert.equal(res.statusCode, 403);
  assert.equal((await t.db.selectFrom('messages').select('id').execute()).length, before);
});

test('the same form submitted twice makes one message', async () => {
  const page = await web.get('/messages/new?board=1301232');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const body = multipart({ _csrf: token, idempotencyKey: 'form-retry-0001', boardId: '1301232', ...good }, []);
  const send = () =>
    t.app.inject({
      method: 'POST',
      url: '/messages',
      ...body,
      cookies: Object.fromEntries(web.cookies),
      remoteAddress: '10.12.0.2',
    });
  const [a, b] = [await send(), await send()];
  assert.equal(a.headers.location, b.headers.location);
});
