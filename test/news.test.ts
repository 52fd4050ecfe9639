// News, announcements and the conference archive: editors write Markdown that reaches the page sanitised, publish
// and withdraw, upload images; the public list, categories, feed, home page block and the conference ↔ honours links;
// who may reach the editors' pages; the admin log; the API; the demo's archive.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { hashPassword } from '../src/accounts/passwords.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { usersRepository } from '../src/accounts/users.repository.ts';
import { DEMO_ARTICLES, seedDemoNews } from '../src/news/demo-news.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { unmarked } from './user-content.ts';

const PASSWORD = 'News-Test-Pass-2026!';
const EDITOR = '13700000001';
const CLERK = '13700000002';
const NETIZEN = '13700000003';

let t: TestApp;
let editorId = 0;
let ip = 0;
const nextIp = () => `10.31.${Math.floor(++ip / 250)}.${ip % 250}`;

before(async () => {
  t = await createTestApp();
  editorId = await createStaff(t.db, COMMAND_LINE, {
    phone: EDITOR,
    nickname: '新闻编辑',
    password: PASSWORD,
    role: 'editor',
  });
  await createStaff(t.db, COMMAND_LINE, {
    phone: CLERK,
    nickname: '县督查室办理员',
    password: PASSWORD,
    role: 'unit_staff',
    scopeType: 'unit',
    scopeId: '130123001',
  });
  await usersRepository.insert(t.db, {
    phone: NETIZEN,
    passwordHash: await hashPassword(PASSWORD),
    nickname: '看新闻的网友',
    isStaff: false,
  });
});
after(() => t.close());

async function loginAs(phone: string): Promise<WebClient> {
  const web = new WebClient(t.app, nextIp());
  await web.get('/login');
  const res = await web.post('/login', { phone, password: PASSWORD });
  assert.equal(res.statusCode, 303, res.body);
  return web;
}

async function tokenOf(phone: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    remoteAddress: nextIp(),
    payload: { phone, password: PASSWORD },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().token as string;
}

const api = (token: string | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    remoteAddress: nextIp(),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload ? { payload } : {}),
  });

const get = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: nextIp() });

/** Creates an article through the editor's form; returns its id. */
async function writeArticle(web: WebClient, form: Record<string, string>): Promise<number> {
  await web.get('/editor/articles/new');
  const res = await web.post('/editor/articles', { category: 'news', conferenceYear: '', summary: '', ...form });
  assert.equal(res.statusCode, 303, res.body);
  const id = Number(/\/editor\/articles\/(\d+)\//.exec(String(res.headers.location))?.[1]);
  assert.ok(id > 0);
  return id;
}

async function publish(web: WebClient, id: number) {
  await web.get(`/editor/articles/${id}/edit`);
  const res = await web.post(`/editor/articles/${id}/publish`, {});
  assert.equal(res.statusCode, 303, res.body);
}

const HOSTILE = [
  '# 标题一',
  '<script>alert("x")</script>',
  '正文段落，含 **加粗** 和 [外链](https://www.people.com.cn/) 与 [站内](/news)。',
  '<img src="x" onerror="alert(1)">',
  '[点我](javascript:alert(1)) 和 <a href="JaVaScRiPt:alert(2)">再点</a> 和 <a href="/\\evil.example">斜杠</a>',
  '<div onclick="alert(3)" style="color:red">块</div><iframe src="https://evil.example"></iframe>',
  '![外站图片](https://evil.example/x.png)',
  '| 项目 | 数字 |\n| --- | --- |\n| 先进单位 | 87 |',
  '> 引用的一段话',
].join('\n\n');

describe('who may reach the editors’ pages', () => {
  const pages = [
    '/editor/articles',
    '/%65ditor/articles', // a percent-encoded path meets the same declaration
    '/editor/articles/new',
    '/editor/articles/1/edit',
    '/editor/articles/1/preview',
  ];
  const writes = [
    '/editor/articles',
    '/editor/articles/1',
    '/editor/articles/1/publish',
    '/editor/articles/1/unpublish',
    '/editor/articles/1/delete',
  ];

  test('a visitor is sent to log in and can write nothing', async () => {
    const web = new WebClient(t.app, nextIp());
    for (const url of pages) {
      const res = await web.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(String(res.headers.location), /^\/login\?next=/, url);
    }
    for (const url of writes) {
      const res = await web.post(
        url,
        { category: 'news', title: '匿名写的标题', body: '匿名写的正文内容足够长。' },
        { csrf: false },
      );
      assert.ok(res.statusCode === 303 || res.statusCode === 401 || res.statusCode === 403, `${url} ${res.statusCode}`);
    }
    const images = await t.app.inject({ method: 'POST', url: '/editor/articles/1/images', remoteAddress: nextIp() });
    assert.ok([303, 401, 403].includes(images.statusCode));
    assert.equal(
      Number(
        (
          await t.db
            .selectFrom('articles')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      0,
    );
  });

  for (const [who, phone] of [
    ['a netizen', NETIZEN],
    ['a handling clerk', CLERK],
  ] as const) {
    test(`${who} is refused on every editor page and write, and in the API`, async () => {
      const web = await loginAs(phone);
      await web.get('/account'); // a page with a form: a valid CSRF token
      for (const url of pages) assert.equal((await web.get(url)).statusCode, 403, url);
      for (const url of writes) {
        const res = await web.post(url, { category: 'news', title: '不该写的标题', body: '不该写的正文内容足够长。' });
        assert.equal(res.statusCode, 403, url);
      }
      const token = await tokenOf(phone);
      assert.equal((await api(token, 'GET', '/api/v1/editor/articles')).statusCode, 403);
      const create = await api(token, 'POST', '/api/v1/editor/articles', {
        category: 'news',
        title: '不该写的标题',
        body: '不该写的正文内容足够长。',
      });
      assert.equal(create.statusCode, 403);
      assert.equal((await api(token, 'DELETE', '/api/v1/editor/articles/1')).statusCode, 403);
      const count = await t.db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });
  }

  test('the API without a token is refused', async () => {
    assert.equal((await api(null, 'GET', '/api/v1/editor/articles')).statusCode, 401);
    assert.equal((await api(null, 'POST', '/api/v1/editor/articles', { category: 'news' })).statusCode, 401);
  });

  test('the nav shows the editor their desk and nobody else', async () => {
    const editor = await loginAs(EDITOR);
    assert.match((await editor.get('/')).body, /href="\/editor"/);
    const clerk = await loginAs(CLERK);
    assert.doesNotMatch((await clerk.get('/')).body, /href="\/editor"/);
  });
});

describe('writing, sanitising and publishing', () => {
  let web: WebClient;
  let id = 0;
  before(async () => {
    web = await loginAs(EDITOR);
  });

  test('a form without its CSRF token is refused; one with mistakes comes back with each beside its field', async () => {
    await web.get('/editor/articles/new');
    const forged = await web.post(
      '/editor/articles',
      { category: 'news', title: '没有令牌的标题', body: '没有令牌的正文内容足够长。' },
      { csrf: false },
    );
    assert.equal(forged.statusCode, 403);
    assert.equal((await t.db.selectFrom('articles').select('id').execute()).length, 0);
    const res = await web.post('/editor/articles', {
      category: 'conference',
      conferenceYear: '1999',
      title: 'x',
      body: '短',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /标题应为 2–100 个字/);
    assert.match(res.body, /正文应为 10–50000 个字/);
    assert.match(res.body, /会议年度/);
    assert.match(res.body, /value="1999"/, 'what was typed is kept');
    const bad = await web.post('/editor/articles', {
      category: '体育',
      title: '一个标题',
      body: '足够长的正文内容，十个字以上。',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /请选择类别/);
  });

  test('a draft is not public; its preview and its page after publishing are sanitised', async () => {
    id = await writeArticle(web, { title: '关于平台维护的通知', body: HOSTILE, category: 'announcement' });
    assert.equal((await get(`/news/${id}`)).statusCode, 404, 'a draft does not exist for the public');
    assert.equal((await get(`/api/v1/news/${id}`)).statusCode, 404);

    const preview = await web.get(`/editor/articles/${id}/preview`);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /预览/);

    await publish(web, id);
    const page = await get(`/news/${id}`);
    assert.equal(page.statusCode, 200);
    for (const html of [preview.body, page.body]) {
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /onerror|onclick/i);
      assert.doesNotMatch(html, /javascript:/i);
      assert.doesNotMatch(html, /<iframe|style="color/i);
      assert.doesNotMatch(html, /evil\.example/);
      assert.match(html, /<h2>标题一<\/h2>/, 'the body’s headings sit below the page’s h1');
      assert.match(html, /<a href="https:\/\/www\.people\.com\.cn\/" rel="noopener">外链<\/a>/);
      assert.match(html, /<a href="\/news" rel="noopener">站内<\/a>/);
      assert.match(html, /<td>先进单位<\/td>/);
      assert.match(html, /<blockquote>/);
      assert.match(html, /<strong>加粗<\/strong>/);
    }
    const json = (await get(`/api/v1/news/${id}`)).json();
    assert.equal(json.category, 'announcement');
    assert.doesNotMatch(json.html, /<script|onerror|javascript:/i);
  });

  test('an image is cleaned and stored like a photo; the text may show it, other images are dropped', async () => {
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#36c' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'where it was taken' } })
      .toBuffer();
    assert.ok((await sharp(photo).metadata()).exif, 'the upload carries EXIF');
    const edit = await web.get(`/editor/articles/${id}/edit`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(edit.body)![1]!;
    const upload = (data: Buffer, type: string, token = csrf) => {
      const boundary = `----news${Math.random().toString(16).slice(2)}`;
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({
        method: 'POST',
        url: `/editor/articles/${id}/images`,
        remoteAddress: nextIp(),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        cookies: Object.fromEntries(web.cookies),
        payload,
      });
    };
    assert.equal((await upload(photo, 'image/jpeg', 'forged')).statusCode, 403, 'the CSRF token is checked');
    const notImage = await upload(Buffer.from('<svg onload="alert(1)"></svg>'), 'image/png');
    assert.equal(notImage.statusCode, 400);
    assert.match(notImage.body, /图片无法使用/);
    const ok = await upload(photo, 'image/jpeg');
    assert.equal(ok.statusCode, 303, ok.body);
    const image = await t.db
      .selectFrom('article_images')
      .selectAll()
      .where('article_id', '=', id)
      .executeTakeFirstOrThrow();
    const page = await web.get(`/editor/articles/${id}/edit`);
    assert.match(page.body, new RegExp(`!\\[图片说明\\]\\(/news/images/${image.id}\\)`), 'the code to paste is shown');

    await web.post(`/editor/articles/${id}`, {
      category: 'announcement',
      title: '关于平台维护的通知',
      summary: '',
      conferenceYear: '',
      body: `${HOSTILE}\n\n![维护现场](/news/images/${image.id})\n\n![别人的照片](/attachments/1)`,
    });
    const shown = await get(`/news/${id}`);
    assert.match(
      shown.body,
      new RegExp(`<img src="/news/images/${image.id}\\?w=1280" alt="维护现场" loading="lazy" />`),
    );
    assert.doesNotMatch(shown.body, /\/attachments\/1/);
    const file = await get(`/news/images/${image.id}`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/jpeg');
    assert.equal((await sharp(file.rawPayload).metadata()).exif, undefined, 'metadata is removed');
    assert.equal((await get(`/news/images/${image.id}?w=360`)).headers['content-type'], 'image/webp');
  });

  test('withdrawing takes the article off the public pages; publishing again keeps its date', async () => {
    const before = await t.db
      .selectFrom('articles')
      .select('published_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await web.get(`/editor/articles/${id}/edit`);
    assert.equal((await web.post(`/editor/articles/${id}/unpublish`, {})).statusCode, 303);
    assert.equal((await get(`/news/${id}`)).statusCode, 404);
    const image = await t.db
      .selectFrom('article_images')
      .select('id')
      .where('article_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal((await get(`/news/images/${image.id}`)).statusCode, 404, 'its images are no longer public');
    assert.equal((await web.get(`/news/images/${image.id}`)).statusCode, 200, 'the editor still sees them');
    const again = await web.post(`/editor/articles/${id}/unpublish`, {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /没有发布/);
    await publish(web, id);
    const after = await t.db
      .selectFrom('articles')
      .select('published_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(after.published_at, before.published_at);
  });

  test('deleting asks first; every change is in the admin log with the editor’s name', async () => {
    const doomed = await writeArticle(web, { title: '将被删除的草稿', body: '这是一篇将被删除的草稿正文。' });
    const ask = await web.get(`/editor/articles/${doomed}/delete`);
    assert.match(unmarked(ask.body), /确定删除《将被删除的草稿》/);
    const bare = await web.post(`/editor/articles/${doomed}/delete`, {});
    assert.equal(
      bare.headers.location,
      `/editor/articles/${doomed}/delete`,
      'without the confirmation nothing happens',
    );
    assert.ok(await t.db.selectFrom('articles').select('id').where('id', '=', doomed).executeTakeFirst());
    const gone = await web.post(`/editor/articles/${doomed}/delete`, { confirm: 'yes' });
    assert.equal(gone.headers.location, '/editor/articles?done=deleted');
    assert.equal(await t.db.selectFrom('articles').select('id').where('id', '=', doomed).executeTakeFirst(), undefined);

    const log = await t.db
      .selectFrom('admin_log')
      .select(['action', 'actor_id', 'detail'])
      .where('action', 'like', 'article.%')
      .orderBy('id')
      .execute();
    const actions = log.map((l) => l.action);
    for (const action of [
      'article.create',
      'article.update',
      'article.publish',
      'article.unpublish',
      'article.image',
      'article.delete',
    ])
      assert.ok(actions.includes(action), action);
    assert.ok(log.every((l) => l.actor_id === editorId));
    assert.match(log.at(-1)!.detail, /将被删除的草稿/);

    const admin = await createStaff(t.db, COMMAND_LINE, {
      phone: '13700000009',
      nickname: '管理员',
      password: PASSWORD,
      role: 'admin',
    });
    assert.ok(admin > 0);
    const adminWeb = await loginAs('13700000009');
    const page = await adminWeb.get('/admin/log?action=article.');
    assert.equal(page.statusCode, 200);
    assert.match(unmarked(page.body), /新闻编辑 删除了文章 \d+《将被删除的草稿》/);
  });

  test('editor writes are rate limited', async () => {
    const fast = new WebClient(t.app, '10.32.0.1');
    await fast.get('/login');
    await fast.post('/login', { phone: EDITOR, password: PASSWORD });
    await fast.get('/editor/articles/new');
    let last = 0;
    for (let i = 0; i < 70 && last !== 429; i++)
      last = (await fast.post('/editor/articles/999999/publish', {})).statusCode;
    assert.equal(last, 429);
  });
});

describe('the public list, categories, feed and home page', () => {
  let web: WebClient;
  const ids: Record<string, number> = {};
  before(async () => {
    web = await loginAs(EDITOR);
    for (const [key, category, title] of [
      ['news1', 'news', '平台新增短信查询留言进度功能'],
      ['conf', 'conference', '2030 年度网民留言办理工作会议'],
      ['ann', 'announcement', '春节期间留言审核安排的公告'],
      ['news2', 'news', '平台开通英文界面'],
    ] as const) {
      ids[key] = await writeArticle(web, {
        category,
        title,
        conferenceYear: category === 'conference' ? '2030' : '',
        body: `${title}。这是正文内容 & 一些 <符号>。`,
      });
      await publish(web, ids[key]!);
    }
    ids.draft = await writeArticle(web, { title: '尚未发布的草稿标题', body: '尚未发布的草稿的正文内容。' });
  });

  test('the list shows published articles newest first; a category narrows it; a made-up one is refused', async () => {
    const all = await get('/news');
    assert.equal(all.statusCode, 200);
    assert.ok(all.body.indexOf('平台开通英文界面') < all.body.indexOf('平台新增短信查询留言进度功能'), 'newest first');
    assert.doesNotMatch(all.body, /尚未发布的草稿标题/);
    const announcements = await get('/news?category=announcement');
    assert.match(announcements.body, /春节期间留言审核安排的公告/);
    assert.doesNotMatch(announcements.body, /平台开通英文界面/);
    const byName = await get(`/news?category=${encodeURIComponent('会议')}`);
    assert.match(byName.body, /2030 年度网民留言办理工作会议/);
    assert.doesNotMatch(byName.body, /春节期间/);
    assert.equal((await get('/news?category=sports')).statusCode, 400);
    assert.equal((await get('/news/abc')).statusCode, 404);
    assert.equal((await get(`/news/${ids.draft}`)).statusCode, 404);

    const json = (await get('/api/v1/news?category=news')).json();
    assert.deepEqual(
      json.articles.map((a: { title: string }) => a.title),
      ['平台开通英文界面', '平台新增短信查询留言进度功能'],
    );
    assert.equal(json.articles[0].categoryLabel, '新闻');
    assert.equal((await get('/api/v1/news?category=x')).statusCode, 400);
  });

  test('a page past the last is not found, rather than an untrue “暂无文章”', async () => {
    assert.equal((await get('/news?page=1')).statusCode, 200);
    const beyond = await get('/news?page=9999');
    assert.equal(beyond.statusCode, 404);
    assert.doesNotMatch(beyond.body, /暂无文章/);
    assert.equal((await get('/news?category=announcement&page=9999')).statusCode, 404);
  });

  test('the Atom feed lists published articles with their categories, escaped', async () => {
    const feed = await get('/news/feed.xml');
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.match(feed.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    assert.match(feed.body, /【公告】春节期间留言审核安排的公告/);
    assert.match(feed.body, new RegExp(`/news/${ids.news2}</id>`));
    assert.doesNotMatch(feed.body, /尚未发布的草稿/);
    assert.doesNotMatch(feed.body, /<符号>/, 'text is escaped');
    const conferences = await get('/news/feed.xml?category=conference');
    assert.match(conferences.body, /2030 年度网民留言办理工作会议/);
    assert.doesNotMatch(conferences.body, /平台开通英文界面/);
  });

  test('the home page shows the latest three, linked, and the way to all', async () => {
    const home = await get('/');
    const block = /<section aria-labelledby="news-heading"[\s\S]*?<\/section>/.exec(home.body)?.[0] ?? '';
    assert.ok(block, 'the block is there');
    assert.match(block, new RegExp(`href="/news/${ids.news2}"`));
    assert.match(block, new RegExp(`href="/news/${ids.ann}"`));
    assert.match(block, new RegExp(`href="/news/${ids.conf}"`));
    assert.doesNotMatch(block, new RegExp(`href="/news/${ids.news1}"`), 'only three');
    assert.match(block, /href="\/news"/);
  });

  test('the sitemap lists the news and the published articles', async () => {
    const sitemap = await get('/sitemap.xml');
    assert.match(sitemap.body, /<loc>[^<]*\/news<\/loc>/);
    assert.match(sitemap.body, new RegExp(`<loc>[^<]*/news/${ids.news2}</loc>`));
    assert.doesNotMatch(sitemap.body, new RegExp(`<loc>[^<]*/news/${ids.draft}</loc>`));
    assert.match(sitemap.body, /<loc>[^<]*\/leaders<\/loc>/);
  });

  test('a conference report links to its year’s honours page, and the honours page links back', async () => {
    const unpublished = await get(`/news/${ids.conf}`);
    assert.doesNotMatch(unpublished.body, /href="\/honours\/2030"/, 'no link to an honours page that does not exist');
    assert.match(unpublished.body, /2030 年度的考评结果未在本平台发布/);
    assert.match(unpublished.body, /href="\/honours"/);

    await t.db
      .insertInto('evaluation_years')
      .values({ year: 2030, config: '{}', published_at: new Date().toISOString(), run_at: new Date().toISOString() })
      .execute();
    const linked = await get(`/news/${ids.conf}`);
    assert.match(linked.body, /href="\/honours\/2030"/);
    assert.equal((await get(`/api/v1/news/${ids.conf}`)).json().honoursUrl, '/honours/2030');
    const honours = await get('/honours/2030');
    assert.equal(honours.statusCode, 200, honours.body);
    assert.match(honours.body, new RegExp(`<a href="/news/${ids.conf}"[^>]*>2030 年度网民留言办理工作会议</a>`));
    const otherYear = await get('/honours');
    assert.equal(otherYear.statusCode, 200);
  });
});

describe('the editors’ API', () => {
  test('create, change, publish, withdraw and delete with a token; the OpenAPI describes it', async () => {
    const token = await tokenOf(EDITOR);
    const created = await api(token, 'POST', '/api/v1/editor/articles', {
      category: '公告',
      title: '通过接口发布的公告',
      body: '接口写的正文 <script>alert(1)</script> 结束。',
    });
    assert.equal(created.statusCode, 201, created.body);
    const article = created.json();
    assert.equal(article.status, 'draft');
    assert.equal(article.category, 'announcement');
    const invalid = await api(token, 'POST', '/api/v1/editor/articles', {
      category: 'conference',
      title: '会',
      body: '短',
    });
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(
      invalid
        .json()
        .error.fields.map((f: { field: string }) => f.field)
        .sort(),
      ['body', 'conferenceYear', 'title'],
    );
    const changed = await api(token, 'PUT', `/api/v1/editor/articles/${article.id}`, {
      category: 'announcement',
      title: '通过接口修改的公告',
      body: '修改后的正文，仍然足够长。',
    });
    assert.equal(changed.json().title, '通过接口修改的公告');
    assert.equal(
      (await api(token, 'POST', `/api/v1/editor/articles/${article.id}/publish`)).json().status,
      'published',
    );
    assert.equal((await api(token, 'POST', `/api/v1/editor/articles/${article.id}/publish`)).statusCode, 409);
    assert.equal((await get(`/api/v1/news/${article.id}`)).json().title, '通过接口修改的公告');
    assert.equal(
      (await api(token, 'POST', `/api/v1/editor/articles/${article.id}/unpublish`)).json().status,
      'withdrawn',
    );
    const listed = await api(token, 'GET', '/api/v1/editor/articles?status=withdrawn');
    assert.ok(listed.json().articles.some((a: { id: number }) => a.id === article.id));
    assert.equal((await api(token, 'DELETE', `/api/v1/editor/articles/${article.id}`)).json().deleted, true);
    assert.equal((await api(token, 'GET', `/api/v1/editor/articles/${article.id}`)).statusCode, 404);

    const spec = (await get('/api/v1/openapi.json')).json();
    for (const path of [
      '/api/v1/news',
      '/api/v1/news/{id}',
      '/api/v1/editor/articles',
      '/api/v1/editor/articles/{id}/images',
    ])
      assert.ok(spec.paths[path], path);
    assert.ok(spec.tags.some((tag: { name: string }) => tag.name === 'news'));
  });
});

describe('the demo’s archive', () => {
  test('the 2009–2012 conferences and two announcements, published, as the reports give them', async () => {
    const last = await t.db
      .selectFrom('articles')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    assert.equal(await seedDemoNews(t.db, { id: editorId }), DEMO_ARTICLES.length);
    const rows = await t.db
      .selectFrom('articles')
      .selectAll()
      .where('id', '>', Number(last.id ?? 0))
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.filter((r) => r.category === 'conference').map((r) => r.conference_year),
      [2009, 2010, 2011, 2012],
    );
    assert.equal(rows.filter((r) => r.category === 'announcement').length, 2);
    assert.ok(rows.every((r) => r.status === 'published'));
    const twelve = rows.find((r) => r.conference_year === 2012)!;
    const page = await get(`/news/${twelve.id}`);
    for (const fact of [
      '87 个先进单位',
      '53 名先进工作者',
      '51 位',
      '近千位',
      '19 个',
      '1200 多家',
      '约 5 万个',
      '《“帖”近现场》',
    ])
      assert.ok(page.body.includes(fact), fact);
    assert.match(page.body, /现有资料未载/, 'what the reports do not say is said to be missing, not made up');
    const conferences = await get('/news?category=conference');
    for (const year of [2009, 2010, 2011, 2012])
      assert.match(conferences.body, new RegExp(`${year} 年度网民留言办理工作会议`));
  });
});

describe('the editors’ desk', () => {
  test('an editor finds every column with what waits in it; nobody else reaches it', async () => {
    const editor = await loginAs(EDITOR);
    const home = await editor.get('/');
    assert.match(home.body, /href="\/editor"/, 'the header leads editors to the desk');
    const desk = await editor.get('/editor');
    assert.equal(desk.statusCode, 200);
    for (const href of ['/review', '/editor/articles', '/editor/stories', '/editor/solicitations']) {
      assert.match(desk.body, new RegExp(`href="${href}"`), href);
    }
    const drafts = Number(
      (
        await t.db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('status', '=', 'draft')
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.match(desk.body, new RegExp(`草稿 ${drafts} 篇`));
    for (const phone of [NETIZEN, CLERK]) {
      const web = await loginAs(phone);
      assert.doesNotMatch((await web.get('/')).body, /href="\/editor"/);
      assert.equal((await web.get('/editor')).statusCode, 403);
      assert.equal((await web.get('/%65ditor')).statusCode, 403);
    }
    const anonymous = await new WebClient(t.app, nextIp()).get('/editor');
    assert.equal(anonymous.statusCode, 303);
  });
});
