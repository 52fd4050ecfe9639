// Writes docs/routes.md from the routes' own access declarations (an app on a throwaway SQLite database).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { routeTableMarkdown } from '../src/web/route-table.ts';

const dir = mkdtempSync(join(tmpdir(), 'liuyan-routes-'));
try {
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db')}`, DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, logger: false });
  await app.ready();
  writeFileSync(new URL('../docs/routes.md', import.meta.url), routeTableMarkdown(app));
  await app.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
