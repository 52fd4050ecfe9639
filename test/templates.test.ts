import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { approveMessage } from '../src/messages/review.ts';
import { submitMessage } from '../src/messages/submit-message.ts';
import { accept } from '../src/workflow/transitions.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
let messageId: number;
const PASSWORD = 'Template-Pass-2026!';

before(async () => {
  t = await createTestApp();
  const scope = { scopeType: 'unit', scopeId: '130123001' };
  await createStaff(t.db, COMMAND_LINE, {
    phone: '18600000001',
    nickname: '县负责人',
    password: PASSWORD,
    role: 'unit_head',
    ...scope,
  });
  const staffId = await createStaff(t.db, COMMAND_LINE, {
    phone: '18600000002',
    nickname: '县办理员',
    password: PASSWORD,
    role: 'unit_staff',
    ...scope,
  });
  await createStaff(t.db, COMMAND_LINE, {
    phone: '18600000003',
    nickname: '京负责人',
    password: PASSWORD,
    role: 'unit_head',
    scopeType: 'unit',
    scopeId: '110000001',
  });
  const editorId = await createStaff(t.db, COMMAND_LINE, {
    phone: '18600000004',
    nickname: '编辑',
    password: PASSWORD,
    role: 'editor',
  });
  const { id } = await submitMessage(
    {
      db: t.db,
      secret: t.config.secret,
      store: t.app.attachments,
      sensitiveWords: t.app.sensitiveWords,
      authorId: editorId,
      channel: 'api',
    },
    {
      boardId: 1301232,
      type: 'consult',
      domain: 'education',
      title: '学区划分何时公布',
      body: '请问今年小学学区划分方案什么时候公布？孩子明年上小学，家长都很关心。',
    },
  );
  await approveMessage(t.db, (await loadCurrentUser(t.db, editorId))!, id);
  await accept(t.db, (await loadCurrentUser(t.db, staffId))!, id);
  messageId = id;
});
after(() => t.close());

async function login(phone: string, ip: string) {
  const web = new WebClient(t.app, ip);
  await web.get('/login');
  await web.post('/login', { phone, password: PASSWORD });
  return web;
}

test('a unit head keeps reply templates; staff start a reply from one; nobody else may change them', async () => {
  const head = await login('18600000001', '10.11.0.1');
  await head.get('/workbench/templates');
  const added = await head.post('/workbench/templates/130123001', {
    title: '学区咨询',
    body: '您好，学区划分方案将于每年五月在教育局网站公布，请留意。',
  });
  assert.equal(added.statusCode, 303);
  const tooShort = await head.post('/workbench/templates/130123001', { title: '空', body: '短' });
  assert.equal(tooShort.statusCode, 400);
  const template = await t.db
    .selectFrom('reply_templates')
    .select('id')
    .where('unit_id', '=', 130123001)
    .executeTakeFirstOrThrow();

  const staff = await login('18600000002', '10.11.0.2');
  const page = await staff.get(`/workbench/messages/${messageId}?template=${template.id}`);
  // Template titles and the reply's text are what people wrote: marked so no translation tool changes them.
  assert.match(page.body, /href="\/workbench\/messages\/\d+\?template=\d+" translate="no">学区咨询</);
  assert.match(page.body, /<textarea id="f-reply" name="body" rows="8" translate="no">您好，学区划分方案将于每年五月/);
  assert.equal((await staff.get('/workbench/templates')).statusCode, 403);
  assert.equal(
    (await staff.post('/workbench/templates/130123001', { title: '私加', body: '工作人员不能添加模板内容。' }))
      .statusCode,
    403,
  );

  const other = await login('18600000003', '10.11.0.3');
  await other.get('/workbench/templates');
  assert.equal((await other.post(`/workbench/templates/130123001/${template.id}/delete`, {})).statusCode, 403);
  assert.equal((await head.post(`/workbench/templates/130123001/${template.id}/delete`, {})).statusCode, 303);
  assert.equal((await t.db.selectFrom('reply_templates').select('id').execute()).length, 0);
});
