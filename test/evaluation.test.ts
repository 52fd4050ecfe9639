import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { chinaDate } from '../src/deadlines/working-days.ts';
import { seedDemo } from '../src/demo/demo-seed.ts';
import { loadSensitiveWords, SensitiveWords } from '../src/messages/sensitive-words.ts';
import { parsePeriod } from '../src/stats/periods.ts';
import { statsService } from '../src/stats/stats.service.ts';
import { createTestApp, EVALUATION_SETTINGS, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

const PASSWORD = 'Eval-Test-Pass-2026!';
const YEAR = Number(chinaDate(new Date()).slice(0, 4));
const ADMIN = '19900000001';
const UNIT_HEAD = '19900000012';
const EDITOR = '19900000002';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await seedDemo(
    t.db,
    {
      secret: t.config.secret,
      store: new AttachmentStore(join(t.config.dataDir, 'attachments')),
      sensitiveWords: new SensitiveWords(loadSensitiveWords(t.config.sensitiveWordsFile)),
    },
    { password: PASSWORD },
  );
});
after(() => t.close());

let ip = 0;
const loginAs = (phone: string) => new WebClient(t.app, `10.8.0.${++ip}`).signIn(phone, PASSWORD);

const logActions = async () =>
  (await t.db.selectFrom('admin_log').select(['action', 'detail']).orderBy('id').execute()).filter((r) =>
    r.action.startsWith('evaluation.'),
  );
const yearRow = () => t.db.selectFrom('evaluation_years').selectAll().where('year', '=', YEAR).executeTakeFirst();

describe('who may run the evaluation', () => {
  test('visitors are sent to log in; unit heads and editors are refused on every admin route', async () => {
    const visitor = await new WebClient(t.app).get(`/admin/evaluation/${YEAR}`);
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/login\?next=/);

    for (const phone of [UNIT_HEAD, EDITOR]) {
      const web = await loginAs(phone);
      await web.get('/account'); // a page with a form, for a valid CSRF token
      for (const url of [
        '/admin/evaluation',
        `/admin/evaluation/${YEAR}`,
        `/admin/evaluation/${YEAR}/results`,
        `/admin/evaluation/${YEAR}/results?format=csv`,
        `/admin/evaluation/${YEAR}/workers`,
      ]) {
        assert.equal((await web.get(url)).statusCode, 403, `GET ${url} by ${phone}`);
      }
      for (const url of [
        `/admin/evaluation/${YEAR}/config`,
        `/admin/evaluation/${YEAR}/run`,
        `/admin/evaluation/${YEAR}/awards`,
        `/admin/evaluation/${YEAR}/awards/1/remove`,
        `/admin/evaluation/${YEAR}/confirm`,
        `/admin/evaluation/${YEAR}/publish`,
      ]) {
        const res = await web.post(url, { ...EVALUATION_SETTINGS, kind: 'unit', id: '130123001', reason: '越权尝试' });
        assert.equal(res.statusCode, 403, `POST ${url} by ${phone}`);
      }
    }
    assert.equal(await yearRow(), undefined, 'nothing was written');
    assert.equal((await logActions()).length, 0);
  });
});

describe('an evaluation year', () => {
  let admin: WebClient;
  before(async () => {
    admin = await loginAs(ADMIN);
  });

  test('settings are checked field by field: weights must sum to 100, years must be real', async () => {
    assert.match((await admin.get('/admin')).body, /<a href="\/admin\/evaluation">/);
    assert.match((await admin.get('/admin/evaluation')).body, new RegExp(`href="/admin/evaluation/${YEAR}"`));
    const page = await admin.get(`/admin/evaluation/${YEAR}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /综合得分 = 答复率 × 25 \+ 按时答复率 × 20 \+ 满意度 × 25 \+ 解决率 × 20 \+ 留言量 × 10/);

    const wrongSum = await admin.post(`/admin/evaluation/${YEAR}/config`, {
      ...EVALUATION_SETTINGS,
      weight_volume: '30',
    });
    assert.equal(wrongSum.statusCode, 400);
    assert.match(wrongSum.body, /<p class="error" id="weights-error" role="alert">各项指标的权重之和应为 100<\/p>/);
    assert.match(wrongSum.body, /name="weight_volume"[^>]*value="30"/, 'what was typed is kept');

    const bad = await admin.post(`/admin/evaluation/${YEAR}/config`, {
      ...EVALUATION_SETTINGS,
      weight_replyRate: '二十五',
      topUnits: '-1',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="f-weight_replyRate-error" role="alert">权重应为 0–100 的整数/);
    assert.match(bad.body, /id="f-topUnits-error" role="alert">每级先进单位名额 N应为 0–100 的整数/);
    assert.equal(await yearRow(), undefined, 'nothing saved');

    for (const url of ['/admin/evaluation/1999', '/admin/evaluation/abc', `/admin/evaluation/${YEAR + 1}`]) {
      assert.equal((await admin.get(url)).statusCode, 400, url);
    }
    assert.equal((await admin.post(`/admin/evaluation/${YEAR + 1}/run`, {})).statusCode, 400);

    const noToken = await admin.post(`/admin/evaluation/${YEAR}/config`, EVALUATION_SETTINGS, { csrf: false });
    assert.equal(noToken.statusCode, 403);
    assert.equal(await yearRow(), undefined, 'a post without the CSRF token changes nothing');

    await admin.get(`/admin/evaluation/${YEAR}`);
    const saved = await admin.post(`/admin/evaluation/${YEAR}/config`, EVALUATION_SETTINGS);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/admin/evaluation/${YEAR}?done=saved`);
    const row = await yearRow();
    assert.deepEqual(JSON.parse(row!.config), {
      weights: { replyRate: 25, onTimeRate: 20, satisfaction: 25, resolutionRate: 20, volume: 10 },
      minMessages: 5,
      topUnits: 2,
      workerCount: 3,
      satisfactionFloor: 0,
      minRatings: 2,
      issuer: '河北省网民留言办理工作领导小组办公室',
    });
    assert.deepEqual(
      (await logActions()).map((l) => l.action),
      ['evaluation.config'],
    );
  });

  test('a run on the demo year scores and ranks every unit within its level and proposes awardees', async () => {
    await admin.get(`/admin/evaluation/${YEAR}`);
    const run = await admin.post(`/admin/evaluation/${YEAR}/run`, {});
    assert.equal(run.statusCode, 303);

    const results = await t.db
      .selectFrom('evaluation_unit_results')
      .selectAll()
      .where('year', '=', YEAR)
      .orderBy('unit_id')
      .execute();
    const units = await t.db.selectFrom('handling_units').select(['id', 'level']).execute();
    const figures = await statsService.figuresFor(
      t.db,
      units.map((u) => ({ kind: 'unit', id: u.id })),
      parsePeriod({ period: String(YEAR) }),
    );
    const withMessages = units.filter((u) => figures.get(`u:${u.id}`)!.received > 0);
    assert.ok(withMessages.length >= 5, 'the demo spreads messages over several units');
    assert.deepEqual(
      results.map((r) => r.unit_id),
      withMessages.map((u) => u.id).sort((a, b) => a - b),
      'every unit that received messages in the year is in the run',
    );

    // An independent computation of each score from the published figures.
    const weights = { replyRate: 25, onTimeRate: 20, satisfaction: 25, resolutionRate: 20, volume: 10 };
    const eligible = results.filter((r) => Number(r.received) >= 5);
    assert.ok(eligible.length >= 3, 'some units are ranked');
    assert.ok(
      results.some((r) => Number(r.received) < 5),
      'and some are not',
    );
    for (const r of results) {
      const f = figures.get(`u:${r.unit_id}`)!;
      assert.equal(Number(r.received), f.received);
      assert.equal(Number(r.replied), f.replied);
      if (Number(r.received) < 5) {
        assert.equal(Boolean(r.eligible), false);
        assert.equal(r.rank, null);
        assert.equal(r.score, null);
        continue;
      }
      const max = Math.max(...eligible.filter((e) => e.level === r.level).map((e) => Number(e.received)));
      const values: [number | null, number][] = [
        [f.replyRate, weights.replyRate],
        [f.onTimeRate, weights.onTimeRate],
        [f.satisfaction === null ? null : f.satisfaction / 100, weights.satisfaction],
        [f.replied >= 5 ? f.resolved / f.replied : null, weights.resolutionRate],
        [f.received / max, weights.volume],
      ];
      const used = values.filter(([v]) => v !== null) as [number, number][];
      const expected = (used.reduce((s, [v, w]) => s + v * w, 0) / used.reduce((s, [, w]) => s + w, 0)) * 100;
      assert.ok(Math.abs(Number(r.score) - expected) < 0.02, `score of ${r.unit_id}: ${r.score} vs ${expected}`);
    }
    for (const level of new Set(eligible.map((r) => r.level))) {
      const ranked = eligible.filter((r) => r.level === level).sort((a, b) => Number(b.score) - Number(a.score));
      assert.equal(ranked[0]!.rank, 1, `the best ${level} unit is first`);
      for (let i = 1; i < ranked.length; i++) assert.ok(Number(ranked[i]!.rank) >= Number(ranked[i - 1]!.rank));
    }

    const awards = await t.db.selectFrom('evaluation_awards').selectAll().where('year', '=', YEAR).execute();
    const proposedUnits = awards.filter((a) => a.kind === 'unit').map((a) => a.unit_id);
    const expectedUnits = eligible.filter((r) => Number(r.rank) <= 2).map((r) => r.unit_id);
    assert.deepEqual([...proposedUnits].sort(), [...expectedUnits].sort(), 'the top 2 of each level');
    assert.ok(awards.every((a) => a.source === 'proposed'));

    // Staff: published replies in the year counted directly.
    const replies = await t.db
      .selectFrom('replies')
      .select(['author_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'published')
      .groupBy('author_id')
      .execute();
    const workers = await t.db.selectFrom('evaluation_worker_results').selectAll().where('year', '=', YEAR).execute();
    assert.equal(workers.length, replies.length);
    for (const r of replies) {
      const w = workers.find((x) => x.user_id === r.author_id)!;
      assert.equal(Number(w.replies), Number(r.n));
      assert.equal(Boolean(w.eligible), Number(w.ratings) >= 2 && w.satisfaction !== null);
    }
    const proposedWorkers = awards.filter((a) => a.kind === 'worker').map((a) => a.user_id);
    const best = workers
      .filter((w) => w.eligible)
      .sort((a, b) => Number(b.replies) - Number(a.replies) || Number(b.satisfaction) - Number(a.satisfaction))
      .slice(0, 3)
      .map((w) => w.user_id);
    assert.deepEqual([...proposedWorkers].sort(), [...best].sort());

    const page = await admin.get(`/admin/evaluation/${YEAR}?done=run`);
    assert.match(page.body, /考评已运行/);
    assert.match(page.body, /正定县委县政府督查室/);
    assert.match(page.body, /先进工作者名单/);
    const log = await logActions();
    assert.equal(log.at(-1)!.action, 'evaluation.run');

    // Re-running before publication replaces the run, not adds to it.
    await admin.post(`/admin/evaluation/${YEAR}/run`, {});
    const again = await t.db.selectFrom('evaluation_unit_results').select('unit_id').where('year', '=', YEAR).execute();
    assert.equal(again.length, results.length);
    const awardsAgain = await t.db.selectFrom('evaluation_awards').select('id').where('year', '=', YEAR).execute();
    assert.equal(awardsAgain.length, awards.length);
  });

  test('unpublished results are never public', async () => {
    const visitor = new WebClient(t.app);
    assert.doesNotMatch((await visitor.get('/honours')).body, /正定县委县政府督查室/);
    assert.match((await visitor.get('/honours')).body, /尚未发布年度考评结果/);
    for (const url of [
      `/honours/${YEAR}`,
      `/honours/${YEAR}/results`,
      `/honours/${YEAR}/results?format=csv`,
      `/honours/${YEAR}?format=xlsx`,
      `/honours/${YEAR}/certificates/1`,
      `/api/v1/honours?year=${YEAR}`,
    ]) {
      assert.equal((await visitor.get(url)).statusCode, 404, url);
    }
    const api = await t.app.inject('/api/v1/honours');
    assert.deepEqual(api.json(), { years: [] });
  });

  test('edits need a reason; publishing needs a confirmation; both are logged', async () => {
    await admin.get(`/admin/evaluation/${YEAR}`);
    const early = await admin.post(`/admin/evaluation/${YEAR}/publish`, {});
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /名单尚未确认，不能发布/);
    assert.equal((await yearRow())!.published_at, null);

    const [first] = await t.db
      .selectFrom('evaluation_awards')
      .select(['id', 'unit_id'])
      .where('year', '=', YEAR)
      .where('kind', '=', 'unit')
      .orderBy('id')
      .execute();
    const noReason = await admin.post(`/admin/evaluation/${YEAR}/awards/${first!.id}/remove`, { reason: '  ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, new RegExp(`id="remove-${first!.id}-error" role="alert">请写明调整理由`));
    assert.ok(await t.db.selectFrom('evaluation_awards').select('id').where('id', '=', first!.id).executeTakeFirst());

    const removed = await admin.post(`/admin/evaluation/${YEAR}/awards/${first!.id}/remove`, {
      reason: '该单位年内有重大负面舆情，<b>暂缓</b>评先',
    });
    assert.equal(removed.statusCode, 303);
    assert.equal(
      await t.db.selectFrom('evaluation_awards').select('id').where('id', '=', first!.id).executeTakeFirst(),
      undefined,
    );

    // 正定县住房和城乡建设局 received too few messages to be ranked; the admin adds it with a reason.
    await admin.get(`/admin/evaluation/${YEAR}`);
    const addNoReason = await admin.post(`/admin/evaluation/${YEAR}/awards`, { kind: 'unit', id: '130123002' });
    assert.equal(addNoReason.statusCode, 400);
    assert.match(addNoReason.body, /请写明调整理由/);
    const notInRun = await admin.post(`/admin/evaluation/${YEAR}/awards`, {
      kind: 'unit',
      id: '130000002',
      reason: '不在结果中',
    });
    assert.equal(notInRun.statusCode, 400);
    assert.match(notInRun.body, /只能从本年度考评结果中选择/);
    const added = await admin.post(`/admin/evaluation/${YEAR}/awards`, {
      kind: 'unit',
      id: '130123002',
      reason: '牵头办理老旧小区改造留言，群众反映好',
    });
    assert.equal(added.statusCode, 303);
    const twice = await admin.post(`/admin/evaluation/${YEAR}/awards`, {
      kind: 'unit',
      id: '130123002',
      reason: '再加一次',
    });
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /已在名单中/);

    const edits = await t.db.selectFrom('evaluation_award_edits').selectAll().orderBy('id').execute();
    assert.deepEqual(
      edits.map((e) => [e.action, e.kind, e.reason]),
      [
        ['remove', 'unit', '该单位年内有重大负面舆情，<b>暂缓</b>评先'],
        ['add', 'unit', '牵头办理老旧小区改造留言，群众反映好'],
      ],
    );
    const page = await admin.get(`/admin/evaluation/${YEAR}`);
    assert.match(page.body, /该单位年内有重大负面舆情，&lt;b>暂缓&lt;\/b>评先/, 'reasons are shown, escaped');
    assert.match(page.body, /添加先进单位：正定县住房和城乡建设局/);

    // A certificate must name who issues it: no confirmation without the issuing body.
    await admin.post(`/admin/evaluation/${YEAR}/config`, { ...EVALUATION_SETTINGS, issuer: '' });
    const noIssuer = await admin.post(`/admin/evaluation/${YEAR}/confirm`, {});
    assert.equal(noIssuer.statusCode, 400);
    assert.match(noIssuer.body, /颁发单位/);
    assert.equal((await yearRow())!.confirmed_at, null);
    await admin.post(`/admin/evaluation/${YEAR}/config`, EVALUATION_SETTINGS);
    assert.equal((await admin.post(`/admin/evaluation/${YEAR}/confirm`, {})).statusCode, 303);
    assert.ok((await yearRow())!.confirmed_at);
    // A change after confirming withdraws the confirmation.
    const [worker] = await t.db
      .selectFrom('evaluation_awards')
      .select('id')
      .where('year', '=', YEAR)
      .where('kind', '=', 'worker')
      .orderBy('id', 'desc')
      .execute();
    await admin.post(`/admin/evaluation/${YEAR}/awards/${worker!.id}/remove`, { reason: '本人已调离办理岗位' });
    assert.equal((await yearRow())!.confirmed_at, null);
    assert.equal((await admin.post(`/admin/evaluation/${YEAR}/publish`, {})).statusCode, 400);
    assert.equal((await admin.post(`/admin/evaluation/${YEAR}/confirm`, {})).statusCode, 303);
    const published = await admin.post(`/admin/evaluation/${YEAR}/publish`, {});
    assert.equal(published.statusCode, 303);
    assert.ok((await yearRow())!.published_at);

    // Published is final.
    await admin.get(`/admin/evaluation/${YEAR}`);
    const rerun = await admin.post(`/admin/evaluation/${YEAR}/run`, {});
    assert.equal(rerun.statusCode, 400);
    assert.match(rerun.body, /已发布，不能重新运行/);
    assert.equal(
      (await admin.post(`/admin/evaluation/${YEAR}/awards`, { kind: 'unit', id: String(first!.unit_id), reason: '补' }))
        .statusCode,
      400,
    );
    const lateSettings = await admin.post(`/admin/evaluation/${YEAR}/config`, EVALUATION_SETTINGS);
    assert.equal(lateSettings.statusCode, 400);
    assert.match(lateSettings.body, /本年度考评结果已发布，不能再修改设置/);

    const log = (await logActions()).map((l) => l.action).filter((a) => a !== 'evaluation.config');
    assert.deepEqual(log.slice(-6), [
      'evaluation.award',
      'evaluation.award',
      'evaluation.confirm',
      'evaluation.award',
      'evaluation.confirm',
      'evaluation.publish',
    ]);
    const adminLogPage = await admin.get('/admin/log');
    // In words: who took whom off which list, and why.
    assert.match(
      adminLogPage.body,
      /在 \d{4} 年度先进(单位|工作者)名单中(增加|去掉)|从 \d{4} 年度先进(单位|工作者)名单中去掉/,
    );
    assert.match(adminLogPage.body, /本人已调离办理岗位/);
  });

  test('the public honours pages show the awardees with their figures, and each certificate prints', async () => {
    const visitor = new WebClient(t.app);
    const index = await visitor.get('/honours');
    assert.equal(index.statusCode, 200);
    assert.match(
      index.body,
      /<a href="\/honours"( aria-current="page")?>荣誉榜<\/a>/,
      'the site navigation links here',
    );
    assert.match(index.body, new RegExp(`<a href="/honours/${YEAR}">${YEAR} 年度</a>`));
    assert.match(index.body, /正定县住房和城乡建设局/);

    const awards = await t.db
      .selectFrom('evaluation_awards as a')
      .leftJoin('evaluation_unit_results as r', (j) =>
        j.onRef('r.unit_id', '=', 'a.unit_id').onRef('r.year', '=', 'a.year'),
      )
      .leftJoin('evaluation_worker_results as w', (j) =>
        j.onRef('w.user_id', '=', 'a.user_id').onRef('w.year', '=', 'a.year'),
      )
      .select(['a.id', 'a.kind', 'r.unit_name', 'r.score', 'r.received', 'w.name', 'w.replies'])
      .where('a.year', '=', YEAR)
      .execute();
    const page = await visitor.get(`/honours/${YEAR}`);
    // Headings go down one level at a time: the lists are sections of the page (h2), not sub-sub-sections.
    const levels = [...page.body.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    assert.equal(levels[0], 1);
    levels.reduce((previous, level) => {
      assert.ok(level <= previous + 1, `h${previous} then h${level} on /honours/${YEAR}`);
      return level;
    });
    // A table wider than a phone scrolls: keyboard users can reach and scroll it.
    for (const region of page.body.match(/<div class="table-scroll"[^>]*>/g) ?? [])
      assert.match(region, /tabindex="0" role="region" aria-label="[^"]+"/);
    const results = await visitor.get(`/honours/${YEAR}/results`);
    assert.match(results.body, /<div class="table-scroll" tabindex="0" role="region" aria-label="[^"]+">/);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /综合得分如何计算/);
    assert.match(page.body, /综合得分 = 答复率 × 25/);
    for (const a of awards) {
      if (a.kind === 'unit') {
        assert.match(page.body, new RegExp(`<td>${a.unit_name}</td>`));
        if (a.score !== null) assert.match(page.body, new RegExp(`<td>${Number(a.score)}</td>`), 'the score is shown');
      } else {
        // A person's name is marked as written (translate="no"): no language changes it.
        assert.match(page.body, new RegExp(`<td translate="no">${a.name}</td>`));
      }
      assert.match(page.body, new RegExp(`href="/honours/${YEAR}/certificates/${a.id}"`));
    }
    const removed = await t.db
      .selectFrom('evaluation_award_edits')
      .select('name')
      .where('action', '=', 'remove')
      .execute();
    for (const r of removed) assert.doesNotMatch(page.body, new RegExp(`<td>${r.name.replace(/[（）()]/g, '.')}</td>`));

    const unitAward = awards.find((a) => a.kind === 'unit')!;
    const certificate = await visitor.get(`/honours/${YEAR}/certificates/${unitAward.id}`);
    assert.equal(certificate.statusCode, 200);
    assert.match(certificate.body, /<h1>荣誉证书<\/h1>/);
    assert.match(certificate.body, new RegExp(`${unitAward.unit_name}：`));
    assert.match(certificate.body, new RegExp(`${YEAR}年度网民留言办理工作先进单位`));
    assert.match(certificate.body, /<link rel="stylesheet" href="\/honours\/certificate.css"/);
    assert.match(certificate.body, /class="certificate-tools no-print"/);
    assert.doesNotMatch(certificate.body, /site-header/, 'no site navigation on the certificate');
    const css = await visitor.get('/honours/certificate.css');
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assert.match(css.body, /@media print \{\s*\.no-print/);

    // Every certificate names its issuing body, and none prints a figure over too small a sample.
    for (const award of awards) {
      const page = await visitor.get(`/honours/${YEAR}/certificates/${award.id}`);
      assert.match(
        page.body,
        /<p class="issuer"><span translate="no">河北省网民留言办理工作领导小组办公室<\/span>/,
        `award ${award.id}`,
      );
      assert.doesNotMatch(page.body, /样本不足|不参评/, `award ${award.id}`);
    }

    const workerAward = awards.find((a) => a.kind === 'worker')!;
    const workerCertificate = await visitor.get(`/honours/${YEAR}/certificates/${workerAward.id}`);
    assert.match(workerCertificate.body, new RegExp(`${workerAward.name}同志`));
    assert.match(workerCertificate.body, /先进工作者/);

    assert.equal((await visitor.get(`/honours/${YEAR}/certificates/999999`)).statusCode, 404);
    assert.equal((await visitor.get(`/honours/${YEAR - 1}/certificates/${unitAward.id}`)).statusCode, 404);
    assert.equal((await visitor.get('/honours/abc')).statusCode, 400);

    const api = await t.app.inject(`/api/v1/honours?year=${YEAR}`);
    assert.equal(api.statusCode, 200);
    const body = api.json();
    assert.equal(body.years.length, 1);
    assert.equal(body.years[0].year, YEAR);
    assert.match(body.years[0].formula, /^综合得分 = /);
    assert.deepEqual(
      body.years[0].units.map((u: { awardId: number }) => u.awardId).sort(),
      awards
        .filter((a) => a.kind === 'unit')
        .map((a) => a.id)
        .sort(),
    );
    assert.equal(body.years[0].workers.length, awards.filter((a) => a.kind === 'worker').length);
    assert.equal((await t.app.inject('/api/v1/honours?year=1999')).statusCode, 400);
    const openapi = (await t.app.inject('/api/v1/openapi.json')).json();
    assert.deepEqual(openapi.paths['/api/v1/honours'].get.tags, ['honours']);
  });

  test('every table downloads as CSV and XLSX with Chinese headers', async () => {
    const visitor = new WebClient(t.app);
    const csv = await visitor.get(`/honours/${YEAR}?format=csv&list=units`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /filename\*=UTF-8''/);
    const bytes = csv.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark for Excel');
    const lines = bytes.subarray(3).toString('utf8').trim().split('\n');
    assert.equal(
      lines[0],
      '称号,层级,单位,排名,收到留言,已答复,答复率（%）,按时答复率（%）,满意度（%）,评价条数,已解决,解决率（%）,留言量（%）,综合得分,说明',
    );
    const unitAwards = await t.db
      .selectFrom('evaluation_awards')
      .select('id')
      .where('year', '=', YEAR)
      .where('kind', '=', 'unit')
      .execute();
    assert.equal(lines.length - 1, unitAwards.length);
    // Numeric columns hold numbers only: an unranked unit has an empty rank, and the note column says why.
    assert.match(
      lines.slice(1).join('\n'),
      /先进单位,县级,正定县住房和城乡建设局,,\d+,[^\n]*,不参评；样本不足：[^\n]*$/m,
    );
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      for (const cell of cells.slice(3, -1)) assert.match(cell, /^(\d+(\.\d+)?)?$/, `${line}: ${cell}`);
    }

    const readXlsx = async (url: string, client: WebClient = visitor) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const workers = await readXlsx(`/honours/${YEAR}?format=xlsx&list=workers`);
    assert.deepEqual(workers[0], ['称号', '姓名', '所在单位', '公开答复条数', '评价条数', '满意度（%）', '说明']);
    assert.ok(workers.length >= 2);
    assert.equal(workers[1]![0], '先进工作者');

    const publicResults = await readXlsx(`/honours/${YEAR}/results?format=xlsx`);
    assert.deepEqual(publicResults[0]!.slice(0, 4), ['层级', '排名', '单位', '收到留言']);
    const count = await t.db.selectFrom('evaluation_unit_results').select('unit_id').where('year', '=', YEAR).execute();
    assert.equal(publicResults.length - 1, count.length);

    const admin = await loginAs(ADMIN);
    const adminResults = await readXlsx(`/admin/evaluation/${YEAR}/results?format=xlsx`, admin);
    assert.deepEqual(adminResults, publicResults);
    const adminCsv = await admin.get(`/admin/evaluation/${YEAR}/workers?format=csv`);
    assert.match(
      adminCsv.rawPayload.subarray(3).toString('utf8'),
      /^排名,姓名,所在单位,公开答复条数,评价条数,满意度（%）/,
    );
    const resultsPage = await admin.get(`/admin/evaluation/${YEAR}/results`);
    assert.match(resultsPage.body, /href="\/admin\/evaluation\/\d+\/results\?format=csv"/);
    assert.match(resultsPage.body, /不参评/);

    assert.equal((await visitor.get(`/honours/${YEAR}?format=pdf`)).statusCode, 400);
    assert.equal((await visitor.get(`/honours/${YEAR}?format=csv&list=everyone`)).statusCode, 400);
  });

  test('names that start like spreadsheet formulas download as text, never as formulas', async () => {
    // As if, when the year was run, an awarded worker's nickname and an awarded unit's name had been these.
    const NICKNAME = '+SUM(1+1)';
    const UNIT_NAME = '=HYPERLINK("http://evil","x")';
    const worker = await t.db
      .selectFrom('evaluation_awards')
      .select('user_id')
      .where('year', '=', YEAR)
      .where('kind', '=', 'worker')
      .executeTakeFirstOrThrow();
    const unit = await t.db
      .selectFrom('evaluation_awards')
      .select('unit_id')
      .where('year', '=', YEAR)
      .where('kind', '=', 'unit')
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable('evaluation_worker_results')
      .set({ name: NICKNAME })
      .where('year', '=', YEAR)
      .where('user_id', '=', worker.user_id!)
      .execute();
    await t.db
      .updateTable('evaluation_unit_results')
      .set({ unit_name: UNIT_NAME })
      .where('year', '=', YEAR)
      .where('unit_id', '=', unit.unit_id!)
      .execute();
    const visitor = new WebClient(t.app);

    const csvCells = async (url: string) => {
      const res = await visitor.get(url);
      assert.equal(res.statusCode, 200, url);
      return parse(res.rawPayload, { bom: true }) as string[][];
    };
    const workersCsv = await csvCells(`/honours/${YEAR}?format=csv&list=workers`);
    assert.ok(
      workersCsv.some((row) => row[1] === `'${NICKNAME}`),
      'the nickname gets a leading quote',
    );
    const unitsCsv = await csvCells(`/honours/${YEAR}?format=csv&list=units`);
    assert.ok(
      unitsCsv.some((row) => row[2] === `'${UNIT_NAME}`),
      'the unit name gets a leading quote',
    );
    for (const row of [...workersCsv, ...unitsCsv]) {
      for (const cell of row) assert.doesNotMatch(cell, /^[=+@]/, 'no cell starts like a formula');
    }

    for (const [url, text] of [
      [`/honours/${YEAR}?format=xlsx&list=workers`, NICKNAME],
      [`/honours/${YEAR}?format=xlsx&list=units`, UNIT_NAME],
    ] as const) {
      const res = await visitor.get(url);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const cells: ExcelJS.Cell[] = [];
      workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => void cells.push(cell)));
      assert.deepEqual(
        cells.filter((c) => c.type === ExcelJS.ValueType.Formula).map((c) => c.address),
        [],
        `${url}: no formula cell`,
      );
      const cell = cells.find((c) => c.value === text);
      assert.ok(cell, `${url}: the text is kept as typed`);
      assert.equal(cell.type, ExcelJS.ValueType.String);
      assert.equal(cell.numFmt, '@', 'formatted as text, so editing it in Excel does not turn it into a formula');
    }
  });
});
