// Runs `liuyan serve` as a separate process for tests that need a real second server.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

const BIN = new URL('../bin/liuyan.js', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export function serve(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { PATH: process.env.PATH, ...env } });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  return { child, output: () => text };
}

export async function waitFor(url: string, deadline = Date.now() + 30_000): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Starts a server on a free port and waits until it is ready. */
export async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const server = serve({ ...env, PORT: String(port) });
  await waitFor(`http://127.0.0.1:${port}/readyz`);
  return {
    ...server,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      server.child.kill('SIGTERM');
      if (server.child.exitCode === null) await once(server.child, 'exit');
    },
  };
}
