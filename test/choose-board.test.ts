import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { RegionSearchResult } from '../src/regions/region-search.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
let app: FastifyInstance;
before(async () => {
  t = await createTestApp();
  app = t.app;
});
after(() => t.close());

async function search(q: string): Promise<RegionSearchResult[]> {
  const res = await app.inject({ url: '/api/v1/regions/search', query: { q } });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { results: RegionSearchResult[] }).results;
}

const codes = (results: RegionSearchResult[]) => results.map((r) => r.code);
const HAN = /\p{Script=Han}/u;

describe('region search API', () => {
  test('正定 finds 正定县 first, with its path and its two boards', async () => {
    const results = await search('正定');
    const zhengding = results[0]!;
    assert.equal(zhengding.code, '130123');
    assert.equal(zhengding.name, '正定县');
    assert.equal(zhengding.level, 'county');
    assert.equal(zhengding.path, '河北省 石家庄市 正定县');
    assert.deepEqual(
      zhengding.boards.map((b) => b.title),
      ['县委书记', '县长'],
    );
    const rows = await t.db
      .selectFrom('boards')
      .select(['id', 'title'])
      .where('region_code', '=', '130123')
      .orderBy('sort_order')
      .execute();
    assert.deepEqual(zhengding.boards, rows);
  });

  test('full pinyin, initials and mixed spellings find it too', async () => {
    assert.equal((await search('zhengding'))[0]!.code, '130123');
    assert.equal((await search('zhengdingxian'))[0]!.code, '130123');
    const zd = await search('zd');
    assert.ok(codes(zd).includes('130123'), `zd: ${zd.map((r) => r.name).join(' ')}`);
    assert.ok(zd.length <= 20, 'twenty results at most by default');
    assert.ok(codes(await search('zhengdx')).includes('130123'), 'full pinyin then initials');
  });

  test('full-width, spaced, apostrophised, upper-case and Traditional input is normalised', async () => {
    for (const q of ['ＺＨＥＮＧＤＩＮＧ', ' Zheng Ding ', "zheng'ding", 'ZhengDing', '正　定']) {
      assert.equal((await search(q))[0]?.code, '130123', q);
    }
    assert.equal((await search('石家莊'))[0]?.code, '130100', 'Traditional 莊');
  });

  test('石家庄 ranks the city before its districts and counties', async () => {
    const results = await search('石家庄');
    assert.equal(results[0]!.code, '130100');
    assert.equal(results[0]!.path, '河北省 石家庄市');
    const district = codes(results).indexOf('130102');
    assert.ok(district > 0, '长安区 is found through its city');
    assert.equal(results[district]!.path, '河北省 石家庄市 长安区');
  });

  test('beijing finds 北京市 first; ties go province, city, county', async () => {
    const beijing = await search('beijing');
    assert.equal(beijing[0]!.code, '110000');
    assert.equal(beijing[0]!.path, '北京市');
    assert.equal((await search('bj'))[0]!.code, '110000');

    const chaoyang = await search('朝阳');
    assert.equal(chaoyang[0]!.name, '朝阳市', 'the city before the districts of the same name');
    const levels = chaoyang.filter((r) => r.name.startsWith('朝阳')).map((r) => r.level);
    assert.deepEqual(
      levels,
      [...levels].sort((a, b) => ['province', 'city', 'county'].indexOf(a) - ['province', 'city', 'county'].indexOf(b)),
    );
  });

  test('exact name, then name prefix, then name contains, then a matching ancestor; ties by level and code', async () => {
    const levelOrder = (r: RegionSearchResult) => ['province', 'city', 'county'].indexOf(r.level);
    for (const q of ['城区', '南', '长安', '吉林']) {
      const results = await search(q);
      const tier = (r: RegionSearchResult) =>
        r.name === q ? 0 : r.name.startsWith(q) ? 1 : r.name.includes(q) ? 2 : 3;
      assert.ok(results.length > 0, q);
      for (let i = 1; i < results.length; i++) {
        const [a, b] = [results[i - 1]!, results[i]!];
        const order = tier(a) - tier(b) || levelOrder(a) - levelOrder(b) || a.code.localeCompare(b.code);
        assert.ok(order < 0, `${q}: ${a.path} before ${b.path}`);
      }
    }
    const cityDistricts = await search('城区');
    assert.deepEqual(codes(cityDistricts).slice(0, 3), ['140302', '140502', '441502'], 'the three named 城区 first');
    assert.ok(cityDistricts.slice(3).every((r) => r.name.includes('城区') && r.name !== '城区'));
    assert.deepEqual(codes(await search('吉林')).slice(0, 2), ['220000', '220200'], 'the province, then the city');
  });

  test('place names are read as places, not by the general dictionary', async () => {
    const first = async (q: string) => (await search(q))[0]?.name;
    assert.equal(await first('duyun'), '都匀市');
    assert.equal(await first('chengdu'), '成都市');
    assert.equal(await first('kashishi'), '喀什市');
    assert.equal(await first('laoting'), '乐亭县');
    assert.equal(await first('luan'), '六安市');
    assert.equal(await first('xiamen'), '厦门市');
  });

  test('an empty or 31-character query is a 400 with a Chinese message, not a 500', async () => {
    for (const q of ['', '   ', "''", 'a'.repeat(31), '正'.repeat(31)]) {
      const res = await app.inject({ url: '/api/v1/regions/search', query: { q } });
      assert.equal(res.statusCode, 400, JSON.stringify(q));
      const { error } = res.json() as { error: { code: string; message: string } };
      assert.equal(error.code, 'VALIDATION');
      assert.match(error.message, HAN);
    }
    const missing = await app.inject('/api/v1/regions/search');
    assert.equal(missing.statusCode, 400);
    assert.equal((missing.json() as { error: { code: string } }).error.code, 'VALIDATION');
    assert.equal((await search('a'.repeat(30))).length, 0, 'thirty characters are allowed');
  });

  test('a query that matches nothing gives an empty list', async () => {
    assert.deepEqual(await search('<script>'), []);
  });
});

describe('choose-board page', () => {
  test('without a query it offers the 33 provincial regions to browse', async () => {
    const res = await app.inject('/boards/choose');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    const html = res.body;
    assert.match(html, /<form method="get" action="\/boards\/choose"[^>]*role="search"/);
    assert.match(html, /name="q"/);
    const provinces = new Set([...html.matchAll(/href="\/regions\/(\d{2}0000)"/g)].map((m) => m[1]));
    assert.equal(provinces.size, 33);
    assert.ok(!provinces.has('710000'), 'Taiwan has no boards');
  });

  test('a search lists each region’s path with links to write to each of its boards, no JavaScript needed', async () => {
    const res = await app.inject({ url: '/boards/choose', query: { q: 'zhengding' } });
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.ok(!html.includes('<script'), 'the page works without scripts');
    assert.ok(html.includes('河北省 石家庄市 正定县'));
    const [zhengding] = await search('zhengding');
    for (const board of zhengding!.boards) {
      assert.ok(html.includes(`href="/messages/new?board=${board.id}"`), `link to board ${board.id}`);
    }
    assert.ok(html.includes('给正定县县委书记留言'));
    assert.ok(html.includes('href="/regions/130123"'));
    assert.ok(html.includes('value="zhengding"'), 'the query stays in the field');
  });

  test('an empty or too long query shows the error on the page with status 400', async () => {
    for (const q of ['', 'x'.repeat(31)]) {
      const res = await app.inject({ url: '/boards/choose', query: { q } });
      assert.equal(res.statusCode, 400, JSON.stringify(q));
      assert.match(res.headers['content-type'] as string, /text\/html/);
      const alert = /<p class="error" id="choose-q-error" role="alert">([^<]+)<\/p>/.exec(res.body);
      assert.ok(alert, 'error beside the field');
      assert.match(alert[1]!, HAN);
      assert.match(res.body, /aria-invalid="true"/);
      assert.match(res.body, /href="\/regions\/130000"/, 'the provinces are still offered');
    }
  });

  test('a query with markup is shown escaped', async () => {
    for (const q of ['<script>', '"><script>alert(1)</script>']) {
      const res = await app.inject({ url: '/boards/choose', query: { q } });
      assert.equal(res.statusCode, 200);
      const field = /<input id="choose-q" name="q" type="search" value="([^"]*)"/.exec(res.body);
      assert.ok(field, 'the query stays in the field, inside its quotes');
      assert.ok(!field[1]!.includes('"'));
      assert.ok(!res.body.replace(field[0], '').includes('<script'), 'no raw <script> tag outside the value');
      assert.ok(res.body.includes('&lt;script'), 'the query is shown escaped');
    }
    const res = await app.inject({ url: '/boards/choose', query: { q: '<script>' } });
    assert.match(res.body, /没有找到与“<\/span><span translate="no">&lt;script><\/span><span>”相符的地区/);
  });
});
