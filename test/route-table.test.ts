// Every route declares who may call it; the table in docs/routes.md is the code's; and a matrix of every route ×
// role × in and out of scope, built from those declarations, shows the door deciding exactly as declared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyContextConfig, type FastifyRequest } from 'fastify';
import type { CurrentUser } from '../src/accounts/accounts.service.ts';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { routeDeclarations } from '../src/accounts/auth.plugin.ts';
import { can, holdsAction } from '../src/accounts/permissions.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { buildApp } from '../src/app.ts';
import { PUBLIC, type RouteAccess } from '../src/web/access.ts';
import { routeRows, routeTableMarkdown } from '../src/web/route-table.ts';
import { createTestDatabase, lastCode, type TestDatabase } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
const decisions = new Map<string, string | null>();
const PASSWORD = 'Matrix-Pass-2026!';

interface Persona {
  name: string;
  phone?: string;
  user: CurrentUser | null;
  web: WebClient | null;
  token: string | null;
  stale?: boolean;
}
const personas: Persona[] = [];
let messageId = 0;
let targetUserId = 0;

let ipCounter = 0;
const nextIp = () =>
  `10.${90 + Math.floor(ipCounter / 60000)}.${Math.floor(ipCounter / 250) % 240}.${ipCounter++ % 250}`;

before(async () => {
  t = await createTestDatabase();
  app = await buildApp({ config: t.config, db: t.db, logger: false });
  // What the door decided for each request, by the id the matrix gives it.
  app.addHook('onResponse', async (request) => {
    const id = request.headers['x-matrix-id'];
    if (typeof id === 'string') decisions.set(id, request.accessDecision);
  });
  await app.ready();

  const staff: [string, string, Record<string, string>][] = [
    ['editor', 'editor', {}],
    ['countyStaff', 'unit_staff', { scopeType: 'unit', scopeId: '130123001' }],
    ['countyHead', 'unit_head', { scopeType: 'unit', scopeId: '130123001' }],
    ['beijingHead', 'unit_head', { scopeType: 'unit', scopeId: '110000001' }],
    ['leader', 'leader', { scopeType: 'board', scopeId: '1301232' }],
    ['supervisor', 'supervisor', { scopeType: 'region', scopeId: '130000' }],
    ['admin', 'admin', {}],
  ];
  const phones: [string, string][] = [];
  let n = 0;
  for (const [name, role, scope] of staff) {
    const phone = `1850000${String(++n).padStart(4, '0')}`;
    await createStaff(t.db, COMMAND_LINE, { phone, nickname: `员${name}`, password: PASSWORD, role, ...scope });
    phones.push([name, phone]);
  }
  // The account /admin/users/:id acts on: staff of the county, not one of the personas.
  targetUserId = await createStaff(t.db, COMMAND_LINE, {
    phone: '18500009999',
    nickname: '被管理的办理员',
    password: PASSWORD,
    role: 'unit_staff',
    scopeType: 'unit',
    scopeId: '130123001',
  });
  for (const [name, phone] of [
    ['author', '15800000001'],
    ['neighbour', '15800000002'],
  ] as const) {
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      remoteAddress: nextIp(),
      payload: { phone, purpose: 'register' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      remoteAddress: nextIp(),
      payload: { phone, code: lastCode(t.config, phone), password: PASSWORD, nickname: name },
    });
    phones.push([name, phone]);
  }
  personas.push({ name: 'anonymous', user: null, web: new WebClient(app, nextIp()), token: null });
  for (const [name, phone] of phones) personas.push(await signIn(name, phone));
  const author = personas.find((p) => p.name === 'author')!;
  const submitted = await app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    remoteAddress: nextIp(),
    headers: { authorization: `Bearer ${author.token}` },
    payload: {
      boardId: 1301232,
      type: 'help',
      domain: 'urban',
      title: '小区门口路灯坏了',
      body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
    },
  });
  messageId = submitted.json().id as number;
  const editor = personas.find((p) => p.name === 'editor')!;
  await app.inject({
    method: 'POST',
    url: `/api/v1/messages/${messageId}/actions/approve`,
    remoteAddress: nextIp(),
    headers: { authorization: `Bearer ${editor.token}` },
    payload: {},
  });
});
/** A persona with a fresh session and token (again after a request that ended them). */
async function signIn(name: string, phone: string): Promise<Persona> {
  const token = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      remoteAddress: nextIp(),
      payload: { phone, password: PASSWORD },
    })
  ).json().token as string;
  const web = new WebClient(app, nextIp());
  await web.get('/login');
  assert.equal((await web.post('/login', { phone, password: PASSWORD })).statusCode, 303);
  await web.get('/account');
  const id = (await t.db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
  return { name, phone, user: await loadCurrentUser(t.db, id), web, token };
}

after(async () => {
  await app.close();
  await t.close();
});

describe('route declarations', () => {
  test('every route declares who may call it and which credential it takes; docs/routes.md is the code’s table', () => {
    const rows = routeRows(app);
    assert.ok(rows.length >= 120, `${rows.length} routes`);
    for (const row of rows) {
      assert.notEqual(row.access, '(undeclared)', `${row.method} ${row.url}`);
      const machine = /^\/(open311|sms\/inbound)(\/|$)/.test(row.url);
      const expected = row.url.startsWith('/api/') ? 'token' : machine ? 'none' : 'session';
      assert.equal(row.credential, expected, `${row.method} ${row.url}`);
    }
    // Whatever the spelling, these parts of the site are never open to all.
    for (const row of rows.filter((r) => /^\/(admin|workbench|review)(\/|$)/.test(r.url))) {
      assert.ok(!['public', 'signed-in'].includes(row.access), `${row.method} ${row.url}: ${row.access}`);
    }
    const table = readFileSync(new URL('../docs/routes.md', import.meta.url), 'utf8');
    assert.equal(table, routeTableMarkdown(app), 'docs/routes.md is out of date: run `npm run routes:table`');
  });

  test('a route without a declaration stops the app from starting', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(routeDeclarations);
    bare.get('/declared', { config: { access: PUBLIC } }, async () => 'ok');
    bare.get('/forgotten', async () => 'oops');
    await assert.rejects(async () => {
      await bare.ready();
    }, /GET,HEAD \/forgotten|GET \/forgotten/);
    await bare.close().catch(() => {});
  });
});

/** Path parameters filled with real things, so requests reach the door and past it. */
function fill(url: string, unit: string): string {
  return url
    .replace(/^\/admin\/users\/:id/, `/admin/users/${targetUserId}`)
    .replace(/^\/admin\/units\/:id/, `/admin/units/${unit}`)
    .replace(/\/tokens\/:id/, '/tokens/999999')
    .replace(/^\/stats\/units\/:id/, '/stats/units/130123001')
    .replace(/^\/(api\/v1\/)?boards\/:id/, (_m, api: string | undefined) => `/${api ?? ''}boards/1301232`)
    .replace(/:unit/, unit)
    .replace(/:id/, String(messageId))
    .replace(/:code/, '130000')
    .replace(/:year/, '2026')
    .replace(/:grantId|:awardId/, '1')
    .replace(/:action/, 'accept')
    .replace(/:locale/, 'en')
    .replace(/:file/, 'manifest.json')
    .replace(/\*$/, 'style.css');
}

/** The request as Fastify would hand it to a scope or owner function. */
function paramsOf(pattern: string, url: string): Record<string, unknown> {
  const names = pattern.split('/');
  const values = url.split('/');
  const params: Record<string, unknown> = {};
  names.forEach((segment, i) => {
    if (segment.startsWith(':')) {
      const value = values[i]!;
      params[segment.slice(1)] = /^\d+$/.test(value) && segment !== ':code' ? Number(value) : value;
    }
  });
  return params;
}

async function expectedAdmission(access: RouteAccess, persona: Persona, pattern: string, url: string) {
  if (access.kind === 'public') return true;
  const user = persona.user;
  if (!user) return false;
  if (access.kind === 'signed-in') return true;
  const request = { params: paramsOf(pattern, url), server: app } as unknown as FastifyRequest;
  if (access.kind === 'owner') return (await access.owner(request)) === user.id;
  if (!access.actions.some((a) => holdsAction(user.grants, a))) return false;
  if (!access.scope) return true;
  const target = await access.scope(request).catch(() => null);
  return target !== null && access.actions.some((a) => can(user.grants, a, target));
}

/** Requests that end the persona's own session or token go last. */
const ENDS_SESSION =
  /^(POST \/logout|POST \/logout\/all|DELETE \/api\/v1\/auth\/token|DELETE \/api\/v1\/me|POST \/account\/delete)$/;

describe('route × role × scope matrix', () => {
  test('the door admits exactly whom each declaration names, on every route', async () => {
    const routes = app
      .declaredRoutes()
      .flatMap((r) => ([] as string[]).concat(r.method).map((method) => ({ method, route: r })))
      .filter(({ method }) => method !== 'HEAD');
    const ordered = [
      ...routes.filter(({ method, route }) => !ENDS_SESSION.test(`${method} ${route.url}`)),
      ...routes.filter(({ method, route }) => ENDS_SESSION.test(`${method} ${route.url}`)),
    ];
    const mismatches: string[] = [];
    const counts = new Map<string, number>();
    let sent = 0;
    for (let persona of personas) {
      for (const { method, route } of ordered) {
        // The previous request ended this persona's session or token: sign in again.
        if (persona.phone && (!persona.token || persona.web!.cookies.size === 0 || persona.stale)) {
          persona = await signIn(persona.name, persona.phone);
        }
        const config = route.config as FastifyContextConfig;
        const access = config.access!;
        const scoped = access.kind === 'permission' && access.scope !== undefined;
        for (const unit of scoped ? ['130123001', '110000001'] : ['130123001']) {
          const url = fill(route.url, unit);
          const id = String(++sent);
          const isApi = config.credential === 'token';
          const headers: Record<string, string> = { 'x-matrix-id': id };
          if (isApi && persona.token) headers.authorization = `Bearer ${persona.token}`;
          const cookies = !isApi && persona.web ? Object.fromEntries(persona.web.cookies) : {};
          const csrf = /name="_csrf" value="([^"]+)"/.exec((await persona.web!.get('/login')).body)?.[1] ?? '';
          const res = await app.inject({
            method: method as 'GET',
            url,
            remoteAddress: nextIp(),
            cookies,
            headers: {
              ...headers,
              ...(method === 'GET' || method === 'DELETE'
                ? {}
                : isApi
                  ? { 'content-type': 'application/json' }
                  : { 'content-type': 'application/x-www-form-urlencoded' }),
            },
            ...(method === 'GET' || method === 'DELETE'
              ? {}
              : { payload: isApi ? '{}' : new URLSearchParams({ _csrf: csrf }).toString() }),
          });
          if (ENDS_SESSION.test(`${method} ${route.url}`)) persona.stale = true;
          counts.set(String(res.statusCode), (counts.get(String(res.statusCode)) ?? 0) + 1);
          const expected = await expectedAdmission(access, persona, route.url, url);
          const decided = decisions.get(id);
          const admittedNow = decided === 'admitted';
          const where = `${persona.name} ${method} ${url} (${route.url}): expected ${expected ? 'admitted' : 'refused'}, door said ${decided}, status ${res.statusCode}`;
          if (res.statusCode >= 500) mismatches.push(`5xx: ${where}`);
          if (decided === 'checking') continue; // stopped by input validation before the scope check: no decision to compare
          if (expected !== admittedNow) mismatches.push(where);
          if (!expected) {
            const loginRedirect = res.statusCode === 303 && /^\/login\?next=/.test(String(res.headers.location));
            const fine = persona.user ? [403, 404].includes(res.statusCode) : res.statusCode === 401 || loginRedirect;
            if (!fine) mismatches.push(`refusal answered ${res.statusCode}: ${where}`);
          }
        }
      }
    }
    console.log(
      `route × role matrix: ${sent} requests over ${routes.length} routes × ${personas.length} personas; by status: ${[
        ...counts,
      ]
        .sort()
        .map(([s, c]) => `${s}: ${c}`)
        .join(', ')}`,
    );
    assert.deepEqual(mismatches, []);
  });
});
