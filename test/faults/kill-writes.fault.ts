// Fault: the server is killed with SIGKILL three times while many authors submit messages through the API, each
// retrying with the same Idempotency-Key until it is acknowledged. Every acknowledged message must be stored exactly
// once, and no request may be answered with a 5xx other than 503 (the database or server saying "try again").
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { issueToken } from '../../src/accounts/tokens.service.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers.ts';
import { freePort, serve, waitFor } from '../processes.ts';
import { report } from './report.ts';

const AUTHORS = 24;
const KILLS = 3;
const RUN_BETWEEN_KILLS_MS = 3_000;
const BOARD = 1301232; // 正定县 · 县长

let t: TestDatabase;
const tokens: string[] = [];

before(async () => {
  t = await createTestDatabase();
  for (let i = 0; i < AUTHORS; i++) {
    const row = await t.db
      .insertInto('users')
      .values({ phone: `1370000${String(i).padStart(4, '0')}`, nickname: `写信人${i}`, is_staff: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    tokens.push((await issueToken(t.db, row.id, 'app', 'fault')).token);
  }
});
after(() => t.close());

type Outcome = { kind: 'ack'; id: number } | { kind: 'retry' } | { kind: 'fatal'; status: number; body: string };

async function submit(base: string, token: string, key: string, n: number): Promise<Outcome> {
  try {
    const res = await fetch(`${base}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({
        boardId: BOARD,
        type: 'suggest',
        domain: '城建',
        title: `故障测试留言 ${key}`,
        body: `建议：第 ${n} 号测试留言，请在小区门口增设路灯，方便居民夜间出行。编号 ${key}。`,
      }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.text();
    if (res.status === 200 || res.status === 201) return { kind: 'ack', id: (JSON.parse(body) as { id: number }).id };
    if (res.status === 503) return { kind: 'retry' };
    return { kind: 'fatal', status: res.status, body };
  } catch {
    return { kind: 'retry' }; // connection refused or reset: the server is down; try again with the same key
  }
}

test(`SIGKILL under writes (${TEST_ENGINE}): every acknowledged message stored exactly once`, async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...t.env,
    PORT: String(port),
    RATE_LIMIT_SUBMIT_PER_MINUTE: '100000',
    RATE_LIMIT_WRITE_PER_MINUTE: '100000',
  };
  let server = serve(env);
  const up = (deadline?: number) =>
    waitFor(`${base}/readyz`, deadline).catch((err: Error) => {
      throw new Error(`${err.message}\n${server.output()}`);
    });
  await up();

  const acknowledged = new Map<string, number>();
  const fatal: { status: number; body: string }[] = [];
  let attempts = 0;
  let stopping = false;
  const writers = tokens.map(async (token, author) => {
    for (let n = 0; !stopping; n++) {
      const key = `fault-${author}-${n}`;
      for (;;) {
        attempts++;
        const outcome = await submit(base, token, key, n);
        if (outcome.kind === 'ack') {
          acknowledged.set(key, outcome.id);
          break;
        }
        if (outcome.kind === 'fatal') {
          fatal.push(outcome);
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });

  for (let kill = 0; kill < KILLS; kill++) {
    await new Promise((r) => setTimeout(r, RUN_BETWEEN_KILLS_MS));
    server.child.kill('SIGKILL');
    await once(server.child, 'exit');
    server = serve(env);
    await up(Date.now() + 60_000);
  }
  await new Promise((r) => setTimeout(r, 1_000));
  stopping = true;
  await Promise.all(writers);
  server.child.kill('SIGTERM');
  if (server.child.exitCode === null) await once(server.child, 'exit');

  const stored = await t.db
    .selectFrom('messages')
    .select(['id', 'title'])
    .where('title', 'like', '故障测试留言 %')
    .execute();
  const byKey = new Map<string, number[]>();
  for (const row of stored) {
    const key = row.title.slice('故障测试留言 '.length);
    byKey.set(key, [...(byKey.get(key) ?? []), row.id]);
  }
  let lost = 0;
  for (const [key, id] of acknowledged) if (!byKey.get(key)?.includes(id)) lost++;
  const duplicated = [...byKey.values()].filter((ids) => ids.length > 1).length;
  const fiveXx = fatal.filter((f) => f.status >= 500).length;
  report('kill -9 under writes', TEST_ENGINE, {
    kills: KILLS,
    attempts,
    acknowledged: acknowledged.size,
    lost,
    duplicated,
    '5xx': fiveXx,
    'other refusals': fatal.length - fiveXx,
  });
  assert.ok(acknowledged.size > AUTHORS, 'the writers got messages through between the kills');
  assert.equal(lost, 0, 'acknowledged messages lost');
  assert.equal(duplicated, 0, 'messages stored twice');
  assert.deepEqual(fatal, [], 'requests refused other than with 503');
});
