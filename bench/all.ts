// Every benchmark that exists, one after another (never at once: they would measure each other), with the machine's
// load average before each. See bench/README.md.
//
//   npm run bench:all                                  startup, pages, submissions, storage (whichever exist)
//   npm run bench:all -- --only pages,submissions      just these
//   npm run bench:all -- --pages="--duration 10"       extra options for one of them (one quoted argument)
//
// Each runs in its own Node process with the environment of this one (DATABASE_URL, DATA_DIR, LIUYAN_SECRET, …), so
// the pages bench measures the database they name. A bench that fails is reported and the others still run; the exit
// code says whether all passed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** In the order they run: the start-up first, before the pages bench warms the disk cache. */
const BENCHES = ['startup', 'pages', 'submissions', 'storage'] as const;
type Bench = (typeof BENCHES)[number];

const fileOf = (bench: Bench) => fileURLToPath(new URL(`./${bench}.bench.ts`, import.meta.url));

/** Splits a quoted option string the way a shell would for simple words (no escapes inside quotes). */
function words(text: string | undefined): string[] {
  return (text?.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

async function run(bench: Bench, extra: string[]): Promise<number> {
  const load = os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  console.log(
    `\n== ${bench} (bench/${bench}.bench.ts${extra.length ? ` ${extra.join(' ')}` : ''}); load average ${load}`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', fileOf(bench), ...extra], { stdio: 'inherit' });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return code ?? (signal ? 1 : 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      ...Object.fromEntries(BENCHES.map((b) => [b, { type: 'string' as const }])),
    },
  });
  const wanted = values.only ? values.only.split(',').map((s) => s.trim()) : [...BENCHES];
  const unknown = wanted.filter((w) => !(BENCHES as readonly string[]).includes(w));
  if (unknown.length > 0) throw new Error(`unknown bench: ${unknown.join(', ')} (known: ${BENCHES.join(', ')})`);
  const results: string[] = [];
  let failed = false;
  for (const bench of BENCHES) {
    if (!wanted.includes(bench)) continue;
    if (!existsSync(fileOf(bench))) {
      results.push(`${bench}: not here (bench/${bench}.bench.ts does not exist)`);
      continue;
    }
    const code = await run(bench, words((values as Record<string, string | undefined>)[bench]));
    failed ||= code !== 0;
    results.push(`${bench}: ${code === 0 ? 'done' : `failed (exit code ${code})`}`);
  }
  console.log(
    `\n== summary; load average ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (const line of results) console.log(line);
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
