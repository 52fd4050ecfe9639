// Every page of the site map for the kind of user who would use it, with real ids from the demo data: the layout
// test and screenshots (test/e2e/site.ts) and the language test (test/i18n-pages.test.ts) walk it.
import type { Db } from '../src/db/kysely.ts';

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
