// In a real Chromium: a message's whole life, each person in their own browser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { COMMAND_LINE, createStaff } from '../../src/accounts/staff.service.ts';
import { lastCode, type TestApp } from '../helpers.ts';
import { type BrowserRig, expectAccessible, startBrowserRig } from './browser.ts';

let rig: BrowserRig;
let t: TestApp;
let browser: Browser;
let base: string;
const PASSWORD = 'Journey-Pass-2026!';
const DEPARTMENT = 130123002;

before(async () => {
  rig = await startBrowserRig();
  ({ t, browser, base } = rig);
  await t.db
    .insertInto('handling_units')
    .values({
      id: DEPARTMENT,
      region_code: '130123',
      parent_id: 130123001,
      name: '正定县住房和城乡建设局',
      kind: 'department',
      level: 'county',
      responsibilities: '',
      active: 1,
    })
    .execute();
  const staff: [string, string, string, Record<string, string>][] = [
    ['15600000001', '平台编辑', 'editor', {}],
    ['15600000002', '县受理员', 'unit_staff', { scopeType: 'unit', scopeId: '130123001' }],
    ['15600000003', '县负责人', 'unit_head', { scopeType: 'unit', scopeId: '130123001' }],
    ['15600000004', '住建承办员', 'unit_staff', { scopeType: 'unit', scopeId: String(DEPARTMENT) }],
    ['15600000005', '住建负责人', 'unit_head', { scopeType: 'unit', scopeId: String(DEPARTMENT) }],
  ];
  for (const [phone, nickname, role, scope] of staff)
    await createStaff(t.db, COMMAND_LINE, { phone, nickname, password: PASSWORD, role, ...scope });
});
after(() => rig?.close());

async function person(phone?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const page = await context.newPage();
  if (phone) {
    await page.goto(`${base}/login`);
    const form = page.locator('form[action="/login"]');
    await form.getByLabel('手机号').fill(phone);
    await form.getByLabel('密码').fill(PASSWORD);
    await form.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/`);
  }
  return page;
}

/** One action on the workbench; a less frequent one is folded under its name and opened first. */
async function act(page: Page, id: number, button: string, fill?: (page: Page) => Promise<void>, folded = false) {
  await page.goto(`${base}/workbench/messages/${id}`);
  if (folded) await page.locator('summary', { hasText: button }).click();
  if (fill) await fill(page);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL(`**/workbench/messages/${id}?done=*`);
}

test('a netizen writes with a photo; it is reviewed, accepted, assigned, extended, answered, approved and rated', async () => {
  // The netizen registers and writes to the county head's board.
  const citizen = await person();
  await citizen.goto(`${base}/register`);
  await citizen.getByLabel('手机号').fill('15500000001');
  await citizen.getByRole('button', { name: '获取验证码' }).click();
  await citizen.getByText('验证码已发送').waitFor();
  await citizen.getByLabel('短信验证码').fill(lastCode(t.config, '15500000001'));
  await citizen.getByLabel('昵称').fill('正定居民');
  await citizen.getByLabel('密码').fill(PASSWORD);
  await citizen.getByRole('button', { name: '注册', exact: true }).click();
  await citizen.waitForURL('**/account?done=registered');

  await citizen.goto(`${base}/boards/1301232`);
  await citizen.getByRole('link', { name: '写留言' }).click();
  await citizen.waitForURL('**/messages/new?board=1301232');
  await expectAccessible(citizen);
  await citizen.getByLabel('求助').check();
  await citizen.getByLabel('城建').check();
  await citizen.getByLabel('标题').fill('老旧小区楼道灯长期不亮');
  await citizen
    .getByLabel('正文')
    .fill('诉求：请维修小区 3 号楼楼道灯。楼道灯已坏了三个月，夜间上下楼非常危险，物业一直推诿。');
  await citizen.getByLabel('备注（不公开）').fill('联系人：王女士');
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  await citizen
    .getByLabel('公开的图片（选填）')
    .setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
  await citizen.getByRole('button', { name: '提交留言' }).click();
  await citizen.waitForURL(/\/messages\/\d+\?done=submitted/);
  const id = Number(/\/messages\/(\d+)/.exec(citizen.url())![1]);
  await citizen.getByText(/查询码：[A-Z2-9]{8}/).waitFor();

  // The editor publishes it.
  const editor = await person('15600000001');
  await editor.goto(`${base}/review`);
  await expectAccessible(editor);
  await editor.locator(`form[action="/review/${id}/approve"]`).getByRole('button').click();
  await editor.waitForURL('**/review?done=approved');

  // The county accepts and assigns it to the department.
  const county = await person('15600000002');
  await county.goto(`${base}/workbench`);
  await county.getByRole('link', { name: new RegExp(`${id}\\. 老旧小区楼道灯长期不亮`) }).waitFor();
  await expectAccessible(county);
  await act(county, id, '受理');
  await act(
    county,
    id,
    '交办',
    async (p) => {
      await p.getByLabel('交办给').selectOption(String(DEPARTMENT));
      await p.getByLabel('交办意见').fill('请核实并督促物业维修');
    },
    true,
  );

  // The department asks for more time; the county head, who assigned it, agrees.
  const department = await person('15600000004');
  await act(
    department,
    id,
    '申请延期',
    async (p) => {
      await p.getByLabel('延期天数').fill('5');
      await p.getByLabel('延期理由').fill('需协调物业采购灯具');
    },
    true,
  );
  const countyHead = await person('15600000003');
  await act(countyHead, id, '批准延期');

  // The department answers; its head approves and publishes.
  await department.goto(`${base}/workbench/messages/${id}`);
  await department.getByLabel('答复内容').fill('经核实，已督促物业公司更换 3 号楼全部楼道灯，现已恢复照明。');
  await department.getByLabel('问题已落实解决').check();
  await department.getByRole('button', { name: '提交审批' }).click();
  await department.waitForURL(`**/workbench/messages/${id}?done=replySubmitted`);
  const head = await person('15600000005');
  await act(head, id, '批准');

  // The netizen rates the answer.
  await citizen.goto(`${base}/messages/${id}`);
  await citizen.getByText('正定县住房和城乡建设局的答复').waitFor();
  // Nothing is chosen beforehand: each of the three questions is answered.
  for (const question of ['解决程度', '办理时间', '办理态度'])
    await citizen.getByRole('group', { name: question }).getByLabel('4 满意').check();
  await citizen.getByLabel('评价内容（选填）').fill('灯修好了，谢谢');
  await citizen.getByRole('button', { name: '提交评价' }).click();
  await citizen.waitForURL(`**/messages/${id}?done=rated`);

  // Anyone now sees the whole story.
  const visitor = await person();
  await visitor.goto(`${base}/messages/${id}`);
  const text = (await visitor.locator('main').textContent()) ?? '';
  for (const part of [
    '已办结',
    '经核实，已督促物业公司更换',
    '解决程度 4 · 办理时间 4 · 办理态度 4',
    '交办下级单位办理',
    '延期获批准',
    '答复已公开',
    '留言人已评价',
  ]) {
    assert.ok(text.includes(part), part);
  }
  assert.ok(!text.includes('王女士'), 'remarks stay private');
  assert.equal(await visitor.locator('.attachments img').count(), 1, 'the public photo is shown');
  await expectAccessible(visitor);
});
