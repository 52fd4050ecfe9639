// What the benches share: starting `node bin/liuyan.js serve` on a free loopback port and waiting for /readyz, and
// one-off queries on a PostgreSQL server. Not a bench itself (bench/all.ts runs only the *.bench.ts files).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
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

/** Polls `${base}/readyz` until it answers 2xx; fails early when `child` (the server, if this process started it) exits. */
export async function waitUntilReady(base: string, child: ChildProcess | null, timeoutMs = 120_000): Promise<void> {
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

export interface LiuyanServer {
  url: string;
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after 15 s; nothing when the server has already exited. */
  stop(): Promise<void>;
}

/**
 * Spawns `node bin/liuyan.js serve` on 127.0.0.1 with this process's environment, LOG_LEVEL `error` unless set, and
 * `env` over it; resolves once /readyz answers. `cpuProf`: a folder the server writes a CPU profile to when it exits.
 */
export async function startServer(env: Record<string, string> = {}, cpuProf?: string): Promise<LiuyanServer> {
  const port = await freePort();
  const bin = fileURLToPath(new URL('../bin/liuyan.js', import.meta.url));
  const flags = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [];
  if (cpuProf) mkdirSync(cpuProf, { recursive: true });
  const child = spawn(process.execPath, [...flags, bin, 'serve'], {
    env: {
      ...process.env,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
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
  return { url, port, pid: child.pid!, stop };
}

/** Runs `use` with a client connected to the PostgreSQL database at `url`, and closes the client afterwards. */
export async function withPgClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
