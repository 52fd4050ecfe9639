/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The whole site as its users see it: the demo data on a fresh database, every page of the site map for each kind
// of user, and the layout rules a person checking screenshots would apply (used by the layout test and
// `npm run screenshots`).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD_DEFAULT, seedDemo } from '../../src/demo/demo-seed.ts';
import { type BrowserRig, startBrowserRig } from './browser.ts';
import { PERSONAS, siteMap, type SitePage } from '../site-map.ts';

export { PERSONAS, siteMap, type Persona, type SitePage } from '../site-map.ts';

export const VIEWPORTS = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

export interface SiteRig extends BrowserRig {
  pages: SitePage[];
  /** A browser context signed in as the persona, at a viewport. */
  contextFor(persona: string, viewport: { width: number; height: number }, locale?: string): Promise<BrowserContext>;
}

export async function startSite(): Promise<SiteRig> {
  const rig = await startBrowserRig();
  const { t, browser, base } = rig;
  await seedDemo(
    t.db,
    { secret: t.config.secret, store: t.app.attachments, sensitiveWords: t.app.sensitiveWords },
    { password: DEMO_PASSWORD_DEFAULT },
  );
  const pages = await siteMap(t.db);
  const states = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();
  return {
    ...rig,
    pages,
    async contextFor(key, viewport, locale = 'zh-CN') {
      const persona = PERSONAS.find((p) => p.key === key)!;
      let state = states.get(key);
      if (!state && persona.phone) state = await signIn(browser, base, persona.phone);
      if (state) states.set(key, state);
      const context = await browser.newContext({ viewport, locale, ...(state ? { storageState: state } : {}) });
      // The language as chosen with the switch: the cookie wins over everything else.
      await context.addCookies([{ name: 'lang', value: locale, url: base }]);
      return context;
    },
  };
}

async function signIn(browser: Browser, base: string, phone: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  const form = page.locator('form[action="/login"]');
  // By the fields' names: the page's language depends on the browser.
  await form.locator('input[name="phone"]').fill(phone);
  await form.locator('input[name="password"]').fill(DEMO_PASSWORD_DEFAULT);
  await form.locator('button[type="submit"]').click();
  await page.waitForLoadState('load');
  const state = await context.storageState();
  await context.close();
  return state;
}

/**
 * What a person looking at the page would object to, as a list of sentences (empty when the page is fine): it scrolls
 * sideways; a radio or checkbox is a giant circle or its label is not beside it; a navigation link wraps; text is
 * smaller than 12 px; an image is wider than its container; a time is not shown in Beijing time.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  // The test runner's TypeScript transform names functions with a helper the page does not have.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(() => {
    const problems: string[] = [];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : '';
      const name = el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '';
      const text = (el.textContent ?? '').trim().slice(0, 20);
      return `<${el.tagName.toLowerCase()}${id}${name}>${text ? ` “${text}”` : ''}`;
    };
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) {
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => visible(el) && el.getBoundingClientRect().right > doc.clientWidth + 1)
        .filter((el) => !el.closest('.table-scroll, [data-scroll]'))
        .slice(0, 3)
        .map(describe);
      problems.push(`the page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth} px): ${wide.join(', ')}`);
    }
    for (const input of document.querySelectorAll<HTMLInputElement>('input[type=radio], input[type=checkbox]')) {
      if (!visible(input)) continue;
      const r = input.getBoundingClientRect();
      if (r.width > 28 || r.height > 28)
        problems.push(`${describe(input)} is ${Math.round(r.width)}×${Math.round(r.height)} px (at most 28)`);
      const label = input.labels?.[0];
      if (!label) {
        // A row's checkbox in a table may be named by aria-label instead (the row is its label).
        if (!input.getAttribute('aria-label') && !input.getAttribute('aria-labelledby'))
          problems.push(`${describe(input)} has no label`);
        continue;
      }
      // The label's text beside the control: a line of the label's text overlaps the control's row.
      const range = document.createRange();
      range.selectNodeContents(label);
      const lines = [...range.getClientRects()].filter((l) => l.width > 0 && l.height > 0);
      const middle = r.top + r.height / 2;
      if (!lines.some((l) => l.top - 4 <= middle && l.bottom + 4 >= middle))
        problems.push(
          `${describe(input)}: its label “${(label.textContent ?? '').trim().slice(0, 12)}” is not beside it`,
        );
    }
    for (const link of document.querySelectorAll('header a, header button, nav a')) {
      if (!visible(link)) continue;
      const lines = new Set([...link.getClientRects()].filter((l) => l.width > 0).map((l) => Math.round(l.top)));
      if (lines.size > 1) problems.push(`navigation ${describe(link)} wraps over ${lines.size} lines`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const small = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !(node.textContent ?? '').trim() || small.has(el) || !visible(el)) continue;
      if (el.closest('svg, script, style, .skip')) continue;
      if (parseFloat(getComputedStyle(el).fontSize) < 12) small.add(el);
    }
    for (const el of [...small].slice(0, 5)) problems.push(`text smaller than 12 px: ${describe(el)}`);
    for (const img of document.querySelectorAll('img')) {
      if (!visible(img)) continue;
      const container = img.parentElement!;
      if (img.getBoundingClientRect().width > container.getBoundingClientRect().width + 1)
        problems.push(`image wider than its container: ${img.getAttribute('src')?.slice(0, 40)}`);
    }
    const lang = document.documentElement.lang || 'zh-CN';
    // As src/web/time-format.ts writes dates: English with the month in words.
    const tag = lang === 'en' ? 'en-GB' : lang;
    const options: Intl.DateTimeFormatOptions = {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      ...(lang === 'en' ? { month: 'short', day: 'numeric' } : { month: '2-digit', day: '2-digit' }),
    };
    const withTime: Intl.DateTimeFormatOptions = { ...options, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    for (const time of document.querySelectorAll('time[datetime]')) {
      const at = new Date(time.getAttribute('datetime')!);
      // Spaces compared as spaces: ICU versions differ on which space they put between date and time.
      const spaces = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
      const shown = spaces(time.textContent ?? '');
      const expected = [
        spaces(new Intl.DateTimeFormat(tag, withTime).format(at)),
        spaces(new Intl.DateTimeFormat(tag, options).format(at)),
      ];
      if (!expected.includes(shown)) problems.push(`time “${shown}” is not Beijing time (${expected[0]})`);
    }
    // A raw timestamp in the text (an example of a data format inside <code> is documentation, not a time).
    const textWalker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = textWalker.nextNode(); node; node = textWalker.nextNode()) {
      if (node.parentElement?.closest('code, script, style')) continue;
      const raw = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.exec(node.textContent ?? '');
      if (raw) {
        problems.push(`a raw timestamp is shown: ${raw[0]}`);
        break;
      }
    }
    return problems;
  });
}
