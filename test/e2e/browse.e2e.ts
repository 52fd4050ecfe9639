// In a real Chromium: a visitor walks from the home page to a county leader's board; axe checks each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type BrowserRig, expectAccessible, followNavLink, startBrowserRig } from './browser.ts';

let rig: BrowserRig;
let browser: Browser;
let base: string;

before(async () => {
  rig = await startBrowserRig();
  ({ browser, base } = rig);
});

after(() => rig?.close());

test('home → province → city → county → board, each page accessible', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base + '/');
  assert.equal(await page.locator('#provinces li').count(), 33);
  await expectAccessible(page);

  await page.getByRole('link', { name: '河北省', exact: true }).click();
  await page.waitForURL('**/regions/130000');
  assert.equal(await page.locator('h1').textContent(), '河北省');
  await expectAccessible(page);

  await page.locator('#children').getByRole('link', { name: '石家庄市', exact: true }).click();
  await page.waitForURL('**/regions/130100');
  await expectAccessible(page);

  await page.locator('#children').getByRole('link', { name: '正定县', exact: true }).click();
  await page.waitForURL('**/regions/130123');
  const crumbs = await page.locator('.breadcrumb li').allTextContents();
  assert.deepEqual(crumbs, ['首页', '河北省', '石家庄市', '正定县']);
  await expectAccessible(page);

  await page.getByRole('link', { name: /正定县 · 县长/ }).click();
  await page.waitForURL('**/boards/1301232');
  assert.equal(await page.locator('h1').textContent(), '正定县 · 县长');
  assert.match((await page.locator('main').textContent()) ?? '', /正定县委县政府督查室/);
  await expectAccessible(page);

  // The language switch keeps the page.
  await followNavLink(page, 'English');
  await page.waitForURL('**/boards/1301232');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match((await page.locator('main').textContent()) ?? '', /Responsible unit/);
  await expectAccessible(page);
  await context.close();
});

test('the 404 page is in the browser’s language and accessible', async () => {
  for (const [locale, text] of [
    ['zh-CN', /没有代码为 000000 的地区/],
    ['en-US', /There is no region with code 000000/],
    ['zh-HK', /沒有代碼為 000000 的地區/],
  ] as const) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const response = await page.goto(base + '/regions/000000');
    assert.equal(response?.status(), 404);
    assert.match((await page.locator('main').textContent()) ?? '', text, locale);
    await expectAccessible(page);
    await context.close();
  }
});
