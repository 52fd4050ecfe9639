import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { verifyAllChains } from '../src/audit/case-events.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { approveMessage } from '../src/messages/review.ts';
import { SensitiveWords } from '../src/messages/sensitive-words.ts';
import { submitMessage } from '../src/messages/submit-message.ts';
import { runSchedulerOnce } from '../src/workflow/supervision.ts';
import { accept } from '../src/workflow/transitions.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

let t: TestDatabase;
const run = promisify(execFile);
const scheduler = async () =>
  (
    await run(process.execPath, [new URL('../bin/liuyan.js', import.meta.url).pathname, 'scheduler'], {
      env: { PATH: process.env.PATH, ...t.env },
    })
  ).stdout;
const messages: number[] = [];
const people: Record<string, number> = {};
let submittedLate = 0;

before(async () => {
  t = await createTestDatabase();
  const editorId = await createStaff(t.db, COMMAND_LINE, {
    phone: '15700000001',
    nickname: '编辑',
    password: 'Sched-Pass-2026!',
    role: 'editor',
  });
  const staffId = await createStaff(t.db, COMMAND_LINE, {
    phone: '15700000002',
    nickname: '县办理员',
    password: 'Sched-Pass-2026!',
    role: 'unit_staff',
    scopeType: 'unit',
    scopeId: '130123001',
  });
  const editor = (await loadCurrentUser(t.db, editorId))!;
  const staff = (await loadCurrentUser(t.db, staffId))!;
  people.editor = editorId;
  people.countyStaff = staffId;
  // Those a 督办 of the county reaches: the city's supervising unit and its supervisor; and a second editor.
  for (const [key, phone, role, scope] of [
    ['cityStaff', '15700000003', 'unit_staff', { scopeType: 'unit', scopeId: '130100001' }],
    ['citySupervisor', '15700000004', 'supervisor', { scopeType: 'unit', scopeId: '130100001' }],
    ['editor2', '15700000005', 'editor', {}],
    ['otherSupervisor', '15700000006', 'supervisor', { scopeType: 'region', scopeId: '110000' }],
  ] as const) {
    people[key] = await createStaff(t.db, COMMAND_LINE, {
      phone,
      nickname: key,
      password: 'Sched-Pass-2026!',
      role,
      ...scope,
    });
  }
  const ctx = {
    db: t.db,
    secret: t.config.secret,
    store: new AttachmentStore(`${t.config.dataDir}/attachments`),
    sensitiveWords: new SensitiveWords([]),
    authorId: editorId,
    channel: 'api' as const,
  };
  for (let i = 0; i < 4; i++) {
    const { id } = await submitMessage(ctx, {
      boardId: 1301232,
      type: 'complain',
      domain: 'environment',
      title: `工地夜间施工噪声扰民 ${i}`,
      body: '诉求：请查处附近工地夜间违规施工。每晚十点后仍有大型机械作业，噪声严重影响休息。',
    });
    await approveMessage(t.db, editor, id);
    messages.push(id);
  }
  // Two are accepted (handling clock), two stay pending (acceptance clock); all four deadlines are made to pass.
  await accept(t.db, staff, messages[0]!);
  await accept(t.db, staff, messages[1]!);
  const past = new Date(Date.now() - 3600_000).toISOString();
  await t.db.updateTable('messages').set({ handle_due_at: past }).where('id', 'in', messages.slice(0, 2)).execute();
  await t.db.updateTable('messages').set({ accept_due_at: past }).where('id', 'in', messages.slice(2)).execute();
  // One more waits for review past its review deadline.
  submittedLate = (
    await submitMessage(ctx, {
      boardId: 1301232,
      type: 'help',
      domain: 'urban',
      title: '小区门口道路积水严重',
      body: '诉求：小区门口道路每逢下雨积水严重，老人孩子出行不便，请尽快疏通排水。',
    })
  ).id;
  await t.db.updateTable('messages').set({ review_due_at: past }).where('id', '=', submittedLate).execute();
});

const noticesOf = (userId: number, messageId?: number) => {
  let query = t.db.selectFrom('notifications').select(['text', 'message_id']).where('user_id', '=', userId);
  if (messageId !== undefined) query = query.where('message_id', '=', messageId);
  return query.orderBy('id').execute();
};
after(() => t.close());

test('overdue messages get exactly one supervision notice with two schedulers running at once', async () => {
  // Two separate processes, as two app servers would be, plus two passes in this one.
  const outputs = await Promise.all([scheduler(), scheduler(), runSchedulerOnce(t.db), runSchedulerOnce(t.db)]);
  const counts = outputs.map((o) => (typeof o === 'string' ? Number(/督办 (\d+) 条/.exec(o)![1]) : o.supervised));
  const reviewCounts = outputs.map((o) =>
    typeof o === 'string' ? Number(/审核超时提醒 (\d+) 条/.exec(o)![1]) : o.reviewOverdue,
  );
  assert.equal(
    reviewCounts.reduce((n, c) => n + c, 0),
    1,
    'the editors are told of the late review once, whichever process tells them',
  );
  for (const editor of [people.editor!, people.editor2!]) {
    const told = await noticesOf(editor, submittedLate);
    assert.equal(told.length, 1, 'each editor once');
    assert.match(told[0]!.text, /审核超时/);
  }
  assert.equal(
    counts.reduce((n, c) => n + c, 0),
    4,
    JSON.stringify(outputs),
  );
  const notices = await t.db.selectFrom('supervisions').selectAll().orderBy('message_id').execute();
  assert.deepEqual(
    notices.map((n) => [n.message_id, n.deadline, n.level, n.unit_id]),
    [
      [messages[0], 'handle', 0, 130100001],
      [messages[1], 'handle', 0, 130100001],
      [messages[2], 'accept', 0, 130100001],
      [messages[3], 'accept', 0, 130100001],
    ],
    'the city unit above the county supervises',
  );
  const events = await t.db.selectFrom('case_events').select(['message_id']).where('kind', '=', 'supervise').execute();
  assert.equal(events.length, 4, 'one case event each');
  const unitNotices = await t.db.selectFrom('notifications').select('text').where('unit_id', '=', 130100001).execute();
  assert.equal(unitNotices.filter((n) => n.text.startsWith('督办')).length, 4);
  assert.deepEqual(
    await runSchedulerOnce(t.db),
    { supervised: 0, escalated: 0, closed: 0, reviewOverdue: 0 },
    'a second pass does nothing',
  );
  // Each person concerned got each notice once, in the site: the supervising unit's staff and its supervisor, the
  // county's staff; not a supervisor elsewhere.
  for (const who of ['cityStaff', 'citySupervisor', 'countyStaff']) {
    const got = (await noticesOf(people[who]!)).filter((n) => n.text.startsWith('督办'));
    assert.deepEqual(got.map((n) => n.message_id).sort(), [...messages].sort(), who);
  }
  assert.equal((await noticesOf(people.otherSupervisor!)).length, 0);
  assert.equal((await verifyAllChains(t.db)).broken, null);
});

test('after the further period a notice escalates one level up, once', async () => {
  const longAgo = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
  await t.db.updateTable('supervisions').set({ created_at: longAgo }).where('message_id', '=', messages[0]!).execute();
  const [a, b] = await Promise.all([runSchedulerOnce(t.db), runSchedulerOnce(t.db)]);
  assert.equal(a!.escalated + b!.escalated, 1);
  const levels = await t.db
    .selectFrom('supervisions')
    .select(['level', 'unit_id'])
    .where('message_id', '=', messages[0]!)
    .orderBy('level')
    .execute();
  assert.deepEqual(levels, [
    { level: 0, unit_id: 130100001 },
    { level: 1, unit_id: 130000001 },
  ]);
});

test('the public page shows the overdue badge', async () => {
  const { buildApp } = await import('../src/app.ts');
  const app = await buildApp({ config: t.config, db: t.db, logger: false });
  try {
    const page = await app.inject(`/messages/${messages[0]}`);
    assert.match(page.body, /class="deadline overdue">(<span>)?已超期：办理时限/);
    assert.match(page.body, /督办/);
  } finally {
    await app.close();
  }
});

test('a replied message closes when its rating window ends', async () => {
  const id = messages[1]!;
  await t.db
    .updateTable('messages')
    .set({ status: 'replied', rating_due_at: new Date(Date.now() - 1000).toISOString() })
    .where('id', '=', id)
    .execute();
  // Record the status change in the chain the way a reply would, so verification stays meaningful.
  const report = await runSchedulerOnce(t.db);
  assert.equal(report.closed, 1);
  const row = await t.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'closed');
});
