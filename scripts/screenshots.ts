// Writes a PNG of every page of the site map at phone and desktop width, for a person to look at:
// `npm run screenshots` → screenshots/<persona>-<page>-<width>.png (the folder is not committed).
import { mkdirSync, rmSync } from 'node:fs';
import { startSite, VIEWPORTS } from '../test/e2e/site.ts';

const out = new URL('../screenshots/', import.meta.url);
const only = process.argv[2]; // e.g. `npm run screenshots -- netizen` or `-- visitor-home`
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const site = await startSite();
try {
  for (const viewport of VIEWPORTS) {
    for (const page of site.pages) {
      const name = `${page.persona}-${page.name}`;
      if (only && !name.startsWith(only)) continue;
      const context = await site.contextFor(page.persona, viewport);
      const tab = await context.newPage();
      await tab.goto(site.base + page.path, { waitUntil: 'load' });
      const file = new URL(`${name}-${viewport.width}.png`, out);
      await tab.screenshot({ path: file.pathname, fullPage: true });
      await context.close();
      console.log(file.pathname);
    }
  }
} finally {
  await site.close();
}
