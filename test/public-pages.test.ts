import { forgetHeadline } from '../src/stats/stats-page.service.ts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { readRegionSeed } from '../src/reference/seed-reference.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const links = (html: string, prefix: string) =>
  [...html.matchAll(new RegExp(`href="(${prefix}[^"]*)"`, 'g'))].map((m) => m[1]);

describe('home page', () => {
  test('lists the 33 provincial-level regions with boards and counts from the database', async () => {
    const res = await t.app.inject('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html; charset=utf-8/);
    const html = res.body;
    const provinceLinks = links(html.slice(html.indexOf('id="provinces"')), '/regions/').slice(0, 40);
    const listed = new Set(provinceLinks.filter((href) => /\/regions\/\d{2}0000$/.test(href!)));
    assert.equal(listed.size, 33);
    assert.ok(listed.has('/regions/810000'), 'Hong Kong has boards');
    assert.ok(listed.has('/regions/820000'), 'Macau has boards');
    assert.ok(!listed.has('/regions/710000'), 'Taiwan is listed without boards, so not here');
    assert.match(html, /<html lang="zh-CN">/);

    const boards = await t.db
      .selectFrom('boards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const units = await t.db
      .selectFrom('handling_units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.ok(html.includes(`<dd>${Number(boards.n).toLocaleString('zh-CN')}</dd>`), 'board total shown');
    assert.ok(html.includes(`<dd>${Number(units.n).toLocaleString('zh-CN')}</dd>`), 'unit total shown');
  });

  test('the totals follow the database, not a constant', async () => {
    await t.db.updateTable('boards').set({ active: 0 }).where('id', '=', 1100001).execute();
    forgetHeadline(t.db); // the running totals are kept for a minute
    const html = (await t.app.inject('/')).body;
    await t.db.updateTable('boards').set({ active: 1 }).where('id', '=', 1100001).execute();
    const total = Number(
      (
        await t.db
          .selectFrom('boards')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.ok(html.includes(`<dd>${(total - 1).toLocaleString('zh-CN')}</dd>`));
  });
});

describe('region pages', () => {
  test('a province shows its two boards, its unit, its cities and a breadcrumb', async () => {
    const res = await t.app.inject('/regions/130000');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>河北省<\/h1>/);
    assert.match(res.body, /href="\/boards\/1300001"/);
    assert.match(res.body, /河北省 · 省委书记/);
    assert.match(res.body, /河北省 · 省长/);
    assert.match(res.body, /河北省委督查室/);
    assert.match(res.body, /href="\/regions\/130100"[^>]*>石家庄市</);
    assert.match(
      res.body,
      /<nav class="breadcrumb"[^>]*><ol><li><a href="\/">首页<\/a><\/li><li aria-current="page">河北省<\/li>/,
    );
  });

  test('an autonomous region, a prefecture and a league name their posts as their kind requires', async () => {
    const titles = async (code: string) =>
      (
        await t.db.selectFrom('boards').select('title').where('region_code', '=', code).orderBy('sort_order').execute()
      ).map((b) => b.title);
    assert.deepEqual(await titles('450000'), ['自治区党委书记', '自治区主席']);
    assert.deepEqual(await titles('110000'), ['市委书记', '市长']);
    assert.deepEqual(await titles('810000'), ['特区行政长官']);
    assert.deepEqual(await titles('710000'), []);
    assert.deepEqual(await titles('222400'), ['州委书记', '州长']);
    assert.deepEqual(await titles('152500'), ['盟委书记', '盟长']);
    assert.deepEqual(await titles('232700'), ['地委书记', '行署专员']);
    assert.deepEqual(await titles('130102'), ['区委书记', '区长']);
    assert.deepEqual(await titles('130121'), ['县委书记', '县长']);
    assert.deepEqual(await titles('150121'), ['旗委书记', '旗长']);
    assert.deepEqual(await titles('130181'), ['市委书记', '市长']);
  });

  test('a municipality lists its districts directly, and a county shows the full breadcrumb', async () => {
    const beijing = await t.app.inject('/regions/110000');
    assert.match(beijing.body, /href="\/regions\/110101"[^>]*>东城区</);
    const county = await t.app.inject('/regions/130121');
    assert.equal(county.statusCode, 200);
    assert.match(
      county.body,
      /<a href="\/regions\/130000">河北省<\/a>.*<a href="\/regions\/130100">石家庄市<\/a>.*<li aria-current="page">井陉县<\/li>/s,
    );
    assert.match(county.body, /没有下级地区/);
  });

  test('Taiwan is listed without boards', async () => {
    const res = await t.app.inject('/regions/710000');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /该地区暂未开通领导留言板/);
  });

  test('an unknown or malformed code gets the Chinese 404 page', async () => {
    for (const code of ['999999', 'abc', '%3Cscript%3E']) {
      const res = await t.app.inject(`/regions/${code}`);
      assert.equal(res.statusCode, 404, code);
      assert.match(res.body, /404 出错了/);
      assert.doesNotMatch(res.body, /<script>/);
    }
  });
});

describe('board pages', () => {
  test('show the post, the holder, the responsible unit and an empty message list', async () => {
    const res = await t.app.inject('/boards/1301002');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>石家庄市 · 市长<\/h1>/);
    assert.match(res.body, /<dd>待公布<\/dd>/);
    assert.match(res.body, /石家庄市委市政府督查局/);
    assert.match(res.body, /暂无公开留言/);
    assert.match(res.body, /<a href="\/regions\/130100">石家庄市<\/a>/);
  });

  test('escape what an import put in a holder name', async () => {
    await t.db
      .updateTable('boards')
      .set({ holder_name: '<img src=x onerror=alert(1)>' })
      .where('id', '=', 1301001)
      .execute();
    const res = await t.app.inject('/boards/1301001');
    assert.ok(!res.body.includes('<img src=x'));
    assert.ok(res.body.includes('<dd translate="no">&lt;img src=x onerror=alert(1)'));
  });

  test('an unknown, zero, negative or huge id is a 404 page', async () => {
    for (const id of ['9', '0', '-1', 'x', '99999999999999999999']) {
      const res = await t.app.inject(`/boards/${id}`);
      assert.equal(res.statusCode, 404, id);
      assert.match(res.body, /留言板/);
    }
  });

  test('every county board is reachable by links from the home page', async () => {
    // Walk the site as a visitor would: home → province → city → county → board.
    const seen = new Set<string>();
    const queue = ['/'];
    const boards = new Set<string>();
    while (queue.length > 0) {
      const path = queue.shift()!;
      const html = (await t.app.inject(path)).body;
      const main = html.slice(html.indexOf('<main'));
      for (const href of links(main, '/regions/')) {
        if (!seen.has(href!)) {
          seen.add(href!);
          queue.push(href!);
        }
      }
      for (const href of links(main, '/boards/')) if (/^\/boards\/\d+$/.test(href!)) boards.add(href!);
    }
    const expected = await t.db.selectFrom('boards').select('id').execute();
    assert.equal(boards.size, expected.length);
    const regionsWithBoards = readRegionSeed().regions.filter((r) => r[3] !== 'taiwan');
    assert.ok(seen.size >= regionsWithBoards.length);
  });
});

describe('errors and probes', () => {
  test('an unknown page is a Chinese 404 page; under /api it is a JSON error', async () => {
    const page = await t.app.inject('/no/such/page');
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /您访问的页面不存在/);
    const api = await t.app.inject('/api/v1/nothing');
    assert.equal(api.statusCode, 404);
    assert.deepEqual(api.json(), { error: { code: 'NOT_FOUND', message: '您访问的页面不存在。' } });
  });

  test('/healthz and /readyz answer', async () => {
    assert.deepEqual((await t.app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ok' });
  });

  test('pages carry a strict Content-Security-Policy and the stylesheet is served', async () => {
    const res = await t.app.inject('/');
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    // Every response carries the same headers: a 404 page, an API answer, an error, a file.
    for (const other of [
      await t.app.inject('/regions/000000'),
      await t.app.inject('/api/v1/regions'),
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/messages',
        payload: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
      await t.app.inject('/static/style.css'),
    ]) {
      assert.equal(other.headers['content-security-policy'], csp, other.raw.req.url);
      assert.equal(other.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(other.headers['referrer-policy'], 'no-referrer');
      assert.equal(other.headers['x-powered-by'], undefined);
    }
    const css = await t.app.inject('/static/style.css');
    assert.equal(css.statusCode, 200);
    assert.match(css.headers['content-type'] as string, /text\/css/);
  });

  test('Strict-Transport-Security is sent when PUBLIC_URL is https://…, and not otherwise', async () => {
    for (const [publicUrl, sent] of [
      ['https://liuyan.example.gov.cn', true],
      ['http://liuyan.example.gov.cn', false],
      [undefined, false],
    ] as const) {
      const config = loadConfig({ ...t.env, ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}) });
      const app = await buildApp({ config, db: t.db, logger: false });
      try {
        const res = await app.inject('/');
        assert.equal(res.statusCode, 200);
        const hsts = res.headers['strict-transport-security'];
        if (sent) assert.match(String(hsts), /^max-age=\d{7,}; includeSubDomains/, String(publicUrl));
        else assert.equal(hsts, undefined, String(publicUrl));
      } finally {
        await app.close();
      }
    }
  });
});
