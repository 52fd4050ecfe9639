/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The whole site as its users see it: the demo data on a fresh database, every page of the site map for each kind
// of user, and the layout rules a person checking screenshots would apply (used by the layout test and
// `npm run screenshots`).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD_DEFAULT, seedDemo } from '../../src/demo/demo-seed.ts';
import type { Db } from '../../src/db/kysely.ts';
import { type BrowserRig, startBrowserRig } from './browser.ts';

export const VIEWPORTS = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/** Who looks at a page: anonymous, or a demo account by its phone number. */
export interface Persona {
  key: string;
  label: string;
  phone: string | null;
}

export const PERSONAS: Persona[] = [
  { key: 'visitor', label: '游客', phone: null },
  { key: 'netizen', label: '网民', phone: '19900000101' },
  { key: 'editor', label: '平台编辑', phone: '19900000002' },
  { key: 'countyStaff', label: '办理单位工作人员', phone: '19900000011' },
  { key: 'countyHead', label: '单位负责人', phone: '19900000012' },
  { key: 'leader', label: '领导', phone: '19900000031' },
  { key: 'supervisor', label: '督查', phone: '19900000041' },
  { key: 'admin', label: '系统管理员', phone: '19900000001' },
];

export interface SitePage {
  persona: string;
  name: string;
  path: string;
}

/** Every page of the site map, for the persona who would use it, with real ids from the demo data. */
export async function siteMap(db: Db): Promise<SitePage[]> {
  const netizen = await db
    .selectFrom('users')
    .select('id')
    .where('phone', '=', '19900000101')
    .executeTakeFirstOrThrow();
  const mine = await db
    .selectFrom('messages')
    .select(['id', 'status', 'visibility'])
    .where('author_id', '=', netizen.id)
    .orderBy('id')
    .execute();
  const replied = mine.find((m) => m.status === 'replied') ?? mine[0]!;
  const withPhoto = await db
    .selectFrom('message_attachments')
    .select('message_id')
    .where('is_public', '=', 1)
    .orderBy('message_id')
    .executeTakeFirst();
  const publicClosed = await db
    .selectFrom('messages')
    .select('id')
    .where('status', '=', 'closed')
    .where('visibility', '=', 'public')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const assigned = await db
    .selectFrom('messages')
    .select('id')
    .where('status', 'in', ['pending', 'assigned'])
    .where('board_id', 'in', [1301231, 1301232])
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const awaitingSignature = await db
    .selectFrom('replies')
    .select('message_id')
    .where('status', '=', 'pending_sign')
    .orderBy('id')
    .executeTakeFirst();
  const staffUser = await db
    .selectFrom('users')
    .select('id')
    .where('phone', '=', '19900000011')
    .executeTakeFirstOrThrow();
  const conference = await db
    .selectFrom('articles')
    .select('id')
    .where('category', '=', 'conference')
    .where('status', '=', 'published')
    .orderBy('conference_year', 'desc')
    .executeTakeFirstOrThrow();
  const countyLeader = await db
    .selectFrom('board_holders')
    .select('id')
    .where('board_id', '=', 1301232)
    .where('until', 'is', null)
    .executeTakeFirstOrThrow();
  const solicitation = await db.selectFrom('solicitations').select('id').orderBy('id').executeTakeFirstOrThrow();
  const year = new Date().getUTCFullYear();
  const pages: [string, string, string][] = [
    ['visitor', 'home', '/'],
    ['visitor', 'province', '/regions/130000'],
    ['visitor', 'city', '/regions/130100'],
    ['visitor', 'county', '/regions/130123'],
    ['visitor', 'board', '/boards/1301232'],
    ['visitor', 'message', `/messages/${publicClosed.id}`],
    ...(withPhoto
      ? ([['visitor', 'message-photos', `/messages/${withPhoto.message_id}`]] as [string, string, string][])
      : []),
    ['visitor', 'search', '/search?q=%E8%B7%AF'],
    ['visitor', 'choose-board', '/boards/choose?q=%E6%AD%A3%E5%AE%9A'],
    ['visitor', 'stats', '/stats'],
    ['visitor', 'stats-province', '/stats/regions/130000'],
    ['visitor', 'stats-unit', '/stats/units/130123001'],
    ['visitor', 'stats-board', '/stats/boards/1301232'],
    ['visitor', 'indicators', `/stats/indicators?year=${year}&region=130000`],
    ['visitor', 'honours', '/honours'],
    ['visitor', 'open-data', '/open-data'],
    ['visitor', 'login', '/login'],
    ['visitor', 'register', '/register'],
    ['visitor', 'password-reset', '/password-reset'],
    ['visitor', 'not-found', '/no-such-page'],
    ['netizen', 'home', '/'],
    ['netizen', 'account', '/account'],
    ['netizen', 'my-messages', '/my/messages'],
    ['netizen', 'my-follows', '/my/follows'],
    ['netizen', 'notifications', '/notifications'],
    ['netizen', 'write', '/messages/new?board=1301232'],
    ['netizen', 'my-message', `/messages/${replied.id}`],
    ['editor', 'review', '/review'],
    ['editor', 'editor-desk', '/editor'],
    ['visitor', 'news', '/news'],
    ['visitor', 'news-article', `/news/${conference.id}`],
    ['visitor', 'leaders', '/leaders'],
    ['visitor', 'leader', `/leaders/${countyLeader.id}`],
    ['editor', 'articles', '/editor/articles'],
    ['editor', 'article-edit', `/editor/articles/${conference.id}/edit`],
    ['editor', 'article-preview', `/editor/articles/${conference.id}/preview`],
    ['visitor', 'stories', '/stories'],
    ['editor', 'stories-editor', '/editor/stories'],
    ['editor', 'story-new', '/editor/stories/new'],
    ['visitor', 'solicitations', '/solicitations'],
    ['visitor', 'solicitation', `/solicitations/${solicitation.id}`],
    ['netizen', 'my-solicitations', '/my/solicitations'],
    ['editor', 'solicitations-editor', '/editor/solicitations'],
    ['editor', 'solicitation-desk', `/editor/solicitations/${solicitation.id}`],
    ['editor', 'solicitation-new', '/editor/solicitations/new'],
    ['countyStaff', 'inbox', '/workbench'],
    ['countyStaff', 'inbox-message', `/workbench/messages/${assigned.id}`],
    ['countyHead', 'inbox', '/workbench'],
    ['countyHead', 'templates', '/workbench/templates'],
    ['countyHead', 'admin', '/admin'],
    ['countyHead', 'unit-staff', '/admin/units/130123001'],
    ['countyHead', 'unit-overview', '/workbench/units/130123001'],
    ['countyHead', 'notices', '/workbench/notices'],
    ['leader', 'inbox', '/workbench'],
    ...(awaitingSignature
      ? ([['leader', 'sign', `/workbench/messages/${awaitingSignature.message_id}`]] as [string, string, string][])
      : []),
    ['supervisor', 'inbox', '/workbench'],
    ['supervisor', 'unit-overview', '/workbench/units/130123001'],
    ['supervisor', 'inbox-message', `/workbench/messages/${assigned.id}`],
    ['admin', 'admin', '/admin'],
    ['admin', 'users', '/admin/users?q=199'],
    ['admin', 'user', `/admin/users/${staffUser.id}`],
    ['admin', 'staff', '/admin/staff'],
    ['admin', 'log', '/admin/log'],
    ['admin', 'private-reads', '/admin/private-reads'],
    ['admin', 'calendar', '/admin/calendar'],
    ['admin', 'open311-keys', '/admin/open311'],
    ['admin', 'sms-inbound', '/admin/sms-inbound'],
    ['visitor', 'track', '/track'],
    ['visitor', 'posting-rules', '/help/rules'],
    ['admin', 'settings', '/admin/settings'],
    ['admin', 'rules', '/admin/rules?region=130000'],
    ['admin', 'evaluation', '/admin/evaluation'],
    ['admin', 'evaluation-year', `/admin/evaluation/${year}`],
  ];
  return pages.map(([persona, name, path]) => ({ persona, name, path }));
}

export interface SiteRig extends BrowserRig {
  pages: SitePage[];
  /** A browser context signed in as the persona, at a viewport. */
  contextFor(persona: string, viewport: { width: number; height: number }): Promise<BrowserContext>;
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
    async contextFor(key, viewport) {
      const persona = PERSONAS.find((p) => p.key === key)!;
      let state = states.get(key);
      if (!state && persona.phone) state = await signIn(browser, base, persona.phone);
      if (state) states.set(key, state);
      return browser.newContext({ viewport, locale: 'zh-CN', ...(state ? { storageState: state } : {}) });
    },
  };
}

async function signIn(browser: Browser, base: string, phone: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('手机号').fill(phone);
  await form.getByLabel('密码').fill(DEMO_PASSWORD_DEFAULT);
  await form.getByRole('button', { name: '登录' }).click();
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
    const options = { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' } as const;
    const withTime = { ...options, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    for (const time of document.querySelectorAll('time[datetime]')) {
      const at = new Date(time.getAttribute('datetime')!);
      const shown = (time.textContent ?? '').trim();
      const expected = [
        new Intl.DateTimeFormat(lang, withTime).format(at),
        new Intl.DateTimeFormat(lang, options).format(at),
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
