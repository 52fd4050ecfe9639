// In a real Chromium: a researcher reads the statistics on a phone screen — platform, a province, a period,
// a ranking by another figure, a download — with charts drawn and axe satisfied on each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { generateMessages } from '../../src/demo/bulk-messages.ts';
import { type BrowserRig, expectAccessible, followNavLink, startBrowserRig } from './browser.ts';

let rig: BrowserRig;
let browser: Browser;
let base: string;

before(async () => {
  rig = await startBrowserRig();
  ({ browser, base } = rig);
  await generateMessages(rig.t.db, { count: 1500, seed: 3, now: new Date('2026-06-15T02:00:00.000Z') });
});

after(() => rig?.close());

test('platform → province → another period and ranking → download, each page accessible', async () => {
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(base + '/');
  await followNavLink(page, '统计');
  await page.waitForURL('**/stats');
  assert.equal(await page.locator('h1').textContent(), '全平台留言办理统计');
  await expectAccessible(page);

  await page.locator('#ranking-table').getByRole('link', { name: '河北省', exact: true }).click();
  await page.waitForURL('**/stats/regions/130000**');
  assert.equal(await page.locator('h1').textContent(), '河北省留言办理统计');
  await page.locator('#f-period').selectOption('2025');
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL('**/stats/regions/130000?period=2025**');
  assert.match((await page.locator('h2').first().textContent()) ?? '', /2025 年/);
  // The charts are pictures that load, and no wider than the phone.
  const charts = page.locator('figure.chart img');
  assert.ok((await charts.count()) >= 2);
  for (const img of await charts.all()) {
    const { loaded, width } = await img.evaluate((el) => {
      const image = el as unknown as {
        complete: boolean;
        naturalWidth: number;
        getBoundingClientRect(): { width: number };
      };
      return { loaded: image.complete && image.naturalWidth > 0, width: image.getBoundingClientRect().width };
    });
    assert.ok(loaded, 'chart drawn');
    assert.ok(width <= 375, `chart fits the screen (${width}px)`);
  }
  await expectAccessible(page);

  await page.locator('#f-by').selectOption('received');
  await page.getByRole('button', { name: '排序' }).click();
  await page.waitForURL('**by=received**');
  const counts = await page.locator('#ranking-table tbody tr td:nth-child(3)').allTextContents();
  const numbers = counts.map((c) => Number(c.replace(/,/g, '')));
  assert.deepEqual(
    numbers,
    [...numbers].sort((a, b) => b - a),
    'ranked by messages received',
  );

  const download = page.waitForEvent('download');
  await page.locator('a[href*="table=ranking"][href*="format=xlsx"]').click();
  assert.match((await download).suggestedFilename(), /河北省2025 年地区排名.*\.xlsx$/);
  await context.close();
});
