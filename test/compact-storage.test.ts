// Migration 0019 on a database with messages: the search tokens kept once, each case event's hash as 32 bytes without
// a copy of the previous one; undone and done again, with the same search results and intact chains throughout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { GENESIS_HASH, verifyAllChains } from '../src/audit/case-events.ts';
import { migrateDown, migrateUp } from '../src/db/migrate.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { listMessages } from '../src/search/message-list.ts';
import { normalisedTokens } from '../src/search/tokenize.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from './helpers.ts';

const NOW = new Date('2026-06-15T02:00:00.000Z');
const TERMS = ['路灯', '小区', '公交', '路', '补贴'];
let t: TestDatabase;

async function searchResults(): Promise<number[][]> {
  const out: number[][] = [];
  for (const q of TERMS) out.push((await listMessages(t.db, { q, limit: 100 }, NOW)).items.map((i) => i.id));
  return out;
}

before(async () => {
  t = await createTestDatabase();
  await generateMessages(t.db, { count: 400, seed: 3, now: NOW, figures: false });
});
after(() => t.close());

/** The migrations that came after 0019, newest first: undone before it and done again after. */
const LATER = Object.keys(MIGRATIONS)
  .filter((name) => name > '0019-compact-storage')
  .reverse();

test('the hashes are stored as 32 bytes', async () => {
  assert.ok(Object.keys(MIGRATIONS).includes('0019-compact-storage'));
  const row = await t.db.selectFrom('case_events').select('hash').limit(1).executeTakeFirstOrThrow();
  assert.equal(Buffer.from(row.hash).length, 32);
});

test('undone and done again, with the same search results and intact chains', async () => {
  const results = await searchResults();
  assert.ok(results.every((ids) => ids.length > 0));
  assert.equal((await verifyAllChains(t.db)).broken, null);

  for (const name of LATER) assert.deepEqual(await migrateDown(t.db), [name]);
  assert.deepEqual(await migrateDown(t.db), ['0019-compact-storage']);
  // Before 0019: hex hashes, each event with its predecessor's hash beside its own, and the tokens in message_search.
  const events = await sql<{ message_id: number; seq: number; prev_hash: string; hash: string }>`
    select message_id, seq, prev_hash, hash from case_events order by message_id, seq`.execute(t.db);
  assert.ok(events.rows.length > 400 * 3);
  events.rows.forEach((e, i) => {
    const previous = events.rows[i - 1];
    assert.match(e.hash, /^[0-9a-f]{64}$/);
    assert.equal(e.prev_hash, previous?.message_id === e.message_id ? previous.hash : GENESIS_HASH);
  });
  const entries = await sql<{ tokens: string; text: string }>`select tokens, text from message_search`.execute(t.db);
  assert.equal(entries.rows.length, 400);
  for (const e of entries.rows) assert.equal(e.tokens, normalisedTokens(e.text).join(' '));
  if (TEST_ENGINE === 'sqlite') {
    const hits = await sql<{
      n: number;
    }>`select count(*) as n from message_fts where message_fts match '"路灯"'`.execute(t.db);
    assert.ok(Number(hits.rows[0]?.n) > 0, 'the full-text index of the time answers');
  }

  assert.deepEqual(await migrateUp(t.db), ['0019-compact-storage', ...[...LATER].reverse()]);
  assert.deepEqual(await searchResults(), results);
  const report = await verifyAllChains(t.db);
  assert.equal(report.broken, null);
  assert.equal(report.checked, 400);
});
