// In a real Chromium: a visitor walks from the home page to a county leader's board; axe checks each page.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe found serious problems on ${page.url()}`,
  );
}

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
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL('**/boards/1301232');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match((await page.locator('main').textContent()) ?? '', /Responsible unit/);
  await expectAccessible(page);
  await context.close();
});

test('the 404 page is in Chinese and accessible', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(base + '/regions/000000');
  assert.equal(response?.status(), 404);
  assert.match((await page.locator('main').textContent()) ?? '', /没有代码为 000000 的地区/);
  await expectAccessible(page);
  await context.close();
});
