// Every page of the site map, for the user who would open it, at 375 × 812 and 1280 × 800 in Chromium: nothing scrolls
// sideways, choices are compact with their labels beside them, navigation stays on one line, text is readable,
// images fit, and every time is Beijing time.
// LAYOUT_PAGES=<name,…> and LAYOUT_LOCALES=<locale,…> limit the run while a page is being mended.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LOCALES } from '../../src/i18n/i18n.ts';
import { layoutProblems, type SiteRig, startSite, VIEWPORTS } from './site.ts';

let site: SiteRig;
before(async () => {
  site = await startSite();
});
after(() => site?.close());

test('every page of the site map looks right on a phone and on a desk, in each language', async () => {
  const problems: string[] = [];
  const visited: string[] = [];
  const onlyPages = process.env.LAYOUT_PAGES?.split(',').filter(Boolean);
  const locales = LOCALES.filter(
    (l) => !process.env.LAYOUT_LOCALES || process.env.LAYOUT_LOCALES.split(',').includes(l),
  );
  const pages = site.pages.filter((p) => !onlyPages || onlyPages.includes(p.name));
  for (const locale of locales)
    for (const viewport of VIEWPORTS) {
      for (const page of pages) {
        const context = await site.contextFor(page.persona, viewport, locale);
        const tab = await context.newPage();
        const res = await tab.goto(site.base + page.path, { waitUntil: 'load' });
        const status = res?.status() ?? 0;
        if (status >= 500 || (status >= 400 && page.name !== 'not-found'))
          problems.push(`${locale} ${page.persona} ${page.path} @${viewport.width}: HTTP ${status}`);
        for (const problem of await layoutProblems(tab))
          problems.push(`${locale} ${page.persona} ${page.path} @${viewport.width}: ${problem}`);
        visited.push(`${page.persona} ${page.path}`);
        await context.close();
      }
    }
  console.log(
    `layout test: ${pages.length} pages × ${VIEWPORTS.length} widths × ${locales.length} languages = ${visited.length} page views`,
  );
  assert.deepEqual(problems, []);
});

test('the header fits at the widths between phone and desk, for every user, in each language', async () => {
  const problems: string[] = [];
  const personas = [...new Set(site.pages.map((p) => p.persona))];
  for (const locale of LOCALES)
    for (const width of [768, 900, 1024, 1199, 1200, ...(locale === 'en' ? [1727, 1728] : [])]) {
      for (const persona of personas) {
        const context = await site.contextFor(persona, { width, height: 800 }, locale);
        const tab = await context.newPage();
        await tab.goto(`${site.base}/`, { waitUntil: 'load' });
        for (const problem of await layoutProblems(tab)) problems.push(`${locale} ${persona} / @${width}: ${problem}`);
        await context.close();
      }
    }
  assert.deepEqual(problems, []);
});
