// Submission benchmark: acknowledged messages per second through `POST /api/v1/messages`, from many authors with
// their own app tokens, against one or two server processes this script starts on a fresh database of its own; then
// a check in the database that exactly the acknowledged messages were stored. Loopback only. See bench/README.md.
//
//   node --import tsx bench/submissions.bench.ts                        SQLite in a temporary DATA_DIR, one process
//   node --import tsx bench/submissions.bench.ts --synchronous FULL     the same with DATABASE_SYNCHRONOUS=FULL
//   node --import tsx bench/submissions.bench.ts --pg --processes 2     a new database on the PostgreSQL server named
//        by DATABASE_URL (postgres://…), else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres;
//        dropped at the end. Setting DATABASE_URL=postgres://… alone selects PostgreSQL too.
//
// Options: --duration <s> (10) --warmup <s> (2) --connections <n> (32) --authors <n> (200) --processes <n> (1)
//          --synchronous NORMAL|FULL --replays <n> (100: acknowledged requests sent again with their key afterwards)
//          --pairs <n> (20: new requests sent twice at once with one key) --cpu-prof <dir> (servers write CPU profiles)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { hashPassword } from '../src/accounts/passwords.ts';
import { issueToken } from '../src/accounts/tokens.service.ts';
import { usersRepository } from '../src/accounts/users.repository.ts';
import { loadConfig } from '../src/config.ts';
import { type Db, openDatabase } from '../src/db/kysely.ts';
import { migrateUp } from '../src/db/migrate.ts';
import { DOMAINS, MESSAGE_TYPES } from '../src/messages/message-kinds.ts';
import { seedReference } from '../src/reference/seed-reference.ts';
import { type LiuyanServer, startServer, withPgClient } from './server.ts';

/** Upper bounds, so that a typo cannot start an hour-long run or exhaust the machine. */
const MAX = { duration: 60, warmup: 30, connections: 256, authors: 5000, processes: 4, replays: 5000, pairs: 500 };
/** Rate limits count per client address, and every request here comes from 127.0.0.1: the configuration's highest. */
const RATE_LIMIT = '100000';
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  authors: number;
  processes: number;
  synchronous: 'NORMAL' | 'FULL' | undefined;
  replays: number;
  pairs: number;
  cpuProf: string | undefined;
  /** The PostgreSQL server to create the bench's database on; undefined: SQLite. */
  pgServer: string | undefined;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '32' },
      authors: { type: 'string', default: '200' },
      processes: { type: 'string', default: '1' },
      synchronous: { type: 'string' },
      replays: { type: 'string', default: '100' },
      pairs: { type: 'string', default: '20' },
      'cpu-prof': { type: 'string' },
      pg: { type: 'boolean', default: false },
    },
  });
  const int = (name: keyof typeof MAX, min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > MAX[name])
      throw new Error(`--${name} 应为 ${min}–${MAX[name]} 之间的整数`);
    return n;
  };
  const synchronous = values.synchronous?.toUpperCase();
  if (synchronous !== undefined && synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new Error('--synchronous 应为 NORMAL 或 FULL');
  }
  const envUrl = process.env.DATABASE_URL ?? '';
  const pgServer = envUrl.startsWith('postgres')
    ? envUrl
    : values.pg
      ? process.env.TEST_DATABASE_URL?.startsWith('postgres')
        ? process.env.TEST_DATABASE_URL
        : DEFAULT_PG
      : undefined;
  if (pgServer && !['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(pgServer).hostname)) {
    throw new Error('only a PostgreSQL server on this machine is used (127.0.0.1, ::1, localhost)');
  }
  return {
    duration: int('duration', 1),
    warmup: int('warmup', 0),
    connections: int('connections', 1),
    authors: int('authors', 1),
    processes: int('processes', 1),
    synchronous,
    replays: int('replays', 0),
    pairs: int('pairs', 0),
    cpuProf: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
    pgServer,
  };
}

// ── The database: made here, dropped at the end ───────────────────────────────────────────────────────────────

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  await withPgClient(serverUrl, (client) => client.query(text));
}

interface BenchDatabase {
  env: Record<string, string>;
  label: string;
  drop(): Promise<void>;
}

async function createDatabase(o: Options): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'liuyan-bench-submissions-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'liuyan.db')}`,
    LIUYAN_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    RATE_LIMIT_SUBMIT_PER_MINUTE: RATE_LIMIT,
    RATE_LIMIT_WRITE_PER_MINUTE: RATE_LIMIT,
    OPEN_DATA_DAYS: '0',
    SMS_DRIVER: 'log',
  };
  // --synchronous, else the environment's DATABASE_SYNCHRONOUS (the servers inherit it), else the default.
  const synchronous = o.synchronous ?? process.env.DATABASE_SYNCHRONOUS?.trim().toUpperCase() ?? 'NORMAL';
  env.DATABASE_SYNCHRONOUS = synchronous;
  let label = `SQLite (synchronous ${synchronous})`;
  let dropDatabase = async () => {};
  if (o.pgServer) {
    const name = `liuyan_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(o.pgServer, `create database ${name}`);
    const url = new URL(o.pgServer);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = () => adminQuery(o.pgServer!, `drop database if exists ${name} with (force)`);
    const settings = await pgSettings(env.DATABASE_URL);
    label = `PostgreSQL (synchronous_commit ${settings.synchronous_commit}, fsync ${settings.fsync})`;
  }
  return {
    env,
    label,
    async drop() {
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function pgSettings(url: string): Promise<Record<string, string>> {
  const { rows } = await withPgClient(url, (client) =>
    client.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings where name in ('synchronous_commit', 'fsync')`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
}

interface Author {
  id: number;
  token: string;
}

/** The schema, the reference data, and the authors with an app token each, written directly as a first start would. */
async function prepare(env: Record<string, string>, authors: number): Promise<{ authors: Author[]; boards: number[] }> {
  const db = openDatabase(loadConfig(env), { longRunning: true });
  try {
    await migrateUp(db);
    await seedReference(db);
    const boards = (await db.selectFrom('boards').select('id').where('active', '=', 1).orderBy('id').execute()).map(
      (b) => b.id,
    );
    if (boards.length === 0) throw new Error('the reference data has no open board');
    const made: Author[] = [];
    // The authors write with app tokens only: one hash of a random password serves them all (argon2 is slow on purpose).
    const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
    for (let i = 0; i < authors; i++) {
      const id = await usersRepository.insert(db, {
        phone: `139${String(i).padStart(8, '0')}`,
        passwordHash,
        nickname: `压测作者${i}`,
        isStaff: false,
      });
      const { token } = await issueToken(db, id, 'app', 'bench');
      made.push({ id, token });
    }
    return { authors: made, boards };
  } finally {
    await db.destroy();
  }
}

// ── The servers ───────────────────────────────────────────────────────────────────────────────────────────────

/** CPU seconds a process has used so far (user and system), from /proc; 0 where there is no /proc. */
function cpuSeconds(pid: number): number {
  try {
    // The fields after the command name, which is in parentheses and may contain spaces: utime and stime are 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every common architecture. */
const CLOCK_TICKS = 100;

/** The PostgreSQL server processes serving the bench's database (one per pooled connection). */
async function backendPids(url: string): Promise<number[]> {
  const { rows } = await withPgClient(url, (client) =>
    client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    ),
  );
  return rows.map((r) => r.pid);
}

// ── The requests ──────────────────────────────────────────────────────────────────────────────────────────────

const TYPES = Object.keys(MESSAGE_TYPES);
const DOMAIN_KEYS = Object.keys(DOMAINS);
const TOPICS = [
  [
    '小区路灯长期不亮',
    '我们小区东门到菜市场的一段路灯已经坏了一个多月，晚上老人和孩子出行很不方便，多次向物业反映没有结果。',
  ],
  [
    '公交站台没有遮雨棚',
    '上下班高峰时段在这个站台等车的人很多，站台既没有遮雨棚也没有座椅，下雨天大家只能站在雨里等车。',
  ],
  [
    '学校门口交通拥堵',
    '每天早上七点半前后学校门口接送的车辆把路口堵死，附近居民出行困难，希望增派交警或者设置临时停车区。',
  ],
  [
    '农田灌溉渠堵塞',
    '村里的主灌溉渠被垃圾和淤泥堵住了，春耕马上开始，下游几十亩田地引不到水，请相关部门尽快组织清理。',
  ],
  [
    '夜间施工噪声扰民',
    '附近工地连续几周晚上十一点以后还在施工，噪声很大，居民无法休息，请核实是否办理了夜间施工许可。',
  ],
  [
    '社区医院挂号困难',
    '社区卫生服务中心每天上午的号很快就没有了，老年人不会在手机上预约，希望保留一部分现场挂号名额。',
  ],
  [
    '拖欠工资问题',
    '我在本地一家装修公司工作了三个月，公司一直以各种理由拖欠工资，多次讨要没有结果，请劳动监察部门帮助。',
  ],
  [
    '感谢社区工作人员',
    '疫情期间社区工作人员每天上门为独居老人送药送菜，非常辛苦，特此留言表示感谢，希望领导予以表扬。',
  ],
] as const;

interface Submission {
  n: number;
  author: number;
  key: string;
  title: string;
  body: string;
}

/** A realistic message: a topic, a place on the author's chosen board, one in twenty with a phone number (masked). */
function submission(runId: string, n: number, authors: number, boards: number[]): Submission {
  const [topic, text] = TOPICS[n % TOPICS.length]!;
  const phone = n % 20 === 0 ? `联系电话 138${String(n % 100_000_000).padStart(8, '0')}。` : '';
  const body = `${text}具体位置在第${(n % 97) + 1}街道附近，已经持续很长时间。${phone}恳请有关部门调查处理，并及时答复，谢谢！`;
  const boardId = boards[(n * 7919) % boards.length]!;
  const payload = {
    boardId,
    type: TYPES[n % TYPES.length],
    domain: DOMAIN_KEYS[n % DOMAIN_KEYS.length],
    title: `${topic}（${n}）`,
    body,
    ...(n % 5 === 0 ? { location: `第${(n % 97) + 1}街道`, visibility: 'private' } : {}),
  };
  return { n, author: n % authors, key: `bench-${runId}-${n}`, title: payload.title, body: JSON.stringify(payload) };
}

interface Answer {
  status: number;
  id?: number;
  error?: string;
  ms: number;
}

function post(agent: http.Agent, port: number, token: string, s: Submission): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolveAnswer) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/messages',
        timeout: 30_000,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(s.body),
          'idempotency-key': s.key,
          accept: 'application/json',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - started;
          const status = res.statusCode ?? 0;
          try {
            const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              id?: number;
              error?: { code: string; fields?: { code: string }[] };
            };
            const fields = json.error?.fields?.map((f) => f.code).join(',');
            const error = json.error ? `${json.error.code}${fields ? ` (${fields})` : ''}` : undefined;
            resolveAnswer({ status, id: json.id, error, ms });
          } catch {
            resolveAnswer({ status, error: 'unreadable body', ms });
          }
        });
        res.on('error', (err) => resolveAnswer({ status: 0, error: err.message, ms: performance.now() - started }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (err) => resolveAnswer({ status: 0, error: err.message, ms: performance.now() - started }));
    request.end(s.body);
  });
}

interface Tally {
  /** 201 in the measured window. */
  acknowledged: number;
  latencies: number[];
  statuses: Map<number, number>;
  errors: Map<string, number>;
  /** Every acknowledgement, warm-up included: what must be in the database. */
  stored: Map<number, Submission>;
  /** Requests whose answer was not a 2xx: what may or may not be in the database. */
  unanswered: Submission[];
  /** Different requests acknowledged with one id: one of them would be lost. */
  sharedIds: number;
}

/** Records an acknowledgement; a second request acknowledged with the same id counts as a fault. */
function acknowledge(tally: Tally, id: number, s: Submission) {
  const earlier = tally.stored.get(id);
  if (earlier && earlier.key !== s.key) tally.sharedIds++;
  else tally.stored.set(id, s);
}

function count<K>(map: Map<K, number>, key: K) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function load(
  o: Options,
  servers: LiuyanServer[],
  authors: Author[],
  boards: number[],
  runId: string,
  /** Called when the warm-up ends and measuring begins. */
  onMeasure: () => void,
): Promise<{ tally: Tally; seconds: number; next: number }> {
  const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: o.connections }));
  const tally: Tally = {
    acknowledged: 0,
    latencies: [],
    statuses: new Map(),
    errors: new Map(),
    stored: new Map(),
    unanswered: [],
    sharedIds: 0,
  };
  let next = 0;
  const start = performance.now();
  const measureFrom = start + o.warmup * 1000;
  const stopAt = measureFrom + o.duration * 1000;
  const measuring = setTimeout(onMeasure, o.warmup * 1000);
  // Each connection sends its next request when the last is answered; requests go round the servers in turn.
  const connection = async () => {
    while (performance.now() < stopAt) {
      const n = next++;
      const s = submission(runId, n, authors.length, boards);
      const server = n % servers.length;
      const answer = await post(agents[server]!, servers[server]!.port, authors[s.author]!.token, s);
      const measured = performance.now() - answer.ms >= measureFrom;
      if (answer.status === 201 && answer.id !== undefined) acknowledge(tally, answer.id, s);
      else tally.unanswered.push(s);
      if (!measured) continue;
      tally.latencies.push(answer.ms);
      count(tally.statuses, answer.status);
      if (answer.status === 201) tally.acknowledged++;
      if (answer.status !== 201) count(tally.errors, `${answer.status} ${answer.error ?? ''}`.trim());
    }
  };
  await Promise.all(Array.from({ length: o.connections }, connection));
  const seconds = (performance.now() - measureFrom) / 1000;
  clearTimeout(measuring);
  for (const agent of agents) agent.destroy();
  return { tally, seconds, next };
}

/** Acknowledged requests sent again with their key, then new ones sent twice at once: one message each. */
async function idempotency(
  o: Options,
  servers: LiuyanServer[],
  authors: Author[],
  boards: number[],
  runId: string,
  tally: Tally,
  firstN: number,
): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const problems: string[] = [];
  const acked = [...tally.stored.entries()];
  let replayedSame = 0;
  for (let i = 0; i < Math.min(o.replays, acked.length); i++) {
    const [id, s] = acked[Math.floor((i * acked.length) / Math.min(o.replays, acked.length))]!;
    const server = servers[i % servers.length]!;
    const answer = await post(agent, server.port, authors[s.author]!.token, s);
    if (answer.status === 200 && answer.id === id) replayedSame++;
    else problems.push(`replay of ${s.key}: ${answer.status} id ${answer.id} (acknowledged as ${id})`);
  }
  let pairsOk = 0;
  for (let i = 0; i < o.pairs; i++) {
    const s = submission(runId, firstN + i, authors.length, boards);
    // Through both processes when there are two: the race is then between processes.
    const answers = await Promise.all(
      [0, 1].map((k) => post(agent, servers[(i + k) % servers.length]!.port, authors[s.author]!.token, s)),
    );
    const statuses = answers.map((a) => a.status).sort();
    const ids = new Set(answers.map((a) => a.id));
    const created = answers.find((a) => a.status === 201);
    if (created?.id !== undefined) acknowledge(tally, created.id, s);
    if (statuses.join() === '200,201' && ids.size === 1) pairsOk++;
    else {
      problems.push(`pair ${s.key}: ${answers.map((a) => `${a.status} ${a.id ?? a.error}`).join(' / ')}`);
      if (!created) tally.unanswered.push(s);
    }
  }
  agent.destroy();
  return [
    `Idempotency: ${replayedSame}/${Math.min(o.replays, acked.length)} acknowledged requests sent again → 200 with the same id; ` +
      `${pairsOk}/${o.pairs} requests sent twice at once → one 201 and one 200 with the same id`,
    ...problems.slice(0, 10),
  ];
}

// ── The check ─────────────────────────────────────────────────────────────────────────────────────────────────

async function check(db: Db, tally: Tally, authors: Author[]): Promise<{ lines: string[]; ok: boolean }> {
  const total = Number(
    (
      await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const acked = [...tally.stored.keys()];
  let lost = 0;
  let mismatched = 0;
  for (let i = 0; i < acked.length; i += 500) {
    const ids = acked.slice(i, i + 500);
    const rows = await db
      .selectFrom('messages')
      .leftJoin('idempotency_keys', 'idempotency_keys.message_id', 'messages.id')
      .select(['messages.id', 'messages.title', 'messages.author_id', 'idempotency_keys.key'])
      .where('messages.id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const row = byId.get(id);
      const s = tally.stored.get(id)!;
      if (!row) lost++;
      else if (row.title !== s.title || row.author_id !== authors[s.author]!.id || row.key !== s.key) mismatched++;
    }
  }
  const duplicated = await db
    .selectFrom('messages')
    .select(['title', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('title')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  // Stored although not acknowledged: allowed only for requests that got no 2xx (a timeout after the commit).
  const unacknowledged = total - acked.length;
  const { rows: history } = await sql<{ n: number | string }>`
    select count(*) as n from messages m
    where (select count(*) from case_events e where e.message_id = m.id and e.kind = 'submit') <> 1
       or (select count(*) from case_events e where e.message_id = m.id) <> 1
       or not exists (select 1 from message_search s where s.message_id = m.id)
       or not exists (select 1 from idempotency_keys k where k.message_id = m.id)`.execute(db);
  const badHistory = Number(history[0]?.n ?? 0);
  const ok =
    lost === 0 &&
    mismatched === 0 &&
    tally.sharedIds === 0 &&
    duplicated.length === 0 &&
    badHistory === 0 &&
    unacknowledged >= 0 &&
    unacknowledged <= tally.unanswered.length;
  return {
    ok,
    lines: [
      `Database: ${total} messages, ${acked.length} acknowledged (warm-up and idempotency checks included): ` +
        `lost ${lost}, stored differently ${mismatched}, acknowledged with another's id ${tally.sharedIds}, ` +
        `duplicated ${duplicated.length}, ` +
        `stored without a 201 ${unacknowledged} (of ${tally.unanswered.length} requests not acknowledged), ` +
        `without exactly one submit event, a search entry and its key ${badHistory} → ${ok ? 'OK' : 'FAILED'}`,
    ],
  };
}

// ── The run ───────────────────────────────────────────────────────────────────────────────────────────────────

const loadAverage = () => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  }
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const o = options();
  const runId = randomBytes(3).toString('hex');
  const database = await createDatabase(o);
  const servers: LiuyanServer[] = [];
  let ok = false;
  try {
    const setupStarted = performance.now();
    const { authors, boards } = await prepare(database.env, o.authors);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    for (let i = 0; i < o.processes; i++) servers.push(await startServer(database.env, o.cpuProf));
    console.log(
      `Submissions: ${database.label}, ${o.processes} process${o.processes > 1 ? 'es' : ''}, ` +
        `${o.connections} connections, ${o.authors} authors on ${boards.length} boards, ` +
        `${o.duration} s after ${o.warmup} s warm-up (set-up ${setupSeconds.toFixed(1)} s)`,
    );
    // CPU used while measuring: this client, each server process, and the PostgreSQL processes serving its pools.
    let loadBefore = loadAverage();
    let clientFrom = process.cpuUsage();
    let serversFrom = 0;
    let backendsFrom = Promise.resolve(new Map<number, number>());
    const backendCpu = async () =>
      new Map((o.pgServer ? await backendPids(database.env.DATABASE_URL!) : []).map((pid) => [pid, cpuSeconds(pid)]));
    const onMeasure = () => {
      loadBefore = loadAverage();
      clientFrom = process.cpuUsage();
      serversFrom = servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
      backendsFrom = backendCpu();
    };
    const { tally, seconds, next } = await load(o, servers, authors, boards, runId, onMeasure);
    const loadAfter = loadAverage();
    const client = process.cpuUsage(clientFrom);
    const serverCpu = servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0) - serversFrom;
    const [backendsBefore, backendsAfter] = [await backendsFrom, await backendCpu()];
    const postgresCpu = [...backendsAfter].reduce((sum, [pid, cpu]) => sum + cpu - (backendsBefore.get(pid) ?? 0), 0);
    const latencies = [...tally.latencies].sort((a, b) => a - b);
    const non2xx = [...tally.statuses].filter(([s]) => s !== 0 && (s < 200 || s > 299)).reduce((a, [, n]) => a + n, 0);
    const errors = tally.statuses.get(0) ?? 0;
    const lines = [
      `acknowledged (201): ${tally.acknowledged} in ${seconds.toFixed(1)} s = ${(tally.acknowledged / seconds).toFixed(0)}/s; ` +
        `latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, ` +
        `max ${percentile(latencies, 1).toFixed(1)} ms; non-2xx ${non2xx}, errors ${errors}`,
      ...[...tally.errors].slice(0, 10).map(([what, n]) => `  ${n} × ${what}`),
      `load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}; ` +
        `CPU cores used meanwhile: client ${((client.user + client.system) / 1e6 / seconds).toFixed(2)}, ` +
        `server${servers.length > 1 ? 's' : ''} ${(serverCpu / seconds).toFixed(2)}` +
        (o.pgServer ? `, PostgreSQL backends ${(postgresCpu / seconds).toFixed(2)}` : ''),
      `CPU per acknowledged message: server${servers.length > 1 ? 's' : ''} ${((serverCpu * 1000) / Math.max(1, tally.acknowledged)).toFixed(2)} ms` +
        (o.pgServer
          ? `, PostgreSQL backends ${((postgresCpu * 1000) / Math.max(1, tally.acknowledged)).toFixed(2)} ms`
          : ''),
    ];
    for (const line of lines) console.log(line);
    for (const line of await idempotency(o, servers, authors, boards, runId, tally, next)) console.log(line);
    for (const server of servers.splice(0)) await server.stop();
    const db = openDatabase(loadConfig(database.env), { longRunning: true });
    try {
      const result = await check(db, tally, authors);
      for (const line of result.lines) console.log(line);
      ok = result.ok;
    } finally {
      await db.destroy();
    }
    if (o.cpuProf) console.log(`CPU profiles of the servers: ${o.cpuProf}`);
  } finally {
    for (const server of servers) await server.stop();
    await database.drop();
  }
  if (!ok) process.exitCode = 1;
}

await main();
