// E-mail: an address confirmed by its link, notices through the outbox to a real SMTP server (with retries), each
// person's choice of channels per kind, the unsubscribe link, and the staff digest once a day across processes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../src/db/kysely.ts';
import { runDigestOnce } from '../src/mail/digest.ts';
import { siteBase } from '../src/mail/links.ts';
import { type MailContext, runOutboxOnce } from '../src/notify/outbox-worker.ts';
import { type Cast, createCast, createChannelApp, nextIp, PASSWORD } from './channel-helpers.ts';
import { TEST_ENGINE, type TestApp } from './helpers.ts';
import { type MailServer, startMailServer } from './mail-server.ts';
import { startServer } from './processes.ts';
import { WebClient } from './web-client.ts';

let smtp: MailServer;
let t: TestApp;
let cast: Cast;
let mail: MailContext;

before(async () => {
  smtp = await startMailServer();
  t = await createChannelApp({
    SMTP_URL: smtp.url,
    MAIL_FROM: '留言平台 <noreply@liuyan.test>',
    PUBLIC_URL: 'https://liuyan.example.gov.cn',
    DIGEST_HOUR: '0',
  });
  cast = await createCast(t);
  mail = { mailer: t.app.mailer, siteBase: siteBase(t.config), secret: t.config.secret };
});
after(async () => {
  await t.close();
  await smtp.close();
});

/** Runs the outbox until it is empty, as the server's worker would. */
async function drain(now?: Date) {
  while ((await runOutboxOnce(t.db, t.app.sms, { mail, ...(now ? { now } : {}) })).claimed > 0);
}
const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

async function signIn(who: string): Promise<WebClient> {
  const web = new WebClient(t.app, nextIp());
  await web.get('/login');
  assert.equal((await web.post('/login', { phone: cast.phones[who]!, password: PASSWORD })).statusCode, 303);
  return web;
}

async function confirmAddress(web: WebClient, address: string) {
  await web.get('/account/notices');
  const asked = await web.post('/account/email', { email: address });
  assert.equal(asked.statusCode, 200, asked.body);
  assert.match(asked.body, /确认邮件已发到/);
  await drain();
  const letter = mailsTo(address).at(-1)!;
  assert.equal(letter.subject, '请确认您在留言平台登记的邮箱');
  const link = /https:\/\/liuyan\.example\.gov\.cn(\/account\/email\/confirm\?token=[A-Za-z0-9_-]{43})/.exec(
    letter.text,
  )![1]!;
  const page = await web.get(link);
  assert.equal(page.statusCode, 200);
  const token = /name="token" value="([^"]+)"/.exec(page.body)![1]!;
  const done = await web.post('/account/email/confirm', { token });
  assert.equal(done.statusCode, 303);
}

describe(`e-mail on ${TEST_ENGINE}`, () => {
  let citizen: WebClient;

  test('an address is confirmed by the link mailed to it through a real SMTP server', async () => {
    citizen = await signIn('citizen');
    const bad = await citizen.post('/account/email', { email: 'not an address' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /有效的电子邮箱/);
    await confirmAddress(citizen, 'citizen@example.com');
    const letter = mailsTo('citizen@example.com')[0]!;
    assert.match(letter.headers.from!, /noreply@liuyan\.test/);
    const page = await citizen.get('/account/notices');
    assert.match(page.body, /已确认的邮箱：citizen@example\.com/);
    const again = await citizen.post('/account/email/confirm', { token: 'A'.repeat(43) });
    assert.equal(again.statusCode, 400, 'an unknown token');
  });

  test('a notice reaches the SMTP server, with a link to the message and a one-click unsubscribe', async () => {
    const res = await cast.call('citizen', 'POST', '/api/v1/messages', {
      boardId: 1301232,
      type: 'help',
      domain: 'urban',
      title: '小区门口路灯坏了',
      body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
    });
    const { id } = res.json();
    await cast.act('editor', id, 'approve');
    await drain();
    const letter = mailsTo('citizen@example.com').find((m) => /审核通过/.test(m.text))!;
    assert.ok(letter, JSON.stringify(smtp.mails.map((m) => m.subject)));
    assert.match(letter.subject, /^留言平台通知：您的留言“小区门口路灯坏了”已审核通过并公开/);
    assert.match(letter.text, new RegExp(`https://liuyan\\.example\\.gov\\.cn/messages/${id}`));
    assert.match(
      letter.headers['list-unsubscribe']!,
      /^<https:\/\/liuyan\.example\.gov\.cn\/unsubscribe\?u=\d+&k=progress&s=/,
    );
    assert.equal(letter.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    const row = await t.db
      .selectFrom('outbox')
      .select(['status', 'channel'])
      .where('dedupe_key', '=', `approved:${id}#email`)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'sent', channel: 'email' });

    // One click, as a mail client does it: POST to the link, no session, no CSRF token.
    const link = /<https:\/\/liuyan\.example\.gov\.cn(\/unsubscribe\?[^>]+)>/.exec(
      letter.headers['list-unsubscribe']!,
    )![1]!;
    const forged = await t.app.inject({
      method: 'POST',
      url: link.replace(/s=[^&]+/, 's=' + 'x'.repeat(32)),
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: nextIp(),
    });
    assert.equal(forged.statusCode, 400);
    const shown = await t.app.inject({ method: 'GET', url: link, remoteAddress: nextIp() });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /不再通过邮件接收“我的留言的进展”/);
    const done = await t.app.inject({
      method: 'POST',
      url: link,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: nextIp(),
    });
    assert.equal(done.statusCode, 200, done.body);
    const prefs = (await cast.call('citizen', 'GET', '/api/v1/me/notices')).json();
    assert.equal(prefs.preferences.progress.email, false);
    assert.equal(prefs.preferences.progress.sms, true);

    const before = smtp.mails.length;
    await cast.act('county', id, 'accept');
    await drain();
    assert.equal(smtp.mails.length, before, 'no e-mail after unsubscribing');
  });

  test('each person chooses site, SMS and e-mail per kind of notice', async () => {
    const put = await cast.call('citizen', 'PUT', '/api/v1/me/notices', {
      preferences: { progress: { email: true, sms: false, site: false } },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json().preferences.progress, { site: false, sms: false, email: true });
    assert.equal(
      (await cast.call('citizen', 'PUT', '/api/v1/me/notices', { preferences: { digest: { email: true } } }))
        .statusCode,
      400,
    );
    const res = await cast.call('citizen', 'POST', '/api/v1/messages', {
      boardId: 1301232,
      type: 'consult',
      domain: 'education',
      title: '孩子入学需要哪些材料',
      body: '今年孩子要上小学，想咨询一下入学报名需要准备哪些材料，在哪里办理。',
    });
    const { id } = res.json();
    await cast.act('editor', id, 'approve');
    await drain();
    const me = (
      await t.db.selectFrom('users').select('id').where('phone', '=', cast.phones.citizen!).executeTakeFirstOrThrow()
    ).id;
    const outbox = await t.db
      .selectFrom('outbox')
      .select('channel')
      .where('message_id', '=', id)
      .where('user_id', '=', me)
      .execute();
    assert.deepEqual(outbox.map((r) => r.channel).sort(), ['email', 'site'], 'the SMS is off, the e-mail on');
    const notes = await t.db
      .selectFrom('notifications')
      .select('id')
      .where('message_id', '=', id)
      .where('user_id', '=', me)
      .execute();
    assert.equal(notes.length, 0, 'no in-site notice: turned off');
    assert.ok(mailsTo('citizen@example.com').some((m) => m.text.includes('孩子入学需要哪些材料')));
    // The web form says the same.
    const page = await citizen.get('/account/notices');
    assert.match(page.body, /name="progress.email" value="1" checked/);
    const saved = await citizen.post('/account/notices', {
      'progress.site': '1',
      'progress.sms': '1',
      'follows.site': '1',
    });
    assert.equal(saved.statusCode, 200);
    assert.deepEqual((await cast.call('citizen', 'GET', '/api/v1/me/notices')).json().preferences.progress, {
      site: true,
      sms: true,
      email: false,
    });
  });

  test('a failed delivery is retried by the outbox until the SMTP server takes it', async () => {
    await cast.call('citizen', 'PUT', '/api/v1/me/notices', { preferences: { progress: { email: true } } });
    const res = await cast.call('citizen', 'POST', '/api/v1/messages', {
      boardId: 1301232,
      type: 'suggest',
      domain: 'transport',
      title: '建议增设公交站点',
      body: '建议在常山西路与中山路交叉口增设一个公交站点，方便附近居民出行。',
    });
    const { id } = res.json();
    smtp.failNext(1);
    await cast.act('editor', id, 'approve');
    await drain();
    const row = () =>
      t.db
        .selectFrom('outbox')
        .select(['status', 'attempts', 'last_error'])
        .where('dedupe_key', '=', `approved:${id}#email`)
        .executeTakeFirstOrThrow();
    const first = await row();
    assert.equal(first.status, 'pending');
    assert.equal(first.attempts, 1);
    assert.match(first.last_error!, /451|try again/);
    await drain(new Date(Date.now() + 2 * 60_000));
    assert.equal((await row()).status, 'sent');
    assert.ok(mailsTo('citizen@example.com').some((m) => m.text.includes('建议增设公交站点')));
  });

  test('staff get one digest a day, even when several processes run it at once', async () => {
    for (const who of ['county', 'countyHead']) await confirmAddress(await signIn(who), `${who}@unit.example.gov.cn`);
    // Work for the unit: two messages waiting for acceptance.
    for (const title of ['村道路面破损严重', '农贸市场环境脏乱']) {
      const { id } = (
        await cast.call('neighbour', 'POST', '/api/v1/messages', {
          boardId: 1301232,
          type: 'complain',
          domain: 'urban',
          title,
          body: `${title}，已经反映过多次仍未解决，希望有关部门尽快处理，谢谢。`,
        })
      ).json();
      await cast.act('editor', id, 'approve');
    }
    await drain();
    const digestsTo = (who: string) => mailsTo(`${who}@unit.example.gov.cn`).filter((m) => /每日摘要/.test(m.subject));
    // Three "processes", each with its own connection to the database, at the same moment.
    const others = [openDatabase(t.config), openDatabase(t.config)];
    try {
      const runs = await Promise.all([t.db, ...others].map((db) => runDigestOnce(db, t.config)));
      assert.equal(
        runs.reduce((n, r) => n + r.queued, 0),
        2,
        'one digest for each of the two staff',
      );
      await drain();
      assert.equal(
        (await Promise.all(others.map((db) => runDigestOnce(db, t.config)))).reduce((n, r) => n + r.queued, 0),
        0,
      );
    } finally {
      await Promise.all(others.map((db) => db.destroy()));
    }
    await drain();
    assert.equal(digestsTo('county').length, 1);
    assert.equal(digestsTo('countyHead').length, 1);
    const digest = digestsTo('countyHead')[0]!;
    assert.match(digest.text, /正定县委县政府督查室：新留言待受理 \d+ 条/);
    assert.match(digest.text, /答复待审批/);
    assert.match(digest.text, /https:\/\/liuyan\.example\.gov\.cn\/workbench/);
    assert.doesNotMatch(digestsTo('county')[0]!.text, /答复待审批/, 'approvals are for heads');
    assert.match(digest.headers['list-unsubscribe']!, /k=digest/);
  });

  test('without SMTP_URL there is no e-mail, and the page says so', async () => {
    const bare = await createChannelApp({}, { mailer: null });
    try {
      const c = await createCast(bare);
      const res = await c.call('citizen', 'PUT', '/api/v1/me/email', { email: 'someone@example.com' });
      assert.equal(res.statusCode, 409);
      assert.match(res.json().error.message, /未开通邮件通知/);
    } finally {
      await bare.close();
    }
  });
});

describe(`the staff digest across real server processes on ${TEST_ENGINE}`, () => {
  test('two `liuyan serve` processes on one database send each person one digest', async () => {
    const env = {
      ...t.env,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'noreply@liuyan.test',
      DIGEST_HOUR: '0',
      PUBLIC_URL: 'https://liuyan.example.gov.cn',
    };
    // A new day for the digest: yesterday's rows are what the servers would find.
    await t.db.deleteFrom('outbox').where('dedupe_key', 'like', 'digest:%').execute();
    const before = smtp.mails.filter((m) => /每日摘要/.test(m.subject)).length;
    const servers = await Promise.all([startServer(env), startServer(env)]);
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && smtp.mails.filter((m) => /每日摘要/.test(m.subject)).length < before + 2) {
        await new Promise((r) => setTimeout(r, 200));
      }
      // Both workers have had time to send anything they would send twice.
      await new Promise((r) => setTimeout(r, 6_000));
      const digests = smtp.mails.filter((m) => /每日摘要/.test(m.subject)).slice(before);
      assert.deepEqual(digests.map((m) => m.to[0]).sort(), [
        'county@unit.example.gov.cn',
        'countyHead@unit.example.gov.cn',
      ]);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
