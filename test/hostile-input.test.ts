// Bad input of every kind at every declared route: no answer is a 5xx, and every spelling of a path is answered alike.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { buildApp } from '../src/app.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from './helpers.ts';
import { WebClient } from './web-client.ts';

const PASSWORD = 'Hostile-Pass-2026!';
const STAFF_PHONE = '18700009001';
const VICTIM_PHONE = '18700009002';
const UNIT = '130123001';
const DEPT = '130123002';
const BOARD = '1301232';
const REGION = '130000';
const YEAR = String(new Date().getFullYear());
const MiB = 1024 * 1024;

let t: TestDatabase;
let app: FastifyInstance;
/** Every error the app logged, so a 5xx in the report names its cause. */
const logged: string[] = [];

/** What the sweep works with: one staff member holding every kind of role, and real things to name in paths. */
const fx = {
  token: '',
  spareTokenId: '',
  cookies: {} as Record<string, string>,
  csrf: '',
  victimId: '',
  victimGrant: '',
  messageId: '',
  pendingId: '',
  /** A message this account has accepted for its unit, so the workflow's forms run for it. */
  acceptedId: '',
  followId: '',
  templateId: '',
  cursor: '',
};

let ip = 0;
/** A fresh client address per request, so the rate limits never answer for the handlers. */
const nextIp = () => {
  ip += 1;
  return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
};

type Who = 'staff' | 'anonymous';
interface Probe {
  method: string;
  url: string;
  who: Who;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  /** Which route the probe is for, in the report. */
  route: string;
}

const counts = new Map<number, number>();
const failures: string[] = [];
let total = 0;

async function send(p: Probe): Promise<LightMyRequestResponse> {
  const path = decodeURIComponentSafe(p.url.split('?')[0]!).replace(/\/{2,}/g, '/');
  const isApi = path === '/api' || path.startsWith('/api/');
  const headers: Record<string, string> = { ...(p.headers ?? {}) };
  if (p.who === 'staff' && isApi && !('authorization' in headers)) headers.authorization = `Bearer ${fx.token}`;
  const before = logged.length;
  const res = await app.inject({
    method: p.method as 'GET',
    url: p.url,
    headers,
    ...(p.payload !== undefined ? { payload: p.payload } : {}),
    ...(p.who === 'staff' && !isApi ? { cookies: fx.cookies } : {}),
    remoteAddress: nextIp(),
  });
  total += 1;
  counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
  if (res.statusCode >= 500) {
    const cause = logged.slice(before).join(' | ') || res.body.slice(0, 160);
    failures.push(`${res.statusCode} ${p.method} ${p.url.slice(0, 160)} [${p.route}; ${p.who}] ${cause.slice(0, 300)}`);
  }
  return res;
}

// The corpus: bounded, so a sweep stays well under a minute on each engine.

/** Path segments, as spelled in the URL. */
const PATH_VALUES = [
  ...'0 -1 1.5 01 +1 %201 0x10 2147483647 2147483648 99999999999 1e309 Infinity -Infinity NaN abc'.split(' '),
  ...'%00 1%00 %C0%AF %FF __proto__ constructor toString ..%2F..%2Fetc%2Fpasswd %2E%2E %E2%80%AE1'.split(' '),
  'x'.repeat(250),
];

/** Form values, as spelled in the urlencoded body. */
const TEXT_VALUES = [
  '',
  ...'0 -1 1.5 2147483647 2147483648 99999999999999999999 1e309 Infinity -Infinity NaN abc'.split(' '),
  ...'%00 a%00b %C0%AF %FF __proto__ constructor toString ..%2F..%2Fetc%2Fpasswd %E2%80%AE %3Cscript%3E'.split(' '),
  'x'.repeat(6000),
];

/** Query values: the same kinds, fewer of each, as every query key of every route gets all of them. */
const QUERY_VALUES = [
  '',
  ...'-1 1.5 2147483648 99999999999999999999 1e309 Infinity NaN %00 %FF __proto__ toString ..%2F..%2Fetc%2Fpasswd'.split(
    ' ',
  ),
  'x'.repeat(6000),
];

const b64 = (json: string) => Buffer.from(json).toString('base64url');
/** Cursors that decode to something other than what the list handed out. */
const CURSOR_VALUES = [
  b64('{"id":40,"at":{}}'),
  b64('{"id":40,"at":"2026-01-01T00:00:00.000Z\\u0000"}'),
  b64('{"id":40,"at":"yesterday"}'),
  b64('{"id":1e309}'),
  b64('{"id":2147483648}'),
  b64('{"id":"40"}'),
  b64('{"id":40,"__proto__":{"at":"x"}}'),
  b64('[]'),
  b64('null'),
  b64('"x"'),
  '%00',
  '!!!',
];

/** JSON values, as raw JSON text (so that 1e309 arrives as the number it parses to). */
const JSON_VALUES = [
  ...'"\\u0000" "a\\u0000b" 1e309 -1e309 2147483648 -1 0 1.5 null true [] {} [1,2] "\\ud800"'.split(' '),
  ...'"Infinity" "NaN" "1e309" "2147483648" "__proto__" "constructor" "toString" "../../etc/passwd"'.split(' '),
  JSON.stringify('x'.repeat(25000)),
];

/** Whole JSON bodies that are not what any route expects. */
const JSON_BODIES: (string | Buffer)[] = [
  'null',
  '[]',
  '"text"',
  '1e309',
  '{',
  '{"a":',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"\\u0000":"x"}',
  '{"toString":"x","valueOf":1,"hasOwnProperty":1}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
];

/** Every field any page form reads, so a form post reaches its handler's checks. */
const FORM_FIELDS = [
  ...'phone code password current nickname next note reason original unitId days extensionId grant body title'.split(
    ' ',
  ),
  ...'resolved submit resolution timeliness attitude comment question role scopeType scopeId sms boardId type'.split(
    ' ',
  ),
  ...'domain visibility location remarks idempotencyKey preset dayKind reviewHours acceptDays extensionMaxDays'.split(
    ' ',
  ),
  ...'handlingDays.complain documentUrl unitName name list id kind level weight minimum'.split(' '),
];

/** Fields of the workflow's actions in the API (its body is free-form). */
const ACTION_FIELDS = ['note', 'reason', 'original', 'unitId', 'days', 'extensionId', 'grant', 'body', 'resolution'];

const KEY_QUERIES = ['__proto__=1', '__proto__[x]=1', 'constructor=1', 'constructor[prototype][x]=1', 'toString=1'];

// Paths.

const paramsOf = (url: string) => [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);

/** A real value for each parameter, so the handlers run past their lookups. */
function realValue(url: string, param: string): string {
  if (param === 'code') return REGION;
  if (param === 'unit') return UNIT;
  if (param === 'year') return YEAR;
  if (param === 'awardId') return '1';
  if (param === 'grantId') return fx.victimGrant;
  if (param === 'locale') return 'en';
  if (param === 'file') return 'messages.csv';
  if (param === 'action') return url.startsWith('/api/') ? 'approve' : 'accept';
  const byPrefix: [string, string][] = [
    ['/admin/users/', fx.victimId],
    ['/admin/units/', UNIT],
    ['/stats/units/', UNIT],
    ['/stats/boards/', BOARD],
    ['/boards/', BOARD],
    ['/api/v1/boards/', BOARD],
    ['/api/v1/auth/tokens/', fx.spareTokenId],
    ['/account/tokens/', fx.spareTokenId],
    ['/api/v1/follows/', fx.followId],
    ['/workbench/templates/', fx.templateId],
    ['/review/', fx.pendingId],
    ['/attachments/', '1'],
  ];
  return byPrefix.find(([prefix]) => url.startsWith(prefix))?.[1] ?? fx.messageId;
}

function fill(url: string, values: Record<string, string> = {}): string {
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? realValue(url, name));
}

/** The same path with its first letter percent-encoded: `/admin` → `/%61dmin`. */
function encodedSpelling(path: string): string | null {
  const at = path.search(/[a-z]/i);
  if (at < 0) return null;
  return `${path.slice(0, at)}%${path.charCodeAt(at).toString(16)}${path.slice(at + 1)}`;
}

// Bodies.

function urlencoded(fields: Record<string, string>, raw = ''): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return [body, raw].filter(Boolean).join('&');
}

const BOUNDARY = '----hostile7MA4YWxkTrZu0gW';
function multipart(fields: [string, string][], file?: { name: string; data: Buffer }): Buffer {
  const parts: Buffer[] = fields.map(([name, value]) =>
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  if (file) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}
const MULTIPART = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'content-type': 'application/json' };

interface RouteInfo {
  method: string;
  url: string;
  credential: 'token' | 'session' | 'none';
  params: string[];
  query: string[];
  body: string[];
  hasBody: boolean;
}

/** The body of a write: multipart for the message form, urlencoded for other pages, JSON for the API. */
function bodyKind(r: RouteInfo): 'multipart' | 'form' | 'json' {
  if (r.url === '/messages' || r.url === '/messages/similar') return 'multipart';
  return r.credential === 'session' ? 'form' : 'json';
}

/** A body that reaches the handler: every field set to `value`, with the CSRF token for pages. */
function bodyWith(r: RouteInfo, value: string): { payload: string | Buffer; headers: Record<string, string> } {
  const kind = bodyKind(r);
  if (kind === 'json') {
    const keys = r.body.length > 0 ? r.body : ACTION_FIELDS;
    return { payload: `{${keys.map((k) => `${JSON.stringify(k)}:${value}`).join(',')}}`, headers: JSON_TYPE };
  }
  const text = decodeURIComponentSafe(value);
  if (kind === 'multipart') {
    return {
      payload: multipart([['_csrf', fx.csrf], ...FORM_FIELDS.map((k): [string, string] => [k, text])]),
      headers: MULTIPART,
    };
  }
  return { payload: urlencoded({ _csrf: fx.csrf }, FORM_FIELDS.map((k) => `${k}=${value}`).join('&')), headers: FORM };
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The routes whose success ends the caller's own session or token: each probe gets fresh credentials. */
const ENDS_CREDENTIALS = new Set(['POST /logout', 'POST /logout/all', 'DELETE /api/v1/auth/token']);

function routeTable(): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const r of app.declaredRoutes()) {
    if (r.url === '/static/*') continue;
    const schema = (r.schema ?? {}) as {
      querystring?: { properties?: Record<string, unknown> };
      body?: { properties?: Record<string, unknown> };
    };
    for (const method of ([] as string[]).concat(r.method)) {
      if (method === 'HEAD') continue;
      out.push({
        method,
        url: r.url,
        credential: r.config?.credential ?? 'session',
        params: paramsOf(r.url),
        query: Object.keys(schema.querystring?.properties ?? {}),
        body: Object.keys(schema.body?.properties ?? {}),
        hasBody: method === 'POST' || method === 'PATCH' || Boolean(schema.body),
      });
    }
  }
  return out;
}

/** The probes of one route: its parameters, its query, its body and its content types. */
function probesFor(r: RouteInfo): Probe[] {
  const route = `${r.method} ${r.url}`;
  const probes: Probe[] = [];
  const write = r.method !== 'GET';
  const base = fill(r.url);
  const withBody = (): Partial<Probe> =>
    write && r.hasBody ? bodyWith(r, '"x"') : write && r.credential === 'session' ? csrfOnly() : {};
  const csrfOnly = (): Partial<Probe> => ({ payload: urlencoded({ _csrf: fx.csrf }), headers: FORM });
  // The route with real values: the handler's own happy path.
  probes.push({ method: r.method, url: base, who: 'staff', route, ...withBody() });
  // Each parameter in turn, the others real.
  for (const param of r.params) {
    for (const value of PATH_VALUES) {
      const url = fill(r.url, { [param]: value });
      probes.push({ method: r.method, url, who: 'staff', route, ...withBody() });
    }
  }
  // Each query key in turn; cursors get their own corpus.
  for (const key of r.query) {
    const values = key === 'cursor' ? [...QUERY_VALUES, ...CURSOR_VALUES] : QUERY_VALUES;
    for (const value of values) {
      probes.push({ method: r.method, url: `${base}?${key}=${value}`, who: 'staff', route, ...withBody() });
    }
    probes.push({ method: r.method, url: `${base}?${key}=1&${key}=2`, who: 'staff', route, ...withBody() });
    probes.push({ method: r.method, url: `${base}?${key}[]=1`, who: 'staff', route, ...withBody() });
  }
  if (r.query.includes('cursor')) {
    for (const value of [fx.cursor, ...CURSOR_VALUES]) {
      probes.push({ method: r.method, url: `${base}?sort=replied&cursor=${value}`, who: 'staff', route });
    }
  }
  for (const q of KEY_QUERIES)
    probes.push({ method: r.method, url: `${base}?${q}`, who: 'staff', route, ...withBody() });
  if (!write) return probes;

  // Bodies: every field set to each value, then whole bodies and content types.
  const kind = bodyKind(r);
  if (r.hasBody) {
    const values = kind === 'json' ? JSON_VALUES : TEXT_VALUES;
    for (const value of values)
      probes.push({ method: r.method, url: base, who: 'staff', route, ...bodyWith(r, value) });
    if (kind === 'json') {
      for (const key of r.body) {
        for (const value of ['"\\u0000"', '1e309', '2147483648', '{}', '[]', 'null']) {
          probes.push({
            method: r.method,
            url: base,
            who: 'staff',
            route,
            headers: JSON_TYPE,
            payload: `{${JSON.stringify(key)}:${value}}`,
          });
        }
      }
      for (const payload of JSON_BODIES)
        probes.push({ method: r.method, url: base, who: 'staff', route, headers: JSON_TYPE, payload });
    } else if (kind === 'form') {
      for (const raw of [
        '__proto__=x',
        'constructor=x',
        'toString=x',
        'phone=1&phone=2',
        'a[b]=1',
        '%FF=1',
        'a=%E0%A4%A',
      ]) {
        probes.push({
          method: r.method,
          url: base,
          who: 'staff',
          route,
          headers: FORM,
          payload: urlencoded({ _csrf: fx.csrf }, raw),
        });
      }
    }
  }
  const csrfField = r.credential === 'session' ? [['_csrf', fx.csrf] as [string, string]] : [];
  const contentTypes: { headers: Record<string, string>; payload: string | Buffer }[] = [
    { headers: { 'content-type': 'text/plain' }, payload: 'hello' },
    { headers: { 'content-type': 'application/xml' }, payload: '<a/>' },
    { headers: JSON_TYPE, payload: JSON.stringify(Object.fromEntries(csrfField)) },
    { headers: JSON_TYPE, payload: '' },
    { headers: { 'content-type': 'application/json; charset=utf-16' }, payload: '{}' },
    { headers: { ...JSON_TYPE, 'content-length': '2' }, payload: '{"a":"bcdef"}' },
    { headers: FORM, payload: urlencoded(Object.fromEntries(csrfField), 'a=1') },
    { headers: MULTIPART, payload: multipart([...csrfField, ['title', 'x']]) },
    { headers: MULTIPART, payload: multipart([...csrfField, ['title', 'a\u0000b']]) },
    { headers: MULTIPART, payload: multipart([...csrfField, ['a\u0000b', 'x']]) },
    { headers: MULTIPART, payload: multipart([...csrfField, ['boardId', 'NaN']]) },
    { headers: MULTIPART, payload: multipart(csrfField, { name: 'images', data: Buffer.from('not an image') }) },
    { headers: MULTIPART, payload: multipart([...csrfField, ['title', 'x']]).subarray(0, 60) },
    { headers: { 'content-type': 'multipart/form-data' }, payload: 'x' },
    { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: '' },
  ];
  for (const c of contentTypes) probes.push({ method: r.method, url: base, who: 'staff', route, ...c });
  return probes;
}

/** Headers that the app reads as input, on a page, an API read and an API write. */
function headerProbes(): Probe[] {
  const probes: Probe[] = [];
  const route = 'headers';
  for (const authorization of [
    'Bearer x',
    'Bearer \u0000',
    'Basic abc',
    'Bearer',
    `Bearer ${'a'.repeat(10000)}`,
    'Bearer __proto__',
  ]) {
    probes.push({ method: 'GET', url: '/api/v1/me', who: 'staff', route, headers: { authorization } });
  }
  for (const key of ['\u0000', 'a'.repeat(101), '../../etc/passwd', '__proto__', 'abc\u0000def']) {
    probes.push({
      method: 'POST',
      url: '/api/v1/messages',
      who: 'staff',
      route,
      headers: { ...JSON_TYPE, 'idempotency-key': key },
      payload: JSON.stringify({ boardId: Number(BOARD), type: 'consult', domain: 'urban', title: 'x', body: 'y' }),
    });
  }
  for (const cookie of [
    'sid=\u0000',
    `sid=${'x'.repeat(5000)}`,
    'lang=__proto__',
    'lang=%FF',
    'csrf=abc',
    'sid=%00; lang=en',
  ]) {
    probes.push({ method: 'GET', url: '/account', who: 'anonymous', route, headers: { cookie } });
    probes.push({ method: 'GET', url: '/', who: 'anonymous', route, headers: { cookie } });
  }
  for (const [name, value] of [
    ['accept-language', '\u0000'],
    ['user-agent', 'a\u0000b'],
    ['x-forwarded-for', '\u0000, ::1'],
    ['if-none-match', '\u0000'],
    ['accept', '\u0000'],
  ]) {
    probes.push({ method: 'GET', url: '/regions/130000', who: 'staff', route, headers: { [name!]: value! } });
  }
  return probes;
}

/** Strings of a megabyte: in a query, a form, a JSON body and a path; only a few, they are slow to send. */
function largeProbes(): Probe[] {
  const big = 'x'.repeat(MiB);
  const route = 'large';
  return [
    { method: 'GET', url: `/search?q=${big}`, who: 'anonymous', route },
    { method: 'GET', url: `/api/v1/messages?q=${big}`, who: 'anonymous', route },
    { method: 'GET', url: `/messages/${big}`, who: 'anonymous', route },
    {
      method: 'POST',
      url: '/login',
      who: 'staff',
      route,
      headers: FORM,
      payload: urlencoded({ _csrf: fx.csrf, phone: big }),
    },
    {
      method: 'POST',
      url: '/api/v1/messages',
      who: 'staff',
      route,
      headers: JSON_TYPE,
      payload: JSON.stringify({ ...MESSAGE, body: big.slice(0, MiB - 200) }),
    },
  ];
}

/** The static files: their one wildcard route gets its own cases. */
function staticProbes(): Probe[] {
  const route = 'GET /static/*';
  const urls = [
    '/static/style.css',
    '/static/%2e%2e/%2e%2e/package.json',
    '/static/..%2F..%2Fpackage.json',
    '/static/..%2F..%2Fetc%2Fpasswd',
    '/static/%00',
    '/static/style.css%00',
    '/static/%FF',
    '/static/%C0%AF',
    '/static/__proto__',
    '/static/constructor',
    '/static/',
    `/static/${'x'.repeat(300)}`,
  ];
  const probes: Probe[] = urls.map((url) => ({ method: 'GET', url, who: 'anonymous', route }));
  for (const range of [
    'bytes=999999999-',
    'bytes=abc',
    'bytes=5-1',
    'bytes=-0',
    `bytes=${'0-0,'.repeat(200)}0-0`,
    'items=0-1',
  ]) {
    probes.push({ method: 'GET', url: '/static/style.css', who: 'anonymous', route, headers: { range } });
  }
  for (const [name, value] of [
    ['if-modified-since', 'not a date'],
    ['if-none-match', '"x"'],
    ['if-range', 'garbage'],
  ]) {
    probes.push({ method: 'GET', url: '/static/style.css', who: 'anonymous', route, headers: { [name!]: value! } });
  }
  return probes;
}

/** Numbers as a form or query spells them, and as JSON carries them. */
const NUMBERS = ['2147483648', '99999999999', '1e309', 'Infinity', '-1', '0x10', '1.5', 'abc', ''];
const JSON_NUMBERS = '2147483648 1e309 "1e309" "Infinity" "2147483648" -1 "abc" null [1] {}'.split(' ');

/**
 * Forms and actions whose numbers reach the database: plausible fields, each number in turn replaced by a hostile
 * one, on a message this account handles; so the handlers get past their first checks.
 */
function deepProbes(): Probe[] {
  const probes: Probe[] = [];
  const form = (url: string, base: Record<string, string>, vary: string[], route = `POST ${url}`) => {
    for (const field of vary) {
      for (const value of NUMBERS) {
        const payload = urlencoded({ _csrf: fx.csrf, ...base, [field]: value });
        probes.push({ method: 'POST', url, who: 'staff', route, headers: FORM, payload });
      }
    }
  };
  const json = (url: string, base: Record<string, unknown>, vary: string[]) => {
    for (const field of vary) {
      for (const value of JSON_NUMBERS) {
        const fields = [...Object.entries(base).map(([k, v]) => `"${k}":${JSON.stringify(v)}`), `"${field}":${value}`];
        const payload = `{${fields.join(',')}}`;
        probes.push({ method: 'POST', url, who: 'staff', route: `POST ${url}`, headers: JSON_TYPE, payload });
      }
    }
  };
  const reply = {
    body: '经调查，路灯已于今日修复，感谢您的反映。',
    resolved: '1',
    submit: '1',
    reason: '需要现场核查',
    note: '请办理',
  };
  const numbers: Record<string, string[]> = {
    assign: ['unitId'],
    'request-extension': ['days'],
    'decide-extension': ['extensionId'],
    'link-duplicate': ['original'],
    rate: ['resolution', 'timeliness', 'attitude'],
  };
  for (const [action, fields] of Object.entries(numbers)) {
    form(
      `/workbench/messages/${fx.acceptedId}/${action}`,
      { ...reply, unitId: DEPT, days: '3', extensionId: '1', original: fx.messageId },
      fields,
    );
    json(
      `/api/v1/messages/${fx.acceptedId}/actions/${action}`,
      { ...reply, days: 3, extensionId: 1, original: Number(fx.messageId) },
      fields,
    );
  }
  for (const action of [
    'request-extension',
    'decide-extension',
    'draft-reply',
    'approve-reply',
    'sign-reply',
    'share-identity',
  ]) {
    const payload = urlencoded({ _csrf: fx.csrf, ...reply, days: '3', extensionId: '1', grant: '1' });
    probes.push({
      method: 'POST',
      url: `/workbench/messages/${fx.acceptedId}/${action}`,
      who: 'staff',
      route: 'deep',
      headers: FORM,
      payload,
    });
  }
  form(`/review/${fx.pendingId}/duplicate`, {}, ['original']);
  form(`/admin/users/${fx.victimId}/grants`, { role: 'unit_staff', scopeType: 'unit', scopeId: DEPT }, ['scopeId']);
  form(`/admin/users/${fx.victimId}/grants`, { role: 'leader', scopeType: 'board', scopeId: BOARD }, ['scopeId']);
  form(`/admin/users/${fx.victimId}/grants`, { role: 'supervisor', scopeType: 'region', scopeId: REGION }, ['scopeId']);
  const staff = { phone: '13800000009', nickname: '新同事', password: 'Deep-Sweep-2026!x', role: 'unit_staff' };
  form('/admin/staff', { ...staff, scopeType: 'unit', scopeId: DEPT }, ['scopeId', 'phone']);
  form(`/admin/units/${UNIT}/staff`, staff, ['phone']);
  form(`/admin/evaluation/${YEAR}/awards`, { kind: 'unit', id: UNIT, reason: '办理及时' }, ['id']);
  form(`/admin/evaluation/${YEAR}/awards`, { kind: 'worker', id: fx.victimId, reason: '办理及时' }, ['id']);
  const rules = {
    reviewHours: '24',
    acceptDays: '3',
    'handlingDays.complain': '15',
    extensionMaxDays: '15',
    maxExtensions: '1',
  };
  form(`/admin/rules/${REGION}`, rules, Object.keys(rules));
  form('/admin/settings/weights', { resolution: '1', timeliness: '1', attitude: '1' }, ['resolution']);
  json('/api/v1/follows', {}, ['messageId', 'boardId']);
  for (const value of NUMBERS) {
    probes.push({ method: 'GET', url: `/messages/new?board=${value}`, who: 'staff', route: 'GET /messages/new' });
    probes.push({
      method: 'GET',
      url: `/workbench/messages/${fx.acceptedId}?template=${value}`,
      who: 'staff',
      route: 'deep',
    });
  }
  return probes;
}

// Spellings: the encoded and double-slash paths must get what the canonical path gets.

function outcome(res: LightMyRequestResponse): string {
  if (res.statusCode < 400) return String(res.statusCode);
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
    return `${res.statusCode} ${code}`;
  }
  const message = /<section class="error-page">[\s\S]*?<\/h1>\s*<p>([\s\S]*?)<\/p>/.exec(res.body)?.[1];
  return `${res.statusCode} ${message ?? ''}`;
}

async function compareSpellings(probe: Probe): Promise<void> {
  const [path, query] = probe.url.split(/\?(.*)/s, 2) as [string, string | undefined];
  const suffix = query !== undefined ? `?${query}` : '';
  const canonical = outcome(await send(probe));
  for (const spelled of [encodedSpelling(path), `/${path}`]) {
    if (spelled === null) continue;
    const got = outcome(await send({ ...probe, url: `${spelled}${suffix}` }));
    if (got !== canonical) {
      failures.push(`spelling ${probe.method} ${spelled} [${probe.who}]: ${got}, but ${path} gets ${canonical}`);
    }
  }
}

/** The spelling probes of a route: anonymous, and signed in (a write with input the route refuses). */
function spellingProbes(r: RouteInfo): Probe[] {
  const route = `${r.method} ${r.url}`;
  const base = fill(r.url);
  if (r.method === 'GET') {
    const probes: Probe[] = [
      { method: 'GET', url: base, who: 'anonymous', route },
      { method: 'GET', url: base, who: 'staff', route },
    ];
    // A value the route refuses, and one the router cannot even decode.
    for (const value of r.params.length > 0 ? ['2147483648', '%FF'] : []) {
      probes.push({ method: 'GET', url: fill(r.url, { [r.params[0]!]: value }), who: 'staff', route });
    }
    return probes;
  }
  const refused: Probe =
    r.params.length > 0
      ? { method: r.method, url: fill(r.url, { [r.params[0]!]: 'abc' }), who: 'staff', route, ...bodyWith(r, '"x"') }
      : { method: r.method, url: base, who: 'staff', route, headers: { 'content-type': 'text/plain' }, payload: 'x' };
  return [{ method: r.method, url: base, who: 'anonymous', route }, refused];
}

// Setup.

async function staffLogin(): Promise<{ cookies: Record<string, string>; csrf: string }> {
  const client = new WebClient(app, nextIp());
  await client.get('/login');
  const res = await client.post('/login', { phone: STAFF_PHONE, password: PASSWORD });
  assert.equal(res.statusCode, 303, res.body);
  const page = await client.get('/account');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(csrf, 'the account page has a CSRF token');
  return { cookies: Object.fromEntries(client.cookies), csrf };
}

async function issueToken(phone = STAFF_PHONE): Promise<{ token: string; id: number }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { phone, password: PASSWORD },
    remoteAddress: nextIp(),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

async function api(
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
  token = fx.token,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
    remoteAddress: nextIp(),
  });
}

const MESSAGE = {
  boardId: Number(BOARD),
  type: 'complain',
  domain: 'urban',
  title: '路灯损坏多日无人修理',
  body: '诉求：请尽快修复。小区门口的路灯已经坏了两个星期，晚上出行很不安全，希望有关部门尽快处理。',
};

before(async () => {
  t = await createTestDatabase();
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; stack?: string } };
        const where =
          entry.err?.stack
            ?.split('\n')
            .find((l) => l.includes('/src/'))
            ?.trim() ?? '';
        logged.push(`${entry.err?.type ?? ''}: ${entry.err?.message ?? entry.msg} ${where}`);
      }
      done();
    },
  });
  app = await buildApp({ config: t.config, db: t.db, logger: { level: 'error', stream: logStream } });
  await app.ready();

  // The account whose roles and sessions the admin pages act on comes first, so that the ids a hostile `01` or `+1`
  // spells are its, and never the sweeping account's own.
  fx.victimId = String(
    await createStaff(t.db, COMMAND_LINE, {
      phone: VICTIM_PHONE,
      nickname: '受检员',
      password: PASSWORD,
      role: 'unit_staff',
      scopeType: 'unit',
      scopeId: UNIT,
    }),
  );
  // One account holding every kind of staff role, so that every handler runs for it.
  const roles: [string, Record<string, string>][] = [
    ['admin', {}],
    ['editor', {}],
    ['unit_head', { scopeType: 'unit', scopeId: UNIT }],
    ['leader', { scopeType: 'board', scopeId: BOARD }],
  ];
  for (const [role, scope] of roles) {
    await createStaff(t.db, COMMAND_LINE, {
      phone: STAFF_PHONE,
      nickname: '巡检员',
      password: PASSWORD,
      role,
      ...scope,
    });
  }
  fx.spareTokenId = String((await issueToken()).id);
  fx.token = (await issueToken()).token;
  Object.assign(fx, await staffLogin());

  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await api('POST', '/api/v1/messages', { ...MESSAGE, title: `${MESSAGE.title}${i}` });
    assert.equal(res.statusCode, 201, res.body);
    ids.push(String(res.json().id));
  }
  for (const id of ids.slice(0, 2)) {
    const approved = await api('POST', `/api/v1/messages/${id}/actions/approve`, {});
    assert.equal(approved.statusCode, 200, approved.body);
  }
  [fx.messageId, , fx.pendingId] = ids as [string, string, string];
  // Written by someone else (the handler of a message sees the workbench, its author the public page).
  const victimToken = (await issueToken(VICTIM_PHONE)).token;
  const accepted = await api(
    'POST',
    '/api/v1/messages',
    { ...MESSAGE, title: `${MESSAGE.title}（受理）` },
    victimToken,
  );
  fx.acceptedId = String(accepted.json().id);
  assert.equal((await api('POST', `/api/v1/messages/${fx.acceptedId}/actions/approve`, {})).statusCode, 200);
  assert.equal((await api('POST', `/api/v1/messages/${fx.acceptedId}/actions/accept`, {})).statusCode, 200);
  // A department below the unit, so that assigning has somewhere to go.
  await t.db
    .insertInto('handling_units')
    .values({
      id: Number(DEPT),
      region_code: '130123',
      parent_id: Number(UNIT),
      name: '正定县城管局',
      kind: 'department',
      level: 'county',
      responsibilities: '',
      active: 1,
    })
    .execute();
  fx.cursor = (await api('GET', '/api/v1/messages?limit=1')).json().next;
  assert.ok(fx.cursor, 'a newest-first cursor');

  const follow = await api('POST', '/api/v1/follows', { boardId: Number(BOARD) });
  fx.followId = String(follow.json().id);
  const web = { cookies: fx.cookies, remoteAddress: nextIp() };
  await app.inject({
    method: 'POST',
    url: `/workbench/templates/${UNIT}`,
    ...web,
    headers: FORM,
    payload: urlencoded({ _csrf: fx.csrf, title: '路灯', body: '已转交路灯管理所处理，预计三个工作日内修复。' }),
  });
  const templates = await app.inject({ url: '/workbench/templates', ...web });
  fx.templateId = /\/workbench\/templates\/\d+\/(\d+)\/delete/.exec(templates.body)?.[1] ?? '1';
  const victim = await app.inject({ url: `/admin/users/${fx.victimId}`, ...web });
  fx.victimGrant = new RegExp(`/admin/users/${fx.victimId}/grants/(\\d+)/revoke`).exec(victim.body)?.[1] ?? '1';
});

after(async () => {
  await app?.close();
  await t?.close();
});

describe('known causes of 5xx, each as the tester sent it', () => {
  const expect = async (probe: Omit<Probe, 'route'>, status: number, code?: string) => {
    const res = await send({ ...probe, route: 'known' });
    assert.equal(res.statusCode, status, `${probe.method} ${probe.url}: ${res.body.slice(0, 300)}`);
    if (code) assert.equal(res.json().error.code, code, res.body);
    return res;
  };

  test('integers out of range in paths and queries are refused, not sent to the database', async () => {
    await expect({ method: 'GET', url: '/api/v1/notifications?limit=1e309', who: 'staff' }, 400, 'VALIDATION');
    await expect({ method: 'GET', url: '/api/v1/notifications?before=Infinity', who: 'staff' }, 400, 'VALIDATION');
    await expect({ method: 'GET', url: '/api/v1/messages/2147483648', who: 'staff' }, 400, 'VALIDATION');
    await expect({ method: 'GET', url: '/api/v1/messages/1e309/events', who: 'staff' }, 400, 'VALIDATION');
    await expect({ method: 'GET', url: '/admin/log?before=2147483648', who: 'staff' }, 400);
    await expect({ method: 'GET', url: '/admin/log?before=1e309', who: 'staff' }, 400);
    await expect({ method: 'GET', url: `/boards/${BOARD}?before=Infinity`, who: 'staff' }, 400);
    await expect({ method: 'GET', url: '/boards/9999999999', who: 'staff' }, 404);
    await expect({ method: 'GET', url: '/messages/9999999999', who: 'staff' }, 404);
    await expect({ method: 'GET', url: '/stats/units/9999999999', who: 'staff' }, 400);
    await expect({ method: 'GET', url: '/api/v1/stats?board=2147483648', who: 'staff' }, 400);
    await expect({ method: 'GET', url: '/workbench?board=9999999999', who: 'staff' }, 200);
    await expect(
      {
        method: 'POST',
        url: `/admin/users/${fx.victimId}/grants/2147483648/revoke`,
        who: 'staff',
        headers: FORM,
        payload: urlencoded({ _csrf: fx.csrf }),
      },
      400,
    );
    await expect(
      {
        method: 'POST',
        url: '/account/tokens/2147483648/revoke',
        who: 'staff',
        headers: FORM,
        payload: urlencoded({ _csrf: fx.csrf }),
      },
      400,
    );
    await expect(
      {
        method: 'POST',
        url: `/workbench/templates/${UNIT}/1e309/delete`,
        who: 'staff',
        headers: FORM,
        payload: urlencoded({ _csrf: fx.csrf }),
      },
      400,
    );
    await expect(
      {
        method: 'POST',
        url: '/api/v1/messages',
        who: 'staff',
        headers: JSON_TYPE,
        payload: JSON.stringify({ ...MESSAGE, boardId: 2147483648 }),
      },
      400,
      'VALIDATION',
    );
    await expect(
      {
        method: 'POST',
        url: `/api/v1/messages/${fx.pendingId}/actions/link-duplicate`,
        who: 'staff',
        headers: JSON_TYPE,
        payload: '{"original":1e309}',
      },
      400,
    );
    await expect(
      {
        method: 'POST',
        url: '/admin/users/999999/sessions/revoke',
        who: 'staff',
        headers: FORM,
        payload: urlencoded({ _csrf: fx.csrf }),
      },
      404,
    );
  });

  test('a cursor that the list did not hand out, or that belongs to another sort, is a clear validation error', async () => {
    for (const cursor of [b64('{"id":40,"at":{}}'), b64('{"id":1e309}'), b64('{"id":40,"at":"x"}')]) {
      const res = await expect(
        { method: 'GET', url: `/api/v1/messages?sort=replied&cursor=${cursor}`, who: 'anonymous' },
        400,
        'VALIDATION',
      );
      assert.match(res.json().error.message, /cursor/);
    }
    const reused = await expect(
      { method: 'GET', url: `/api/v1/messages?sort=replied&cursor=${fx.cursor}`, who: 'anonymous' },
      400,
      'VALIDATION',
    );
    assert.match(reused.json().error.message, /分页/);
    await expect(
      {
        method: 'GET',
        url: `/api/v1/messages?cursor=${b64('{"id":40,"at":"2026-01-01T00:00:00.000Z"}')}`,
        who: 'anonymous',
      },
      400,
      'VALIDATION',
    );
    const page = await expect(
      { method: 'GET', url: `/search?q=路灯&sort=replied&cursor=${fx.cursor}`, who: 'anonymous' },
      400,
    );
    assert.match(page.body, /分页/);
    await expect({ method: 'GET', url: `/api/v1/messages?cursor=${fx.cursor}`, who: 'anonymous' }, 200);
  });

  test('a NUL byte anywhere in the input is refused, naming the field', async () => {
    const nul = async (probe: Omit<Probe, 'route'>, field: string) => {
      const res = await send({ ...probe, route: 'known' });
      assert.equal(res.statusCode, 400, `${probe.url}: ${res.body.slice(0, 300)}`);
      const text = res.headers['content-type']?.toString().startsWith('application/json')
        ? res.json().error.message
        : res.body;
      assert.match(text, /空字符/);
      assert.ok(text.includes(field), `${probe.url} names ${field}: ${text.slice(0, 300)}`);
      return res;
    };
    await nul({ method: 'GET', url: '/api/v1/messages?q=%00', who: 'anonymous' }, 'q');
    await nul({ method: 'GET', url: '/search?q=a%00b', who: 'anonymous' }, 'q');
    await nul({ method: 'GET', url: '/open-data/latest/a%00', who: 'anonymous' }, 'file');
    await nul({ method: 'GET', url: '/api/v1/regions/search?q=%E6%AD%A3%00', who: 'anonymous' }, 'q');
    await nul(
      {
        method: 'POST',
        url: '/api/v1/messages',
        who: 'staff',
        headers: JSON_TYPE,
        payload: JSON.stringify({ ...MESSAGE, title: 'a\u0000b' }),
      },
      'title',
    );
    await nul(
      {
        method: 'POST',
        url: '/api/v1/messages',
        who: 'staff',
        headers: { ...JSON_TYPE, 'idempotency-key': 'abc\u0000defgh' },
        payload: JSON.stringify(MESSAGE),
      },
      'idempotency-key',
    );
    await nul(
      {
        method: 'POST',
        url: '/api/v1/auth/token',
        who: 'anonymous',
        headers: JSON_TYPE,
        payload: '{"phone":"1\\u0000"}',
      },
      'phone',
    );
    await nul(
      { method: 'POST', url: '/api/v1/auth/token', who: 'anonymous', headers: JSON_TYPE, payload: '{"a\\u0000":"1"}' },
      'a',
    );
    await nul(
      {
        method: 'POST',
        url: '/login',
        who: 'staff',
        headers: FORM,
        payload: urlencoded({ _csrf: fx.csrf, phone: 'a\u0000' }),
      },
      'phone',
    );
    await nul(
      {
        method: 'POST',
        url: '/login',
        who: 'anonymous',
        headers: { ...FORM, 'user-agent': 'a\u0000b' },
        payload: urlencoded({ phone: STAFF_PHONE, password: PASSWORD }),
      },
      'user-agent',
    );
    await nul(
      {
        method: 'POST',
        url: '/messages',
        who: 'staff',
        headers: MULTIPART,
        payload: multipart([
          ['_csrf', fx.csrf],
          ['boardId', BOARD],
          ['title', 'a\u0000b'],
        ]),
      },
      'title',
    );
    await nul(
      {
        method: 'POST',
        url: '/messages/similar',
        who: 'staff',
        headers: MULTIPART,
        payload: multipart([
          ['_csrf', fx.csrf],
          ['boardId', BOARD],
          ['body', '\u0000'],
        ]),
      },
      'body',
    );
  });

  test('the message form refuses what is not a complete multipart form with a 400, and an unknown board with a 404', async () => {
    for (const url of ['/messages', '/messages/similar']) {
      const plain = await expect(
        { method: 'POST', url, who: 'staff', headers: FORM, payload: urlencoded({ _csrf: fx.csrf, boardId: BOARD }) },
        400,
      );
      assert.match(plain.body, /multipart|表单/);
      await expect(
        { method: 'POST', url, who: 'staff', headers: JSON_TYPE, payload: JSON.stringify({ _csrf: fx.csrf }) },
        400,
      );
      const whole = multipart([
        ['_csrf', fx.csrf],
        ['boardId', BOARD],
        ['title', 'x'],
      ]);
      const cut = await expect(
        { method: 'POST', url, who: 'staff', headers: MULTIPART, payload: whole.subarray(0, whole.length - 20) },
        400,
      );
      assert.match(cut.body, /表单/);
    }
    const nan = await send({
      method: 'POST',
      url: '/messages/similar',
      who: 'staff',
      route: 'known',
      headers: MULTIPART,
      payload: multipart([
        ['_csrf', fx.csrf],
        ['boardId', 'NaN'],
      ]),
    });
    assert.ok([400, 404].includes(nan.statusCode), `${nan.statusCode} ${nan.body.slice(0, 200)}`);
  });

  test('errors of the framework keep their own 4xx status, with a Chinese message', async () => {
    const range = await expect(
      { method: 'GET', url: '/static/style.css', who: 'anonymous', headers: { range: 'bytes=999999999-' } },
      416,
    );
    assert.match(range.body, /范围/);
    const cases: [Omit<Probe, 'route'>, number, string][] = [
      [
        {
          method: 'POST',
          url: '/api/v1/auth/token',
          who: 'anonymous',
          headers: { 'content-type': 'application/xml' },
          payload: '<a/>',
        },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        { method: 'POST', url: '/api/v1/auth/token', who: 'anonymous', headers: JSON_TYPE, payload: '' },
        400,
        'BODY_EMPTY',
      ],
      [
        { method: 'POST', url: '/api/v1/auth/token', who: 'anonymous', headers: JSON_TYPE, payload: '{"phone":' },
        400,
        'JSON_INVALID',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/auth/token',
          who: 'anonymous',
          headers: JSON_TYPE,
          payload: '{"__proto__":{}}',
        },
        400,
        'JSON_INVALID',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/auth/token',
          who: 'anonymous',
          headers: { ...JSON_TYPE, 'content-length': '2' },
          payload: '{"a":"bcdef"}',
        },
        400,
        'CONTENT_LENGTH_INVALID',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/auth/token',
          who: 'anonymous',
          headers: JSON_TYPE,
          payload: JSON.stringify({ name: 'x'.repeat(MiB) }),
        },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [{ method: 'GET', url: '/api/v1/regions/%FF', who: 'anonymous' }, 400, 'URL_INVALID'],
    ];
    for (const [probe, status, code] of cases) {
      const res = await expect(probe, status, code);
      assert.match(res.json().error.message, /[\u4e00-\u9fff]/);
    }
    const page = await expect({ method: 'GET', url: '/regions/%FF', who: 'anonymous' }, 400);
    assert.match(page.body, /网址/);
  });
});

test(`hostile input at every declared route gets no 5xx, and every spelling of a path the same answer (${TEST_ENGINE})`, async () => {
  const started = Date.now();
  // The figures are the sweep's own: the known cases above have made their assertions.
  counts.clear();
  failures.length = 0;
  total = 0;
  const routes = routeTable();
  assert.ok(routes.length > 100, `${routes.length} routes`);
  const ordinary = routes.filter((r) => !ENDS_CREDENTIALS.has(`${r.method} ${r.url}`));
  for (const r of ordinary) {
    for (const probe of spellingProbes(r)) await compareSpellings(probe);
    for (const probe of probesFor(r)) await send(probe);
  }
  for (const probe of [...deepProbes(), ...headerProbes(), ...largeProbes(), ...staticProbes()]) await send(probe);
  // The static plugin serves a file at its canonical path only (so that no spelling slips past a guarded prefix):
  // any other spelling is simply not found.
  for (const url of ['/%73tatic/style.css', '//static/style.css']) {
    const res = await send({ method: 'GET', url, who: 'anonymous', route: 'GET /static/*' });
    if (res.statusCode !== 404) failures.push(`static ${url}: ${res.statusCode}, not 404`);
  }

  // The credentials are still good: nothing above signed the staff member out.
  const account = await send({ method: 'GET', url: '/account', who: 'staff', route: 'check' });
  assert.equal(account.statusCode, 200, 'the session survived the sweep');
  assert.equal((await send({ method: 'GET', url: '/api/v1/me', who: 'staff', route: 'check' })).statusCode, 200);

  // Last, the routes that end the caller's own session or token, each probe with fresh credentials.
  for (const r of routes.filter((r) => ENDS_CREDENTIALS.has(`${r.method} ${r.url}`))) {
    for (const probe of [...spellingProbes(r), ...probesFor(r).slice(0, 12)]) {
      if (r.credential === 'session') Object.assign(fx, await staffLogin());
      else fx.token = (await issueToken()).token;
      await send(probe);
    }
  }

  const byStatus = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
  console.log(
    `hostile corpus (${TEST_ENGINE}): ${total} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; ${byStatus.join(', ')}`,
  );
  assert.deepEqual(failures, [], `${failures.length} failures:\n${failures.join('\n')}`);
});
