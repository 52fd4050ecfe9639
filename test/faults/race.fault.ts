// Fault: two real server processes on one database (an SQLite file both write, or one PostgreSQL database), the same
// transition fired at both at once over HTTP with bearer tokens: accept twice, assign to two different units, two
// extension requests, a leader's sign racing another's send-back, two heads approving one reply, the author rating
// twice, and the same Idempotency-Key submitted to both. Every race has exactly one winner, the loser hears 409, no
// request is answered 5xx (a 503 DATABASE_BUSY with Retry-After is retried and counted), and the database holds one
// case event per winning step, one pending extension, one rating, one message per key.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { issueToken } from '../../src/accounts/tokens.service.ts';
import { COMMAND_LINE, createStaff } from '../../src/accounts/staff.service.ts';
import { verifyAllChains } from '../../src/audit/case-events.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers.ts';
import { freePort, serve, waitFor } from '../processes.ts';
import { report } from './report.ts';

/** Races per scenario; RACE_MESSAGES=200 for a longer run. */
const MESSAGES = Number(process.env.RACE_MESSAGES ?? 40);
/** Messages prepared, and races run, at once: enough to keep both processes writing, not to swamp two cores. */
const SETUP_AT_ONCE = 6;
const RACES_AT_ONCE = 3;
const PASSWORD = 'Race-Pass-2026!';
const COUNTY = 130123001;
const DEPT = 130123002;
const DEPT_B = 130123003;
const BOARD = 1301232; // 正定县 · 县长, handled by the county

let t: TestDatabase;
const tokens: Record<string, string> = {};
const servers: { base: string; child: ReturnType<typeof serve>['child']; output: () => string }[] = [];

before(async () => {
  t = await createTestDatabase();
  for (const [id, name] of [
    [DEPT, '正定县住房和城乡建设局'],
    [DEPT_B, '正定县城市管理综合行政执法局'],
  ] as const) {
    await t.db
      .insertInto('handling_units')
      .values({
        id,
        region_code: '130123',
        parent_id: COUNTY,
        name,
        responsibilities: '城市建设与管理',
        kind: 'department',
        level: 'county',
        active: 1,
      })
      .execute();
  }
  const people: [string, string, Record<string, string>][] = [
    ['editor', 'editor', {}],
    ['county', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['county2', 'unit_staff', { scopeType: 'unit', scopeId: String(COUNTY) }],
    ['dept', 'unit_staff', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['dept2', 'unit_staff', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['deptHead', 'unit_head', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['deptHead2', 'unit_head', { scopeType: 'unit', scopeId: String(DEPT) }],
    ['leader', 'leader', { scopeType: 'board', scopeId: String(BOARD) }],
    ['leader2', 'leader', { scopeType: 'board', scopeId: String(BOARD) }],
  ];
  let n = 0;
  for (const [name, role, scope] of people) {
    const phone = `1580000${String(++n).padStart(4, '0')}`;
    const userId = await createStaff(t.db, COMMAND_LINE, {
      phone,
      nickname: `赛${name}`,
      password: PASSWORD,
      role,
      ...scope,
    });
    tokens[name] = (await issueToken(t.db, userId, 'app', 'race')).token;
  }
  const citizen = await t.db
    .insertInto('users')
    .values({ phone: '15500000019', nickname: '竞速写信人', is_staff: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  tokens.citizen = (await issueToken(t.db, citizen.id, 'app', 'race')).token;

  const env = {
    ...t.env,
    RATE_LIMIT_SUBMIT_PER_MINUTE: '100000',
    RATE_LIMIT_WRITE_PER_MINUTE: '100000',
  };
  const ports = [await freePort(), await freePort()];
  for (const port of ports)
    servers.push({ base: `http://127.0.0.1:${port}`, ...serve({ ...env, PORT: String(port) }) });
  // Both start at once (from source that takes a while on a loaded machine).
  await Promise.all(
    servers.map((s) =>
      waitFor(`${s.base}/readyz`, Date.now() + 90_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${s.output()}`);
      }),
    ),
  );
});

after(async () => {
  for (const s of servers) {
    s.child.kill('SIGTERM');
    if (s.child.exitCode === null) await once(s.child, 'exit');
  }
  await t?.close();
});

// ---- HTTP, with a busy database retried as a client should

interface Answer {
  status: number;
  body: string;
  json: () => unknown;
}
const counts = { setupBusyRetried: 0 };

/**
 * One request to one process. A 503 DATABASE_BUSY with Retry-After is the server saying "try again": the client does,
 * after a short pause, and `onBusy` counts it. Any other answer is returned as it is.
 */
async function call(
  server: number,
  who: string,
  method: 'GET' | 'POST',
  path: string,
  body: object | undefined,
  onBusy: () => void,
  headers: Record<string, string> = {},
): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${servers[server]!.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const answer: Answer = { status: res.status, body: text, json: () => JSON.parse(text) };
    const busy =
      res.status === 503 && res.headers.get('retry-after') !== null && /"DATABASE_BUSY"/.test(text) && attempt < 20;
    if (!busy) return answer;
    onBusy();
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
  }
}

const act = (server: number, who: string, id: number, action: string, body: object, onBusy: () => void) =>
  call(server, who, 'POST', `/api/v1/messages/${id}/actions/${action}`, body, onBusy);

/** A step of the preparation, on either process: it must succeed. */
async function step(server: number, who: string, id: number, action: string, body: object = {}): Promise<void> {
  const res = await act(server, who, id, action, body, () => counts.setupBusyRetried++);
  assert.equal(res.status, 200, `${who} ${action} on process ${server + 1}: ${res.body}`);
}

/** Runs `work` over the items, `atOnce` at a time. */
async function pool<T, R>(items: T[], atOnce: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: atOnce }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!, i);
      }
    }),
  );
  return out;
}

// ---- messages in each state, through the front door of either process

let titles = 0;
type Stage = 'pending' | 'accepted' | 'assigned' | 'toApprove' | 'toSign' | 'replied';
const ORDER: Stage[] = ['pending', 'accepted', 'assigned', 'toApprove', 'toSign', 'replied'];

async function prepare(stage: Stage, server: number): Promise<number> {
  const n = ++titles;
  const submitted = await call(
    server,
    'citizen',
    'POST',
    '/api/v1/messages',
    {
      boardId: BOARD,
      type: 'help',
      domain: 'urban',
      title: `路灯不亮请尽快维修 ${n}`,
      body: `诉求：小区门口的路灯已经坏了两周，晚上出行很不安全，请尽快安排维修。编号 ${n}`,
    },
    () => counts.setupBusyRetried++,
  );
  assert.equal(submitted.status, 201, submitted.body);
  const id = (submitted.json() as { id: number }).id;
  const reach = (s: Stage) => ORDER.indexOf(stage) >= ORDER.indexOf(s);
  // Steps alternate between the processes, so each sees the other's writes as it goes.
  let on = server;
  const next = () => (on = 1 - on);
  await step(next(), 'editor', id, 'approve');
  if (reach('accepted')) await step(next(), 'county', id, 'accept');
  if (reach('assigned')) await step(next(), 'county', id, 'assign', { unitId: DEPT, note: '请核实处理' });
  if (reach('toApprove'))
    await step(next(), 'dept', id, 'draft-reply', { body: '经核查，路灯线路老化，已安排更换。', submit: true });
  if (stage === 'toSign') await step(next(), 'deptHead', id, 'approve-reply', { sign: true });
  if (stage === 'replied') await step(next(), 'deptHead', id, 'approve-reply');
  return id;
}

const versionOf = async (id: number) =>
  (await t.db.selectFrom('messages').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
const eventsOf = async (id: number, kinds: string[]) =>
  (
    await t.db
      .selectFrom('case_events')
      .select('kind')
      .where('message_id', '=', id)
      .where('kind', 'in', kinds)
      .execute()
  ).length;
const noticesLike = async (id: number, pattern: string) =>
  (
    await t.db
      .selectFrom('notifications')
      .select('id')
      .where('message_id', '=', id)
      .where('text', 'like', pattern)
      .execute()
  ).length;

// ---- the races

interface Tally {
  races: number;
  'single winners': number;
  '409 CONFLICT': number;
  '409 for the state found': number;
  'other 4xx': number;
  '5xx': number;
  'busy, retried': number;
  'database mismatches': number;
}
const newTally = (): Tally => ({
  races: 0,
  'single winners': 0,
  '409 CONFLICT': 0,
  '409 for the state found': 0,
  'other 4xx': 0,
  '5xx': 0,
  'busy, retried': 0,
  'database mismatches': 0,
});

interface Scenario {
  name: string;
  stage: Stage | null;
  /** The two requests, the first to process `first`, the second to the other; `seen` is the version, when sent. */
  requests: (id: number, seen: object, first: number, tally: Tally) => [() => Promise<Answer>, () => Promise<Answer>];
  /** What the database must hold after the race, given which request won (0 or 1). */
  check: (id: number, winner: number, answers: Answer[]) => Promise<string[]>;
  /** Which answers count as the win (default: 200). */
  won?: (answer: Answer) => boolean;
}

const idempotencyKey = (n: number) => `race-key-${String(n).padStart(4, '0')}`;

const expect = (problems: string[], label: string, actual: unknown, wanted: unknown) => {
  if (JSON.stringify(actual) !== JSON.stringify(wanted))
    problems.push(`${label}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(wanted)}`);
};

const SCENARIOS: Scenario[] = [
  {
    name: 'accept ×2',
    stage: 'pending',
    requests: (id, seen, first, tally) => [
      () => act(first, 'county', id, 'accept', seen, () => tally['busy, retried']++),
      () => act(1 - first, 'county2', id, 'accept', seen, () => tally['busy, retried']++),
    ],
    async check(id) {
      const p: string[] = [];
      expect(p, 'accept events', await eventsOf(id, ['accept']), 1);
      expect(p, 'author told of acceptance', await noticesLike(id, '%已被受理%'), 1);
      return p;
    },
  },
  {
    name: 'assign to two units',
    stage: 'accepted',
    requests: (id, seen, first, tally) => [
      () =>
        act(first, 'county', id, 'assign', { unitId: DEPT, note: '请核实', ...seen }, () => tally['busy, retried']++),
      () =>
        act(1 - first, 'county2', id, 'assign', { unitId: DEPT_B, note: '请核实', ...seen }, () => {
          tally['busy, retried']++;
        }),
    ],
    async check(id, winner) {
      const p: string[] = [];
      const unit = winner === 0 ? DEPT : DEPT_B;
      expect(p, 'assign events', await eventsOf(id, ['assign']), 1);
      const m = await t.db.selectFrom('messages').select('current_unit_id').where('id', '=', id).executeTakeFirst();
      expect(p, 'unit handling it', m?.current_unit_id, unit);
      const told = await t.db
        .selectFrom('notifications')
        .select('unit_id')
        .where('message_id', '=', id)
        .where('unit_id', 'in', [DEPT, DEPT_B])
        .execute();
      expect(
        p,
        'units told',
        told.map((r) => r.unit_id),
        [unit],
      );
      return p;
    },
  },
  {
    name: 'two extension requests',
    stage: 'assigned',
    requests: (id, seen, first, tally) => [
      () =>
        act(first, 'dept', id, 'request-extension', { days: 3, reason: '需协调电力部门', ...seen }, () => {
          tally['busy, retried']++;
        }),
      () =>
        act(1 - first, 'dept2', id, 'request-extension', { days: 4, reason: '需协调供电公司', ...seen }, () => {
          tally['busy, retried']++;
        }),
    ],
    async check(id, winner) {
      const p: string[] = [];
      const rows = await t.db
        .selectFrom('extensions')
        .select(['status', 'days'])
        .where('message_id', '=', id)
        .execute();
      expect(
        p,
        'extensions',
        rows.map((r) => `${r.status}:${r.days}`),
        [`pending:${winner === 0 ? 3 : 4}`],
      );
      expect(p, 'request-extension events', await eventsOf(id, ['request-extension']), 1);
      return p;
    },
  },
  {
    name: 'sign + send-back of a reply',
    stage: 'toSign',
    requests: (id, seen, first, tally) => [
      () => act(first, 'leader', id, 'sign-reply', seen, () => tally['busy, retried']++),
      () =>
        act(1 - first, 'leader2', id, 'send-back-reply', { note: '请补充维修时间', ...seen }, () => {
          tally['busy, retried']++;
        }),
    ],
    async check(id, winner) {
      const p: string[] = [];
      expect(p, 'sign / send-back events', await eventsOf(id, ['sign-reply', 'send-back-reply']), 1);
      expect(p, 'the winner’s event', await eventsOf(id, [winner === 0 ? 'sign-reply' : 'send-back-reply']), 1);
      expect(p, 'publish events', await eventsOf(id, ['publish-reply']), winner === 0 ? 1 : 0);
      const m = await t.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirst();
      expect(p, 'status', m?.status, winner === 0 ? 'replied' : 'assigned');
      return p;
    },
  },
  {
    name: 'approve-reply ×2',
    stage: 'toApprove',
    requests: (id, seen, first, tally) => [
      () => act(first, 'deptHead', id, 'approve-reply', seen, () => tally['busy, retried']++),
      () => act(1 - first, 'deptHead2', id, 'approve-reply', seen, () => tally['busy, retried']++),
    ],
    async check(id) {
      const p: string[] = [];
      expect(p, 'publish events', await eventsOf(id, ['publish-reply']), 1);
      expect(p, 'author told of the reply', await noticesLike(id, '%已答复%'), 1);
      return p;
    },
  },
  {
    name: 'rate ×2',
    stage: 'replied',
    requests: (id, seen, first, tally) => [
      () =>
        act(first, 'citizen', id, 'rate', { resolution: 2, timeliness: 3, attitude: 4, ...seen }, () => {
          tally['busy, retried']++;
        }),
      () =>
        act(1 - first, 'citizen', id, 'rate', { resolution: 5, timeliness: 3, attitude: 4, ...seen }, () => {
          tally['busy, retried']++;
        }),
    ],
    async check(id, winner) {
      const p: string[] = [];
      const rows = await t.db.selectFrom('ratings').select('resolution').where('message_id', '=', id).execute();
      expect(
        p,
        'ratings',
        rows.map((r) => r.resolution),
        [winner === 0 ? 2 : 5],
      );
      expect(p, 'rate events', await eventsOf(id, ['rate']), 1);
      return p;
    },
  },
  {
    name: 'same Idempotency-Key',
    stage: null,
    requests: (n, _seen, first, tally) => {
      const key = idempotencyKey(n);
      const submit = (server: number) => () =>
        call(
          server,
          'citizen',
          'POST',
          '/api/v1/messages',
          {
            boardId: BOARD,
            type: 'suggest',
            domain: 'urban',
            title: `竞速重试留言 ${key}`,
            body: `建议：请在小区门口增设路灯，方便居民夜间出行。重试编号 ${key}。`,
          },
          () => tally['busy, retried']++,
          { 'idempotency-key': key },
        );
      return [submit(first), submit(1 - first)];
    },
    won: (answer) => answer.status === 201,
    async check(n, _winner, answers) {
      const key = idempotencyKey(n);
      const p: string[] = [];
      const stored = await t.db
        .selectFrom('messages')
        .select('id')
        .where('title', '=', `竞速重试留言 ${key}`)
        .execute();
      expect(p, 'messages stored', stored.length, 1);
      expect(p, 'answers', answers.map((a) => a.status).sort(), [200, 201]);
      expect(
        p,
        'both answers name the stored message',
        answers.map((a) => (a.status < 300 ? (a.json() as { id: number }).id : null)),
        [stored[0]?.id, stored[0]?.id],
      );
      return p;
    },
  },
];

test(`two server processes racing the same steps (${TEST_ENGINE}): one winner each, 409 for the other, never a 5xx`, async () => {
  const started = Date.now();
  const failures: string[] = [];
  const total = newTally();
  const lines: [string, Tally][] = [];
  // Every message needed, prepared first (both processes writing), so the races themselves run close together.
  const prepared = new Map<Scenario, number[]>();
  for (const scenario of SCENARIOS) {
    const stage = scenario.stage;
    prepared.set(
      scenario,
      stage === null
        ? Array.from({ length: MESSAGES }, (_, i) => i + 1)
        : await pool(
            Array.from({ length: MESSAGES }, (_, i) => i),
            SETUP_AT_ONCE,
            (i) => prepare(stage, i % 2),
          ),
    );
  }
  const preparedIn = Date.now() - started;

  for (const scenario of SCENARIOS) {
    const tally = newTally();
    await pool(prepared.get(scenario)!, RACES_AT_ONCE, async (id, round) => {
      // Every other race the requests say the version their page showed; the others, like an older client, do not.
      const seen = scenario.stage !== null && round % 2 === 0 ? { version: await versionOf(id) } : {};
      // Which process gets the first request alternates.
      const [a, b] = scenario.requests(id, seen, Math.floor(round / 2) % 2, tally);
      const answers = await Promise.all([a(), b()]);
      const won = scenario.won ?? ((x: Answer) => x.status === 200);
      const winners = answers.map((x, i) => (won(x) ? i : -1)).filter((i) => i >= 0);
      tally.races++;
      if (winners.length === 1) tally['single winners']++;
      for (const x of answers) {
        if (won(x) || (scenario.stage === null && x.status === 200)) continue;
        if (x.status === 409 && /"code":"CONFLICT"/.test(x.body)) tally['409 CONFLICT']++;
        else if (x.status === 409) tally['409 for the state found']++;
        else if (x.status >= 500) tally['5xx']++;
        else tally['other 4xx']++;
      }
      const label = `${scenario.name} #${round + 1} (message ${id})`;
      const summary = answers.map((x) => `${x.status} ${x.body.slice(0, 160)}`).join(' | ');
      if (winners.length !== 1) {
        failures.push(`${label}: ${winners.length} winners: ${summary}`);
        return;
      }
      const losers = answers.filter((x) => !won(x) && !(scenario.stage === null && x.status === 200));
      if (losers.some((x) => x.status !== 409)) failures.push(`${label}: loser not 409: ${summary}`);
      const problems = await scenario.check(id, winners[0]!, answers);
      if (problems.length > 0) {
        tally['database mismatches']++;
        failures.push(`${label}: ${problems.join('; ')} (${summary})`);
      }
    });
    lines.push([scenario.name, tally]);
    for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += tally[key];
  }

  const { broken } = await verifyAllChains(t.db);
  for (const [name, tally] of lines) report(`two processes racing: ${name}`, TEST_ENGINE, { ...tally });
  report('two processes racing', TEST_ENGINE, {
    ...total,
    'setup busy, retried': counts.setupBusyRetried,
    'broken chains': broken === null ? 0 : 1,
    'prepared in ms': preparedIn,
    'took ms': Date.now() - started,
  });
  assert.equal(total['5xx'], 0, `no 5xx:\n${failures.join('\n')}`);
  assert.equal(total['single winners'], total.races, `every race has exactly one winner:\n${failures.join('\n')}`);
  assert.deepEqual(failures, [], 'every loser hears 409 and the database holds exactly the winner’s step');
  assert.equal(broken, null, 'every message’s case history is one unbroken chain');
});
