// In a real Chromium: an admin runs the year's evaluation, takes a unit off the list with a reason, confirms and
// publishes; a visitor then finds the awardees on the honours page and opens a certificate. axe on each page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { AttachmentStore } from '../../src/attachments/attachment-store.ts';
import { generateMessages } from '../../src/demo/bulk-messages.ts';
import { DEMO_ADMIN_PHONE, seedDemo } from '../../src/demo/demo-seed.ts';
import { loadSensitiveWords, SensitiveWords } from '../../src/messages/sensitive-words.ts';
import { type BrowserRig, expectAccessible, followNavLink, startBrowserRig } from './browser.ts';

const PASSWORD = 'Evaluation-E2E-2026!';
let rig: BrowserRig;
let browser: Browser;
let base: string;

before(async () => {
  rig = await startBrowserRig();
  ({ browser, base } = rig);
  const { t } = rig;
  await generateMessages(t.db, { count: 4000, seed: 5, now: new Date('2025-12-20T02:00:00.000Z') });
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

after(() => rig?.close());

test('run, edit with a reason, confirm, publish; the honours page and a certificate', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base + '/login');
  const login = page.locator('form[action="/login"]');
  await login.getByLabel('手机号').fill(DEMO_ADMIN_PHONE);
  await login.getByLabel('密码').fill(PASSWORD);
  await login.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));

  await page.goto(base + '/admin/evaluation/2025');
  // The certificates name the body that issues them: set with the year's settings.
  await page.getByLabel('证书颁发单位').fill('河北省网民留言办理工作领导小组办公室');
  await page.getByRole('button', { name: '保存设置' }).click();
  await page.waitForURL('**/admin/evaluation/2025**');
  await page.getByRole('button', { name: '运行考评' }).click();
  await page.waitForURL('**/admin/evaluation/2025**');
  const proposed = page.locator('form[action$="/remove"]');
  const before = await proposed.count();
  assert.ok(before >= 2, `proposed awardees (${before})`);
  await expectAccessible(page);

  // Taking one off the list needs a reason (blank is refused by the server too); with one, it goes.
  const first = proposed.first();
  await first.locator('textarea').fill('   ');
  await first.getByRole('button').click();
  await page.waitForURL('**/admin/evaluation/2025**');
  assert.equal(await page.locator('form[action$="/remove"]').count(), before, 'nothing removed without a reason');
  assert.ok((await page.locator('.error').count()) > 0, 'the missing reason is pointed out');
  const again = page.locator('form[action$="/remove"]').first();
  await again.locator('textarea').fill('该单位本年度有被督办的留言未整改到位');
  await again.getByRole('button').click();
  await page.waitForURL('**/admin/evaluation/2025**');
  assert.equal(await page.locator('form[action$="/remove"]').count(), before - 1);

  await page.getByRole('button', { name: '确认名单' }).click();
  await page.waitForURL('**/admin/evaluation/2025**');
  await page.getByRole('button', { name: '发布到荣誉榜' }).click();
  await page.waitForURL('**/admin/evaluation/2025**');
  assert.match((await page.locator('main').textContent()) ?? '', /已于 .* 发布/);

  const visitor = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
  const pub = await visitor.newPage();
  await pub.goto(base + '/');
  await followNavLink(pub, '荣誉榜');
  await pub.getByRole('link', { name: /2025/ }).first().click();
  await pub.waitForURL('**/honours/2025');
  const certificates = pub.getByRole('link', { name: '查看证书' });
  assert.equal(await certificates.count(), before - 1);
  await expectAccessible(pub);
  await certificates.first().click();
  await pub.waitForURL('**/honours/2025/certificates/**');
  assert.match((await pub.locator('body').textContent()) ?? '', /荣\s*誉\s*证\s*书/);
  await expectAccessible(pub);
  await visitor.close();
  await context.close();
});
