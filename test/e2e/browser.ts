// The browser side of the end-to-end tests: the app on a port, Debian's Chromium, and an axe check.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserRig {
  t: TestApp;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

export async function startBrowserRig(): Promise<BrowserRig> {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  const t = await createTestApp();
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    t,
    browser,
    base,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Fails on any serious or critical axe-core violation, naming each with the elements it found. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe found serious problems on ${page.url()}`,
  );
}

/**
 * Follows a link of the site navigation as a person would: on a desk it is in the header bar; on a phone they first
 * open the menu.
 */
export async function followNavLink(page: Page, name: string, role: 'link' | 'button' = 'link'): Promise<void> {
  const inBar = page.locator('.bar-nav').getByRole(role, { name, exact: true });
  if (await inBar.isVisible()) {
    await inBar.click();
    return;
  }
  await page.locator('details.menu > summary').click();
  await page.locator('.menu-panel').getByRole(role, { name, exact: true }).click();
}
