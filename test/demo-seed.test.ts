import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loginWithPassword } from '../src/accounts/accounts.service.ts';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { verifyAllChains } from '../src/audit/case-events.ts';
import { type DemoAccount, seedDemo } from '../src/demo/demo-seed.ts';
import { accountsTable } from '../src/demo/demo.command.ts';
import { loadSensitiveWords, SensitiveWords } from '../src/messages/sensitive-words.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const PASSWORD = 'Demo-Test-Pass-2026!';
let t: TestDatabase;
let deps: Parameters<typeof seedDemo>[1];
let first: Awaited<ReturnType<typeof seedDemo>>;
const lines: string[] = [];

const count = async (table: 'messages' | 'users' | 'case_events' | 'notifications' | 'replies') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const byStatus = async () =>
  Object.fromEntries(
    (
      await t.db
        .selectFrom('messages')
        .select(['status', (eb) => eb.fn.countAll().as('n')])
        .groupBy('status')
        .execute()
    ).map((r) => [r.status, Number(r.n)]),
  );

before(async () => {
  t = await createTestDatabase();
  deps = {
    secret: t.config.secret,
    store: new AttachmentStore(join(t.config.dataDir, 'attachments')),
    sensitiveWords: new SensitiveWords(loadSensitiveWords(t.config.sensitiveWordsFile)),
  };
  first = await seedDemo(t.db, deps, { password: PASSWORD, log: (line) => lines.push(line) });
});
after(() => t.close());

test('the demo creates one account per role, each with its scope and boards', () => {
  assert.equal(first.created, true);
  const roles = new Set(first.accounts.map((a) => a.role));
  for (const role of ['admin', 'editor', 'unit_staff', 'unit_head', 'leader', 'supervisor', 'netizen'])
    assert.ok(roles.has(role), `a ${role}`);
  assert.ok(first.accounts.filter((a) => a.role === 'netizen').length >= 2, 'two netizens');
  const find = (pred: (a: DemoAccount) => boolean) => first.accounts.find(pred)!;
  const countyStaff = find((a) => a.role === 'unit_staff' && a.scope.id === '130123001');
  assert.deepEqual(
    countyStaff.boards.map((b) => b.id),
    [1301231, 1301232],
  );
  const dept = find((a) => a.role === 'unit_head' && a.scope.name === '正定县住房和城乡建设局');
  assert.equal(dept.scope.type, 'unit');
  assert.deepEqual(dept.boards, [], 'a department handles no board directly');
  const leader = find((a) => a.role === 'leader');
  assert.deepEqual(leader.scope, { type: 'board', id: '1301232', name: '正定县县长' });
  assert.deepEqual(leader.boards, [{ id: 1301232, name: '正定县县长' }]);
  assert.deepEqual(
    find((a) => a.role === 'supervisor').boards.map((b) => b.id),
    [1301001, 1301002],
  );
  for (const a of first.accounts) assert.match(a.phone, /^1990000\d{4}$/);
  assert.ok(
    lines.some((l) => l.includes('督办 1 条')),
    'progress is logged',
  );
  const table = accountsTable(first.accounts);
  assert.match(table, /单位负责人\s+19900000012/);
});

test('messages in every status, across regions and all 13 domains, with intact case chains', async () => {
  assert.ok(first.messages >= 30 && first.messages <= 60, String(first.messages));
  assert.equal(first.messages, await count('messages'));
  const statuses = await byStatus();
  for (const status of ['submitted', 'rejected', 'pending', 'assigned', 'replied', 'closed'])
    assert.ok((statuses[status] ?? 0) > 0, `${status}: ${JSON.stringify(statuses)}`);
  const domains = await t.db.selectFrom('messages').select('domain').distinct().execute();
  assert.equal(domains.length, 13);
  const regions = await t.db.selectFrom('messages').select('region_code').distinct().execute();
  assert.ok(regions.length >= 5);
  const rejected = await t.db.selectFrom('messages').select('reject_reason').where('status', '=', 'rejected').execute();
  assert.ok(rejected.every((r) => r.reject_reason));

  const signed = await t.db.selectFrom('replies').select('id').where('signer_id', 'is not', null).execute();
  assert.ok(signed.length > 0, 'a leader-signed reply');
  const granted = await t.db.selectFrom('extensions').select('id').where('status', '=', 'granted').execute();
  assert.ok(granted.length > 0, 'a granted extension');
  const notices = await t.db.selectFrom('supervisions').select(['unit_id']).execute();
  assert.ok(notices.length > 0, 'a supervision notice');
  assert.ok(
    notices.some((n) => n.unit_id === 130100001),
    'raised at the city unit the supervisor watches',
  );
  const ratings = await t.db.selectFrom('ratings').select('message_id').execute();
  assert.ok(ratings.length > 0, 'a rating');
  const followed = await t.db.selectFrom('messages').select('id').where('follow_ups', '>', 0).execute();
  assert.ok(followed.length > 0, 'a follow-up');
  const assignedToDept = await t.db
    .selectFrom('messages')
    .innerJoin('handling_units as u', 'u.id', 'messages.current_unit_id')
    .select('messages.id')
    .where('u.name', '=', '正定县住房和城乡建设局')
    .where('messages.status', '=', 'assigned')
    .execute();
  assert.ok(assignedToDept.length > 0, 'messages assigned to the department');
  const masked = await t.db.selectFrom('messages').select('body').where('body', 'like', '%199****9999%').execute();
  assert.equal(masked.length, 1, 'the phone number in one body is masked');

  const chains = await verifyAllChains(t.db);
  assert.equal(chains.broken, null);
  assert.equal(chains.checked, first.messages);
});

test('a second run creates nothing and lists the same accounts', async () => {
  const before = {
    messages: await count('messages'),
    users: await count('users'),
    events: await count('case_events'),
    notifications: await count('notifications'),
    replies: await count('replies'),
  };
  const second = await seedDemo(t.db, deps, { password: 'Another-Demo-Pass-99!' });
  assert.equal(second.created, false);
  assert.equal(second.messages, first.messages);
  assert.deepEqual(second.accounts, first.accounts);
  assert.deepEqual(
    {
      messages: await count('messages'),
      users: await count('users'),
      events: await count('case_events'),
      notifications: await count('notifications'),
      replies: await count('replies'),
    },
    before,
  );
});

test('every demo account logs in with the password', async () => {
  for (const a of first.accounts) {
    const result = await loginWithPassword(t.db, { phone: a.phone, password: PASSWORD }, { ip: '127.0.0.1' });
    assert.ok(result.userId > 0, a.phone);
  }
  await assert.rejects(
    loginWithPassword(t.db, { phone: first.accounts[0]!.phone, password: 'Wrong-Pass-2026!' }, { ip: '127.0.0.1' }),
  );
});
