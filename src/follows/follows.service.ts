// Following a public message or a board, and telling the followers when a reply is published or the message closed.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import type { Db } from '../db/kysely.ts';
import type { MessageStatus } from '../messages/message-kinds.ts';
import { PUBLISHED } from '../messages/message-view.ts';
import { messagesRepository } from '../messages/messages.repository.ts';
import type { NoticeText } from '../notify/notice-language.ts';
import { DEDUPE_KEY_MAX, notify } from '../notify/notify.ts';
import { regionsRepository } from '../regions/regions.repository.ts';
import { AppError } from '../web/app-error.ts';
import { DEFAULT_LOCALE, type Translate, translator } from '../i18n/i18n.ts';
import { type FollowKind, type FollowListing, type FollowTarget, followsRepository } from './follows.repository.ts';

export type { FollowKind, FollowTarget } from './follows.repository.ts';

export interface FollowView {
  id: number;
  kind: FollowKind;
  messageId: number | null;
  boardId: number | null;
  /** The message title or "region · board"; a message that is no longer public is named by its number only. */
  title: string;
  /** A followed board's region and leader's post as stored (pages name them in their language); null otherwise. */
  board: { regionName: string; title: string } | null;
  /** The page of what is followed. */
  path: string;
  /** False once a followed message is no longer public: it can only be unfollowed. */
  available: boolean;
  sms: boolean;
  createdAt: string;
}

export interface FollowOutcome {
  follow: FollowView;
  /** False when the user already followed it (only the SMS choice may have changed). */
  created: boolean;
}

/** What a page needs to draw the follow button. */
export interface FollowState {
  following: boolean;
  sms: boolean;
}

const FOLLOWER_KEY_SUFFIX_MAX = ':follower:'.length + 10;

export const targetPath = (target: FollowTarget): string =>
  target.kind === 'message' ? `/messages/${target.id}` : `/boards/${target.id}`;

const isPublic = (message: { visibility: string; status: string }) =>
  message.visibility === 'public' && PUBLISHED.includes(message.status as MessageStatus);

function toView(f: FollowListing, t: Translate = translator(DEFAULT_LOCALE)): FollowView {
  const { id } = f.target;
  return {
    id: f.id,
    kind: f.target.kind,
    messageId: f.target.kind === 'message' ? id : null,
    boardId: f.target.kind === 'board' ? id : null,
    title: f.title ?? t(f.target.kind === 'message' ? 'follows.messageGone' : 'follows.boardGone', { id }),
    board: f.board ?? null,
    path: targetPath(f.target),
    available: f.title !== null,
    sms: f.sms,
    createdAt: f.createdAt,
  };
}

/**
 * The title of what may be followed; a message must be public and published (anything else is "not found", as on
 * the message page, so following cannot probe for private messages), a board must exist.
 */
async function followableTitle(db: Db, target: FollowTarget): Promise<string> {
  if (target.kind === 'message') {
    const message = await messagesRepository.findById(db, target.id);
    if (!message || !isPublic(message)) throw new AppError('MESSAGE_NOT_FOUND', { id: target.id });
    return message.title;
  }
  const board = await boardsRepository.essentials(db, target.id);
  if (!board) throw new AppError('BOARD_NOT_FOUND', { id: target.id });
  const region = await regionsRepository.findByCode(db, board.region_code);
  return `${region?.name ?? board.region_code} · ${board.title}`;
}

/** Follows the target, or changes the SMS choice of an existing follow. */
export async function follow(
  db: Db,
  user: CurrentUser,
  target: FollowTarget,
  options: { sms?: boolean } = {},
): Promise<FollowOutcome> {
  const title = await followableTitle(db, target);
  const sms = options.sms === true;
  const at = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const existing = await followsRepository.find(trx, user.id, target);
    if (existing) {
      if (existing.sms !== sms) await followsRepository.setSms(trx, existing.id, sms);
      return { follow: toView({ ...existing, sms, title }), created: false };
    }
    const id = await followsRepository.insert(trx, user.id, target, sms, at);
    return { follow: toView({ id, userId: user.id, target, sms, createdAt: at, title }), created: true };
  });
}

/** Stops following; following nothing is not an error (the button may be pressed twice). */
export async function unfollow(db: Db, user: CurrentUser, target: FollowTarget): Promise<void> {
  await followsRepository.deleteFor(db, user.id, target);
}

/** Stops one follow by its id; someone else's follow is as unknown as a missing one. */
export async function unfollowById(db: Db, user: CurrentUser, id: number): Promise<void> {
  if (!(await followsRepository.deleteOwned(db, user.id, id))) throw new AppError('NOT_FOUND');
}

/** The user's follows; a target without a title of its own is named in `t`'s language. */
export async function listFollows(db: Db, user: CurrentUser, t?: Translate): Promise<FollowView[]> {
  return (await followsRepository.listForUser(db, user.id, PUBLISHED)).map((f) => toView(f, t));
}

/** Whether this viewer follows the target, for the button on its page (a visitor follows nothing). */
export async function followState(db: Db, user: CurrentUser | null, target: FollowTarget): Promise<FollowState> {
  if (!user) return { following: false, sms: false };
  const existing = await followsRepository.find(db, user.id, target);
  return { following: existing !== undefined, sms: existing?.sms ?? false };
}

/** For account deletion: a closed account follows nothing. */
export async function forgetFollows(db: Db, userId: number): Promise<void> {
  await followsRepository.deleteForUser(db, userId);
}

/**
 * Tells everyone who follows the message or its board — once each, the author left out — that something public
 * happened to it (a reply published, the message closed). Call it inside the transaction of that change.
 *
 * Each follower gets the notice under `${dedupeKey}:follower:${userId}`, so repeating the call changes nothing;
 * followers who asked for SMS on any of their follows get one. A message that is not public (or not published)
 * tells nobody: its board's followers must not learn of it, and its own followers could not open it.
 */
export async function notifyFollowers(
  trx: Db,
  notice: { messageId: number; boardId: number; text: NoticeText; dedupeKey: string },
  now: Date = new Date(),
): Promise<number> {
  // A programming error, not input: it must fail the caller's transaction, not be cut short silently.
  if (!notice.dedupeKey || notice.dedupeKey.length > DEDUPE_KEY_MAX - FOLLOWER_KEY_SUFFIX_MAX)
    throw new Error(
      `notifyFollowers: the dedupeKey must have 1 to ${DEDUPE_KEY_MAX - FOLLOWER_KEY_SUFFIX_MAX} characters`,
    );
  const message = await messagesRepository.findById(trx, notice.messageId);
  if (!message || !isPublic(message)) return 0;
  const followers = await followsRepository.followersOf(
    trx,
    { messageId: notice.messageId, boardId: notice.boardId },
    message.author_id,
  );
  for (const follower of followers) {
    await notify(
      trx,
      {
        userId: follower.userId,
        messageId: notice.messageId,
        text: notice.text,
        sms: follower.sms,
        dedupeKey: `${notice.dedupeKey}:follower:${follower.userId}`,
      },
      now,
    );
  }
  return followers.length;
}
