// Start-up benchmark: the time from spawning `node bin/liuyan.js serve` to the first healthy /readyz, on SQLite with
// a database prepared beforehand (migrated, reference data loaded), for each way the server can start:
//
//   compiled     dist/ (what `npm start` runs after `npm install` / `npm run build`); built first if stale
//   tsx          the TypeScript sources through tsx, its transform cache warm (LIUYAN_FROM_SOURCE=1)
//   tsx, cold    the same with tsx's cache off (TSX_DISABLE_CACHE=1): every file compiled, as on a first start
//
//   npm run bench:startup [-- --runs 5] [-- --cold]     median of --runs starts each (the modes take turns)
//
// Also prints the CPU time of each start (user + system, from /proc), which a busy machine inflates less than the
// wall-clock time. Loopback only; the database and data directory are temporary.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { distState } from '../scripts/source-stamp.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/liuyan.js');

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, cold: { type: 'boolean', default: false } },
});
const runs = Math.max(1, Math.min(50, Number(values.runs) || 5));

interface Mode {
  label: string;
  env: Record<string, string>;
}
const modes: Mode[] = [
  { label: 'compiled (dist/)', env: {} },
  { label: 'tsx', env: { LIUYAN_FROM_SOURCE: '1' } },
  ...(values.cold ? [{ label: 'tsx, cold cache', env: { LIUYAN_FROM_SOURCE: '1', TSX_DISABLE_CACHE: '1' } }] : []),
];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** user + system CPU seconds of a running process (Linux's /proc, 100 ticks a second), or NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** Spawns the server and returns the seconds until /readyz first answers 200 (and the CPU seconds spent by then). */
async function start(dataDir: string, env: Record<string, string>): Promise<{ wall: number; cpu: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d) => (errors += d));
  try {
    while (performance.now() - started < 120_000) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${errors}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { wall: (performance.now() - started) / 1000, cpu: cpuSeconds(child.pid!) };
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no healthy /readyz within 120 s:\n${errors}`);
  } finally {
    await stop(child);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));

if (distState() !== 'fresh') {
  console.log('dist/ is missing or older than src/: building it first');
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.js')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

const dataDir = mkdtempSync(join(os.tmpdir(), 'liuyan-startup-'));
try {
  console.log('preparing the database (migrations and reference data, not timed)…');
  await start(dataDir, {});

  const times = new Map<Mode, { wall: number; cpu: number }[]>(modes.map((m) => [m, []]));
  for (let i = 0; i < runs; i++) {
    for (const mode of modes) times.get(mode)!.push(await start(dataDir, mode.env));
  }

  const [load1] = os.loadavg();
  console.log(
    `\nstart-up to a healthy /readyz, SQLite, ${runs} runs each, Node ${process.version}, ` +
      `${os.cpus().length} CPUs, load average ${load1!.toFixed(2)}\n`,
  );
  console.log('| start            | median s | min s | max s | CPU s (median) |');
  console.log('| ---------------- | -------- | ----- | ----- | -------------- |');
  for (const mode of modes) {
    const wall = times.get(mode)!.map((t) => t.wall);
    const cpu = times.get(mode)!.map((t) => t.cpu);
    console.log(
      `| ${mode.label.padEnd(16)} | ${fmt(median(wall)).padStart(8)} | ${fmt(Math.min(...wall)).padStart(5)} | ` +
        `${fmt(Math.max(...wall)).padStart(5)} | ${fmt(median(cpu)).padStart(14)} |`,
    );
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
