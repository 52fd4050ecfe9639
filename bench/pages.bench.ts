// Page benchmark: requests per second and latency of the main pages of ONE running server as a signed-in visitor
// sees them (a real session, so the page cache is out of play), next to a bare Fastify server (a worker thread of this
// process) sending a static page as large as the board page, in the same run. Loopback addresses only. See
// bench/README.md.
//
//   node --import tsx bench/pages.bench.ts                         starts `node bin/liuyan.js serve` itself
//   node --import tsx bench/pages.bench.ts http://127.0.0.1:3000   measures a server that is already running
//
// Options: --duration <s> (5) --connections <n> (10) --warmup <s> (1) --settle <s> (3) --q <term> (路灯)
//          --board <id> --region <code> --message <id> (otherwise picked from the database: the busiest board,
//          its region, its newest closed public message with a reply), --unit <id> (the unit with the most open
//          messages), --netizen <phone> (19900000101, a demo account), --staff <phone> (a bench account on the busy
//          unit, created when missing), --password <p> (LIUYAN_DEMO_PASSWORD or the demo default), --anonymous (adds
//          the anonymous visitor's rows, answered from the page cache), --only <labels> (comma-separated row labels),
//          --latency <terms> (路,路灯,停车场,小区物业: search terms timed one request at a time), --requests <n> (100 per
//          term).
import { once } from 'node:events';
import { createRequire } from 'node:module';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { usersRepository } from '../src/accounts/users.repository.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/kysely.ts';
import { DEMO_PASSWORD_DEFAULT } from '../src/demo/demo-seed.ts';
import { cursorAfter, PAGE_SIZE } from '../src/search/message-list.ts';
import { startServer, waitUntilReady } from './server.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const PUBLIC_STATUSES = ['pending', 'assigned', 'replied', 'closed'];
const OPEN_STATUSES = ['pending', 'assigned', 'replied'];
/** Upper bounds, so that a typo cannot start an hour-long run. */
const MAX_DURATION = 60;
const MAX_CONNECTIONS = 200;
/** The demo netizen the README lists, and the account the bench adds to the busy unit when none is named. */
const DEMO_NETIZEN = '19900000101';
const BENCH_STAFF = { phone: '19900000099', nickname: '压测办理员' };

/** Who a row is measured as: a signed-in netizen or staff member (browser session), an app (bearer token), nobody. */
type Visitor = 'netizen' | 'staff' | 'app' | 'anonymous';

interface Target {
  label: string;
  path: string;
  as: Visitor;
  /** Skipped with a note when the server answers 404 (the route does not exist yet). */
  optional?: boolean;
}

interface Row {
  label: string;
  path: string;
  as: Visitor | 'bare';
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
  bad: number;
}

// ── The bare server, in a worker thread of this process ───────────────────────────────────────────────────────

/**
 * Plain CommonJS, evaluated in the worker: a worker does not get the TypeScript loader this file runs under.
 * It answers every GET / with the same static HTML and reports its port.
 */
const BARE_SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const Fastify = require(workerData.fastify);
const app = Fastify({ logger: false });
app.get('/', (request, reply) => reply.type('text/html; charset=utf-8').send(workerData.html));
app.listen({ host: '127.0.0.1', port: 0 }).then(() => {
  parentPort.postMessage(app.server.address().port);
  parentPort.once('message', () => app.close().then(() => process.exit(0)));
});
`;

async function startBare(html: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const fastify = createRequire(import.meta.url).resolve('fastify');
  const worker = new Worker(BARE_SERVER, { eval: true, workerData: { html, fastify } });
  const [port] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([err]) => Promise.reject(err as Error)),
  ])) as [number];
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      worker.postMessage('stop');
      await once(worker, 'exit');
    },
  };
}

// ── Signing in ────────────────────────────────────────────────────────────────────────────────────────────────

/** The cookies a browser would keep, as one Cookie header. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }

  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** Signs in through the login form, as a browser does; the session cookie is the visitor's from then on. */
async function signIn(base: string, phone: string, password: string): Promise<string> {
  const jar = new CookieJar();
  const form = await fetch(`${base}/login`);
  jar.take(form);
  const token = csrfOf(await form.text());
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ phone, password, _csrf: token ?? '', next: '/' }).toString(),
  });
  await res.arrayBuffer();
  jar.take(res);
  const location = res.headers.get('location') ?? '';
  if (res.status !== 303 || !jar.has('sid') || location.startsWith('/login')) {
    const why = location.startsWith('/login/totp') ? 'the account must use two-step verification' : `${res.status}`;
    throw new Error(`signing in as ${phone} failed (${why}): give --netizen/--staff and --password of an account`);
  }
  return jar.header;
}

async function signOut(base: string, cookie: string): Promise<void> {
  const page = await fetch(`${base}/account`, { headers: { cookie } });
  const token = csrfOf(await page.text());
  if (!token) return;
  const res = await fetch(`${base}/logout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token }).toString(),
  });
  await res.arrayBuffer();
}

/** A bearer token for the list API, as the app gets one. */
async function appToken(base: string, phone: string, password: string): Promise<string | null> {
  const res = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password, name: 'bench' }),
  });
  const body = (await res.json()) as { token?: string };
  return res.status === 201 && body.token ? body.token : null;
}

async function revokeToken(base: string, token: string): Promise<void> {
  const res = await fetch(`${base}/api/v1/auth/token`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
}

// ── What to measure ───────────────────────────────────────────────────────────────────────────────────────────

/** The province a region lies in (GB/T 2260: the first two digits). */
const provinceOf = (code: string) => `${code.slice(0, 2)}0000`;
const lastYear = new Date().getFullYear() - 1;

interface Picks {
  board?: number;
  region?: string;
  message?: number;
  messages?: number;
  engine?: string;
  /** Cursors onto the last page of the whole list and of the board (the oldest public messages). */
  lastListCursor?: string;
  lastBoardBefore?: number;
  /** The unit with the most open messages, how many, the staff account that works it and one of its messages. */
  unit?: number;
  unitOpen?: number;
  staffPhone?: string;
  unitMessage?: number;
}

/**
 * The busiest board, its region and its newest closed public message with a reply; the unit with the most open
 * messages and a staff account there (the bench's own, created through the staff service when missing).
 */
async function pickFromDatabase(given: Picks, staffPhone: string | undefined, password: string): Promise<Picks> {
  const config = loadConfig();
  const db = openDatabase(config);
  try {
    const total = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const picks: Picks = { messages: Number(total.n), engine: config.engine, ...given };
    if (picks.board === undefined || picks.region === undefined) {
      const busiest = await db
        .selectFrom('messages')
        .select(['board_id', 'region_code', (eb) => eb.fn.countAll<number>().as('n')])
        .where('visibility', '=', 'public')
        .where('status', 'in', PUBLIC_STATUSES)
        .groupBy(['board_id', 'region_code'])
        .orderBy('n', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!busiest) return picks;
      picks.board ??= busiest.board_id;
      picks.region ??= busiest.region_code;
    }
    const board = picks.board;
    if (picks.message === undefined) {
      const message = await db
        .selectFrom('messages')
        .select('id')
        .where('board_id', '=', board)
        .where('visibility', '=', 'public')
        .where('status', '=', 'closed')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('replies')
              .select('replies.id')
              .whereRef('replies.message_id', '=', 'messages.id')
              .where('replies.status', '=', 'published'),
          ),
        )
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      picks.message = message?.id;
    }
    // The last page starts after the (PAGE_SIZE + 1)-th oldest public message: keyset paging must not slow down there.
    const oldest = (boardId?: number) => {
      let q = db
        .selectFrom('messages')
        .select('id')
        .where('visibility', '=', 'public')
        .where('status', 'in', PUBLIC_STATUSES);
      if (boardId !== undefined) q = q.where('board_id', '=', boardId);
      return q.orderBy('id', 'asc').offset(PAGE_SIZE).limit(1).executeTakeFirst();
    };
    const [lastList, lastBoard] = await Promise.all([oldest(), oldest(board)]);
    picks.lastListCursor = lastList ? cursorAfter(lastList.id) : undefined;
    picks.lastBoardBefore = lastBoard?.id;

    // The workbench: the unit with the most open messages, unless one is named.
    if (picks.unit === undefined) {
      const busy = await db
        .selectFrom('messages')
        .select(['current_unit_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'in', OPEN_STATUSES)
        .where('current_unit_id', 'is not', null)
        .groupBy('current_unit_id')
        .orderBy('n', 'desc')
        .limit(1)
        .executeTakeFirst();
      picks.unit = busy?.current_unit_id ?? undefined;
    }
    if (picks.unit === undefined) return picks;
    const unit = picks.unit;
    const open = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', OPEN_STATUSES)
      .where((eb) => eb.or([eb('current_unit_id', '=', unit), eb('assigned_by_unit_id', '=', unit)]))
      .executeTakeFirstOrThrow();
    picks.unitOpen = Number(open.n);
    const worked = await db
      .selectFrom('messages')
      .select('id')
      .where('current_unit_id', '=', unit)
      .where('status', '=', 'assigned')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    picks.unitMessage = worked?.id;
    if (staffPhone) {
      picks.staffPhone = staffPhone;
    } else {
      // The bench's own staff account on that unit: created once with the demo password, kept for later runs.
      const existing = await usersRepository.findByPhone(db, BENCH_STAFF.phone);
      const grants = existing ? await usersRepository.listGrants(db, existing.id) : [];
      if (!grants.some((g) => g.role === 'unit_staff' && g.scope_type === 'unit' && g.scope_id === String(unit))) {
        if (grants.length > 0) {
          throw new Error(
            `the bench account ${BENCH_STAFF.phone} works for another unit: give --unit ${grants[0]!.scope_id} or --staff`,
          );
        }
        await createStaff(db, COMMAND_LINE, {
          phone: BENCH_STAFF.phone,
          nickname: BENCH_STAFF.nickname,
          password,
          role: 'unit_staff',
          scopeType: 'unit',
          scopeId: String(unit),
        });
      }
      picks.staffPhone = BENCH_STAFF.phone;
    }
    return picks;
  } finally {
    await db.destroy();
  }
}

/** The value at a percentile of sorted numbers. */
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

async function measure(
  url: string,
  options: { duration: number; connections: number; headers?: Record<string, string> },
): Promise<Omit<Row, 'label' | 'path' | 'as'>> {
  // Every response's time, to the microsecond (autocannon's own histogram counts whole milliseconds).
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.duration,
        timeout: 10,
        headers: { accept: 'text/html,application/json', ...options.headers },
      },
      (err, res) => (err ? reject(err as Error) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime: number) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    bytes: result.throughput.average / Math.max(result.requests.average, 1),
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Search pages one request at a time, so the figures are what one visitor waits (the table above measures
 * throughput under 10 connections, where queueing adds to every request's latency).
 */
async function searchLatency(
  base: string,
  terms: string[],
  requests: number,
  headers: Record<string, string>,
): Promise<string> {
  const lines = [`Search latency (signed in), ${requests} sequential requests per term after 10 warm-up:`];
  lines.push('term          results  p50 ms  p95 ms  p99 ms  max ms');
  for (const term of terms) {
    const url = `${base}/search?q=${encodeURIComponent(term)}`;
    const times: number[] = [];
    let results = 0;
    for (let i = -10; i < requests; i++) {
      const started = performance.now();
      const res = await fetch(url, { headers });
      const html = await res.text();
      if (!res.ok) throw new Error(`GET /search?q=${term} answered ${res.status}`);
      if (i >= 0) times.push(performance.now() - started);
      results = (html.match(/<a href="\/messages\/\d+"[^>]*>/g) ?? []).length;
    }
    times.sort((a, b) => a - b);
    lines.push(
      [
        term.padEnd(14 - [...term].length),
        String(results).padStart(7),
        percentile(times, 0.5).toFixed(1).padStart(6),
        percentile(times, 0.95).toFixed(1).padStart(6),
        percentile(times, 0.99).toFixed(1).padStart(6),
        times[times.length - 1]!.toFixed(1).padStart(6),
      ].join('  '),
    );
  }
  return lines.join('\n');
}

const AS_LABEL: Record<Row['as'], string> = {
  bare: '',
  netizen: 'netizen',
  staff: 'staff',
  app: 'app token',
  anonymous: 'anonymous',
};

function table(rows: Row[], bare: Row): string {
  const header = ['row', 'path', 'as', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'KB', 'vs bare', 'non-2xx/errors'];
  const lines = rows.map((r) => [
    r.label,
    r.path,
    AS_LABEL[r.as],
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    (r.bytes / 1024).toFixed(1),
    r === bare ? '1' : (r.rps / bare.rps).toFixed(3),
    String(r.bad),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      settle: { type: 'string', default: '3' },
      q: { type: 'string', default: '路灯' },
      board: { type: 'string' },
      region: { type: 'string' },
      message: { type: 'string' },
      unit: { type: 'string' },
      netizen: { type: 'string', default: DEMO_NETIZEN },
      staff: { type: 'string' },
      password: { type: 'string' },
      anonymous: { type: 'boolean', default: false },
      only: { type: 'string' },
      latency: { type: 'string', default: '路,路灯,停车场,小区物业' },
      requests: { type: 'string', default: '100' },
    },
  });
  const requests = Math.min(Math.max(Math.floor(Number(values.requests)) || 100, 1), 10_000);
  const latencyTerms = values.latency.split(',').filter(Boolean).slice(0, 20);
  const duration = Math.min(Math.max(Number(values.duration) || 5, 1), MAX_DURATION);
  const warmup = Math.min(Math.max(Number(values.warmup) || 0, 0), MAX_DURATION);
  const connections = Math.min(Math.max(Math.floor(Number(values.connections)) || 10, 1), MAX_CONNECTIONS);
  const settle = Math.min(Math.max(Number(values.settle) || 0, 0), MAX_DURATION);
  const password = values.password ?? process.env.LIUYAN_DEMO_PASSWORD ?? DEMO_PASSWORD_DEFAULT;
  const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
  const given = positionals[0];
  if (given !== undefined) {
    const host = new URL(given).hostname;
    if (!LOOPBACK.has(host))
      throw new Error(`only loopback addresses are measured (127.0.0.1, ::1, localhost), not ${host}`);
  }

  const named: Picks = {};
  if (values.board) named.board = Number(values.board);
  if (values.region) named.region = values.region;
  if (values.message) named.message = Number(values.message);
  if (values.unit) named.unit = Number(values.unit);
  const picks = await pickFromDatabase(named, values.staff, password);
  if (picks.board === undefined) {
    throw new Error(
      'no public messages in the database: generate some first (npx liuyan seed demo --messages 1000000)',
    );
  }

  const server = given ? { url: given.replace(/\/$/, ''), stop: async () => {} } : await startServer();
  const stops: (() => Promise<void>)[] = [server.stop];
  try {
    if (given) await waitUntilReady(server.url, null, 10_000);
    // The first scheduler pass runs at start; let it finish before measuring.
    await new Promise((resolve) => setTimeout(resolve, settle * 1000));

    // Real sign-ins: the netizen's and the staff member's browser sessions, the netizen's app token.
    const netizen = await signIn(server.url, values.netizen, password);
    stops.unshift(() => signOut(server.url, netizen));
    const staff = picks.staffPhone ? await signIn(server.url, picks.staffPhone, password) : null;
    if (staff) stops.unshift(() => signOut(server.url, staff));
    const token = await appToken(server.url, values.netizen, password);
    if (token) stops.unshift(() => revokeToken(server.url, token));
    const headersFor: Record<Visitor, Record<string, string> | undefined> = {
      netizen: { cookie: netizen },
      staff: staff ? { cookie: staff } : undefined,
      app: token ? { authorization: `Bearer ${token}` } : undefined,
      anonymous: {},
    };

    const province = picks.region ? provinceOf(picks.region) : undefined;
    const targets: Target[] = [
      { label: 'home', path: '/', as: 'netizen' },
      { label: 'region', path: `/regions/${picks.region}`, as: 'netizen' },
      { label: 'board', path: `/boards/${picks.board}`, as: 'netizen' },
      ...(picks.message !== undefined
        ? [{ label: 'message', path: `/messages/${picks.message}`, as: 'netizen' as const }]
        : []),
      { label: 'search', path: `/search?q=${encodeURIComponent(values.q)}`, as: 'netizen', optional: true },
      { label: 'list API', path: '/api/v1/messages', as: 'app', optional: true },
      ...(picks.lastListCursor
        ? [
            {
              label: 'list API, last page',
              path: `/api/v1/messages?cursor=${picks.lastListCursor}`,
              as: 'app' as const,
              optional: true,
            },
          ]
        : []),
      ...(picks.lastBoardBefore
        ? [
            {
              label: 'board, last page',
              path: `/boards/${picks.board}?before=${picks.lastBoardBefore}`,
              as: 'netizen' as const,
            },
          ]
        : []),
      ...(staff ? [{ label: 'workbench', path: '/workbench', as: 'staff' as const }] : []),
      ...(staff && picks.unitMessage !== undefined
        ? [{ label: 'workbench message', path: `/workbench/messages/${picks.unitMessage}`, as: 'staff' as const }]
        : []),
      // Statistics: the province of the busiest board, this year and last year.
      { label: 'stats, platform', path: '/stats', as: 'netizen', optional: true },
      ...(province
        ? [
            { label: 'stats, province', path: `/stats/regions/${province}`, as: 'anonymous' as const, optional: true },
            {
              label: 'stats, province, last year',
              path: `/stats/regions/${province}?period=${lastYear}`,
              as: 'netizen' as const,
              optional: true,
            },
            {
              label: 'stats API, province',
              path: `/api/v1/stats?region=${province}&period=${lastYear}`,
              as: 'anonymous' as const,
              optional: true,
            },
          ]
        : []),
      // What anonymous visitors get: the page cache (one render every PAGE_CACHE_SECONDS).
      ...(values.anonymous
        ? [
            { label: 'home, anonymous', path: '/', as: 'anonymous' as const },
            { label: 'board, anonymous', path: `/boards/${picks.board}`, as: 'anonymous' as const },
            ...(picks.message !== undefined
              ? [{ label: 'message, anonymous', path: `/messages/${picks.message}`, as: 'anonymous' as const }]
              : []),
          ]
        : []),
    ];
    const boardPage = await fetch(`${server.url}/boards/${picks.board}`, { headers: headersFor.netizen });
    if (!boardPage.ok) throw new Error(`GET /boards/${picks.board} answered ${boardPage.status}`);
    const html = await boardPage.text();
    const bare = await startBare(html);
    stops.unshift(bare.stop);

    const notes: string[] = [];
    const rows: Row[] = [];
    const run = async (target: Target | null, base: string) => {
      const path = target?.path ?? '/';
      const headers = target ? headersFor[target.as] : undefined;
      const url = `${base}${path}`;
      if (warmup > 0) await measure(url, { duration: warmup, connections, headers });
      const row: Row = {
        label: target?.label ?? 'bare',
        path: target ? path : `static page, ${Buffer.byteLength(html)} B`,
        as: target?.as ?? 'bare',
        ...(await measure(url, { duration, connections, headers })),
      };
      rows.push(row);
      process.stderr.write(`${row.label} ${row.path}: ${row.rps.toFixed(0)} req/s\n`);
      return row;
    };
    const bareFirst = await run(null, bare.url);
    for (const target of targets) {
      if (only && !only.has(target.label)) continue;
      const headers = headersFor[target.as];
      if (!headers) {
        notes.push(`${target.label}: skipped, no ${target.as} could sign in`);
        continue;
      }
      const probe = await fetch(`${server.url}${target.path}`, {
        headers: { accept: 'text/html,application/json', ...headers },
        redirect: 'manual',
      });
      await probe.arrayBuffer();
      if (probe.status === 404 && target.optional) {
        notes.push(`${target.path}: skipped, the server has no such route yet (404)`);
        continue;
      }
      if (!probe.ok) throw new Error(`GET ${target.path} as ${target.as} answered ${probe.status}`);
      if (target.as !== 'anonymous' && probe.headers.get('x-page-cache')) {
        throw new Error(`GET ${target.path} as ${target.as} came from the page cache`);
      }
      await run(target, server.url);
    }
    // The bare page again: the ratio uses the mean of both, so that a slow start (the scheduler's first pass,
    // autovacuum after a bulk load) does not skew it.
    const bareLast = await run(null, bare.url);
    rows.splice(rows.indexOf(bareLast), 1);
    const bareRow = bareFirst;
    const spread = Math.abs(bareFirst.rps - bareLast.rps) / Math.max(bareFirst.rps, bareLast.rps);
    if (spread > 0.2) {
      notes.push(
        `the bare page gave ${bareFirst.rps.toFixed(0)} req/s first and ${bareLast.rps.toFixed(0)} last: ` +
          'something else used the CPU, repeat the run',
      );
    }
    bareRow.rps = (bareFirst.rps + bareLast.rps) / 2;
    bareRow.p50 = (bareFirst.p50 + bareLast.p50) / 2;
    bareRow.p95 = (bareFirst.p95 + bareLast.p95) / 2;
    bareRow.p99 = (bareFirst.p99 + bareLast.p99) / 2;
    bareRow.bad += bareLast.bad;
    bareRow.path = `${bareRow.path}, mean of first and last`;

    const load = os.loadavg().map((n) => n.toFixed(2));
    console.log(
      `Liuyan pages, ${connections} connections, ${duration} s each (after ${warmup} s warm-up); ` +
        `${picks.messages ?? '?'} messages on ${picks.engine ?? '?'}; ${os.cpus().length} CPUs, Node ${process.version}; ` +
        `load average ${load.join(' ')}`,
    );
    if (picks.unit !== undefined) {
      console.log(
        `workbench: unit ${picks.unit} (${picks.unitOpen ?? '?'} open messages in its inbox), as ${picks.staffPhone}`,
      );
    }
    console.log(table(rows, bareRow));
    for (const note of notes) console.log(`note: ${note}`);
    if (!only || only.has('search latency')) {
      console.log(await searchLatency(server.url, latencyTerms, requests, { cookie: netizen }));
    }
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
