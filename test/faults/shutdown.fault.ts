// SIGTERM with keep-alive clients busy: requests in flight finish, no request on a kept-alive connection is reset, and
// the process exits well within its grace period.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, type ClientRequest, request } from 'node:http';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers.ts';
import { startServer } from '../processes.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.close());

interface Outcome {
  status?: number;
  /** The response said `Connection: close`. */
  closes?: boolean;
  error?: string;
  /** The request went out on a connection kept alive from an earlier one. */
  reused: boolean;
}

/** One request; a body is sent in two halves, the second when `finish` resolves (a request still in flight). */
function send(
  base: string,
  agent: Agent,
  options: { method?: string; path: string; body?: string; finish?: Promise<void> },
): Promise<Outcome> {
  const url = new URL(options.path, base);
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = {};
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const req: ClientRequest = request(url, { agent, method: options.method ?? 'GET', headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode, closes: res.headers.connection === 'close', reused: req.reusedSocket }),
      );
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ error: err.code ?? err.message, reused: req.reusedSocket }),
    );
    if (options.body === undefined) {
      req.end();
    } else if (options.finish) {
      const half = Math.floor(options.body.length / 2);
      req.write(options.body.slice(0, half));
      void options.finish.then(() => req.end(options.body!.slice(half)));
    } else {
      req.end(options.body);
    }
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('after SIGTERM: in-flight requests finish, late ones on kept-alive connections are answered, nothing is reset', async () => {
  const server = await startServer({
    ...t.env,
    LOG_LEVEL: 'info',
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    RATE_LIMIT_WRITE_PER_MINUTE: '100000',
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const idleAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // A connection that is idle when SIGTERM comes, used again a moment later.
    assert.equal((await send(server.base, idleAgent, { path: '/healthz' })).status, 200);

    const login = (i: number) => JSON.stringify({ phone: `1330000${String(i).padStart(4, '0')}`, password: 'wrong' });
    let finishEarly!: () => void;
    let finishLate!: () => void;
    const early = new Promise<void>((resolve) => (finishEarly = resolve));
    const late = new Promise<void>((resolve) => (finishLate = resolve));
    // Logins whose bodies are still coming when SIGTERM arrives: two finish within the drain's first moment, two after
    // the idle connections have been closed.
    const inFlight = [0, 1, 2, 3].map((i) =>
      send(server.base, agent, {
        method: 'POST',
        path: '/api/v1/auth/token',
        body: login(i),
        finish: i < 2 ? early : late,
      }),
    );

    // Six clients sending one request after another over their kept-alive connections, until they are refused.
    const outcomes: Outcome[] = [];
    let stop = false;
    const busy = Array.from({ length: 6 }, async () => {
      while (!stop) {
        const outcome = await send(server.base, agent, { path: '/healthz' });
        outcomes.push(outcome);
        if (outcome.error && !outcome.reused) return;
        await sleep(Math.random() * 15);
      }
    });

    await sleep(400);
    const before = outcomes.length;
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const exited = once(server.child, 'exit');
    await sleep(100);
    finishEarly();
    const onIdle = await send(server.base, idleAgent, { path: '/healthz' });
    await sleep(800);
    finishLate();
    const [code] = (await exited) as [number | null];
    const exitMs = Date.now() - signalled;
    stop = true;
    await Promise.all(busy);

    const logins = await Promise.all(inFlight);
    assert.deepEqual(
      logins.map((o) => o.status),
      [401, 401, 401, 401],
      `every request in flight gets its answer: ${JSON.stringify(logins)}\n${server.output().slice(-6000)}`,
    );
    assert.ok(
      logins.every((o) => o.closes),
      'answered with Connection: close',
    );
    assert.deepEqual(
      { status: onIdle.status, closes: onIdle.closes },
      { status: 200, closes: true },
      `a request on a connection idle at SIGTERM is answered: ${JSON.stringify(onIdle)}`,
    );

    const after = outcomes.slice(before);
    const answered = after.filter((o) => o.status !== undefined);
    const resetKeptAlive = after.filter((o) => o.error && o.reused);
    const refusedNew = after.filter((o) => o.error && !o.reused);
    const serverErrors = outcomes.filter((o) => (o.status ?? 0) >= 500);
    console.log(
      `SIGTERM under keep-alive load: ${after.length} requests after the signal, ${answered.length} answered ` +
        `(${answered.filter((o) => o.closes).length} with Connection: close), ${resetKeptAlive.length} reset on a ` +
        `kept-alive connection, ${refusedNew.length} refused on a new connection (listener closed); ` +
        `${serverErrors.length} 5xx; exit ${code} after ${exitMs} ms`,
    );
    assert.deepEqual(resetKeptAlive, [], 'no request on a kept-alive connection ends in ECONNRESET');
    assert.deepEqual(serverErrors, []);
    assert.ok(
      refusedNew.every((o) => o.error === 'ECONNREFUSED' || o.error === 'ECONNRESET'),
      JSON.stringify(refusedNew),
    );
    assert.equal(code, 0, server.output());
    assert.ok(exitMs < 10_000, `exited after ${exitMs} ms, within the 10-second grace`);
  } finally {
    agent.destroy();
    idleAgent.destroy();
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  }
});
