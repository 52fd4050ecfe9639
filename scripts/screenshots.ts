// Writes a PNG of every page of the site map at phone and desktop width, for a person to look at:
// `npm run screenshots` → screenshots/<persona>-<page>-<width>.png (the folder is not committed).
// `npm run screenshots -- visitor-home en` (or zh-HK): the pages in another language, named …-<width>-<locale>.png.
import { mkdirSync, rmSync } from 'node:fs';
import { startSite, VIEWPORTS } from '../test/e2e/site.ts';

const out = new URL('../screenshots/', import.meta.url);
const only = process.argv[2] || undefined; // e.g. `npm run screenshots -- netizen` or `-- visitor-home`
const locale = process.argv[3] ?? 'zh-CN';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const site = await startSite();
try {
  for (const viewport of VIEWPORTS) {
    for (const page of site.pages) {
      const name = `${page.persona}-${page.name}`;
      if (only && !name.startsWith(only)) continue;
      const context = await site.contextFor(page.persona, viewport, locale);
      const tab = await context.newPage();
      await tab.goto(site.base + page.path, { waitUntil: 'load' });
      const suffix = locale === 'zh-CN' ? '' : `-${locale}`;
      const file = new URL(`${name}-${viewport.width}${suffix}.png`, out);
      await tab.screenshot({ path: file.pathname, fullPage: true });
      await context.close();
      console.log(file.pathname);
    }
  }
} finally {
  await site.close();
}
