import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { approveMessage } from '../src/messages/review.ts';
import { submitMessage } from '../src/messages/submit-message.ts';
import { jaccard, shingles, similarMessages } from '../src/search/similar.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
const ids: Record<string, number> = {};

const TEXTS = {
  heating: [
    '正定县古城小区供暖温度不达标',
    '诉求：请督促供热公司解决古城小区供暖温度不达标的问题。入冬以来室温长期低于16度，老人孩子受冻。',
  ],
  school: [
    '正定县第二小学门口早晚高峰拥堵',
    '诉求：请在第二小学门口增设交通协管员。每天早晚接送孩子时道路严重拥堵，存在安全隐患。',
  ],
  beijing: ['北京市朝阳区供暖温度不达标', '诉求：请督促供热公司解决小区供暖温度不达标的问题，室温长期偏低。'],
};

before(async () => {
  t = await createTestApp();
  const editorId = await createStaff(t.db, COMMAND_LINE, {
    phone: '18400000001',
    nickname: '编辑',
    password: 'Similar-Pass-2026!',
    role: 'editor',
  });
  await createStaff(t.db, COMMAND_LINE, {
    phone: '18400000002',
    nickname: '县办理员',
    password: 'Similar-Pass-2026!',
    role: 'unit_staff',
    scopeType: 'unit',
    scopeId: '130123001',
  });
  const editor = (await loadCurrentUser(t.db, editorId))!;
  const ctx = {
    db: t.db,
    secret: t.config.secret,
    store: t.app.attachments,
    sensitiveWords: t.app.sensitiveWords,
    authorId: editorId,
    channel: 'api' as const,
  };
  for (const [key, [title, body], board] of [
    ['heating', TEXTS.heating, 1301232],
    ['school', TEXTS.school, 1301232],
    ['beijing', TEXTS.beijing, 1100001],
  ] as const) {
    const { id } = await submitMessage(ctx, { boardId: board, type: 'help', domain: 'urban', title, body });
    await approveMessage(t.db, editor, id);
    ids[key] = id;
  }
});
after(() => t.close());

describe('similar messages', () => {
  test('the measure: same matter scores high, a different matter low', () => {
    const a = shingles(TEXTS.heating.join('\n'));
    const same = shingles('古城小区供暖温度不达标，请督促供热公司解决。室温长期低于16度。');
    const other = shingles(TEXTS.school.join('\n'));
    assert.ok(jaccard(a, same) >= 0.25, `same matter ${jaccard(a, same)}`);
    assert.ok(jaccard(a, other) < 0.1, `different matter ${jaccard(a, other)}`);
  });

  test('a new text about the same matter finds it; one about another matter does not; other provinces are not searched', async () => {
    const found = await similarMessages(t.db, {
      title: '古城小区暖气不热温度不达标',
      body: '请督促供热公司解决古城小区供暖温度不达标问题，室温低于16度。',
      regionCode: '130123',
    });
    assert.equal(found[0]?.id, ids.heating);
    assert.ok(!found.some((f) => f.id === ids.school));
    assert.ok(!found.some((f) => f.id === ids.beijing), 'Beijing is not above 正定县');
    const none = await similarMessages(t.db, {
      title: '建议开通夜间公交线路',
      body: '建议开通从火车站到开发区的夜间公交线路，方便夜班职工回家。',
      regionCode: '130123',
    });
    assert.deepEqual(none, []);
  });

  test('the form shows similar messages as a step before submitting, without JavaScript, keeping what was typed', async () => {
    const web = new WebClient(t.app, '10.13.0.1');
    await web.get('/login');
    await web.post('/login', { phone: '18400000001', password: 'Similar-Pass-2026!' });
    const form = await web.get('/messages/new?board=1301232');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const boundary = '----similar';
    const fields = {
      _csrf: token,
      boardId: '1301232',
      title: '古城小区暖气不热温度不达标',
      body: '请督促供热公司解决古城小区供暖温度不达标问题，室温低于16度。',
    };
    const payload =
      Object.entries(fields)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join('') + `--${boundary}--\r\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/messages/similar',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      cookies: Object.fromEntries(web.cookies),
      remoteAddress: '10.13.0.1',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /相似的公开留言/);
    assert.match(res.body, new RegExp(`href="/messages/${ids.heating}"`));
    assert.match(res.body, /value="古城小区暖气不热温度不达标"/);
    assert.equal((await t.db.selectFrom('messages').select('id').execute()).length, 3, 'nothing was submitted');
  });

  test('staff see similar earlier messages on an inbox item and link a duplicate in one click', async () => {
    const editorId = (
      await t.db.selectFrom('users').select('id').where('phone', '=', '18400000001').executeTakeFirstOrThrow()
    ).id;
    const ctx = {
      db: t.db,
      secret: t.config.secret,
      store: t.app.attachments,
      sensitiveWords: t.app.sensitiveWords,
      authorId: editorId,
      channel: 'api' as const,
    };
    const { id } = await submitMessage(ctx, {
      boardId: 1301232,
      type: 'help',
      domain: 'urban',
      title: '古城小区供暖温度不达标',
      body: TEXTS.heating[1],
    });
    await approveMessage(t.db, (await loadCurrentUser(t.db, editorId))!, id);
    const staff = new WebClient(t.app, '10.13.0.2');
    await staff.get('/login');
    await staff.post('/login', { phone: '18400000002', password: 'Similar-Pass-2026!' });
    const page = await staff.get(`/workbench/messages/${id}`);
    assert.match(page.body, /相似留言/);
    assert.match(page.body, new RegExp(`name="original" value="${ids.heating}"`));
    const linked = await staff.post(`/workbench/messages/${id}/link-duplicate`, { original: String(ids.heating) });
    assert.equal(linked.statusCode, 303, linked.body);
    const row = await t.db.selectFrom('messages').select('duplicate_of').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.duplicate_of, ids.heating);
  });
});
