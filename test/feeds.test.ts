import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { issueToken } from '../src/accounts/tokens.service.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { buildAtomFeed } from '../src/feeds/atom-feed.ts';
import { feedsRoutes, siteAddress } from '../src/feeds/feeds.routes.ts';
import { hashPassword } from '../src/accounts/passwords.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

let t: TestDatabase;
let app: FastifyInstance;
const PASSWORD = 'Dingyue-Mima-2026!';
const COUNTY_BOARD = 1301232; // 正定县 · 县长
const COUNTY_UNIT = 130123001;
const BEIJING_BOARD = 1101012; // 东城区 · 区长
const HOST = 'liuyan.example.org';
const SITE = `http://${HOST}`;

/** A title with everything that must be escaped in XML and in the HTML the entry carries. */
const TRICKY_TITLE = '<b>供暖</b> & 热水 &amp; ]]> 问题 ]]>';
const TRICKY_BODY =
  '诉求：请解决 <script>alert(1)</script> 小区供暖不热的问题。\n室温长期低于 16 度，& 多次报修无果 ]]> 请协调 ]]> 。';

let ip = 0;
const nextIp = () => `10.32.${Math.floor(++ip / 200)}.${ip % 200}`;
const tokens: Record<string, string> = {};

const api = (who: string, url: string, body: object) =>
  app.inject({
    method: 'POST',
    url,
    remoteAddress: nextIp(),
    payload: body,
    headers: { authorization: `Bearer ${tokens[who]}` },
  });

const get = (url: string, host = HOST) => app.inject({ method: 'GET', url, headers: { host } });

async function submit(boardId: number, title: string, body: string, visibility = 'public'): Promise<number> {
  const res = await api('citizen', '/api/v1/messages', {
    boardId,
    type: 'help',
    domain: 'urban',
    title,
    body,
    visibility,
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { id: number }).id;
}

const act = async (who: string, id: number, action: string, body: object = {}) => {
  const res = await api(who, `/api/v1/messages/${id}/actions/${action}`, body);
  assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => name === 'entry' || name === 'url' || name === 'link',
});

interface Entry {
  id: string;
  title: string | { '#text': string };
  link: { '@_href': string }[];
  updated: string;
  content: string | { '#text': string };
  author: { name: string };
}

/** The feed's entries, after checking the document is well-formed Atom. */
function entriesOf(xml: string): Entry[] {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = parser.parse(xml) as { feed: { '@_xmlns': string; id: string; updated: string; entry?: Entry[] } };
  assert.equal(doc.feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
  assert.ok(doc.feed.id && doc.feed.updated, 'id and updated are required');
  return doc.feed.entry ?? [];
}

const text = (v: string | { '#text': string }) => (typeof v === 'string' ? v : v['#text']);
/** What a feed reader shows for a `type="html"` text construct. */
const fromHtml = (html: string) =>
  html
    .replace(/<br \/>/g, '\n')
    .replace(/<\/?p>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const linksOf = (entries: Entry[]) => entries.map((e) => e.link[0]!['@_href']);

let published: number;
let privateId: number;
let unpublished: number;
let beijing: number;

before(async () => {
  t = await createTestDatabase();
  app = await buildApp({ config: loadConfig({ ...t.env, PUBLIC_URL: SITE }), db: t.db, logger: false });
  // Until app.ts registers the plugin, the test does.
  if (!app.hasRoute({ method: 'GET', url: '/sitemap.xml' })) await app.register(feedsRoutes);
  await app.ready();

  const citizen = await t.db
    .insertInto('users')
    .values({ phone: '13700009001', nickname: '订阅网友', is_staff: 0, password_hash: await hashPassword(PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  tokens.citizen = (await issueToken(t.db, citizen.id, 'app', 'test')).token;
  const staff: [string, string, Record<string, string>][] = [
    ['editor', 'editor', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY_UNIT) }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: String(COUNTY_UNIT) }],
  ];
  let n = 0;
  for (const [name, role, scope] of staff) {
    const phone = `1370000${String(++n).padStart(4, '0')}`;
    const id = await createStaff(t.db, COMMAND_LINE, {
      phone,
      nickname: `测试${name}`,
      password: PASSWORD,
      role,
      ...scope,
    });
    tokens[name] = (await issueToken(t.db, id, 'app', 'test')).token;
  }

  published = await submit(COUNTY_BOARD, TRICKY_TITLE, TRICKY_BODY);
  await act('editor', published, 'approve');
  await act('county', published, 'accept');
  await act('county', published, 'draft-reply', {
    body: '经核查，已督促供热公司检修管网 <i>&</i>，室温已达标。',
    submit: true,
  });
  await act('countyHead', published, 'approve-reply');

  privateId = await submit(
    COUNTY_BOARD,
    '不公开的私密留言标题',
    '诉求：这是一条不公开的留言，只有本人和办理单位可以看到，不应出现在订阅中。',
    'private',
  );
  await act('editor', privateId, 'approve');
  unpublished = await submit(
    COUNTY_BOARD,
    '尚未审核的留言标题',
    '诉求：这是一条还没有审核的留言，审核通过前不应出现在订阅和网站地图中。',
  );
  beijing = await submit(
    BEIJING_BOARD,
    '东城区胡同停车难问题',
    '诉求：东城区胡同里停车位不足，车辆乱停影响通行，请规划停车位并加强管理。',
  );
  await act('editor', beijing, 'approve');
});
after(async () => {
  await app.close();
  await t.close();
});

describe('board feeds', () => {
  test('list the public messages and published replies of the board as valid, escaped Atom', async () => {
    const res = await get(`/boards/${COUNTY_BOARD}/feed.atom`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
    const entries = entriesOf(res.body);
    const page = `${SITE}/messages/${published}`;
    assert.deepEqual(linksOf(entries), [page, page], 'the reply (newest) and the message');
    const [reply, message] = entries as [Entry, Entry];
    assert.equal(reply.id, `${page}#reply-${reply.id.split('#reply-')[1]}`);
    assert.equal(fromHtml(text(reply.title)), `答复：${TRICKY_TITLE}`);
    assert.equal(fromHtml(text(reply.content)), '经核查，已督促供热公司检修管网 <i>&</i>，室温已达标。');
    const unit = await t.db
      .selectFrom('handling_units')
      .select('name')
      .where('id', '=', COUNTY_UNIT)
      .executeTakeFirst();
    assert.equal(reply.author.name, unit?.name, 'the unit that answered');

    assert.equal(message.id, page);
    assert.equal(fromHtml(text(message.title)), TRICKY_TITLE, 'a reader shows the title as written');
    assert.equal(fromHtml(text(message.content)), TRICKY_BODY);
    assert.match(message.author.name, /^网友[0-9a-f]{6}$/, 'the public author tag, not the person');
    assert.ok(Date.parse(reply.updated) >= Date.parse(message.updated));

    assert.doesNotMatch(res.body, /<script>|<b>|<i>/, 'no markup gets through unescaped');
    assert.doesNotMatch(res.body, /\]\]>[^<]/, 'every CDATA section ends where it should');
    assert.doesNotMatch(res.body, /不公开的私密留言|尚未审核的留言|东城区胡同/);
    assert.ok(!res.body.includes(`/messages/${privateId}`) && !res.body.includes(`/messages/${unpublished}`));
    assert.match(res.body, new RegExp(`<link rel="self" href="${SITE}/boards/${COUNTY_BOARD}/feed.atom"/>`));
  });

  test('a board without messages has a valid empty feed; unknown boards are 404 pages', async () => {
    const empty = await get('/boards/1301231/feed.atom');
    assert.equal(empty.statusCode, 200);
    assert.deepEqual(entriesOf(empty.body), []);
    for (const id of ['999999', '0', 'abc', '99999999999']) {
      const res = await get(`/boards/${id}/feed.atom`);
      assert.equal(res.statusCode, 404, id);
      assert.match(res.headers['content-type'] as string, /text\/html/);
    }
  });
});

describe('region feeds', () => {
  test('a province, city or county feed includes the messages of every region below it', async () => {
    for (const code of ['130000', '130100', '130123']) {
      const res = await get(`/regions/${code}/feed.atom`);
      assert.equal(res.statusCode, 200, code);
      assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
      const links = linksOf(entriesOf(res.body));
      assert.ok(links.includes(`${SITE}/messages/${published}`), code);
      assert.ok(!links.includes(`${SITE}/messages/${beijing}`), `${code} is not Beijing`);
      assert.doesNotMatch(res.body, /不公开的私密留言|尚未审核的留言/);
    }
    const other = linksOf(entriesOf((await get('/regions/110000/feed.atom')).body));
    assert.deepEqual(other, [`${SITE}/messages/${beijing}`]);
    const neighbour = linksOf(entriesOf((await get('/regions/130200/feed.atom')).body));
    assert.deepEqual(neighbour, [], 'another city of the same province');
  });

  test('unknown or malformed codes are 404 pages', async () => {
    for (const code of ['999999', '13', 'abcdef', '%3Cscript%3E']) {
      const res = await get(`/regions/${code}/feed.atom`);
      assert.equal(res.statusCode, 404, code);
      assert.doesNotMatch(res.body, /<script>/);
    }
  });
});

describe('site address', () => {
  test('PUBLIC_URL when set; else the address the server listens on', () => {
    const site = (publicUrl: string | undefined, host: string, port = 3000) => siteAddress({ publicUrl, host, port });
    assert.equal(site('https://liuyan.example.cn', '127.0.0.1'), 'https://liuyan.example.cn');
    assert.equal(site(undefined, '127.0.0.1'), 'http://127.0.0.1:3000');
    assert.equal(site(undefined, '0.0.0.0', 8080), 'http://localhost:8080');
    assert.equal(site(undefined, '::1'), 'http://[::1]:3000');
  });

  test('a forged Host header never reaches the sitemap or a feed, with PUBLIC_URL or without', async () => {
    for (const [config, expected] of [
      [loadConfig({ ...t.env, PUBLIC_URL: SITE }), SITE],
      [t.config, 'http://127.0.0.1:3000'],
    ] as const) {
      const other = await buildApp({ config, db: t.db, logger: false });
      if (!other.hasRoute({ method: 'GET', url: '/sitemap.xml' })) await other.register(feedsRoutes);
      await other.ready();
      try {
        for (const url of ['/sitemap.xml', `/boards/${COUNTY_BOARD}/feed.atom`, '/regions/130000/feed.atom']) {
          for (const host of ['evil.example', 'evil.example"><x', 'evil.example:443']) {
            const res = await other.inject({
              method: 'GET',
              url,
              headers: { host, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
            });
            assert.equal(res.statusCode, 200, `${url} Host: ${host}`);
            assert.doesNotMatch(res.body, /evil\.example/, `${url} Host: ${host}`);
            assert.ok(res.body.includes(`${expected}/`), `${url} links to ${expected}`);
          }
        }
      } finally {
        await other.close();
      }
    }
  });

  test('text XML forbids is dropped rather than breaking the document', () => {
    const xml = buildAtomFeed({
      id: 'https://x.example/boards/1',
      title: '控制字符\u0001测试',
      link: 'https://x.example/boards/1',
      self: 'https://x.example/boards/1/feed.atom',
      author: '领导留言板',
      entries: [
        {
          id: 'https://x.example/messages/1',
          title: '含\u0000\u000b字符\ud800的标题',
          link: 'https://x.example/messages/1',
          updated: new Date('2026-03-01T00:00:00Z'),
          text: '正文\u001f',
          author: '网友',
        },
      ],
    });
    const [entry] = entriesOf(xml);
    assert.equal(fromHtml(text(entry!.title)), '含字符的标题');
  });
});

describe('sitemap', () => {
  test('lists the home page, regions, boards and the public published messages only', async () => {
    const res = await get('/sitemap.xml');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
    assert.equal(XMLValidator.validate(res.body), true);
    const doc = parser.parse(res.body) as {
      urlset: { '@_xmlns': string; url: { loc: string; lastmod?: string }[] };
    };
    assert.equal(doc.urlset['@_xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = new Set(doc.urlset.url.map((u) => u.loc));
    assert.ok(doc.urlset.url.length <= 50_000);
    for (const path of [
      '/',
      '/regions/130000',
      '/regions/130123',
      `/boards/${COUNTY_BOARD}`,
      `/boards/${BEIJING_BOARD}`,
      `/messages/${published}`,
      `/messages/${beijing}`,
    ]) {
      assert.ok(locs.has(`${SITE}${path}`), path);
    }
    assert.ok(!locs.has(`${SITE}/messages/${privateId}`));
    assert.ok(!locs.has(`${SITE}/messages/${unpublished}`));
    const boards = await t.db
      .selectFrom('boards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(doc.urlset.url.filter((u) => u.loc.startsWith(`${SITE}/boards/`)).length, Number(boards.n));
    const message = doc.urlset.url.find((u) => u.loc === `${SITE}/messages/${published}`);
    assert.ok(message?.lastmod && !Number.isNaN(Date.parse(message.lastmod)), 'with when it last changed');
  });
});
