// Page benchmark: requests per second and latency of the main public pages of ONE running server, next to a bare
// Fastify server (a worker thread of this process) sending a static page as large as the board page, in the same
// run. Loopback addresses only. See bench/README.md.
//
//   node --import tsx bench/pages.bench.ts                         starts `node bin/liuyan.js serve` itself
//   node --import tsx bench/pages.bench.ts http://127.0.0.1:3000   measures a server that is already running
//
// Options: --duration <s> (5) --connections <n> (10) --warmup <s> (1) --settle <s> (3) --q <term> (路灯)
//          --board <id> --region <code> --message <id> (otherwise picked from the database: the busiest board,
//          its region, its newest closed public message with a reply), --latency <terms> (路,路灯,停车场,小区物业:
//          search terms timed one request at a time), --requests <n> (100 per term).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/kysely.ts';
import { cursorAfter, PAGE_SIZE } from '../src/search/message-list.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const PUBLIC_STATUSES = ['pending', 'assigned', 'replied', 'closed'];
/** Upper bounds, so that a typo cannot start an hour-long run. */
const MAX_DURATION = 60;
const MAX_CONNECTIONS = 200;

interface Target {
  label: string;
  path: string;
  /** Skipped with a note when the server answers 404 (the route does not exist yet). */
  optional?: boolean;
  /** Measured as a signed-in visitor would see it: an unknown session cookie keeps the page out of the cache. */
  uncached?: boolean;
}

/** A session cookie no session has: the page is rendered for every request, as for a signed-in visitor. */
const UNCACHED = { cookie: 'sid=bench-uncached' };

interface Row {
  label: string;
  path: string;
  rps: number;
  p50: number;
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

// ── The Liuyan server ─────────────────────────────────────────────────────────────────────────────────────────

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(base: string, child: ChildProcess | null, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${base} was not ready within ${timeoutMs / 1000} s`);
}

async function startLiuyan(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const bin = fileURLToPath(new URL('../bin/liuyan.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(url, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
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
}

/** The busiest board, its region and its newest closed public message with a reply, from the environment's database. */
async function pickFromDatabase(): Promise<Picks> {
  const config = loadConfig();
  const db = openDatabase(config);
  try {
    const total = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const busiest = await db
      .selectFrom('messages')
      .select(['board_id', 'region_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('visibility', '=', 'public')
      .where('status', 'in', PUBLIC_STATUSES)
      .groupBy(['board_id', 'region_code'])
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!busiest) return { messages: Number(total.n), engine: config.engine };
    const message = await db
      .selectFrom('messages')
      .select('id')
      .where('board_id', '=', busiest.board_id)
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
    const [lastList, lastBoard] = await Promise.all([oldest(), oldest(busiest.board_id)]);
    return {
      lastListCursor: lastList ? cursorAfter(lastList.id) : undefined,
      lastBoardBefore: lastBoard?.id,
      board: busiest.board_id,
      region: busiest.region_code,
      message: message?.id,
      messages: Number(total.n),
      engine: config.engine,
    };
  } finally {
    await db.destroy();
  }
}

async function measure(
  url: string,
  options: { duration: number; connections: number; headers?: Record<string, string> },
): Promise<Omit<Row, 'label' | 'path'>> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.duration,
    timeout: 10,
    headers: { accept: 'text/html,application/json', ...options.headers },
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: result.throughput.average / Math.max(result.requests.average, 1),
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Search pages one request at a time, so the figures are what one visitor waits (the table above measures
 * throughput under 10 connections, where queueing adds to every request's latency).
 */
async function searchLatency(base: string, terms: string[], requests: number): Promise<string> {
  const lines = [`Search latency, ${requests} sequential requests per term after 10 warm-up:`];
  lines.push('term          results  p50 ms  p95 ms  p99 ms  max ms');
  for (const term of terms) {
    const url = `${base}/search?q=${encodeURIComponent(term)}`;
    const times: number[] = [];
    let results = 0;
    for (let i = -10; i < requests; i++) {
      const started = performance.now();
      const res = await fetch(url);
      const html = await res.text();
      if (!res.ok) throw new Error(`GET /search?q=${term} answered ${res.status}`);
      if (i >= 0) times.push(performance.now() - started);
      results = (html.match(/<a href="\/messages\/\d+">/g) ?? []).length;
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!.toFixed(1);
    lines.push(
      [
        term.padEnd(14 - [...term].length),
        String(results).padStart(7),
        at(0.5).padStart(6),
        at(0.95).padStart(6),
        at(0.99).padStart(6),
        times[times.length - 1]!.toFixed(1).padStart(6),
      ].join('  '),
    );
  }
  return lines.join('\n');
}

function table(rows: Row[], bare: Row): string {
  const header = ['path', 'req/s', 'p50 ms', 'p99 ms', 'KB', 'vs bare', 'non-2xx/errors'];
  const lines = rows.map((r) => [
    r.path,
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    (r.bytes / 1024).toFixed(1),
    r === bare ? '1' : (r.rps / bare.rps).toFixed(3),
    String(r.bad),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
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
  const given = positionals[0];
  if (given !== undefined) {
    const host = new URL(given).hostname;
    if (!LOOPBACK.has(host))
      throw new Error(`only loopback addresses are measured (127.0.0.1, ::1, localhost), not ${host}`);
  }

  let picks: Picks = {
    board: values.board ? Number(values.board) : undefined,
    region: values.region,
    message: values.message ? Number(values.message) : undefined,
  };
  if (picks.board === undefined || picks.region === undefined || picks.message === undefined) {
    const found = await pickFromDatabase();
    picks = { ...found, ...Object.fromEntries(Object.entries(picks).filter(([, v]) => v !== undefined)) };
  }
  if (picks.board === undefined) {
    throw new Error(
      'no public messages in the database: generate some first (npx liuyan seed demo --messages 1000000)',
    );
  }

  const server = given ? { url: given.replace(/\/$/, ''), stop: async () => {} } : await startLiuyan();
  const stops: (() => Promise<void>)[] = [server.stop];
  try {
    if (given) await waitUntilReady(server.url, null, 10_000);
    // The first scheduler pass runs at start; let it finish before measuring.
    await new Promise((resolve) => setTimeout(resolve, settle * 1000));

    const targets: Target[] = [
      { label: 'home', path: '/' },
      { label: 'region', path: `/regions/${picks.region}` },
      { label: 'board', path: `/boards/${picks.board}` },
      ...(picks.message !== undefined ? [{ label: 'message', path: `/messages/${picks.message}` }] : []),
      { label: 'search', path: `/search?q=${encodeURIComponent(values.q)}`, optional: true },
      { label: 'list API', path: '/api/v1/messages', optional: true },
      ...(picks.lastListCursor
        ? [{ label: 'list API, last page', path: `/api/v1/messages?cursor=${picks.lastListCursor}`, optional: true }]
        : []),
      ...(picks.lastBoardBefore
        ? [{ label: 'board, last page', path: `/boards/${picks.board}?before=${picks.lastBoardBefore}` }]
        : []),
      // Statistics: the province of the busiest board, this year and last year, cached and rendered every time.
      { label: 'stats, platform', path: '/stats', optional: true, uncached: true },
      ...(picks.region
        ? [
            { label: 'stats, province', path: `/stats/regions/${provinceOf(picks.region)}`, optional: true },
            {
              label: 'stats, province, uncached',
              path: `/stats/regions/${provinceOf(picks.region)}?period=${lastYear}`,
              optional: true,
              uncached: true,
            },
            {
              label: 'stats API, province',
              path: `/api/v1/stats?region=${provinceOf(picks.region)}&period=${lastYear}`,
              optional: true,
            },
          ]
        : []),
    ];
    const boardPage = await fetch(`${server.url}/boards/${picks.board}`);
    if (!boardPage.ok) throw new Error(`GET /boards/${picks.board} answered ${boardPage.status}`);
    const html = await boardPage.text();
    const bare = await startBare(html);
    stops.unshift(bare.stop);

    const notes: string[] = [];
    const rows: Row[] = [];
    const run = async (label: string, base: string, path: string, headers?: Record<string, string>) => {
      const url = `${base}${path}`;
      if (warmup > 0) await measure(url, { duration: warmup, connections, headers });
      const row = {
        label,
        path:
          label === 'bare' ? `bare (${Buffer.byteLength(html)} B static)` : `${path}${headers ? ' (uncached)' : ''}`,
        ...(await measure(url, { duration, connections, headers })),
      };
      rows.push(row);
      process.stderr.write(`${row.path}: ${row.rps.toFixed(0)} req/s\n`);
      return row;
    };
    const bareFirst = await run('bare', bare.url, '/');
    for (const target of targets) {
      const probe = await fetch(`${server.url}${target.path}`, { headers: { accept: 'text/html,application/json' } });
      await probe.arrayBuffer();
      if (probe.status === 404 && target.optional) {
        notes.push(`${target.path}: skipped, the server has no such route yet (404)`);
        continue;
      }
      if (!probe.ok) throw new Error(`GET ${target.path} answered ${probe.status}`);
      await run(target.label, server.url, target.path, target.uncached ? UNCACHED : undefined);
    }
    // The bare page again: the ratio uses the mean of both, so that a slow start (the scheduler's first pass,
    // autovacuum after a bulk load) does not skew it.
    const bareLast = await run('bare', bare.url, '/');
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
    bareRow.p99 = (bareFirst.p99 + bareLast.p99) / 2;
    bareRow.bad += bareLast.bad;
    bareRow.path = `${bareRow.path}, mean of first and last`;

    console.log(
      `Liuyan pages, ${connections} connections, ${duration} s each (after ${warmup} s warm-up); ` +
        `${picks.messages ?? '?'} messages on ${picks.engine ?? '?'}; ${os.cpus().length} CPUs, Node ${process.version}`,
    );
    console.log(table(rows, bareRow));
    for (const note of notes) console.log(`note: ${note}`);
    console.log(await searchLatency(server.url, latencyTerms, requests));
  } finally {
    for (const stop of stops) await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
