// In a real Chromium: register with an SMS code, log out, log in, reset the password, delete the account.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { lastCode, type TestApp } from '../helpers.ts';
import { type BrowserRig, expectAccessible, followNavLink, startBrowserRig } from './browser.ts';

let rig: BrowserRig;
let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  rig = await startBrowserRig();
  ({ t, browser, base } = rig);
});

after(() => rig?.close());

/** Ages this number's codes so the next request is not refused as too soon. */
const waitBeforeResend = (phone: string) =>
  t.db.updateTable('sms_codes').set({ created_at: '2000-01-01T00:00:00.000Z' }).where('phone', '=', phone).execute();

test('register, log out, log in, reset the password and delete the account, on a phone-sized screen', async () => {
  const phone = '13200000001';
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
  const page = await context.newPage();

  await page.goto(base + '/');
  await followNavLink(page, '注册');
  await page.waitForURL('**/register');
  await expectAccessible(page);
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByText('验证码已发送至 132****0001').waitFor();
  assert.equal(await page.getByLabel('手机号').inputValue(), phone, 'the number is still there');
  await page.getByLabel('短信验证码').fill(lastCode(t.config, phone));
  await page.getByLabel('昵称').fill('浏览器用户');
  await page.getByLabel('密码').fill('123456');
  await page.getByRole('button', { name: '注册', exact: true }).click();
  await page.getByText('密码至少需要 8 个字符').waitFor();
  assert.equal(await page.getByLabel('昵称').inputValue(), '浏览器用户', 'nothing typed is lost');
  await expectAccessible(page);
  await page.getByLabel('密码').fill('Liulan-Qi-2026!');
  await page.getByRole('button', { name: '注册', exact: true }).click();
  await page.waitForURL('**/account?done=registered');
  await page.getByText('注册成功，欢迎使用。').waitFor();
  await expectAccessible(page);

  await followNavLink(page, '退出', 'button');
  await page.waitForURL('**/login?done=loggedOut');
  await expectAccessible(page);
  const passwordForm = page.locator('form[action="/login"]');
  await passwordForm.getByLabel('手机号').fill(phone);
  await passwordForm.getByLabel('密码').fill('wrong-password');
  await passwordForm.getByRole('button', { name: '登录' }).click();
  await page.getByText('手机号或密码错误。').waitFor();
  await page.locator('form[action="/login"]').getByLabel('密码').fill('Liulan-Qi-2026!');
  await page.locator('form[action="/login"]').getByRole('button', { name: '登录' }).click();
  await page.waitForURL(base + '/');
  // Signed in: the header bar offers the notices.
  await page.locator('.bar-link[href="/notifications"]').waitFor();

  await followNavLink(page, '退出', 'button');
  await page.getByRole('link', { name: '忘记密码？' }).click();
  await page.waitForURL('**/password-reset');
  await page.getByLabel('手机号').fill(phone);
  await waitBeforeResend(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByText('验证码已发送').waitFor();
  await page.getByLabel('短信验证码').fill(lastCode(t.config, phone));
  await page.getByLabel('新密码').fill('Chongshe-Mima-77');
  await page.getByRole('button', { name: '设置新密码' }).click();
  await page.waitForURL('**/login?done=reset');
  await page.locator('form[action="/login"]').getByLabel('手机号').fill(phone);
  await page.locator('form[action="/login"]').getByLabel('密码').fill('Chongshe-Mima-77');
  await page.locator('form[action="/login"]').getByRole('button', { name: '登录' }).click();
  await page.waitForURL(base + '/');

  await followNavLink(page, '浏览器用户');
  await page.waitForURL('**/account');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '下载我的数据（JSON）' }).click();
  assert.equal((await download).suggestedFilename(), 'liuyan-my-data.json');
  await page.locator('form[action="/account/delete"]').getByLabel('当前密码').fill('Chongshe-Mima-77');
  await page.getByRole('button', { name: '永久注销账号' }).click();
  await page.waitForURL('**/login?done=deleted');
  await page.getByText('账号已注销。').waitFor();
  const row = await t.db
    .selectFrom('users')
    .select(['phone', 'deleted_at'])
    .where('nickname', '=', '已注销用户')
    .executeTakeFirstOrThrow();
  assert.equal(row.phone, null);
  await context.close();
});
