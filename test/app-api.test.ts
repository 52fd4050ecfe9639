// The app and mini-program API: my messages with what awaits me, a message with photos as multipart (the web form's
// checks), and each workflow action's body described in the OpenAPI and validated at the edge.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { answer, type Cast, createCast, createChannelApp, nextIp } from './channel-helpers.ts';
import { TEST_ENGINE, type TestApp } from './helpers.ts';

let t: TestApp;
let cast: Cast;
let photo: Buffer;

before(async () => {
  t = await createChannelApp();
  cast = await createCast(t);
  photo = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#c33' } })
    .png()
    .toBuffer();
});
after(() => t.close());

/** A multipart/form-data body as an app would send it. */
function multipart(
  fields: Record<string, string>,
  files: { field: string; name: string; type: string; data: Buffer }[],
) {
  const boundary = `----liuyan${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const upload = (body: ReturnType<typeof multipart>, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/messages/multipart',
    remoteAddress: nextIp(),
    headers: { authorization: `Bearer ${cast.tokens.citizen}`, 'content-type': body.contentType, ...headers },
    payload: body.payload,
  });

const FIELDS = {
  boardId: '1301232',
  type: 'help',
  domain: 'urban',
  title: '小区门口路灯坏了',
  body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
};

describe(`the app API on ${TEST_ENGINE}`, () => {
  let uploaded = 0;

  test('a message with photos as multipart, with the form’s checks', async () => {
    const res = await upload(
      multipart(FIELDS, [
        { field: 'images', name: 'a.png', type: 'image/png', data: photo },
        { field: 'privateImages', name: 'b.png', type: 'image/png', data: photo },
      ]),
      { 'idempotency-key': 'app-upload-0001' },
    );
    assert.equal(res.statusCode, 201, res.body);
    uploaded = res.json().id;
    const attachments = await t.db
      .selectFrom('message_attachments')
      .select(['is_public', 'media_type'])
      .where('message_id', '=', uploaded)
      .orderBy('position')
      .execute();
    assert.deepEqual(attachments, [
      { is_public: 1, media_type: 'image/png' },
      { is_public: 0, media_type: 'image/png' },
    ]);
    const message = await t.db
      .selectFrom('messages')
      .select('channel')
      .where('id', '=', uploaded)
      .executeTakeFirstOrThrow();
    assert.equal(message.channel, 'api');
    const again = await upload(
      multipart(FIELDS, [{ field: 'images', name: 'a.png', type: 'image/png', data: photo }]),
      {
        'idempotency-key': 'app-upload-0001',
      },
    );
    assert.equal(again.statusCode, 200, 'a retry returns the first message');
    assert.equal(again.json().id, uploaded);

    const fake = await upload(
      multipart(FIELDS, [
        { field: 'images', name: 'x.png', type: 'image/png', data: Buffer.from('not an image at all') },
      ]),
    );
    assert.equal(fake.statusCode, 400);
    assert.ok(fake.json().error.fields.some((f: { field: string }) => f.field === 'images'));
    const short = await upload(multipart({ ...FIELDS, body: '太短' }, []));
    assert.equal(short.statusCode, 400);
    assert.ok(short.json().error.fields.some((f: { field: string }) => f.field === 'body'));
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/multipart',
      remoteAddress: nextIp(),
      headers: { authorization: `Bearer ${cast.tokens.citizen}` },
      payload: FIELDS,
    });
    assert.equal(json.statusCode, 400);
    assert.equal(json.json().error.code, 'MULTIPART_REQUIRED');
    const nul = await upload(multipart({ ...FIELDS, title: 'a\u0000b' }, []));
    assert.equal(nul.statusCode, 400);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/multipart',
      remoteAddress: nextIp(),
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--',
    });
    assert.equal(anonymous.statusCode, 401);
  });

  test('my messages say what awaits me', async () => {
    await answer(cast, uploaded);
    const res = await cast.call('citizen', 'GET', '/api/v1/me/messages');
    assert.equal(res.statusCode, 200);
    const mine = res.json().messages.find((m: { id: number }) => m.id === uploaded);
    assert.equal(mine.status, 'replied');
    assert.equal(mine.statusLabel, '已办理');
    assert.deepEqual(mine.awaitsYou, ['rate', 'follow-up']);
    assert.match(mine.ratingDueAt, /^\d{4}-/);
    assert.match(mine.trackingCode, /^[A-Z2-9]{8}$/);
    assert.equal(mine.channel, 'api');
    const others = (await cast.call('neighbour', 'GET', '/api/v1/me/messages')).json();
    assert.equal(others.messages.length, 0, 'only my own');
    await cast.act('citizen', uploaded, 'rate', { resolution: 5, timeliness: 4, attitude: 5 });
    const after = (await cast.call('citizen', 'GET', '/api/v1/me/messages?limit=1')).json();
    assert.deepEqual(after.messages[0].awaitsYou, []);
    assert.equal(after.next, null);
  });

  test('each action’s body is in the OpenAPI and checked before the action runs', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json();
    const rate = doc.paths['/api/v1/messages/{id}/actions/rate'].post;
    const schema = rate.requestBody.content['application/json'].schema;
    assert.deepEqual(Object.keys(schema.properties).sort(), ['attitude', 'comment', 'resolution', 'timeliness']);
    assert.equal(schema.properties.resolution.maximum, 5);
    assert.match(schema.properties.resolution.description, /必填/);
    assert.ok(
      doc.paths['/api/v1/messages/{id}/actions/assign'].post.requestBody.content['application/json'].schema.properties
        .unitId,
    );
    assert.ok(doc.paths['/api/v1/messages/multipart'].post);
    const bad = await cast.call('citizen', 'POST', `/api/v1/messages/${uploaded}/actions/rate`, {
      resolution: 9,
      timeliness: 1,
      attitude: 1,
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VALIDATION');
    const missing = await cast.call('citizen', 'POST', `/api/v1/messages/${uploaded}/actions/follow-up`, {});
    assert.ok([400, 409].includes(missing.statusCode), missing.body);
    const notYours = await cast.call('neighbour', 'POST', `/api/v1/messages/${uploaded}/actions/rate`, {});
    assert.equal(notYours.statusCode, 403, 'a refusal comes before a missing field');
    const unknown = await cast.call('citizen', 'POST', `/api/v1/messages/${uploaded}/actions/teleport`, {});
    assert.equal(unknown.statusCode, 404);
  });
});
