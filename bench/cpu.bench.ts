// CPU per signed-in request in one process: the app built in this process (no network, no other process), each page
// asked N times through app.inject after 20 warm-up requests, CPU time from process.cpuUsage(). The figure that stays
// comparable on a busy machine, where requests per second do not (bench/README.md, "Rendered pages").
//
//   DATABASE_URL=… DATA_DIR=… LIUYAN_SECRET=… npm run bench:cpu
//   N=2000 ONLY=workbench npm run bench:cpu          one row, more requests
//   SQLTIME=1 npm run bench:cpu                      and the SQL statements each page runs, by time (SQLite)
//   Q=路 ONLY=search npm run bench:cpu                the search row with another term (路灯 by default)
//   PROFILE=/tmp/p npm run bench:cpu                 and a CPU profile of each row's requests (/tmp/p-<row>.cpuprofile)
//
// Signs in as the demo netizen (19900000101) and as a bench staff member of the unit with the most open messages
// (19900000099, created when missing), with the demo password.
import { buildApp } from '../src/app.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import { loadConfig } from '../src/config.ts';
import { sql } from 'kysely';
import { DEMO_PASSWORD_DEFAULT } from '../src/demo/demo-seed.ts';

const PASSWORD = process.env.LIUYAN_DEMO_PASSWORD ?? DEMO_PASSWORD_DEFAULT;

const sqlTimes = new Map<string, { n: number; ms: number }>();
if (process.env.SQLTIME) {
  const Database = (await import('better-sqlite3')).default;
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  for (const method of ['all', 'get', 'run', 'iterate'] as const) {
    const original = proto[method];
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const e = sqlTimes.get(this.source) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - t0;
        sqlTimes.set(this.source, e);
      }
    };
  }
}
const config = loadConfig();
const app = await buildApp({ config, logger: false });
// As `liuyan serve` does: SQLite is migrated; PostgreSQL must have been (`liuyan migrate`).
await prepareDatabase(app.db, config, { info: (line: string) => console.error(line) });
await app.ready();
const db = app.db;
const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | string | undefined) ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
async function signIn(phone: string): Promise<string> {
  const form = await app.inject({ url: '/login' });
  const jar = cookieOf(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ phone, password: PASSWORD, _csrf: token, next: '/' }).toString(),
  });
  if (res.statusCode !== 303) throw new Error('login ' + res.statusCode);
  return cookieOf(res);
}
const busiest = (
  await sql<{
    board_id: number;
    region_code: string;
  }>`select board_id, region_code, count(*) n from messages where visibility='public' group by board_id, region_code order by n desc limit 1`.execute(
    db,
  )
).rows[0]!;
const msg = (
  await sql<{
    id: number;
  }>`select id from messages where board_id=${busiest.board_id} and status='closed' and visibility='public' order by id desc limit 1`.execute(
    db,
  )
).rows[0]!;
const unit = (
  await sql<{
    u: number;
  }>`select current_unit_id u, count(*) n from messages where status in ('pending','assigned','replied') and current_unit_id is not null group by current_unit_id order by n desc limit 1`.execute(
    db,
  )
).rows[0]!;
const netizen = await signIn('19900000101');
const targets: [string, string, string][] = [
  ['home', '/', netizen],
  ['region', `/regions/${busiest.region_code}`, netizen],
  ['board', `/boards/${busiest.board_id}`, netizen],
  ['message', `/messages/${msg.id}`, netizen],
  ['search', `/search?q=${encodeURIComponent(process.env.Q ?? '路灯')}`, netizen],
  ['rules', '/help/rules', netizen],
  ['list API', '/api/v1/messages', netizen],
];
const staffPhone = '19900000099';
{
  const { COMMAND_LINE, createStaff } = await import('../src/accounts/staff.service.ts');
  const exists = await db.selectFrom('users').select('id').where('phone', '=', staffPhone).executeTakeFirst();
  if (!exists)
    await createStaff(db, COMMAND_LINE, {
      phone: staffPhone,
      nickname: '压测办理员',
      password: PASSWORD,
      role: 'unit_staff',
      scopeType: 'unit',
      scopeId: String(unit.u),
    });
  const staff = await signIn(staffPhone);
  targets.push(['workbench', '/workbench', staff]);
  const m = (
    await sql<{
      id: number;
    }>`select id from messages where current_unit_id=${unit.u} and status='assigned' order by id desc limit 1`.execute(
      db,
    )
  ).rows[0];
  if (m) targets.push(['workbench message', `/workbench/messages/${m.id}`, staff]);
}
const N = Number(process.env.N ?? 300);
const ONLY = process.env.ONLY;
for (const [label, url, cookie] of targets.filter((t) => !ONLY || t[0] === ONLY)) {
  for (let i = 0; i < 20; i++) await app.inject({ url, headers: { cookie } });
  sqlTimes.clear();
  const inspector = process.env.PROFILE ? new (await import('node:inspector/promises')).Session() : null;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let status = 0,
    bytes = 0;
  for (let i = 0; i < N; i++) {
    const r = await app.inject({ url, headers: { cookie } });
    status = r.statusCode;
    bytes = r.body.length;
  }
  const c = process.cpuUsage(c0);
  if (process.env.SQLTIME) {
    for (const [source, e] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8))
      console.log(
        `  ${(e.ms / N).toFixed(3)} ms/req  ${(e.n / N).toFixed(1)}×  ${source.replace(/\s+/g, ' ').slice(0, 400)}`,
      );
    sqlTimes.clear();
  }
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    (await import('node:fs')).writeFileSync(
      `${process.env.PROFILE}-${label.replace(/ /g, '-')}.cpuprofile`,
      JSON.stringify(profile),
    );
    inspector.disconnect();
  }
  console.log(
    `${label.padEnd(18)} ${url.padEnd(32)} ${status} ${(bytes / 1024).toFixed(1)} KB  cpu ${((c.user + c.system) / 1000 / N).toFixed(2)} ms  wall ${((performance.now() - t0) / N).toFixed(2)} ms`,
  );
}
await app.close();
