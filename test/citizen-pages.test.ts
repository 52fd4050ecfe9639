// What a citizen meets: compact forms with nothing pre-chosen, Beijing time, a header for a phone, light photos,
// a portal home page, search by place name, the posting rules, and deadlines past the published holiday calendar.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadOfficialSchedule } from '../src/deadlines/calendar.service.ts';
import {
  addWorkingDays,
  calendarCoverage,
  chinaDate,
  isWorkingDay,
  useOfficialSchedule,
} from '../src/deadlines/working-days.ts';
import { createTestApp, lastCode, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
let ip = 0;
const nextIp = () => `10.31.${Math.floor(++ip / 200)}.${ip % 200}`;
const PASSWORD = 'Citizen-Pages-2026!';
const tokens: Record<string, string> = {};
const phones: Record<string, string> = { citizen: '13200000001', editor: '13200000002', county: '13200000003' };

const api = (who: string | null, method: string, url: string, body?: object) =>
  t.app.inject({
    method: method as 'GET',
    url,
    remoteAddress: nextIp(),
    ...(body ? { payload: body } : {}),
    headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
  });

async function signIn(who: string): Promise<WebClient> {
  const web = new WebClient(t.app, nextIp());
  await web.get('/login');
  assert.equal((await web.post('/login', { phone: phones[who]!, password: PASSWORD })).statusCode, 303);
  return web;
}

/** A photo with detail in it, as a phone camera takes one (a flat colour would compress to nothing). */
async function photo(width: number, height: number): Promise<Buffer> {
  const small = Buffer.alloc((width / 5) * (height / 5) * 3);
  for (let i = 0; i < small.length; i++) small[i] = (i * 7919 + ((i / 3) | 0) * 104729) % 251;
  return sharp(small, { raw: { width: width / 5, height: height / 5, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function message(fields: Record<string, unknown> = {}): Promise<number> {
  const res = await api('citizen', 'POST', '/api/v1/messages', {
    boardId: 1301232,
    type: 'help',
    domain: 'urban',
    title: '小区门口路灯坏了两个月',
    body: '正定县某小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
    ...fields,
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as number;
  assert.equal((await api('editor', 'POST', `/api/v1/messages/${id}/actions/approve`, {})).statusCode, 200);
  return id;
}

before(async () => {
  t = await createTestApp();
  await createStaff(t.db, COMMAND_LINE, {
    phone: phones.editor!,
    nickname: '编辑',
    password: PASSWORD,
    role: 'editor',
  });
  await createStaff(t.db, COMMAND_LINE, {
    phone: phones.county!,
    nickname: '县办理员',
    password: PASSWORD,
    role: 'unit_head',
    scopeType: 'unit',
    scopeId: '130123001',
  });
  await api(null, 'POST', '/api/v1/auth/sms-code', { phone: phones.citizen, purpose: 'register' });
  await api(null, 'POST', '/api/v1/auth/register', {
    phone: phones.citizen,
    code: lastCode(t.config, phones.citizen!),
    password: PASSWORD,
    nickname: '正定居民',
  });
  for (const who of Object.keys(phones)) {
    const res = await api(null, 'POST', '/api/v1/auth/token', { phone: phones[who], password: PASSWORD });
    tokens[who] = res.json().token as string;
  }
});
after(async () => {
  useOfficialSchedule([]);
  await t.close();
});

describe('forms', () => {
  test('the write form offers every choice unchosen, links the posting rules, and the rules list all 14 reasons', async () => {
    const web = await signIn('citizen');
    const page = await web.get('/messages/new?board=1301232');
    assert.equal(page.statusCode, 200);
    assert.equal((page.body.match(/type="radio"[^>]*name="type"/g) ?? []).length, 5);
    assert.equal((page.body.match(/type="radio"[^>]*name="domain"/g) ?? []).length, 13);
    assert.doesNotMatch(page.body, /name="(type|domain)"[^>]*checked/);
    assert.match(page.body, /href="\/help\/rules"/);
    const rules = await t.app.inject('/help/rules');
    assert.equal(rules.statusCode, 200);
    assert.equal((rules.body.match(/<li>/g) ?? []).length >= 14, true);
    assert.equal((/<ol id="reject-reasons">([\s\S]*?)<\/ol>/.exec(rules.body)?.[1]?.match(/<li/g) ?? []).length, 14);
  });

  test('the rating form pre-selects nothing; a rating missing a score comes back with each error beside it', async () => {
    const id = await message();
    await api('county', 'POST', `/api/v1/messages/${id}/actions/accept`, {});
    await api('county', 'POST', `/api/v1/messages/${id}/actions/draft-reply`, {
      body: '已安排维修人员更换路灯，本周内完成。',
      submit: true,
    });
    await api('county', 'POST', `/api/v1/messages/${id}/actions/approve-reply`, {});
    const web = await signIn('citizen');
    const page = await web.get(`/messages/${id}`);
    assert.match(page.body, /评价办理结果/);
    assert.equal((page.body.match(/name="(resolution|timeliness|attitude)"/g) ?? []).length, 15);
    assert.doesNotMatch(page.body, /name="(resolution|timeliness|attitude)"[^>]*checked/);
    const sent = await web.post(`/messages/${id}/rate`, { resolution: '4' });
    assert.equal(sent.statusCode, 400);
    assert.match(sent.body, /请为“办理时间”选择 1–5 分/);
    assert.match(sent.body, /请为“办理态度”选择 1–5 分/);
    assert.match(sent.body, /id="f-resolution-4"[^>]*checked/, 'the chosen score is kept');
    const ratings = await t.db.selectFrom('ratings').selectAll().where('message_id', '=', id).execute();
    assert.equal(ratings.length, 0);
    const ok = await web.post(`/messages/${id}/rate`, { resolution: '4', timeliness: '5', attitude: '5' });
    assert.equal(ok.statusCode, 303);
    // One notice of the reply for the author, however the reply was published.
    const notices = await t.db
      .selectFrom('notifications')
      .select('text')
      .where('message_id', '=', id)
      .where('text', 'like', '%已答复%')
      .execute();
    assert.equal(notices.length, 1);
  });
});

describe('times in Beijing time', () => {
  test('a message sent at 02:40 UTC shows 10:40 on its page, and the zone is configurable', async () => {
    const id = await message();
    await t.db.updateTable('messages').set({ submitted_at: '2026-03-05T02:40:00.000Z' }).where('id', '=', id).execute();
    const page = await t.app.inject(`/messages/${id}`);
    assert.match(page.body, /<time datetime="2026-03-05T02:40:00.000Z">2026\/03\/05 10:40<\/time>/);
    assert.doesNotMatch(page.body, />[^<]*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no raw timestamps in the text');
    const config = loadConfig({ ...t.env, TIME_ZONE: 'UTC' });
    const utc = await buildApp({ config, db: t.db, logger: false });
    try {
      const res = await utc.inject(`/messages/${id}`);
      assert.match(res.body, />2026\/03\/05 02:40<\/time>/);
    } finally {
      await utc.close();
    }
    assert.throws(() => loadConfig({ ...t.env, TIME_ZONE: 'Mars/Olympus' }), /TIME_ZONE/);
  });
});

describe('header, photos, compression', () => {
  test('signed in, the header has a menu that works without JavaScript and the unread notices', async () => {
    const web = await signIn('citizen');
    const page = await web.get('/account');
    assert.match(page.body, /<details class="menu">\s*<summary>菜单<\/summary>/);
    const unread = Number(
      (
        await t.db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('user_id', 'is not', null)
          .where('read_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.ok(unread > 0);
    assert.match(page.body, /<a class="bar-link" href="\/notifications" aria-label="通知：\d+ 条未读">通知 \d+<\/a>/);
    const anonymous = await t.app.inject('/');
    assert.match(anonymous.body, /<a class="bar-link" href="\/login\?next=%2F">登录<\/a>/);
    const icon = await t.app.inject('/static/favicon.svg');
    assert.equal(icon.statusCode, 200);
    assert.equal((await t.app.inject('/favicon.ico')).headers.location, '/static/favicon.svg');
  });

  test('photos are kept at display sizes with srcset and lazy loading; a page with 9 photos stays light', async () => {
    const data = (await photo(3000, 2000)).toString('base64');
    const id = await message({ images: Array.from({ length: 9 }, () => ({ data })) });
    const page = await t.app.inject({ url: `/messages/${id}`, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(page.headers['content-encoding'], 'gzip');
    const html = (await t.app.inject(`/messages/${id}`)).body;
    const attachment = Number(/\/attachments\/(\d+)\?w=360/.exec(html)?.[1]);
    assert.ok(attachment > 0);
    assert.match(html, /srcset="\/attachments\/\d+\?w=360 360w, \/attachments\/\d+\?w=1280 1280w"/);
    assert.match(html, /loading="lazy"/);
    let weight = Number(page.headers['content-length'] ?? page.rawPayload.length);
    const thumbs = [...html.matchAll(/src="(\/attachments\/\d+\?w=360)"/g)].map((m) => m[1]!);
    assert.equal(thumbs.length, 9);
    for (const src of thumbs) {
      const res = await t.app.inject(src);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/webp');
      weight += res.rawPayload.length;
    }
    const meta = await sharp((await t.app.inject(thumbs[0]!)).rawPayload).metadata();
    assert.equal(meta.width, 360);
    console.log(
      `message page with 9 photos of 3000×2000 on a phone: ${Math.round(weight / 1024)} KB (page + thumbnails)`,
    );
    assert.ok(weight < 300 * 1024, `${weight} bytes`);
    const original = await t.app.inject(`/attachments/${attachment}`);
    assert.equal(original.headers['content-type'], 'image/jpeg');
    assert.equal((await sharp(original.rawPayload).metadata()).width, 3000);
    assert.equal((await t.app.inject(`/attachments/${attachment}?w=999`)).statusCode, 400);
  });
});

describe('home page and search', () => {
  test('the home page searches, writes, tracks, and shows the latest replies and messages and the figures', async () => {
    const id = await message({ title: '首页能看到的路灯留言' });
    await api('county', 'POST', `/api/v1/messages/${id}/actions/accept`, {});
    await api('county', 'POST', `/api/v1/messages/${id}/actions/draft-reply`, {
      body: '路灯已经修复，感谢您的反馈和监督。',
      submit: true,
    });
    await api('county', 'POST', `/api/v1/messages/${id}/actions/approve-reply`, {});
    const home = await t.app.inject('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /<form method="get" action="\/search" role="search"/);
    assert.match(home.body, /href="\/boards\/choose"[^>]*>写留言</);
    assert.match(home.body, /<form method="get" action="\/track"/);
    assert.match(home.body, /id="replies-heading">最新答复/);
    assert.match(home.body, /id="latest-heading">最新留言/);
    assert.match(home.body, /首页能看到的路灯留言/);
    assert.match(home.body, /收到留言/);
    assert.match(home.body, /落实解决/);
  });

  test('search finds the region by name, counts results, names each board and region, and filters by date', async () => {
    await message({ title: '搜索用的路灯留言' });
    const page = await t.app.inject(`/search?q=${encodeURIComponent('路灯')}&place=${encodeURIComponent('正定')}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /地区：河北省 石家庄市 正定县/);
    assert.match(page.body, /找到 \d+ 条留言/);
    assert.match(page.body, /正定县 · 县长/);
    assert.match(page.body, /name="from" type="date"/);
    const none = await t.app.inject(`/search?q=${encodeURIComponent('路灯')}&place=${encodeURIComponent('北京')}`);
    assert.match(none.body, /没有找到相关留言/);
    const unknown = await t.app.inject(`/search?q=a&place=${encodeURIComponent('不存在的地方')}`);
    // The place as typed is the person's words, marked as such inside the sentence.
    assert.match(unknown.body, /没有找到名为“<\/span><span translate="no">不存在的地方<\/span><span>”的地区/);
  });

  test('the board list shows each open message’s deadline', async () => {
    await message({ title: '有时限的留言' });
    const board = await t.app.inject('/boards/1301232');
    assert.match(
      board.body,
      /<span class="badge due"><span>受理时限 <\/span><time datetime="[^"]+">\d{4}\/\d{2}\/\d{2}<\/time>/,
    );
  });
});

describe('deadlines past the published holiday calendar', () => {
  test('past the package’s years the statutory holidays count, and such deadlines are marked provisional', () => {
    const { to } = calendarCoverage();
    const year = to + 1;
    const noon = (day: string) => new Date(`${day}T04:00:00Z`);
    assert.equal(isWorkingDay(noon(`${year}-01-01`)), false, '元旦');
    assert.equal(isWorkingDay(noon(`${year}-10-02`)), false, '国庆');
    assert.equal(isWorkingDay(noon(`${year}-05-02`)), false, '劳动节');
  });

  test('an admin loads the State Council’s schedule; open deadlines are counted again and the change is recorded', async () => {
    const { to } = calendarCoverage();
    const year = to + 1;
    const id = await message({ title: '跨年的留言' });
    // Pretend it was approved on the last working day of the covered year: its 3-day acceptance runs into the next.
    const setAt = `${to}-12-30T02:00:00.000Z`;
    const provisional = addWorkingDays(new Date(setAt), 3).toISOString();
    await t.db.updateTable('messages').set({ accept_due_at: provisional }).where('id', '=', id).execute();
    await t.db
      .updateTable('case_events')
      .set({ created_at: setAt, data: JSON.stringify({ acceptDueAt: provisional }) })
      .where('message_id', '=', id)
      .where('kind', '=', 'approve')
      .execute();
    assert.match((await t.app.inject(`/messages/${id}`)).body, /暂按法定节假日计算/);

    const admin = await (async () => {
      await createStaff(t.db, COMMAND_LINE, {
        phone: '13200000009',
        nickname: '管理员',
        password: PASSWORD,
        role: 'admin',
      });
      phones.admin = '13200000009';
      return signIn('admin');
    })();
    await admin.get('/admin/calendar');
    const bad = await admin.post('/admin/calendar', { schedule: `${year}-13-01,放假\n${year}-01-02,休息` });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /第 1 行：日期应为 YYYY-MM-DD/);
    assert.match(bad.body, /第 2 行：类别应为/);
    const old = await admin.post('/admin/calendar', { schedule: `${to}-10-08,放假` });
    assert.match(old.body, /已有官方日历数据/);
    // The published schedule makes the very day the provisional deadline fell on a day off: it must move.
    const dueDay = chinaDate(new Date(provisional));
    assert.equal(dueDay.slice(0, 4), String(year));
    const schedule = `# ${year} 年放假安排\n${year}-01-01,放假,元旦\n${dueDay},放假,测试用的假日`;
    const res = await admin.post('/admin/calendar', { schedule });
    assert.equal(res.statusCode, 303, res.body);
    assert.match(String(res.headers.location), new RegExp(`/admin/calendar\\?done=${year}:1`));
    const after = await t.db
      .selectFrom('messages')
      .select('accept_due_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(after.accept_due_at! > provisional, `${after.accept_due_at} after ${provisional}`);
    assert.equal(after.accept_due_at, addWorkingDays(new Date(setAt), 3).toISOString());
    const events = await t.db.selectFrom('case_events').select(['kind', 'data']).where('message_id', '=', id).execute();
    assert.ok(
      events.some((e) => e.kind === 'recompute-deadline'),
      'the moved deadline is recorded',
    );
    const page = await t.app.inject(`/messages/${id}`);
    assert.doesNotMatch(page.body, /暂按法定节假日计算/);
    assert.match(page.body, /按新公布的放假安排重新计算时限/);
    // Another process (the scheduler, a second server) reads the same schedule from the database.
    useOfficialSchedule([]);
    await loadOfficialSchedule(t.db);
    assert.equal(isWorkingDay(new Date(`${dueDay}T04:00:00Z`)), false);
    assert.match((await admin.get('/admin/calendar')).body, new RegExp(`已导入 ${year} 年`));
  });
});
