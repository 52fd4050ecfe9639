// Every page of the site map in each language, looked at for interface text left in another language: CJK on an
// English page, Simplified-only characters on a Hong Kong page (user content and names marked translate="no" aside).
//
// LOCALE_PAGES=<name,…> limits the run to some pages (by site-map name) while a view is being translated.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD_DEFAULT } from '../src/demo/demo-seed.ts';
import { LOCALES } from '../src/i18n/i18n.ts';
import { createDemoApp, type TestApp } from './helpers.ts';
import { PERSONAS, siteMap, type SitePage } from './site-map.ts';
import { untranslated } from './untranslated.ts';
import { WebClient } from './web-client.ts';

let t: TestApp;
let pages: SitePage[];
const clients = new Map<string, WebClient>();

before(async () => {
  t = await createDemoApp();
  const only = process.env.LOCALE_PAGES?.split(',').filter(Boolean);
  pages = (await siteMap(t.db)).filter((p) => !only || only.includes(p.name));
  let n = 0;
  for (const persona of PERSONAS) {
    const web = new WebClient(t.app, `10.9.0.${++n}`);
    if (persona.phone) await web.signIn(persona.phone, DEMO_PASSWORD_DEFAULT);
    clients.set(persona.key, web);
  }
});
after(() => t.close());

describe('every page in every language', () => {
  for (const locale of LOCALES) {
    test(`${locale}: no interface text in another language`, async () => {
      const problems: string[] = [];
      for (const page of pages) {
        const web = clients.get(page.persona)!;
        web.cookies.set('lang', locale);
        const res = await web.get(page.path);
        assert.ok(res.statusCode < 500, `${page.persona} ${page.path}: ${res.statusCode}`);
        assert.match(res.body, new RegExp(`<html lang="${locale}">`), `${page.persona} ${page.path}`);
        const wrong = untranslated(res.body, locale);
        if (wrong.length)
          problems.push(
            `${page.persona} ${page.name} ${page.path}:\n    ${[...new Set(wrong)].slice(0, 30).join('\n    ')}`,
          );
      }
      assert.equal(problems.length, 0, `${problems.length} pages with text not in ${locale}:\n${problems.join('\n')}`);
    });
  }
});
