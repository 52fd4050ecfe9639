// Open311 GeoReport v2, tested by a client that knows only the spec: it discovers the endpoint, lists the services,
// reads a service definition, posts a request with an API key, follows its token to an id and the request to
// `closed`, in XML and in JSON, and checks every document's element names and order, MIME type and error format
// against the spec's examples.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { closeUnrated } from '../src/workflow/transitions.ts';
import { answer, type Cast, createCast, createChannelApp, nextIp, PASSWORD } from './channel-helpers.ts';
import { TEST_ENGINE, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { textOf } from './user-content.ts';

let t: TestApp;
let cast: Cast;
let apiKey = '';

// ---- the spec-only client ---------------------------------------------------------------------------------------

type Format = 'xml' | 'json';
/** A parsed document: whatever shape the spec gives it (JSON.parse's own type). */
type Parsed = ReturnType<typeof JSON.parse>;
const MIME = { xml: 'text/xml; charset=utf-8', json: 'application/json; charset=utf-8' };
/** Elements that repeat, per the spec's ⇊ markers. */
const LISTS = ['service', 'attribute', 'value', 'request', 'error', 'endpoint', 'format'];
const ordered = new XMLParser({ preserveOrder: true, ignoreDeclaration: true, parseTagValue: false, trimValues: true });
const plain = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, isArray: (name) => LISTS.includes(name) });

interface Reply {
  status: number;
  type: string;
  body: string;
  /** The document as a JSON client reads it, or the XML as nested objects. */
  doc: Parsed;
}

async function get(path: string, format: Format, query: Record<string, string> = {}): Promise<Reply> {
  const qs = new URLSearchParams(query).toString();
  const res = await t.app.inject({
    method: 'GET',
    url: `${path}.${format}${qs ? `?${qs}` : ''}`,
    remoteAddress: nextIp(),
  });
  return read(res, format);
}

async function post(path: string, format: Format, form: Record<string, string>): Promise<Reply> {
  const res = await t.app.inject({
    method: 'POST',
    url: `${path}.${format}`,
    remoteAddress: nextIp(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    payload: new URLSearchParams(form).toString(),
  });
  return read(res, format);
}

function read(res: { statusCode: number; headers: Record<string, unknown>; body: string }, format: Format): Reply {
  const type = String(res.headers['content-type']);
  const doc = format === 'json' ? JSON.parse(res.body) : plain.parse(res.body);
  if (format === 'xml') assert.ok(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>'), res.body.slice(0, 80));
  return { status: res.statusCode, type, body: res.body, doc };
}

/** The child element names of each `name` element, in document order. */
function childOrder(xml: string, name: string): string[][] {
  const out: string[][] = [];
  const walk = (nodes: Parsed[]) => {
    for (const node of nodes) {
      for (const [key, value] of Object.entries(node)) {
        if (key === ':@' || key === '#text') continue;
        if (key === name)
          out.push((value as Parsed[]).flatMap((c) => Object.keys(c).filter((k) => k !== ':@' && k !== '#text')));
        if (Array.isArray(value)) walk(value);
      }
    }
  };
  walk(ordered.parse(xml));
  return out;
}

/** The spec's element order for each document. */
const SPEC = {
  service: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  service_definition: ['service_code', 'attributes'],
  attribute: ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values'],
  value: ['key', 'name'],
  posted: ['token', 'service_notice', 'account_id'],
  token: ['service_request_id', 'token'],
  request: [
    'service_request_id',
    'status',
    'status_notes',
    'service_name',
    'service_code',
    'description',
    'agency_responsible',
    'service_notice',
    'requested_datetime',
    'updated_datetime',
    'expected_datetime',
    'address',
    'address_id',
    'zipcode',
    'lat',
    'long',
    'media_url',
  ],
  error: ['code', 'description'],
  endpoint: ['specification', 'url', 'changeset', 'type', 'formats'],
};
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

function assertErrors(reply: Reply, format: Format, status: number, pattern?: RegExp) {
  assert.equal(reply.status, status, reply.body);
  assert.equal(reply.type, MIME[format]);
  const errors = format === 'json' ? reply.doc : reply.doc.errors.error;
  assert.ok(Array.isArray(errors) && errors.length >= 1, reply.body);
  for (const e of errors) {
    assert.deepEqual(Object.keys(e), SPEC.error);
    assert.ok(String(e.description).length > 0);
  }
  if (format === 'xml') for (const order of childOrder(reply.body, 'error')) assert.deepEqual(order, SPEC.error);
  if (format === 'json') assert.equal(typeof errors[0].code, 'number');
  if (pattern) assert.match(errors.map((e: Parsed) => e.description).join(' '), pattern);
}

// ---- the platform ------------------------------------------------------------------------------------------------

let endpoint = '';

before(async () => {
  t = await createChannelApp({
    OPEN311_REQUESTS_PER_KEY_PER_MINUTE: '6',
    OPEN311_CONTACT: '平台运维 ops@example.gov.cn',
  });
  cast = await createCast(t);
  const admin = new WebClient(t.app, nextIp());
  await admin.get('/login');
  assert.equal((await admin.post('/login', { phone: cast.phones.admin!, password: PASSWORD })).statusCode, 303);
  await admin.get('/admin/open311');
  const issued = await admin.post('/admin/open311', { organisation: '正定县 12345 热线 App' });
  assert.equal(issued.statusCode, 201, issued.body);
  apiKey = /(o311_[0-9a-f]{12}_[A-Za-z0-9_-]{43})/.exec(issued.body)![1]!;
});
after(() => t.close());

describe(`Open311 GeoReport v2 on ${TEST_ENGINE}`, () => {
  for (const format of ['xml', 'json'] as const) {
    describe(format.toUpperCase(), () => {
      let token = '';
      let requestId = 0;

      test('discovery names the GeoReport v2 endpoint and both formats', async () => {
        const reply = await get('/open311/discovery', format);
        assert.equal(reply.status, 200);
        assert.equal(reply.type, MIME[format]);
        const d = format === 'json' ? reply.doc : reply.doc.discovery;
        assert.match(d.changeset, W3C);
        assert.match(d.contact, /ops@example/);
        const endpoints = format === 'json' ? d.endpoints : d.endpoints.endpoint;
        const v2 = endpoints.find((e: Parsed) => e.specification === 'http://wiki.open311.org/GeoReport_v2');
        assert.ok(v2, reply.body);
        const formats = format === 'json' ? v2.formats : v2.formats.format;
        assert.deepEqual([...formats].sort(), ['application/json', 'text/xml']);
        endpoint = new URL(v2.url).pathname;
        assert.equal(endpoint, '/open311/v2');
        if (format === 'xml') assert.deepEqual(childOrder(reply.body, 'endpoint')[0], SPEC.endpoint);
      });

      test('services: the 13 domains, each with the spec’s fields in order', async () => {
        const reply = await get(`${endpoint}/services`, format, { jurisdiction_id: '130123' });
        assert.equal(reply.status, 200);
        assert.equal(reply.type, MIME[format]);
        const services = format === 'json' ? reply.doc : reply.doc.services.service;
        assert.equal(services.length, 13);
        for (const s of services) {
          assert.deepEqual(Object.keys(s), SPEC.service);
          assert.ok(['realtime', 'batch', 'blackbox'].includes(s.type));
          assert.equal(String(s.metadata), 'true');
        }
        if (format === 'json') assert.equal(services[0].metadata, true);
        if (format === 'xml') for (const o of childOrder(reply.body, 'service')) assert.deepEqual(o, SPEC.service);
        assert.deepEqual(services[0].service_code, 'urban');
        assertErrors(await get(`${endpoint}/services`, format, { jurisdiction_id: '999999' }), format, 404);
        assertErrors(await get(`${endpoint}/services`, format, { jurisdiction_id: 'sfgov.org' }), format, 400);
      });

      test('a service definition lists its attributes with their values', async () => {
        const reply = await get(`${endpoint}/services/urban`, format);
        assert.equal(reply.status, 200);
        const d = format === 'json' ? reply.doc : reply.doc.service_definition;
        assert.deepEqual(Object.keys(d), SPEC.service_definition);
        assert.equal(d.service_code, 'urban');
        const attributes = format === 'json' ? d.attributes : d.attributes.attribute;
        const type = attributes.find((a: Parsed) => a.code === 'type');
        assert.equal(type.datatype, 'singlevaluelist');
        assert.equal(String(type.required), 'true');
        const values = format === 'json' ? type.values : type.values.value;
        assert.deepEqual(
          values.map((v: Parsed) => v.key),
          ['consult', 'suggest', 'complain', 'help', 'thanks'],
        );
        if (format === 'json') assert.equal(type.datatype_description, null);
        if (format === 'xml') {
          for (const o of childOrder(reply.body, 'attribute')) {
            assert.deepEqual(o, o.includes('values') ? SPEC.attribute : SPEC.attribute.filter((n) => n !== 'values'));
          }
          for (const o of childOrder(reply.body, 'value')) assert.deepEqual(o, SPEC.value);
        }
        assertErrors(await get(`${endpoint}/services/potholes`, format), format, 404);
      });

      test('posting without a key, or with a wrong one, is refused with 403', async () => {
        const form = {
          service_code: 'urban',
          jurisdiction_id: '130123',
          address_string: '正定县常山西路',
          description: '常山西路与中山路交叉口的井盖缺失，行人和车辆通行很危险。',
          'attribute[type]': 'help',
        };
        assertErrors(await post(`${endpoint}/requests`, format, form), format, 403, /api_key/);
        assertErrors(
          await post(`${endpoint}/requests`, format, { ...form, api_key: `${apiKey.slice(0, -1)}x` }),
          format,
          403,
        );
      });

      test('a request posted with a key is a message in review, masked, with a token', async () => {
        const reply = await post(`${endpoint}/requests`, format, {
          api_key: apiKey,
          jurisdiction_id: '130100',
          service_code: 'urban',
          lat: '38.1459',
          long: '114.5704',
          address_string: '河北省石家庄市正定县常山西路与中山路交叉口',
          email: 'citizen@example.com',
          device_id: 'tt222111',
          first_name: '明',
          last_name: '李',
          phone: '13812345678',
          description: `常山西路与中山路交叉口的井盖缺失（${format}），行人和车辆通行很危险，联系电话13912345678。`,
          'attribute[type]': 'help',
          'attribute[title]': `井盖缺失很危险 ${format}`,
        });
        assert.equal(reply.status, 200, reply.body);
        assert.equal(reply.type, MIME[format]);
        const requests = format === 'json' ? reply.doc : reply.doc.service_requests.request;
        assert.equal(requests.length, 1);
        assert.deepEqual(Object.keys(requests[0]), SPEC.posted, 'a token, never a service_request_id too');
        if (format === 'xml') assert.deepEqual(childOrder(reply.body, 'request')[0], SPEC.posted);
        if (format === 'json') assert.equal(requests[0].account_id, null);
        token = String(requests[0].token);
        const m = await t.db
          .selectFrom('messages')
          .selectAll()
          .where('tracking_code', '=', token)
          .executeTakeFirstOrThrow();
        assert.equal(m.status, 'submitted');
        assert.equal(m.channel, 'open311');
        assert.equal(m.board_id, 1301232, 'the county named in the address, within the jurisdiction');
        assert.match(m.body, /139\*\*\*\*5678/);
        assert.doesNotMatch(m.body, /13912345678/);
        assert.equal(m.remarks_sealed === null, false, 'the contact details are kept privately');
        const side = await t.db
          .selectFrom('open311_requests')
          .selectAll()
          .where('message_id', '=', m.id)
          .executeTakeFirstOrThrow();
        assert.equal(side.lat, 38.1459);
        assert.equal(side.device_id, 'tt222111');
      });

      test('while in review the token gives no id, and the request is not served', async () => {
        const reply = await get(`${endpoint}/tokens/${token}`, format);
        assert.equal(reply.status, 200, reply.body);
        const r = format === 'json' ? reply.doc[0] : reply.doc.service_requests.request[0];
        assert.deepEqual(Object.keys(r), SPEC.token);
        assert.ok(r.service_request_id === null || r.service_request_id === '', reply.body);
        assert.equal(String(r.token), token);
        assertErrors(await get(`${endpoint}/tokens/ZZZZ2222`, format), format, 404);
      });

      test('after review the token gives the id, and the request is followed to closed', async () => {
        const m = await t.db
          .selectFrom('messages')
          .select('id')
          .where('tracking_code', '=', token)
          .executeTakeFirstOrThrow();
        await answer(cast, m.id, '井盖已于当天补装，并对周边井盖进行了排查。');
        const fromToken = await get(`${endpoint}/tokens/${token}`, format);
        const r = format === 'json' ? fromToken.doc[0] : fromToken.doc.service_requests.request[0];
        requestId = Number(r.service_request_id);
        assert.equal(requestId, m.id);
        if (format === 'json') assert.equal(typeof r.service_request_id, 'number');

        const open = await get(`${endpoint}/requests/${requestId}`, format, { jurisdiction_id: '130123' });
        assert.equal(open.status, 200, open.body);
        const req = format === 'json' ? open.doc[0] : open.doc.service_requests.request[0];
        assert.deepEqual(Object.keys(req), SPEC.request);
        if (format === 'xml') assert.deepEqual(childOrder(open.body, 'request')[0], SPEC.request);
        assert.equal(req.status, 'open');
        assert.match(req.status_notes, /井盖已于当天补装/);
        assert.equal(req.service_code, 'urban');
        assert.equal(req.service_name, '城建');
        assert.match(req.requested_datetime, W3C);
        assert.match(req.updated_datetime, W3C);
        assert.equal(req.agency_responsible, '正定县委县政府督查室');
        assert.equal(Number(req.lat), 38.1459);
        assert.match(req.description, /139\*\*\*\*5678/);
        if (format === 'json') assert.equal(req.zipcode, null);

        assert.equal(await closeUnrated(t.db, m.id), true);
        const closed = await get(`${endpoint}/requests/${requestId}`, format);
        const c = format === 'json' ? closed.doc[0] : closed.doc.service_requests.request[0];
        assert.equal(c.status, 'closed');
        assert.match(c.updated_datetime, W3C);

        const list = await get(`${endpoint}/requests`, format, {
          status: 'closed',
          service_code: 'urban,transport',
          jurisdiction_id: '130000',
        });
        const ids = (format === 'json' ? list.doc : (list.doc.service_requests.request ?? [])).map((x: Parsed) =>
          Number(x.service_request_id),
        );
        assert.ok(ids.includes(requestId), list.body);
        const openOnly = await get(`${endpoint}/requests`, format, { status: 'open' });
        const openIds = (format === 'json' ? openOnly.doc : (openOnly.doc.service_requests?.request ?? [])).map(
          (x: Parsed) => Number(x.service_request_id),
        );
        assert.ok(!openIds.includes(requestId));
        const byId = await get(`${endpoint}/requests`, format, {
          service_request_id: `${requestId},999999`,
          status: 'open',
        });
        assert.equal(
          (format === 'json' ? byId.doc : byId.doc.service_requests.request).length,
          1,
          'service_request_id overrides the rest',
        );
      });

      test('query errors are in the spec’s format', async () => {
        assertErrors(
          await get(`${endpoint}/requests`, format, { start_date: '2026-01-01', end_date: '2026-02-01' }),
          format,
          400,
          /W3C/,
        );
        assertErrors(
          await get(`${endpoint}/requests`, format, {
            start_date: '2025-01-01T00:00:00Z',
            end_date: '2025-06-01T00:00:00Z',
          }),
          format,
          400,
          /90/,
        );
        assertErrors(await get(`${endpoint}/requests`, format, { status: 'pending' }), format, 400);
        assertErrors(await get(`${endpoint}/requests/99999999`, format), format, 404);
        assertErrors(await get(`${endpoint}/potholes`, format), format, 404);
        assertErrors(await get(`${endpoint}/requests/abc`, format), format, 404);
      });
    });
  }

  test('posting checks the service, the place and the content, each error in the list', async () => {
    const base = { api_key: apiKey, service_code: 'urban', 'attribute[type]': 'help' };
    assertErrors(
      await post('/open311/v2/requests', 'xml', { ...base, service_code: 'potholes', address_string: '正定县' }),
      'xml',
      404,
    );
    assertErrors(
      await post('/open311/v2/requests', 'json', { ...base, description: '路灯坏了很多天了，晚上很黑很不安全。' }),
      'json',
      400,
      /位置/,
    );
    assertErrors(
      await post('/open311/v2/requests', 'json', {
        ...base,
        lat: '30.5',
        long: '124.5',
        description: '路灯坏了很多天了，晚上很黑很不安全。',
      }),
      'json',
      400,
      /经纬度/,
    );
    assertErrors(
      await post('/open311/v2/requests', 'json', {
        ...base,
        address_string: '火星基地一号',
        description: '路灯坏了很多天了，晚上很黑很不安全。',
      }),
      'json',
      400,
      /address_string/,
    );
    assertErrors(
      await post('/open311/v2/requests', 'json', { ...base, jurisdiction_id: '999999', address_string: '某地' }),
      'json',
      404,
    );
    const short = await post('/open311/v2/requests', 'json', {
      ...base,
      address_string: '正定县',
      description: '坏了',
    });
    assertErrors(short, 'json', 400);
    assert.ok(short.doc.length >= 2, 'several problems are listed together');
    assertErrors(
      await post('/open311/v2/requests', 'json', { ...base, 'attribute[type]': 'praise', address_string: '正定县' }),
      'json',
      400,
      /attribute\[type\]/,
    );
    assertErrors(
      await post('/open311/v2/requests', 'xml', { ...base, address_string: '正定县', description: 'a\u0000b' }),
      'xml',
      400,
    );
  });

  test('a private request is served only to the key that filed it', async () => {
    const posted = await post('/open311/v2/requests', 'json', {
      api_key: apiKey,
      service_code: 'health',
      address_string: '正定县',
      description: '家里老人在县医院看病时医保报销出了问题，希望核实。',
      'attribute[type]': 'help',
      'attribute[visibility]': 'private',
    });
    assert.equal(posted.status, 200, posted.body);
    const m = await t.db
      .selectFrom('messages')
      .select(['id', 'visibility'])
      .where('tracking_code', '=', posted.doc[0].token)
      .executeTakeFirstOrThrow();
    assert.equal(m.visibility, 'private');
    await cast.act('editor', m.id, 'approve');
    assertErrors(await get(`/open311/v2/requests/${m.id}`, 'json'), 'json', 404);
    const mine = await get(`/open311/v2/requests/${m.id}`, 'json', { api_key: apiKey });
    assert.equal(mine.status, 200);
    assert.equal(mine.doc[0].status, 'open');
    const listed = await get('/open311/v2/requests', 'json');
    assert.ok(!listed.doc.some((r: Parsed) => r.service_request_id === m.id));
  });

  test('each key may post only so many requests a minute', async () => {
    let last: Reply | undefined;
    for (let i = 0; i < 8; i++) {
      last = await post('/open311/v2/requests', 'json', {
        api_key: apiKey,
        service_code: 'transport',
        address_string: '正定县',
        description: `公交站台的顶棚坏了第${i}处，下雨天候车的人都被淋湿了。`,
        'attribute[type]': 'suggest',
      });
      if (last.status === 429) break;
    }
    assertErrors(last!, 'json', 429);
  });

  test('the editor’s queue shows the organisation; a revoked key is refused', async () => {
    const editor = new WebClient(t.app, nextIp());
    await editor.get('/login');
    await editor.post('/login', { phone: cast.phones.editor!, password: PASSWORD });
    const queue = await editor.get('/review');
    assert.match(textOf(queue.body), /来自Open311 · 正定县 12345 热线 App/);
    const admin = new WebClient(t.app, nextIp());
    await admin.get('/login');
    await admin.post('/login', { phone: cast.phones.admin!, password: PASSWORD });
    const page = await admin.get('/admin/open311');
    assert.doesNotMatch(page.body, new RegExp(apiKey), 'a key is shown once only');
    const id = /\/admin\/open311\/(\d+)\/revoke/.exec(page.body)![1];
    assert.equal((await admin.post(`/admin/open311/${id}/revoke`, {})).statusCode, 200);
    assertErrors(
      await post('/open311/v2/requests', 'xml', {
        api_key: apiKey,
        service_code: 'urban',
        address_string: '正定县',
        'attribute[type]': 'help',
      }),
      'xml',
      403,
    );
    const stats = (
      await t.app.inject({ method: 'GET', url: '/api/v1/stats/channels?region=130000', remoteAddress: nextIp() })
    ).json();
    const open311 = stats.channels.find((c: { channel: string }) => c.channel === 'open311');
    assert.ok(open311.received >= 3, JSON.stringify(stats));
    assert.equal(open311.organisations[0].name, '正定县 12345 热线 App');
    assert.ok(open311.replied >= 2);
    const citizen = new WebClient(t.app, nextIp());
    await citizen.get('/login');
    await citizen.post('/login', { phone: cast.phones.citizen!, password: PASSWORD });
    assert.equal((await citizen.get('/admin/open311')).statusCode, 403);
  });
});
