// Writing a message through the API, as the submission bench does: what one acknowledged message leaves in the
// database (one message, its key, one submit event opening its chain, its search entry, no figures yet), and a
// tracking code already taken is drawn again rather than failing the submission.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { after, before, describe, mock, test } from 'node:test';
import { issueToken } from '../src/accounts/tokens.service.ts';
import { caseEventsRepository, checkChain, GENESIS_HASH } from '../src/audit/case-events.ts';
import { createTestApp, TEST_ENGINE, type TestApp } from './helpers.ts';

const BOARD = 1301232; // 正定县 · 县长
/** Letters and digits of tracking codes, as submit-message.ts draws them. */
const TRACKING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

let t: TestApp;
let token: string;
let authorId: number;

before(async () => {
  t = await createTestApp();
  const row = await t.db
    .insertInto('users')
    .values({ phone: '13700001234', nickname: '写信人', is_staff: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  authorId = row.id;
  token = (await issueToken(t.db, authorId, 'app', 'test')).token;
});
after(() => t.close());

let sent = 0;
const submit = (key: string, title = `小区门口路灯坏了（${++sent}）`) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    payload: {
      boardId: BOARD,
      type: 'help',
      domain: 'urban',
      title,
      body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
    },
  });

describe(`submitting through the API on ${TEST_ENGINE}`, () => {
  test('an acknowledged message: stored once with its key, one submit event opening its chain, a search entry', async () => {
    const res = await submit('submission-first-0001');
    assert.equal(res.statusCode, 201, res.body);
    const { id, trackingCode } = res.json<{ id: number; trackingCode: string }>();
    const message = await t.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(message.tracking_code, trackingCode);
    assert.equal(message.author_id, authorId);
    const key = await t.db
      .selectFrom('idempotency_keys')
      .select('message_id')
      .where('user_id', '=', authorId)
      .where('key', '=', 'submission-first-0001')
      .executeTakeFirstOrThrow();
    assert.equal(key.message_id, id);
    const events = await t.db.selectFrom('case_events').selectAll().where('message_id', '=', id).execute();
    assert.deepEqual(
      events.map((e) => [e.seq, e.kind, e.to_status]),
      [[1, 'submit', 'submitted']],
    );
    const chain = await caseEventsRepository.listForMessage(t.db, id);
    assert.equal(chain[0]?.prevHash, GENESIS_HASH);
    assert.equal(checkChain(id, chain, 'submitted'), null, 'the chain verifies');
    assert.ok(
      await t.db.selectFrom('message_search').select('message_id').where('message_id', '=', id).executeTakeFirst(),
    );
    // Figures count a message from its approval: none for a message still waiting for review.
    const facts = await t.db.selectFrom('message_facts').selectAll().where('message_id', '=', id).execute();
    assert.equal(facts.length, 0);

    const again = await submit('submission-first-0001');
    assert.equal(again.statusCode, 200);
    assert.equal(again.json<{ id: number }>().id, id);
  });

  test('a tracking code already taken is drawn again: the message is stored with another one', async () => {
    const first = await submit('submission-taken-0001');
    assert.equal(first.statusCode, 201, first.body);
    const taken = first.json<{ trackingCode: string }>().trackingCode;

    // The next draw gives the taken code letter by letter, then the draws are random again.
    const forced = [...taken].map((c) => TRACKING_ALPHABET.indexOf(c));
    const real = crypto.randomInt.bind(crypto);
    let calls = 0;
    mock.method(crypto, 'randomInt', ((...args: Parameters<typeof crypto.randomInt>) => {
      calls++;
      return forced.length > 0 && args[0] === TRACKING_ALPHABET.length ? forced.shift() : real(...args);
    }) as typeof crypto.randomInt);
    syncBuiltinESMExports();
    try {
      const second = await submit('submission-taken-0002');
      assert.equal(second.statusCode, 201, second.body);
      const { id, trackingCode } = second.json<{ id: number; trackingCode: string }>();
      assert.equal(forced.length, 0, 'the taken code was drawn');
      assert.ok(calls >= 16, `a second code was drawn (${calls} draws)`);
      assert.notEqual(trackingCode, taken);
      assert.match(trackingCode, /^[A-HJ-NP-Z2-9]{8}$/);
      const stored = await t.db
        .selectFrom('messages')
        .select(['id', 'tracking_code'])
        .where('tracking_code', 'in', [taken, trackingCode])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        stored.map((m) => m.tracking_code),
        [taken, trackingCode],
      );
      assert.equal(stored[1]?.id, id);
      const events = await t.db.selectFrom('case_events').select('kind').where('message_id', '=', id).execute();
      assert.deepEqual(
        events.map((e) => e.kind),
        ['submit'],
      );
    } finally {
      mock.restoreAll();
      syncBuiltinESMExports();
    }
  });
});
