// The open-data dump: written once a day by one process, served at /open-data, free of personal data, and the
// published figures recomputed from its files alone (with code of this test's own) equal what the API says.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { seedDemo } from '../src/demo/demo-seed.ts';
import { loadSensitiveWords, SensitiveWords } from '../src/messages/sensitive-words.ts';
import { runDailyDump } from '../src/open-data/open-data.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const run = promisify(execFile);
const BIN = new URL('../bin/liuyan.js', import.meta.url).pathname;

/** What the demo seed knows about its netizens and never publishes. */
const DEMO_PERSONAL = ['19900000101', '19900000102', '古城老街坊', '骑车上班族', '19900009999'];
const DEMO_REMARKS = '本人白天上班，方便联系的时间是工作日晚上七点以后。';

let t: TestApp;
let manifest: {
  date: string;
  satisfactionWeights: { resolution: number; timeliness: number; attitude: number };
  minSample: number;
  files: { name: string; rows: number | null; bytes: number; sha256: string }[];
};
const files = new Map<string, Buffer>();
type Row = Record<string, string>;
let messages: Row[];
let replies: Row[];

before(async () => {
  t = await createTestApp();
  await seedDemo(
    t.db,
    {
      secret: t.config.secret,
      store: new AttachmentStore(join(t.config.dataDir, 'attachments')),
      sensitiveWords: new SensitiveWords(loadSensitiveWords(t.config.sensitiveWordsFile)),
    },
    { password: 'Open-Data-Test-2026!' },
  );
  await generateMessages(t.db, { count: 2000, now: new Date('2026-06-30T04:00:00Z') });
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

function readCsv(body: Buffer): Row[] {
  assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
  return parse(body, { bom: true, columns: true, skip_empty_lines: true }) as Row[];
}

describe('the daily dump', () => {
  test('before the first dump the page says so and the files are 404', async () => {
    const page = await get('/open-data');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /尚未生成开放数据/);
    assert.match(page.body, /message_facts|received_day/);
    assert.equal((await get('/open-data/latest/manifest.json')).statusCode, 404);
  });

  test('two processes at once: exactly one writes the day, the other finds it taken', async () => {
    const now = new Date();
    const outcomes = await Promise.all([runDailyDump(t.db, t.config, now), runDailyDump(t.db, t.config, now)]);
    assert.equal(outcomes.filter((o) => o.done).length, 1);
    assert.deepEqual(
      outcomes.filter((o) => !o.done).map((o) => !o.done && o.reason),
      ['taken'],
    );
    const again = await runDailyDump(t.db, t.config, now);
    assert.equal(again.done, false, 'a later pass the same day does nothing');
    const root = join(t.config.dataDir, 'open-data');
    assert.deepEqual(readdirSync(root), [outcomes.find((o) => o.done)!.date]);
  });

  test('the latest dump is served with a manifest whose row counts and checksums match the files', async () => {
    const res = await get('/open-data/latest/manifest.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    manifest = res.json();
    assert.deepEqual(
      manifest.files.map((f) => f.name),
      ['messages.csv', 'replies.csv', 'regions.csv', 'units.csv', 'boards.csv', 'schema.json'],
    );
    assert.deepEqual(manifest.satisfactionWeights, { resolution: 50, timeliness: 25, attitude: 25 });
    for (const f of manifest.files) {
      const file = await get(`/open-data/latest/${f.name}`);
      assert.equal(file.statusCode, 200, f.name);
      const body = file.rawPayload;
      files.set(f.name, body);
      assert.equal(body.length, f.bytes, `${f.name} size`);
      assert.equal(createHash('sha256').update(body).digest('hex'), f.sha256, `${f.name} sha256`);
      if (f.name.endsWith('.csv')) {
        assert.match(String(file.headers['content-type']), /text\/csv; charset=utf-8/);
        assert.equal(readCsv(body).length, f.rows, `${f.name} rows`);
      }
    }
    messages = readCsv(files.get('messages.csv')!);
    replies = readCsv(files.get('replies.csv')!);
    const facts = Number(
      (
        await t.db
          .selectFrom('message_facts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.equal(messages.length, facts, 'one row per message that reached the handling units');
    assert.ok(messages.length > 1500);
    const schema = JSON.parse(files.get('schema.json')!.toString('utf8')) as {
      files: { name: string; columns: { name: string }[] }[];
    };
    assert.deepEqual(
      schema.files.find((f) => f.name === 'messages.csv')!.columns.map((c) => c.name),
      Object.keys(messages[0]!),
    );
  });

  test('the page lists the files with their checksums, the schema and the licence', async () => {
    const page = await get('/open-data');
    assert.equal(page.statusCode, 200);
    for (const f of manifest.files) {
      assert.ok(page.body.includes(`/open-data/latest/${f.name}`), f.name);
      assert.ok(page.body.includes(f.sha256), `${f.name} checksum`);
    }
    assert.match(page.body, /CC BY 4\.0/);
    assert.match(page.body, /rating_resolution/);
  });

  test('only the files of a dump can be asked for', async () => {
    for (const url of [
      '/open-data/latest/secret',
      '/open-data/latest/..%2Fsecret',
      '/open-data/latest/liuyan.db',
      `/open-data/latest/${'x'.repeat(100)}`,
    ]) {
      const res = await get(url);
      assert.ok([404, 400].includes(res.statusCode), `${url}: ${res.statusCode}`);
      assert.match(res.body, /不存在|有误/);
    }
  });
});

describe('no personal data in the dump', () => {
  test('no author id, phone, nickname or remarks column', () => {
    const columns = [...Object.keys(messages[0]!), ...Object.keys(replies[0]!)];
    for (const bad of ['author_id', 'phone', 'nickname', 'remarks', 'remarks_sealed', 'original_sealed', 'location'])
      assert.ok(!columns.includes(bad), bad);
  });

  test("the demo authors' phone numbers and nicknames and the private remarks appear nowhere", async () => {
    const withRemarks = await t.db
      .selectFrom('messages')
      .select('id')
      .where('remarks_sealed', 'is not', null)
      .execute();
    assert.ok(withRemarks.length > 0, 'the demo wrote remarks');
    const text = [...files.values()].map((b) => b.toString('utf8')).join('\n');
    for (const secret of [...DEMO_PERSONAL, DEMO_REMARKS]) assert.ok(!text.includes(secret), secret);
    const authors = await t.db
      .selectFrom('users')
      .select(['phone', 'nickname'])
      .where('phone', 'like', '199000001%')
      .execute();
    assert.ok(authors.length >= 2);
    for (const a of authors) {
      assert.ok(!text.includes(a.phone!), a.phone!);
      assert.ok(!text.includes(a.nickname), a.nickname);
    }
  });

  test('private messages are rows without their title and body', async () => {
    const privateRows = messages.filter((m) => m.visibility === 'private');
    assert.ok(privateRows.length > 0);
    for (const m of privateRows) {
      assert.equal(m.title, '');
      assert.equal(m.body, '');
    }
    const privateIds = new Set(privateRows.map((m) => m.message_id));
    assert.ok(!replies.some((r) => privateIds.has(r.message_id)), 'no reply of a private message');
    const demoPrivate = await t.db
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.author_id')
      .select(['messages.id', 'messages.title', 'messages.body'])
      .where('messages.visibility', '=', 'private')
      .where('users.phone', 'like', '199000001%')
      .execute();
    assert.ok(demoPrivate.length > 0, 'the demo has a private message');
    const text = files.get('messages.csv')!.toString('utf8') + files.get('replies.csv')!.toString('utf8');
    for (const m of demoPrivate) {
      assert.ok(privateIds.has(String(m.id)), `private message ${m.id} is counted`);
      assert.ok(!text.includes(m.title) && !text.includes(m.body), `the text of private message ${m.id}`);
    }
    const publicRows = messages.filter((m) => m.visibility === 'public');
    assert.ok(publicRows.every((m) => m.title !== '' && m.body !== ''));
    assert.ok(replies.length > 0 && replies.every((r) => r.body !== '' && r.published_at !== ''));
  });
});

// ── The figures, recomputed from messages.csv alone ──────────────────────────────────────────────────────────

interface Recomputed {
  received: number;
  expected: number;
  replied: number;
  replyRate: number | null;
  onTimeRate: number | null;
  medianDays: number | null;
  p90Days: number | null;
  satisfaction: number | null;
  satisfactionResolution: number | null;
  satisfactionTimeliness: number | null;
  satisfactionAttitude: number | null;
  ratings: number;
  resolved: number;
  overdue: number;
  returned: number;
  reopened: number;
  reopenedRate: number | null;
  signed: number;
}

function nearestRank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

function recompute(rows: Row[]): Recomputed {
  const min = manifest.minSample;
  const w = manifest.satisfactionWeights;
  const sum = (col: string) => rows.reduce((n, r) => n + (r[col] === '' ? 0 : Number(r[col])), 0);
  const replied = rows.filter((r) => r.replied_at !== '');
  const days = replied.map((r) => Number(r.handling_days)).sort((a, b) => a - b);
  const rated = rows.filter(
    (r) => r.rating_resolution !== '' && r.rating_timeliness !== '' && r.rating_attitude !== '',
  );
  const pct = (score: string) => ((Number(score) - 1) / 4) * 100;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const enough = rated.length >= min;
  const expected = sum('expected');
  return {
    received: rows.length,
    expected,
    replied: replied.length,
    replyRate: expected >= min ? replied.length / expected : null,
    onTimeRate: replied.length >= min ? sum('on_time') / replied.length : null,
    medianDays: nearestRank(days, 0.5),
    p90Days: nearestRank(days, 0.9),
    satisfaction: enough
      ? mean(
          rated.map(
            (r) =>
              (pct(r.rating_resolution!) * w.resolution +
                pct(r.rating_timeliness!) * w.timeliness +
                pct(r.rating_attitude!) * w.attitude) /
              (w.resolution + w.timeliness + w.attitude),
          ),
        )
      : null,
    satisfactionResolution: enough ? mean(rated.map((r) => pct(r.rating_resolution!))) : null,
    satisfactionTimeliness: enough ? mean(rated.map((r) => pct(r.rating_timeliness!))) : null,
    satisfactionAttitude: enough ? mean(rated.map((r) => pct(r.rating_attitude!))) : null,
    ratings: rated.length,
    resolved: sum('resolved'),
    overdue: sum('overdue'),
    returned: sum('returned'),
    reopened: sum('reopened'),
    reopenedRate: replied.length >= min ? sum('reopened') / replied.length : null,
    signed: sum('signed'),
  };
}

function assertSameFigures(ours: Recomputed, api: Record<string, number | null>, label: string) {
  for (const [key, value] of Object.entries(ours)) {
    const theirs = api[key];
    if (value === null || theirs === null) {
      assert.equal(theirs, value, `${label}: ${key}`);
      continue;
    }
    // The API rounds to 4 decimals.
    assert.ok(Math.abs(value - theirs!) < 0.00006, `${label}: ${key} dump ${value} ≠ API ${theirs}`);
  }
}

describe('the published figures, recomputed from the dump', () => {
  const periods = [
    { from: '2025-01-01', to: '2025-12-31', label: '2025 年' },
    { from: '2025-06-01', to: '2025-06-30', label: '2025 年 6 月' },
    { from: '2025-03-10', to: '2025-04-20', label: '自定日期' },
    { from: '2026-01-01', to: '2026-12-31', label: '2026 年（含演示留言）' },
  ];

  test('for the platform and a province, whole year, one month and a custom range, equal the API', async () => {
    // The province with most messages in 2025, found from the dump.
    const byProvince = new Map<string, number>();
    for (const m of messages)
      if (m.received_day!.startsWith('2025'))
        byProvince.set(m.province_code!, (byProvince.get(m.province_code!) ?? 0) + 1);
    const busiest = [...byProvince].sort((a, b) => b[1] - a[1])[0]![0];
    const scopes = [
      { query: '', label: '全平台', pick: () => true },
      { query: `region=${busiest}&`, label: busiest, pick: (m: Row) => m.province_code === busiest },
      { query: 'region=130000&', label: '河北省', pick: (m: Row) => m.province_code === '130000' },
    ];
    let withRates = 0;
    for (const scope of scopes) {
      for (const p of periods) {
        const rows = messages.filter((m) => scope.pick(m) && m.received_day! >= p.from && m.received_day! <= p.to);
        const ours = recompute(rows);
        const res = await get(`/api/v1/stats?${scope.query}from=${p.from}&to=${p.to}`);
        assert.equal(res.statusCode, 200, res.body);
        assertSameFigures(ours, res.json().figures, `${scope.label} ${p.label}`);
        if (ours.replyRate !== null && ours.satisfaction !== null && ours.medianDays !== null) withRates++;
      }
    }
    assert.ok(withRates >= 6, 'most comparisons have rates, percentiles and satisfaction, not just "样本不足"');
    const year = recompute(messages.filter((m) => m.received_day!.startsWith('2025')));
    for (const key of ['resolved', 'overdue', 'signed', 'reopened'] as const)
      assert.ok(year[key] > 0, `the demo year has ${key} messages`);
  });
});

describe('liuyan opendata dump', () => {
  const liuyan = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
        env: { PATH: process.env.PATH, ...t.env },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  test('--out writes the same files into a new directory, and refuses one that is not empty', async () => {
    const out = join(t.config.dataDir, 'export-here');
    const res = await liuyan(['opendata', 'dump', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /已生成开放数据/);
    const written = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as typeof manifest;
    assert.deepEqual(
      written.files.map((f) => [f.name, f.rows]),
      manifest.files.map((f) => [f.name, f.rows]),
    );
    const again = await liuyan(['opendata', 'dump', '--out', out]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /不为空/);
  });
});

describe('keeping N days', () => {
  test('a new day is dumped once more and only the newest days are kept; a dead claim is taken over', async () => {
    const root = join(t.config.dataDir, 'open-data');
    for (const day of ['2020-01-01', '2020-01-02']) {
      mkdirSync(join(root, day));
      writeFileSync(join(root, day, 'manifest.json'), '{}');
    }
    const config = { ...t.config, openDataDays: 2 };
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const outcome = await runDailyDump(t.db, config, tomorrow);
    assert.equal(outcome.done, true);
    const kept = readdirSync(root).filter((n) => /^\d{4}-/.test(n));
    assert.equal(kept.length, 2);
    assert.ok(kept.includes(outcome.date));
    assert.ok(!kept.includes('2020-01-01'));

    // A process that claimed a day and died: after the stale period another one takes the day over.
    await t.db
      .insertInto('stats_runs')
      .values({
        id: 'open-data:2030-01-01',
        detail: JSON.stringify({ state: 'running', by: 'dead' }),
        finished_at: '2029-12-31T12:00:00.000Z',
      })
      .execute();
    const takeover = await runDailyDump(t.db, config, new Date('2029-12-31T20:00:00.000Z'));
    assert.equal(takeover.done, true);
    assert.equal(takeover.date, '2030-01-01');
    const off = await runDailyDump(t.db, { ...t.config, openDataDays: 0 }, tomorrow);
    assert.deepEqual(off, { done: false, date: outcome.date, reason: 'off' });
  });
});
