// The kinds of notice and the channels each person chose for them (in the site, by SMS, by e-mail), with defaults.
import type { Db } from '../db/kysely.ts';
import type { Locale, MessageKey, Translate } from '../i18n/i18n.ts';
import { accountLanguage } from './notice-language.ts';
import { noticePreferencesRepository, type PreferenceRow } from './notice-preferences.repository.ts';

export const NOTICE_CHANNELS = ['site', 'sms', 'email'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/** Each kind, what it covers, the channels it can use and which are on until the person says otherwise. */
export const NOTICE_KINDS = {
  progress: {
    label: '我的留言的进展',
    note: '审核结果、受理、延期、答复等',
    channels: ['site', 'sms', 'email'],
    defaults: { site: true, sms: true, email: true },
  },
  follows: {
    label: '我关注的留言和留言板',
    note: '有新答复或办结时（短信还需在关注时选择）',
    channels: ['site', 'sms', 'email'],
    defaults: { site: true, sms: true, email: true },
  },
  work: {
    label: '办理工作通知（工作人员）',
    note: '新交办、待审批、督办等，逐条通知（工作台“通知方式”中也可设置短信）',
    channels: ['site', 'sms', 'email'],
    defaults: { site: true, sms: false, email: false },
  },
  digest: {
    label: '每日待办摘要（办理单位工作人员）',
    note: '新留言、即将到期、已超期、待审批，每天一封',
    channels: ['email'],
    defaults: { site: false, sms: false, email: true },
  },
} as const satisfies Record<
  string,
  { label: string; note: string; channels: readonly NoticeChannel[]; defaults: Record<NoticeChannel, boolean> }
>;
export type NoticeKind = keyof typeof NOTICE_KINDS;
export const NOTICE_KIND_KEYS = Object.keys(NOTICE_KINDS) as NoticeKind[];

export type Preferences = Record<NoticeChannel, boolean>;

export function isNoticeKind(value: unknown): value is NoticeKind {
  return typeof value === 'string' && Object.hasOwn(NOTICE_KINDS, value);
}

/**
 * The kind of a notice, from its dedupe key (an e-mail copy's `#email` aside): the digest's own keys, followers' copies
 * (`:follower:<id>`), staff work notices (`:u<id>`, see workflow/staff-notices.ts); everything else is progress.
 */
export function noticeKindOf(dedupeKey: string): NoticeKind {
  const key = dedupeKey.replace(/#email$/, '');
  if (key.startsWith('digest:')) return 'digest';
  if (key.includes(':follower:')) return 'follows';
  return /:u\d+$/.test(key) ? 'work' : 'progress';
}

/** A kind's name in a language (the `label` above is the Simplified Chinese one). */
export const noticeKindLabel = (t: Translate, kind: NoticeKind): string =>
  t(`workflow.noticeKind.${kind}` as MessageKey);

/** What a kind covers, in a language (the `note` above is the Simplified Chinese one). */
export const noticeKindNote = (t: Translate, kind: NoticeKind): string =>
  t(`workflow.noticeKind.${kind}.note` as MessageKey);

/** The choice for a kind: the saved one, else the defaults; never a channel the kind lacks. */
function choiceOf(kind: NoticeKind, saved: PreferenceRow | undefined): Preferences {
  const rule = NOTICE_KINDS[kind];
  const chosen = saved ?? rule.defaults;
  const allowed = rule.channels as readonly NoticeChannel[];
  return {
    site: allowed.includes('site') && chosen.site,
    sms: allowed.includes('sms') && chosen.sms,
    email: allowed.includes('email') && chosen.email,
  };
}

/** What a person gets for one kind: their choice where they made one, the defaults otherwise; never a channel the kind lacks. */
export async function preferencesFor(db: Db, userId: number, kind: NoticeKind): Promise<Preferences> {
  return choiceOf(kind, await noticePreferencesRepository.find(db, userId, kind));
}

/** A recipient's channels for one kind and the language their notices are written in, read together. */
export async function recipientChoice(
  db: Db,
  userId: number,
  kind: NoticeKind,
): Promise<{ locale: Locale; channels: Preferences }> {
  const found = await noticePreferencesRepository.recipient(db, userId, kind);
  return { locale: accountLanguage(found?.locale), channels: choiceOf(kind, found?.saved) };
}

export async function allPreferences(db: Db, userId: number): Promise<Record<NoticeKind, Preferences>> {
  const out = {} as Record<NoticeKind, Preferences>;
  for (const kind of NOTICE_KIND_KEYS) out[kind] = await preferencesFor(db, userId, kind);
  return out;
}

/** Saves the choice for one kind; channels the kind does not use are stored off. */
export async function setPreferences(db: Db, userId: number, kind: NoticeKind, choice: Partial<Preferences>) {
  const current = await preferencesFor(db, userId, kind);
  const allowed = NOTICE_KINDS[kind].channels as readonly NoticeChannel[];
  const next = { ...current, ...choice };
  await noticePreferencesRepository.save(
    db,
    userId,
    {
      kind,
      site: allowed.includes('site') && next.site,
      sms: allowed.includes('sms') && next.sms,
      email: allowed.includes('email') && next.email,
    },
    new Date().toISOString(),
  );
}
