import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

describe('GET /api/v1/regions', () => {
  test('lists the 33 provincial-level regions with boards', async () => {
    const res = await t.app.inject('/api/v1/regions');
    assert.equal(res.statusCode, 200);
    const { regions } = res.json() as { regions: { code: string; hasBoards: boolean }[] };
    assert.equal(regions.length, 33);
    assert.ok(regions.every((r) => r.hasBoards));
    assert.ok(!regions.some((r) => r.code === '710000'));
  });

  test('a region comes with its boards, units, children and ancestors', async () => {
    const res = await t.app.inject('/api/v1/regions/130100');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.region.name, '石家庄市');
    assert.equal(body.region.level, 'city');
    assert.deepEqual(
      body.ancestors.map((a: { code: string }) => a.code),
      ['130000'],
    );
    assert.deepEqual(
      body.boards.map((b: { id: number; title: string }) => [b.id, b.title]),
      [
        [1301001, '市委书记'],
        [1301002, '市长'],
      ],
    );
    assert.equal(body.boards[0].unit.name, '石家庄市委市政府督查局');
    assert.equal(body.units[0].parentId, 130000001, 'the city unit sits under the province unit');
    assert.ok(body.children.some((c: { code: string }) => c.code === '130102'));
  });

  test('a malformed code is a 400 with a Chinese message, an unknown one a 404', async () => {
    const bad = await t.app.inject('/api/v1/regions/13');
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), { error: { code: 'VALIDATION', message: '请求参数有误：地区代码应为 6 位数字' } });
    const missing = await t.app.inject('/api/v1/regions/999999');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: { code: 'REGION_NOT_FOUND', message: '没有代码为 999999 的地区。' } });
  });
});

describe('GET /api/v1/boards/{id}', () => {
  test('returns the post, holder, unit, region and ancestors', async () => {
    const res = await t.app.inject('/api/v1/boards/1101011');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.board.title, '区委书记');
    assert.equal(body.board.holderName, null);
    assert.equal(body.board.active, true);
    assert.equal(body.region.name, '东城区');
    assert.deepEqual(
      body.ancestors.map((a: { name: string }) => a.name),
      ['北京市'],
    );
  });

  test('bad ids are 400, unknown ids 404, both in the API error format', async () => {
    for (const id of ['abc', '0', '-5', '1.5', '99999999999']) {
      const res = await t.app.inject(`/api/v1/boards/${id}`);
      assert.equal(res.statusCode, 400, id);
      assert.equal(res.json().error.code, 'VALIDATION');
      assert.match(res.json().error.message, /留言板编号应为正整数/);
    }
    const missing = await t.app.inject('/api/v1/boards/7');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'BOARD_NOT_FOUND');
  });

  test('a wrong method gets a JSON error, not a crash', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/boards/1101011', payload: { a: 1 } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NOT_FOUND');
  });
});

describe('GET /api/v1/messages', () => {
  test('a page size that is not a whole number from 1 to 100 is a 400 naming the field, never a 500', async () => {
    for (const limit of ['abc', '2.5', '0', '-1', '101', '1e3', 'Infinity']) {
      const res = await t.app.inject(`/api/v1/messages?limit=${limit}`);
      assert.equal(res.statusCode, 400, `limit=${limit}`);
      assert.equal(res.json().error.code, 'VALIDATION');
      assert.match(res.json().error.message, /limit/);
    }
    assert.equal((await t.app.inject('/api/v1/messages?limit=5')).statusCode, 200);
  });
});

describe('OpenAPI', () => {
  test('describes the API routes with their schemas and nothing else', async () => {
    const res = await t.app.inject('/api/v1/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    const paths = Object.keys(doc.paths).sort();
    assert.deepEqual(paths, [
      '/api/v1/auth/password-reset',
      '/api/v1/auth/register',
      '/api/v1/auth/sms-code',
      '/api/v1/auth/token',
      '/api/v1/auth/tokens',
      '/api/v1/auth/tokens/{id}',
      '/api/v1/boards/{id}',
      '/api/v1/editor/articles',
      '/api/v1/editor/articles/{id}',
      '/api/v1/editor/articles/{id}/images',
      '/api/v1/editor/articles/{id}/publish',
      '/api/v1/editor/articles/{id}/unpublish',
      '/api/v1/editor/stories',
      '/api/v1/editor/stories/{id}',
      '/api/v1/follows',
      '/api/v1/follows/{id}',
      '/api/v1/honours',
      '/api/v1/leaders',
      '/api/v1/leaders/{id}',
      '/api/v1/me',
      '/api/v1/me/email',
      '/api/v1/me/export',
      '/api/v1/me/messages',
      '/api/v1/me/notices',
      '/api/v1/me/solicitation-entries',
      '/api/v1/messages',
      '/api/v1/messages/multipart',
      '/api/v1/messages/{id}',
      '/api/v1/messages/{id}/actions/accept',
      '/api/v1/messages/{id}/actions/approve',
      '/api/v1/messages/{id}/actions/approve-reply',
      '/api/v1/messages/{id}/actions/assign',
      '/api/v1/messages/{id}/actions/decide-extension',
      '/api/v1/messages/{id}/actions/draft-reply',
      '/api/v1/messages/{id}/actions/follow-up',
      '/api/v1/messages/{id}/actions/link-duplicate',
      '/api/v1/messages/{id}/actions/rate',
      '/api/v1/messages/{id}/actions/reject',
      '/api/v1/messages/{id}/actions/request-extension',
      '/api/v1/messages/{id}/actions/request-signature',
      '/api/v1/messages/{id}/actions/return',
      '/api/v1/messages/{id}/actions/send-back-reply',
      '/api/v1/messages/{id}/actions/set-priority',
      '/api/v1/messages/{id}/actions/share-identity',
      '/api/v1/messages/{id}/actions/sign-reply',
      '/api/v1/messages/{id}/actions/supervise',
      '/api/v1/messages/{id}/actions/{action}',
      '/api/v1/messages/{id}/events',
      '/api/v1/news',
      '/api/v1/news/{id}',
      '/api/v1/notifications',
      '/api/v1/regions',
      '/api/v1/regions/search',
      '/api/v1/regions/{code}',
      '/api/v1/regions/{code}/rules',
      '/api/v1/solicitations',
      '/api/v1/solicitations/{id}',
      '/api/v1/solicitations/{id}/advance',
      '/api/v1/solicitations/{id}/announce',
      '/api/v1/solicitations/{id}/desk',
      '/api/v1/solicitations/{id}/entries',
      '/api/v1/solicitations/{id}/entries/{entryId}/approve',
      '/api/v1/solicitations/{id}/entries/{entryId}/refuse',
      '/api/v1/solicitations/{id}/votes',
      '/api/v1/solicitations/{id}/votes/void',
      '/api/v1/stats',
      '/api/v1/stats/channels',
      '/api/v1/stats/indicators',
      '/api/v1/stats/rankings',
      '/api/v1/stories',
      '/api/v1/stories/{id}',
      '/api/v1/stories/{id}/captions',
      '/api/v1/stories/{id}/publish',
      '/api/v1/stories/{id}/unpublish',
      '/api/v1/stories/{id}/video',
      '/api/v1/track/{code}',
      '/api/v1/workbench/inbox',
      '/healthz',
      '/readyz',
    ]);
    assert.ok(doc.components.securitySchemes.bearerAuth, 'bearer tokens are described');
    const region = doc.paths['/api/v1/regions/{code}'].get;
    assert.equal(region.parameters[0].schema.pattern, '^[0-9]{6}$');
    assert.ok(region.responses['404']);
  });
});
