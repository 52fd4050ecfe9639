import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../src/accounts/passwords.ts';
import { issueToken } from '../src/accounts/tokens.service.ts';
import { buildApp } from '../src/app.ts';
import { type Db, openDatabase } from '../src/db/kysely.ts';
import { listUnitNotifications } from '../src/notify/notifications.repository.ts';
import { notify } from '../src/notify/notify.ts';
import { MAX_ATTEMPTS, RECLAIMED_NOTE, runOutboxOnce, startOutboxWorker } from '../src/notify/outbox-worker.ts';
import { outboxRepository } from '../src/notify/outbox.repository.ts';
import { createSmsSender, type SmsSender } from '../src/sms/sms.ts';
import { createTestDatabase, sentSms, type TestDatabase } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestDatabase;
let app: FastifyInstance;
let fileSms: SmsSender;
const PASSWORD = 'Tongzhi-Mima-2026!';
/** A unit of the reference data (正定县). */
const UNIT_ID = 130123001;

before(async () => {
  t = await createTestDatabase();
  app = await buildApp({ config: t.config, db: t.db, logger: false });
  await app.ready();
  fileSms = createSmsSender(t.config, { info() {}, warn() {} });
});
after(async () => {
  await app.close();
  await t.close();
});

let phones = 0;
/** A citizen with a phone number and a password, as after registration. */
async function newUser(nickname = '街坊'): Promise<{ id: number; phone: string }> {
  const phone = `1370000${String(++phones).padStart(4, '0')}`;
  const row = await t.db
    .insertInto('users')
    .values({ phone, nickname, is_staff: 0, password_hash: await hashPassword(PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, phone };
}

/** The notice texts the file driver has delivered to this number (verification codes left out). */
const noticesTo = (phone: string) =>
  sentSms(t.config)
    .filter((s) => s.to === phone && s.purpose === 'notice')
    .map((s) => s.text);

const outboxRow = (dedupeKey: string) =>
  t.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const MINUTE = 60_000;

describe('notify', () => {
  test('writes the notification and the SMS outbox row in the caller’s transaction', async () => {
    const user = await newUser();
    const now = new Date('2026-03-02T01:00:00.000Z');
    await t.db.transaction().execute(async (trx) => {
      await notify(trx, { userId: user.id, text: '您的留言已受理', sms: true, dedupeKey: 'accept:1:user' }, now);
      const inside = await trx.selectFrom('notifications').select('id').where('user_id', '=', user.id).execute();
      assert.equal(inside.length, 1, 'visible inside the transaction');
    });
    const row = await outboxRow('accept:1:user');
    assert.ok(row);
    assert.equal(row.channel, 'sms');
    assert.equal(row.status, 'pending');
    assert.equal(row.user_id, user.id);
    assert.equal(row.text, '您的留言已受理');
    assert.equal(row.attempts, 0);
    assert.equal(row.next_attempt_at, now.toISOString());
    const notes = await t.db.selectFrom('notifications').selectAll().where('user_id', '=', user.id).execute();
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.text, '您的留言已受理');
    assert.equal(notes[0]!.read_at, null);
    assert.equal(notes[0]!.created_at, now.toISOString());
  });

  test('rolling the workflow change back takes the notice with it', async () => {
    const user = await newUser();
    await assert.rejects(
      t.db.transaction().execute(async (trx) => {
        await notify(trx, { userId: user.id, text: '将被撤销', sms: true, dedupeKey: 'rolled-back' });
        throw new Error('the workflow change failed');
      }),
      /the workflow change failed/,
    );
    assert.equal(await outboxRow('rolled-back'), undefined);
    const notes = await t.db.selectFrom('notifications').select('id').where('user_id', '=', user.id).execute();
    assert.equal(notes.length, 0);
    // The key is free again for the retried change.
    await notify(t.db, { userId: user.id, text: '重试成功', sms: true, dedupeKey: 'rolled-back' });
    assert.equal((await outboxRow('rolled-back'))?.text, '重试成功');
  });

  test('the same dedupe key twice writes nothing the second time, also from racing transactions', async () => {
    const user = await newUser();
    await notify(t.db, { userId: user.id, text: '第一次', sms: true, dedupeKey: 'dup:1' });
    await notify(t.db, { userId: user.id, text: '第二次', sms: true, dedupeKey: 'dup:1' });
    await notify(t.db, { userId: user.id, text: '站内重复', dedupeKey: 'dup:site' });
    await notify(t.db, { userId: user.id, text: '站内重复', dedupeKey: 'dup:site' });
    await Promise.all(
      [1, 2, 3].map((i) =>
        t.db
          .transaction()
          .execute((trx) => notify(trx, { userId: user.id, text: `并发${i}`, sms: true, dedupeKey: 'dup:race' })),
      ),
    );
    const rows = await t.db.selectFrom('outbox').selectAll().where('user_id', '=', user.id).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.dedupe_key, r.channel, r.status]),
      [
        ['dup:1', 'sms', 'pending'],
        ['dup:site', 'site', 'sent'],
        ['dup:race', 'sms', 'pending'],
      ],
    );
    assert.equal(rows[0]!.text, '第一次');
    const notes = await t.db
      .selectFrom('notifications')
      .select('text')
      .where('user_id', '=', user.id)
      .orderBy('id')
      .execute();
    assert.equal(notes.length, 3);
    assert.deepEqual(notes.map((n) => n.text).slice(0, 2), ['第一次', '站内重复']);
  });

  test('a unit gets an in-site notice only, listed for the unit workbench', async () => {
    await notify(t.db, { unitId: UNIT_ID, text: '新留言待受理', sms: true, dedupeKey: 'unit:1' });
    await notify(t.db, { unitId: UNIT_ID, text: '第二条', dedupeKey: 'unit:2' });
    const row = await outboxRow('unit:1');
    assert.equal(row?.channel, 'site', 'SMS goes to users only');
    assert.equal(row?.status, 'sent');
    const listed = await listUnitNotifications(t.db, [UNIT_ID, 999], 10);
    assert.deepEqual(
      listed.map((n) => [n.text, n.unitId, n.userId]),
      [
        ['第二条', UNIT_ID, null],
        ['新留言待受理', UNIT_ID, null],
      ],
    );
    assert.equal((await listUnitNotifications(t.db, [UNIT_ID], 1)).length, 1);
    assert.deepEqual(await listUnitNotifications(t.db, [], 10), []);
  });

  test('a notice without recipient or with an overlong key is a programming error', async () => {
    await assert.rejects(notify(t.db, { text: '无人', dedupeKey: 'nobody' }), /userId or a unitId/);
    await assert.rejects(notify(t.db, { unitId: UNIT_ID, text: '长', dedupeKey: 'k'.repeat(161) }), /dedupeKey/);
    assert.equal(await outboxRow('nobody'), undefined);
  });
});

describe('the outbox worker', () => {
  beforeEach(async () => {
    // Each test sees only its own rows: the worker takes whatever is due.
    await t.db.deleteFrom('outbox').execute();
  });

  test('sends due SMS through the configured driver once, and marks them sent', async () => {
    const user = await newUser();
    const now = new Date();
    await notify(t.db, { userId: user.id, text: '您的留言已回复', sms: true, dedupeKey: 'send:1' }, now);
    await notify(t.db, { userId: user.id, text: '只在站内', dedupeKey: 'send:site' }, now);
    const later = at(now, MINUTE);
    await notify(t.db, { userId: user.id, text: '稍后才到期', sms: true, dedupeKey: 'send:later' }, later);

    assert.deepEqual(await runOutboxOnce(t.db, fileSms, { now }), {
      claimed: 1,
      sent: 1,
      failed: 0,
      retried: 0,
      reclaimed: 0,
    });
    assert.deepEqual(noticesTo(user.phone), ['您的留言已回复']);
    const sent = await outboxRow('send:1');
    assert.equal(sent?.status, 'sent');
    assert.equal(sent?.attempts, 1);
    assert.ok(
      sent?.sent_at && sent.sent_at >= now.toISOString() && sent.sent_at < later.toISOString(),
      'sent just now',
    );
    assert.equal(sent?.claimed_until, null);

    assert.equal((await runOutboxOnce(t.db, fileSms, { now })).claimed, 0, 'nothing is sent twice');
    assert.equal((await runOutboxOnce(t.db, fileSms, { now: later })).sent, 1);
    assert.deepEqual(noticesTo(user.phone), ['您的留言已回复', '稍后才到期']);
  });

  test('a failing send is retried after 1 min, 5 min, 30 min, 2 h and 12 h, then fails for good', async () => {
    const user = await newUser();
    let calls = 0;
    const broken: SmsSender = {
      async send() {
        calls++;
        throw new Error('短信网关返回 503');
      },
    };
    let now = new Date('2026-03-02T08:00:00.000Z');
    await notify(t.db, { userId: user.id, text: '发不出去', sms: true, dedupeKey: 'broken' }, now);
    const delays = [1, 5, 30, 120, 720].map((m) => m * MINUTE);
    for (const [i, delay] of delays.entries()) {
      assert.deepEqual(await runOutboxOnce(t.db, broken, { now }), {
        claimed: 1,
        sent: 0,
        failed: 0,
        retried: 1,
        reclaimed: 0,
      });
      const row = await outboxRow('broken');
      assert.equal(row?.status, 'pending');
      assert.equal(row?.attempts, i + 1);
      assert.equal(row?.last_error, '短信网关返回 503');
      assert.equal(row?.next_attempt_at, at(now, delay).toISOString());
      assert.equal((await runOutboxOnce(t.db, broken, { now: at(now, delay - 1000) })).claimed, 0, 'not yet due');
      now = at(now, delay);
    }
    assert.deepEqual(await runOutboxOnce(t.db, broken, { now }), {
      claimed: 1,
      sent: 0,
      failed: 1,
      retried: 0,
      reclaimed: 0,
    });
    const row = await outboxRow('broken');
    assert.equal(row?.status, 'failed');
    assert.equal(row?.attempts, MAX_ATTEMPTS);
    assert.equal(MAX_ATTEMPTS, 6);
    assert.equal(row?.last_error, '短信网关返回 503');
    assert.equal((await runOutboxOnce(t.db, broken, { now: at(now, 30 * 24 * 60 * MINUTE) })).claimed, 0);
    assert.equal(calls, 6);
    assert.deepEqual(noticesTo(user.phone), []);
  });

  test('a retried SMS that then gets through is sent once', async () => {
    const user = await newUser();
    let failNext = true;
    const flaky: SmsSender = {
      async send(message) {
        if (failNext) {
          failNext = false;
          throw new Error('timeout');
        }
        await fileSms.send(message);
      },
    };
    const now = new Date('2026-03-03T08:00:00.000Z');
    await notify(t.db, { userId: user.id, text: '第二次才成功', sms: true, dedupeKey: 'flaky' }, now);
    assert.equal((await runOutboxOnce(t.db, flaky, { now })).retried, 1);
    assert.equal((await runOutboxOnce(t.db, flaky, { now: at(now, MINUTE) })).sent, 1);
    const row = await outboxRow('flaky');
    assert.equal(row?.status, 'sent');
    assert.equal(row?.attempts, 2);
    assert.deepEqual(noticesTo(user.phone), ['第二次才成功']);
  });

  test('rows claimed by a process that died are taken back after their lease and each sent exactly once', async () => {
    const now = new Date('2026-03-04T08:00:00.000Z');
    const queuedAt = at(now, -5 * MINUTE);
    // More than one batch: a dead process's claims are all taken back, not only the first batch of them.
    const { phone, texts } = await queue(25, '崩溃前', queuedAt);
    const { texts: liveTexts, phone: livePhone } = await queue(1, '租约未到', queuedAt);
    // The dead process claimed everything two minutes ago; its 60-second lease ran out a minute ago.
    const dead = await outboxRepository.claimDue(t.db, {
      now: at(now, -2 * MINUTE).toISOString(),
      claimedUntil: at(now, -MINUTE).toISOString(),
      batch: 100,
    });
    assert.equal(dead.length, 26);
    // …except one row, which a living process holds for another ten minutes.
    const live = dead.find((r) => r.text === liveTexts[0])!;
    assert.ok(await outboxRepository.renewClaim(t.db, live, at(now, 10 * MINUTE).toISOString()));

    const runs = [];
    for (;;) {
      const run = await runOutboxOnce(t.db, fileSms, { now });
      runs.push(run);
      if (run.claimed === 0) break;
    }
    assert.equal(runs[0]?.reclaimed, 25, 'every expired claim is taken back at once');
    assert.equal(
      runs.reduce((n, r) => n + r.sent, 0),
      25,
    );
    assert.deepEqual([...noticesTo(phone)].sort(), [...texts].sort(), 'each text sent once');
    const rows = await t.db.selectFrom('outbox').selectAll().where('dedupe_key', 'in', texts).execute();
    assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 2 && r.last_error === null && !r.claimed_until));

    assert.equal((await outboxRow(liveTexts[0]!))?.status, 'sending', 'a lease still running is left to its process');
    assert.deepEqual(noticesTo(livePhone), []);
    // Once that lease runs out too, the row is sent: never zero times.
    const later = await runOutboxOnce(t.db, fileSms, { now: at(now, 11 * MINUTE) });
    assert.deepEqual(later, { claimed: 1, sent: 1, failed: 0, retried: 0, reclaimed: 1 });
    assert.deepEqual(noticesTo(livePhone), liveTexts);
  });

  test('a taken-back row is tried before it can fail, even with its attempts used up', async () => {
    const user = await newUser();
    const now = new Date('2026-03-04T09:00:00.000Z');
    await t.db
      .insertInto('outbox')
      .values({
        channel: 'sms',
        user_id: user.id,
        text: '最后一次尝试时崩溃',
        dedupe_key: 'last-try',
        status: 'sending',
        attempts: MAX_ATTEMPTS,
        next_attempt_at: at(now, -60 * MINUTE).toISOString(),
        claimed_until: at(now, -MINUTE).toISOString(),
      })
      .execute();
    let calls = 0;
    const broken: SmsSender = {
      async send() {
        calls++;
        throw new Error('短信网关返回 503');
      },
    };
    const run = await runOutboxOnce(t.db, broken, { now });
    assert.deepEqual(run, { claimed: 1, sent: 0, failed: 1, retried: 0, reclaimed: 1 });
    assert.equal(calls, 1, 'tried once more before failing');
    const row = await outboxRow('last-try');
    assert.equal(row?.status, 'failed');
    assert.equal(row?.attempts, MAX_ATTEMPTS + 1);
    assert.equal(row?.last_error, '短信网关返回 503');
    assert.equal(RECLAIMED_NOTE, '上次发送时进程中断，已重新排队');
  });

  test('a send slower than the lease keeps its claim; rows whose claim ran out meanwhile are left to the other worker', async () => {
    const now = new Date('2026-03-04T10:00:00.000Z');
    const { phone, texts } = await queue(3, '慢网关', now);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const stuck: SmsSender = {
      async send(message) {
        if (first) {
          first = false;
          await gate;
        }
        await fileSms.send(message);
      },
    };
    const other = openDatabase(t.config);
    try {
      // A claims all three with a 300 ms lease and hangs on the first send.
      const a = runOutboxOnce(t.db, stuck, { now, leaseMs: 300 });
      await new Promise((resolve) => setTimeout(resolve, 700));
      // B, 700 ms on: the row being sent is still A's (renewed while it waits); the two others have run out.
      const b = await runOutboxOnce(other, fileSms, { now: at(now, 700), leaseMs: 300 });
      assert.equal(b.reclaimed, 2);
      assert.equal(b.sent, 2);
      release();
      const aRun = await a;
      assert.equal(aRun.claimed, 3);
      assert.equal(aRun.sent, 1, 'A sends only the row it still holds');
    } finally {
      release();
      await other.destroy();
    }
    assert.deepEqual([...noticesTo(phone)].sort(), [...texts].sort(), 'each text sent once');
    const rows = await t.db.selectFrom('outbox').select('status').where('dedupe_key', 'in', texts).execute();
    assert.ok(rows.every((r) => r.status === 'sent'));
  });

  test('a worker stopped mid-batch finishes the row it is sending and puts the others back untried', async () => {
    const { phone, texts } = await queue(3, '停止时', new Date(Date.now() - MINUTE));
    let started!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: SmsSender = {
      async send(message) {
        started();
        await gate;
        await fileSms.send(message);
      },
    };
    // The worker's timers do not keep a process alive (on SQLite nothing else would meanwhile).
    const alive = setInterval(() => {}, 1000);
    try {
      const worker = startOutboxWorker(t.db, slow, { warn() {} }, 10);
      await sending;
      const stopped = worker.stop();
      release();
      await stopped;
    } finally {
      clearInterval(alive);
    }
    assert.equal(noticesTo(phone).length, 1, 'the row being sent is sent');
    const rows = await t.db
      .selectFrom('outbox')
      .select(['status', 'attempts', 'claimed_until'])
      .where('dedupe_key', 'in', texts)
      .orderBy('id')
      .execute();
    assert.deepEqual(rows, [
      { status: 'sent', attempts: 1, claimed_until: null },
      { status: 'pending', attempts: 0, claimed_until: null },
      { status: 'pending', attempts: 0, claimed_until: null },
    ]);
  });

  test('a user who deleted their account gets no SMS: the row is skipped', async () => {
    const user = await newUser();
    const now = new Date();
    await notify(t.db, { userId: user.id, text: '已注销', sms: true, dedupeKey: 'gone' }, now);
    await t.db
      .updateTable('users')
      .set({ phone: null, deleted_at: now.toISOString() })
      .where('id', '=', user.id)
      .execute();
    assert.deepEqual(await runOutboxOnce(t.db, fileSms, { now }), {
      claimed: 1,
      sent: 0,
      failed: 0,
      retried: 0,
      reclaimed: 0,
    });
    assert.equal((await outboxRow('gone'))?.status, 'skipped');
    assert.deepEqual(noticesTo(user.phone), []);
  });

  /** Queues `count` SMS notices to one new user and returns the number and the texts. */
  async function queue(count: number, prefix: string, now: Date) {
    const user = await newUser();
    const texts = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    for (const text of texts) await notify(t.db, { userId: user.id, text, sms: true, dedupeKey: text }, now);
    return { phone: user.phone, texts };
  }

  const anyPending = async (db: Db) =>
    (await db.selectFrom('outbox').select('id').where('status', '=', 'pending').executeTakeFirst()) !== undefined;

  /**
   * Runs one worker until nothing is left to send; a slow sender keeps the claims of the workers overlapping, and a
   * run that lost every row to the other worker is followed by another.
   */
  async function drain(db: Db, now: Date) {
    const slow: SmsSender = {
      async send(message) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        await fileSms.send(message);
      },
    };
    let sent = 0;
    for (;;) {
      const run = await runOutboxOnce(db, slow, { now, batch: 4 });
      sent += run.sent;
      if (run.claimed === 0 && !(await anyPending(db))) return sent;
    }
  }

  async function assertEachSentOnce(phone: string, texts: string[], sentByWorkers: number[]) {
    assert.ok(
      sentByWorkers.every((n) => n > 0),
      'every worker took part',
    );
    const delivered = noticesTo(phone);
    assert.equal(delivered.length, texts.length, 'one SMS per message');
    assert.deepEqual([...delivered].sort(), [...texts].sort());
    assert.equal(
      sentByWorkers.reduce((a, b) => a + b, 0),
      texts.length,
    );
    const statuses = await t.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('dedupe_key', 'in', texts)
      .execute();
    assert.ok(statuses.every((s) => s.status === 'sent' && s.attempts === 1));
  }

  test('two workers on one database handle send each message exactly once', async () => {
    const now = new Date();
    const { phone, texts } = await queue(30, '同一连接', now);
    const sent = await Promise.all([drain(t.db, now), drain(t.db, now), drain(t.db, now)]);
    await assertEachSentOnce(phone, texts, sent);
  });

  test('two workers on separate database handles send each message exactly once', async () => {
    const now = new Date();
    const { phone, texts } = await queue(30, '两个连接', now);
    const other = openDatabase(t.config);
    try {
      const sent = await Promise.all([drain(t.db, now), drain(other, now)]);
      await assertEachSentOnce(phone, texts, sent);
    } finally {
      await other.destroy();
    }
  });

  test('the background worker sends queued notices and stops cleanly', async () => {
    const user = await newUser();
    await notify(t.db, { userId: user.id, text: '后台发送', sms: true, dedupeKey: 'background' });
    const warnings: object[] = [];
    const worker = startOutboxWorker(t.db, fileSms, { warn: (obj) => warnings.push(obj) }, 10);
    try {
      const deadline = Date.now() + 5000;
      while ((await outboxRow('background'))?.status !== 'sent' && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await worker.stop();
    }
    assert.equal((await outboxRow('background'))?.status, 'sent');
    assert.deepEqual(noticesTo(user.phone), ['后台发送']);
    assert.deepEqual(warnings, []);
  });
});

describe('notification pages and API', () => {
  let ip = 0;
  async function loginAs(phone: string): Promise<WebClient> {
    const web = new WebClient(app, `10.9.0.${++ip}`);
    await web.get('/login');
    const res = await web.post('/login', { phone, password: PASSWORD });
    assert.equal(res.statusCode, 303, res.body);
    return web;
  }

  test('a visitor is sent to log in, an app without a token is refused', async () => {
    const page = await new WebClient(app).get('/notifications');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/login?next=%2Fnotifications');
    const api = await app.inject({ method: 'GET', url: '/api/v1/notifications' });
    assert.equal(api.statusCode, 401);
    assert.equal(api.json().error.code, 'UNAUTHENTICATED');
  });

  test('the page lists the user’s own notifications newest first, unread marked, and marks them read', async () => {
    const user = await newUser();
    const other = await newUser();
    const base = new Date('2026-03-05T02:00:00.000Z');
    await notify(t.db, { userId: user.id, text: '您的留言已通过审核', dedupeKey: 'p:1' }, base);
    await notify(t.db, { userId: user.id, text: '<script>alert(1)</script>', dedupeKey: 'p:2' }, at(base, MINUTE));
    await notify(t.db, { userId: other.id, text: '别人的通知', dedupeKey: 'p:3' }, base);

    const web = await loginAs(user.phone);
    const page = await web.get('/notifications');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /2 条未读通知/);
    assert.equal(page.body.match(/class="notification unread"/g)?.length, 2);
    assert.ok(page.body.indexOf('&lt;script&gt;') < page.body.indexOf('您的留言已通过审核'), 'newest first');
    assert.doesNotMatch(page.body, /<script>alert/, 'texts are escaped');
    assert.doesNotMatch(page.body, /别人的通知/);
    assert.match(page.body, /action="\/notifications\/read"/);

    const refused = await web.post('/notifications/read', {}, { csrf: false });
    assert.equal(refused.statusCode, 403, 'the form needs its CSRF token');
    await web.get('/notifications');
    const read = await web.post('/notifications/read', {});
    assert.equal(read.statusCode, 303, read.body);
    assert.equal(read.headers.location, '/notifications');

    const afterRead = await web.get('/notifications');
    assert.match(afterRead.body, /没有未读通知/);
    assert.doesNotMatch(afterRead.body, /class="notification unread"/);
    const rows = await t.db.selectFrom('notifications').select(['user_id', 'read_at']).execute();
    assert.ok(rows.filter((r) => r.user_id === user.id).every((r) => r.read_at !== null));
    assert.ok(
      rows.filter((r) => r.user_id === other.id).every((r) => r.read_at === null),
      'others are untouched',
    );
  });

  test('the page shows 50 at a time and pages back by id', async () => {
    const user = await newUser();
    const base = new Date('2026-03-06T02:00:00.000Z');
    for (let i = 1; i <= 55; i++)
      await notify(t.db, { userId: user.id, text: `第${i}条通知`, dedupeKey: `page:${i}` }, at(base, i * 1000));
    const web = await loginAs(user.phone);
    const first = await web.get('/notifications');
    assert.equal(first.body.match(/class="notification/g)?.length, 50);
    assert.match(first.body, /第55条通知/);
    assert.doesNotMatch(first.body, /第5条通知/);
    const older = /href="(\/notifications\?before=\d+)"/.exec(first.body)?.[1];
    assert.ok(older, 'a link to older notifications');
    const second = await web.get(older);
    assert.equal(second.body.match(/class="notification/g)?.length, 5);
    assert.match(second.body, /第5条通知/);
    assert.match(second.body, /第1条通知/);
    assert.doesNotMatch(second.body, /第6条通知/);
    assert.doesNotMatch(second.body, /before=/, 'no page after the last');
    assert.equal((await web.get('/notifications?before=abc')).statusCode, 400);
  });

  test('the API gives the same list with the unread count, and sees them read after the page marked them', async () => {
    const user = await newUser();
    const base = new Date('2026-03-07T02:00:00.000Z');
    await notify(t.db, { userId: user.id, text: '旧通知', dedupeKey: 'api:1' }, base);
    await notify(
      t.db,
      { userId: user.id, text: '新通知', sms: true, dedupeKey: 'api:2', messageId: null },
      at(base, MINUTE),
    );
    await notify(t.db, { unitId: UNIT_ID, text: '单位通知', dedupeKey: 'api:unit' }, base);
    const { token } = await issueToken(t.db, user.id, 'app', 'test');
    const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

    const res = await get('/api/v1/notifications');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.unread, 2);
    assert.deepEqual(
      body.notifications.map((n: { text: string; read: boolean; messageId: number | null }) => [
        n.text,
        n.read,
        n.messageId,
      ]),
      [
        ['新通知', false, null],
        ['旧通知', false, null],
      ],
    );
    assert.equal(body.notifications[0].createdAt, at(base, MINUTE).toISOString());

    const limited = (await get('/api/v1/notifications?limit=1')).json();
    assert.equal(limited.notifications.length, 1);
    const next = (await get(`/api/v1/notifications?before=${limited.notifications[0].id}`)).json();
    assert.deepEqual(
      next.notifications.map((n: { text: string }) => n.text),
      ['旧通知'],
    );
    assert.equal((await get('/api/v1/notifications?limit=500')).statusCode, 400);

    const web = await loginAs(user.phone);
    await web.get('/notifications');
    assert.equal((await web.post('/notifications/read', {})).statusCode, 303);
    const read = (await get('/api/v1/notifications')).json();
    assert.equal(read.unread, 0);
    assert.ok(read.notifications.every((n: { read: boolean; readAt: string | null }) => n.read && n.readAt));
  });

  test('the API is described in the OpenAPI document under its tag', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    assert.deepEqual(doc.paths['/api/v1/notifications'].get.tags, ['notifications']);
  });
});
