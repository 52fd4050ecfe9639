// Open311 requests placed by lat/long alone: the county whose outline holds the point gets the request, on the same
// leader's board a jurisdiction_id would give; points in the sea or abroad get the spec's error list.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { issueKey } from '../src/open311/open311-keys.ts';
import { createChannelApp, nextIp } from './channel-helpers.ts';
import { TEST_ENGINE, type TestApp } from './helpers.ts';

let t: TestApp;
let apiKey = '';

before(async () => {
  t = await createChannelApp({ OPEN311_REQUESTS_PER_KEY_PER_MINUTE: '100' });
  apiKey = (await issueKey(t.db, '全国 12345 热线 App', null)).key;
});
after(() => t.close());

type Format = 'xml' | 'json';
const xml = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, isArray: (n) => n === 'error' });

async function post(form: Record<string, string>, format: Format = 'json') {
  const res = await t.app.inject({
    method: 'POST',
    url: `/open311/v2/requests.${format}`,
    remoteAddress: nextIp(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    payload: new URLSearchParams({
      api_key: apiKey,
      service_code: 'urban',
      description: '路口的红绿灯坏了好几天，早晚高峰车辆和行人抢行，很危险。',
      'attribute[type]': 'help',
      ...form,
    }).toString(),
  });
  return { status: res.statusCode, body: res.body, format };
}

/** The message a posted request became, with what Open311 told us of its place. */
async function filed(reply: { status: number; body: string }) {
  assert.equal(reply.status, 200, reply.body);
  const token = String(JSON.parse(reply.body)[0].token);
  return t.db
    .selectFrom('messages')
    .innerJoin('open311_requests', 'open311_requests.message_id', 'messages.id')
    .select(['messages.status', 'messages.board_id', 'messages.region_code', 'open311_requests.lat'])
    .where('messages.tracking_code', '=', token)
    .executeTakeFirstOrThrow();
}

/** The spec's error list: one or more `code` + `description`, the description in Chinese. */
function errors(reply: { status: number; body: string; format: Format }, status: number, pattern: RegExp) {
  assert.equal(reply.status, status, reply.body);
  const list =
    reply.format === 'json' ? JSON.parse(reply.body) : (xml.parse(reply.body).errors.error as { code: string }[]);
  assert.ok(Array.isArray(list) && list.length >= 1, reply.body);
  for (const e of list) assert.deepEqual(Object.keys(e), ['code', 'description']);
  assert.match(list.map((e: { description: string }) => e.description).join(' '), pattern);
}

describe(`Open311 lat/long on ${TEST_ENGINE}`, () => {
  test('a point alone lands on the head of government’s board of the county that holds it', async () => {
    for (const [lat, long, region, board] of [
      ['38.15', '114.57', '130123', 1301232], // 河北省石家庄市正定县
      ['39.93', '116.42', '110101', 1101012], // 北京市东城区
      ['22.54', '114.05', '440304', 4403042], // 广东省深圳市福田区
    ] as const) {
      const m = await filed(await post({ lat, long }));
      assert.deepEqual(
        { status: m.status, region: m.region_code, board: m.board_id, lat: Number(m.lat) },
        { status: 'submitted', region, board, lat: Number(lat) },
      );
    }
  });

  test('the leader attribute picks the Party secretary as it does for a jurisdiction_id', async () => {
    const m = await filed(await post({ lat: '38.15', long: '114.57', 'attribute[leader]': 'party' }));
    assert.equal(m.board_id, 1301231);
  });

  test('an islet just outside the outlines goes to the nearest county; Hong Kong to its chief executive', async () => {
    assert.equal((await filed(await post({ lat: '24.447', long: '118.067' }))).board_id, 3502032, '鼓浪屿 → 思明区');
    assert.equal((await filed(await post({ lat: '22.28', long: '114.16' }))).board_id, 8100001, '香港中西区');
  });

  test('the point decides over an address that names somewhere else, and stays within the jurisdiction', async () => {
    // “中山路” names 中山市 to the address matcher; the point is in 正定县.
    const road = await filed(await post({ lat: '38.15', long: '114.57', address_string: '中山路 5 号' }));
    assert.equal(road.region_code, '130123');
    const narrowed = await filed(await post({ lat: '38.15', long: '114.57', jurisdiction_id: '130100' }));
    assert.equal(narrowed.region_code, '130123', 'the point narrows 石家庄市 to 正定县');
    const elsewhere = await filed(await post({ lat: '39.93', long: '116.42', jurisdiction_id: '130123' }));
    assert.equal(elsewhere.region_code, '130123', 'a point outside the jurisdiction does not move the request out');
  });

  test('a point in the sea, abroad or where we have no board gets the spec’s error, in Chinese', async () => {
    for (const format of ['json', 'xml'] as const) {
      errors(await post({ lat: '30.5', long: '124.5' }, format), 400, /不在任何县级行政区内（可能在海上或境外）/);
      errors(await post({ lat: '37.57', long: '126.98' }, format), 400, /海上或境外/);
      errors(await post({ lat: '48.85', long: '2.35' }, format), 400, /不在中国境内/);
      errors(await post({ lat: '25.03', long: '121.56' }, format), 400, /没有可以接收留言的领导留言板/);
    }
    const counted = await t.db
      .selectFrom('open311_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(counted.n), 9, 'only the requests that found a board were filed');
  });

  test('a point in the sea still files when the address names the place', async () => {
    const m = await filed(await post({ lat: '30.5', long: '124.5', address_string: '浙江省舟山市嵊泗县' }));
    assert.equal(m.region_code, '330922');
  });
});
