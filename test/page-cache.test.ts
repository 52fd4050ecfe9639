import { PUBLIC } from '../src/web/access.ts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { PageCache } from '../src/web/page-cache.ts';
import { pageContext, sendPage } from '../src/web/render.ts';
import { createTestDatabase, People, type Person, type TestDatabase } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestDatabase;
let app: FastifyInstance;
const PASSWORD = 'Huancun-Mima-2026!';
const BOARD = 1301232; // 正定县 · 县长
const TTL_SECONDS = 1;

let ips = 0;
const nextIp = () => `10.41.0.${++ips}`;
let people: People;

let author: Person;
let editor: Person;

/** A public message on the board, written and published through the API as an app would. */
async function publishMessage(title: string): Promise<number> {
  const api = (who: Person, url: string, payload: object) =>
    app.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress: nextIp(),
      headers: { authorization: `Bearer ${who.token}` },
    });
  const res = await api(author, '/api/v1/messages', {
    boardId: BOARD,
    type: 'suggest',
    domain: 'urban',
    title,
    body: '建议在小区门口增设非机动车停车棚，方便居民停放电动自行车，减少乱停乱放。',
    visibility: 'public',
  });
  assert.equal(res.statusCode, 201, res.body);
  const { id } = res.json() as { id: number };
  const approved = await api(editor, `/api/v1/messages/${id}/actions/approve`, {});
  assert.equal(approved.statusCode, 200, approved.body);
  return id;
}

const anonymous = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, remoteAddress: nextIp(), headers });

const loginAs = (person: Person) => new WebClient(app, nextIp()).signIn(person.phone, PASSWORD);

before(async () => {
  t = await createTestDatabase();
  people = new People(t.db, PASSWORD, '1370000');
  app = await buildApp({
    config: loadConfig({ ...t.env, PAGE_CACHE_SECONDS: String(TTL_SECONDS) }),
    db: t.db,
    logger: false,
  });
  // A public page that renders a form, as a page with a CSRF token for anonymous visitors would.
  app.get('/test/form', { config: { access: PUBLIC, publicCache: true } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, `<form method="post"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"></form>`);
  });
  // A page during whose rendering a write lands (another request in this process).
  app.get('/test/raced', { config: { access: PUBLIC, publicCache: true } }, async (_request, reply) => {
    app.pageCache.invalidate();
    return sendPage(reply, '<p>read before the write</p>');
  });
  await app.ready();
  author = await people.netizen('缓存测试网友');
  editor = await people.staff('缓存测试编辑', 'editor');
});
after(async () => {
  await app.close();
  await t.close();
});

describe('public page cache', () => {
  test('a second anonymous visitor gets the stored page, and an unchanged page answers 304 to its ETag', async () => {
    await publishMessage('建议增设非机动车停车棚');
    const first = await anonymous(`/boards/${BOARD}`);
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['x-page-cache'], 'miss');
    const etag = first.headers.etag as string;
    assert.match(etag, /^"[\w-]+"$/);
    assert.equal(first.headers['cache-control'], 'private, no-cache');
    assert.equal(first.headers['set-cookie'], undefined);

    const second = await anonymous(`/boards/${BOARD}`);
    assert.equal(second.headers['x-page-cache'], 'hit');
    assert.equal(second.body, first.body);
    assert.equal(second.headers.etag, etag);
    // The stored page keeps the security headers that the first response carried.
    assert.equal(second.headers['content-security-policy'], first.headers['content-security-policy']);
    assert.equal(second.headers['x-frame-options'], first.headers['x-frame-options']);
    assert.match(second.headers['content-type'] as string, /^text\/html/);

    const revalidated = await anonymous(`/boards/${BOARD}`, { 'if-none-match': etag });
    assert.equal(revalidated.statusCode, 304);
    assert.equal(revalidated.body, '');
    const changed = await anonymous(`/boards/${BOARD}`, { 'if-none-match': '"something-else"' });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.body, first.body);
  });

  test('a signed-in visitor never gets the anonymous copy, and anonymous visitors never get theirs', async () => {
    const reader = await people.netizen('登录读者甲');
    const web = await loginAs(reader);
    for (const url of ['/', `/boards/${BOARD}`, '/regions/130100']) {
      await anonymous(url);
      assert.equal((await anonymous(url)).headers['x-page-cache'], 'hit', `${url} is cached for anonymous visitors`);
      const own = await web.get(url);
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers['x-page-cache'], undefined, url);
      assert.ok(own.body.includes(reader.nickname), `${url} shows the signed-in nav`);
      assert.match(own.body, /action="\/logout"/);
      assert.equal(own.headers['cache-control'], 'no-store');
    }

    // The other way round: a page first rendered for a signed-in visitor is not kept for anyone.
    app.pageCache.invalidate();
    const own = await web.get(`/boards/${BOARD}`);
    assert.ok(own.body.includes(reader.nickname));
    const next = await anonymous(`/boards/${BOARD}`);
    assert.equal(next.headers['x-page-cache'], 'miss');
    assert.ok(!next.body.includes(reader.nickname));
    assert.ok(!next.body.includes('_csrf'), 'no CSRF token in the anonymous page');
    assert.match(next.body, /href="\/login\?next=/);
  });

  test('a stale or unknown session cookie, or an app token, is not served from the cache', async () => {
    await anonymous(`/boards/${BOARD}`);
    const withCookie = await app.inject({
      method: 'GET',
      url: `/boards/${BOARD}`,
      remoteAddress: nextIp(),
      cookies: { sid: 'not-a-real-session' },
    });
    assert.equal(withCookie.statusCode, 200);
    assert.equal(withCookie.headers['x-page-cache'], undefined);
    const withToken = await anonymous(`/boards/${BOARD}`, { authorization: `Bearer ${author.token}` });
    assert.equal(withToken.headers['x-page-cache'], undefined);
  });

  test('a page that renders a CSRF token is never shared', async () => {
    const a = await anonymous('/test/form');
    const b = await anonymous('/test/form');
    const token = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    assert.ok(token(a.body));
    assert.notEqual(token(a.body), token(b.body), 'each visitor gets their own token');
    assert.equal(a.headers['x-page-cache'], undefined);
    assert.equal(b.headers['x-page-cache'], undefined);
    assert.equal(app.pageCache.get(`zh-CN /test/form`), undefined);
  });

  test('a page rendered while a write landed is not kept', async () => {
    const first = await anonymous('/test/raced');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['x-page-cache'], undefined);
    assert.equal(app.pageCache.get('zh-CN /test/raced'), undefined);
  });

  test('each language has its own copy', async () => {
    await anonymous('/');
    const zh = await anonymous('/');
    assert.equal(zh.headers['x-page-cache'], 'hit');
    const en = await anonymous('/', { cookie: 'lang=en' });
    assert.match(en.body, /<html lang="en">/);
    assert.match(zh.body, /<html lang="zh-CN">/);
  });

  test('a message published through this process shows on the board page at once', async () => {
    await anonymous(`/boards/${BOARD}`);
    assert.equal((await anonymous(`/boards/${BOARD}`)).headers['x-page-cache'], 'hit');
    const id = await publishMessage('建议小区加装电动车充电桩');
    const page = await anonymous(`/boards/${BOARD}`);
    assert.ok(page.body.includes(`/messages/${id}`), 'the new message is listed');
    assert.ok(page.body.includes('建议小区加装电动车充电桩'));
  });

  test('a change written by another process shows within PAGE_CACHE_SECONDS, not before', async () => {
    const id = await publishMessage('建议修缮小区围墙');
    await anonymous(`/boards/${BOARD}`);
    // Another process (a second server, the scheduler, the CLI) writes to the database directly.
    await t.db.updateTable('messages').set({ title: '建议修缮小区东侧围墙' }).where('id', '=', id).execute();
    const stale = await anonymous(`/boards/${BOARD}`);
    assert.equal(stale.headers['x-page-cache'], 'hit');
    assert.ok(stale.body.includes('建议修缮小区围墙'), 'within the bound the stored page may be shown');
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 100));
    const fresh = await anonymous(`/boards/${BOARD}`);
    assert.equal(fresh.headers['x-page-cache'], 'miss');
    assert.ok(fresh.body.includes('建议修缮小区东侧围墙'), 'after the bound the change is shown');
  });

  test('a signed-in visitor shares the public lists but sees a new message and their own follow at once', async () => {
    const reader = await people.netizen('登录读者乙');
    const web = await loginAs(reader);
    for (const url of ['/', `/boards/${BOARD}`, '/regions/130123']) await web.get(url);
    // Written through this process: every shared list is read again.
    const id = await publishMessage('建议在公园增设饮水点');
    for (const url of ['/', `/boards/${BOARD}`, '/regions/130123']) {
      const page = await web.get(url);
      assert.ok(page.body.includes(`/messages/${id}`), `${url} lists the new message at once`);
      assert.equal(page.headers['x-page-cache'], undefined);
    }
    // Following is the visitor's own: the board page shows it on the next view, whatever is shared.
    const before = await web.get(`/boards/${BOARD}`);
    assert.match(before.body, /action="\/boards\/1301232\/follow"/);
    const followed = await web.post(`/boards/${BOARD}/follow`, {});
    assert.equal(followed.statusCode, 303, followed.body);
    const after = await web.get(`/boards/${BOARD}`);
    assert.match(after.body, /action="\/boards\/1301232\/unfollow"/);
    // Another reader, signed in too, does not see the first reader's follow.
    const other = await loginAs(await people.netizen('登录读者丙'));
    assert.match((await other.get(`/boards/${BOARD}`)).body, /action="\/boards\/1301232\/follow"/);
  });

  test('a signed-in visitor sees another process’s change within PAGE_CACHE_SECONDS', async () => {
    const web = await loginAs(await people.netizen('登录读者丁'));
    const id = await publishMessage('建议增设公交候车亭');
    assert.ok((await web.get(`/boards/${BOARD}`)).body.includes('建议增设公交候车亭'));
    await t.db.updateTable('messages').set({ title: '建议增设带座椅的公交候车亭' }).where('id', '=', id).execute();
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 100));
    assert.ok((await web.get(`/boards/${BOARD}`)).body.includes('建议增设带座椅的公交候车亭'));
  });

  test('pages that are not public listings are not cached', async () => {
    for (const url of ['/search?q=%E5%9B%B4%E5%A2%99', '/login', '/api/v1/messages']) {
      await anonymous(url);
      const again = await anonymous(url);
      assert.equal(again.headers['x-page-cache'], undefined, url);
    }
  });
});

describe('PageCache', () => {
  test('entries expire after the TTL and the least recently used goes first when full', () => {
    let now = 1000;
    const cache = new PageCache(5000, 2, () => now);
    cache.set('a', 'A', {});
    cache.set('b', 'B', {});
    cache.set('c', 'C', {});
    assert.equal(cache.get('a'), undefined, 'the least recently used was dropped');
    assert.equal(cache.get('b')?.body, 'B');
    assert.equal(cache.size, 2);
    now += 5000;
    assert.equal(cache.get('c')?.body, 'C', 'still fresh at the TTL');
    now += 1;
    assert.equal(cache.get('c'), undefined, 'gone after it');
  });

  test('shared data is read once for concurrent visitors, forgotten at a write, and a failed read is not kept', async () => {
    const cache = new PageCache(5000);
    let reads = 0;
    const load = async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { reads };
    };
    const [a, b] = await Promise.all([cache.shared('k', load), cache.shared('k', load)]);
    assert.equal(reads, 1);
    assert.equal(a, b);
    assert.equal((await cache.shared('k', load)).reads, 1);
    cache.invalidate();
    assert.equal((await cache.shared('k', load)).reads, 2);
    await assert.rejects(cache.shared('bad', () => Promise.reject(new Error('database unavailable'))));
    assert.equal(await cache.shared('bad', async () => 'read again'), 'read again');
    // Off when the page cache is off: every call reads.
    const off = new PageCache(0);
    await off.shared('k', load);
    await off.shared('k', load);
    assert.equal(reads, 4);
  });

  test('invalidate forgets every page and moves the version on', () => {
    const cache = new PageCache(5000);
    cache.set('a', 'A', {});
    const version = cache.version;
    cache.invalidate();
    assert.equal(cache.get('a'), undefined);
    assert.notEqual(cache.version, version);
  });
});
