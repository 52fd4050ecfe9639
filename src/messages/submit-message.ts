// Writing a message: check every field, mask personal data, flag sensitive words, store images, one transaction.
import { randomInt } from 'node:crypto';
import { cleanImage, type CleanImage } from '../attachments/images.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import { caseEventsRepository } from '../audit/case-events.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import type { Db } from '../db/kysely.ts';
import { secretBox } from '../security/secret-box.ts';
import { AppError } from '../web/app-error.ts';
import { DOMAINS, MESSAGE_TYPES, parseKey, VISIBILITIES } from './message-kinds.ts';
import { messagesRepository } from './messages.repository.ts';
import { searchRepository } from '../search/search.repository.ts';
import { maskPersonalData } from './personal-data.ts';
import { clientDigest } from './flooding.ts';
import type { SensitiveWords } from './sensitive-words.ts';

export const TITLE_MIN = 5;
export const TITLE_MAX = 50;
export const BODY_MIN = 20;
/** A text message is short by nature: the editor reviews it like any other, so a few words are enough. */
export const SMS_BODY_MIN = 5;
export const BODY_MAX = 5000;
export const REMARKS_MAX = 1000;
export const LOCATION_MAX = 100;
export const IMAGES_MAX = 9;
const REVIEW_HOURS = 24;

/** Letters and digits that cannot be confused when read out over the phone or typed into an SMS. */
const TRACKING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const TRACKING_LENGTH = 8;

export interface MessageInput {
  boardId?: unknown;
  type?: unknown;
  domain?: unknown;
  title?: unknown;
  body?: unknown;
  remarks?: unknown;
  location?: unknown;
  visibility?: unknown;
  images?: { data: Buffer; isPublic: boolean }[];
  /** Problems found while the upload was read (too many, too large), reported with the rest. */
  uploadProblems?: AppError[];
}

export interface SubmitContext {
  db: Db;
  secret: string;
  store: AttachmentStore;
  sensitiveWords: SensitiveWords;
  authorId: number;
  channel: 'web' | 'api' | 'sms' | 'open311';
  idempotencyKey?: string;
  now?: Date;
  /** The sender's address: kept only as a keyed digest, to spot flooding from one network. */
  clientAddress?: string;
  /** Runs inside the message's transaction once it has its id: a channel records what it knows of the message. */
  afterInsert?: (trx: Db, messageId: number) => Promise<void>;
}

export interface SubmitResult {
  id: number;
  trackingCode: string;
  status: string;
  /** True when an earlier submission with the same idempotency key is being returned. */
  replayed: boolean;
}

export interface MessageFlags {
  personalData: string[];
  sensitiveWords: string[];
}

const chars = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const length = (value: string) => [...value].length;

export function newTrackingCode(): string {
  return Array.from({ length: TRACKING_LENGTH }, () => TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)]).join('');
}

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(value);
}

/** Checks every field and reports all problems at once, each against its field. */
async function validate(db: Db, input: MessageInput, bodyMin = BODY_MIN) {
  const problems: AppError[] = [...(input.uploadProblems ?? [])];
  const boardId = Number(input.boardId);
  const board =
    Number.isInteger(boardId) && boardId > 0 && boardId < 2 ** 31
      ? await boardsRepository.essentials(db, boardId)
      : undefined;
  if (!board) problems.push(new AppError('BOARD_NOT_FOUND', { id: String(input.boardId ?? '') }, 'boardId'));
  else if (!board.active) problems.push(new AppError('BOARD_CLOSED', {}, 'boardId'));
  const type = parseKey(MESSAGE_TYPES, input.type);
  if (!type) problems.push(new AppError('TYPE_INVALID', {}, 'type'));
  const domain = parseKey(DOMAINS, input.domain);
  if (!domain) problems.push(new AppError('DOMAIN_INVALID', {}, 'domain'));
  const title = chars(input.title);
  if (length(title) < TITLE_MIN || length(title) > TITLE_MAX) {
    problems.push(new AppError('TITLE_LENGTH', { min: TITLE_MIN, max: TITLE_MAX }, 'title'));
  }
  const body = chars(input.body);
  if (length(body) < bodyMin || length(body) > BODY_MAX) {
    problems.push(new AppError('BODY_LENGTH', { min: bodyMin, max: BODY_MAX, length: length(body) }, 'body'));
  }
  const remarks = chars(input.remarks);
  if (length(remarks) > REMARKS_MAX) problems.push(new AppError('REMARKS_TOO_LONG', { max: REMARKS_MAX }, 'remarks'));
  const location = chars(input.location);
  if (length(location) > LOCATION_MAX)
    problems.push(new AppError('LOCATION_TOO_LONG', { max: LOCATION_MAX }, 'location'));
  const visibility =
    input.visibility === undefined || input.visibility === '' ? 'public' : parseKey(VISIBILITIES, input.visibility);
  if (!visibility) problems.push(new AppError('VISIBILITY_INVALID', {}, 'visibility'));
  const images: { image: CleanImage; isPublic: boolean }[] = [];
  const uploads = input.images ?? [];
  if (uploads.length > IMAGES_MAX) problems.push(new AppError('TOO_MANY_IMAGES', { max: IMAGES_MAX }, 'images'));
  else {
    for (const [index, upload] of uploads.entries()) {
      const cleaned = await cleanImage(upload.data);
      if (cleaned.ok) images.push({ image: cleaned.image, isPublic: upload.isPublic });
      else problems.push(new AppError('IMAGE_INVALID', { index: index + 1, reason: cleaned.message }, 'images'));
    }
  }
  if (problems.length > 0 || !board || !type || !domain || !visibility) {
    const summary = [...new Set(problems.map((p) => p.field))].join('、');
    throw new AppError('FORM_INVALID', { summary }, undefined, problems);
  }
  return { board, type, domain, title, body, remarks, location, visibility, images };
}

export async function submitMessage(ctx: SubmitContext, input: MessageInput): Promise<SubmitResult> {
  const { db } = ctx;
  if (ctx.idempotencyKey !== undefined && !isIdempotencyKey(ctx.idempotencyKey)) {
    throw new AppError('IDEMPOTENCY_KEY_INVALID', {}, 'idempotencyKey');
  }
  const replay = async (): Promise<SubmitResult | null> => {
    if (!ctx.idempotencyKey) return null;
    const found = await messagesRepository.findIdempotent(db, ctx.authorId, ctx.idempotencyKey);
    if (!found) return null;
    const message = await messagesRepository.findById(db, found.message_id);
    return message
      ? { id: message.id, trackingCode: message.tracking_code, status: message.status, replayed: true }
      : null;
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const v = await validate(db, input, ctx.channel === 'sms' ? SMS_BODY_MIN : BODY_MIN);
  const now = ctx.now ?? new Date();
  const maskedTitle = maskPersonalData(v.title);
  const maskedBody = maskPersonalData(v.body);
  const flags: MessageFlags = {
    personalData: [...new Set([...maskedTitle.hits, ...maskedBody.hits].map((h) => h.kind))],
    sensitiveWords: [
      ...new Set([...ctx.sensitiveWords.find(v.title), ...ctx.sensitiveWords.find(v.body)].map((h) => h.word)),
    ],
  };
  const box = secretBox(ctx.secret, 'messages');
  const changed = maskedTitle.text !== v.title || maskedBody.text !== v.body;
  // Images are stored first: content-addressed files are harmless if the transaction then fails.
  const stored: { image: CleanImage; isPublic: boolean; key: string }[] = [];
  for (const { image, isPublic } of v.images) {
    const { key } = await ctx.store.save(image);
    // The sizes pages show (a thumbnail, a screen-sized copy) are made now, so no visitor waits for them.
    await ctx.store.saveDisplayCopies(key, image.data);
    stored.push({ image, isPublic, key });
  }

  try {
    return await db.transaction().execute(async (trx) => {
      const at = now.toISOString();
      // A tracking code already given to another message is refused by its unique key (no id back): draw again.
      let trackingCode = '';
      let id: number | undefined;
      while (id === undefined) {
        trackingCode = newTrackingCode();
        id = await messagesRepository.insert(trx, {
          boardId: v.board.id,
          regionCode: v.board.region_code,
          authorId: ctx.authorId,
          type: v.type,
          domain: v.domain,
          title: maskedTitle.text,
          body: maskedBody.text,
          originalSealed: changed ? box.seal(JSON.stringify({ title: v.title, body: v.body })) : null,
          remarksSealed: v.remarks ? box.seal(v.remarks) : null,
          location: v.location || null,
          visibility: v.visibility,
          trackingCode,
          channel: ctx.channel,
          flags: JSON.stringify(flags),
          currentUnitId: v.board.unit_id,
          submittedAt: at,
          reviewDueAt: new Date(now.getTime() + REVIEW_HOURS * 3600_000).toISOString(),
          clientKey: ctx.clientAddress ? clientDigest(ctx.secret, ctx.clientAddress) : null,
        });
      }
      for (const [position, s] of stored.entries()) {
        await messagesRepository.insertAttachment(trx, {
          messageId: id,
          key: s.key,
          type: s.image.type,
          width: s.image.width,
          height: s.image.height,
          bytes: s.image.bytes,
          isPublic: s.isPublic,
          position,
        });
      }
      if (ctx.idempotencyKey) await messagesRepository.saveIdempotencyKey(trx, ctx.authorId, ctx.idempotencyKey, id);
      if (ctx.afterInsert) await ctx.afterInsert(trx, id);
      await searchRepository.write(trx, id, [maskedTitle.text, maskedBody.text]);
      await caseEventsRepository.append(trx, {
        messageId: id,
        kind: 'submit',
        actorId: ctx.authorId,
        fromStatus: null,
        toStatus: 'submitted',
        data: { channel: ctx.channel, flags },
        at,
        first: true,
      });
      return { id, trackingCode, status: 'submitted', replayed: false };
    });
  } catch (err) {
    // Two retries at once: the second loses on the idempotency key and returns the first's result.
    const winner = await replay();
    if (winner) return winner;
    throw err;
  }
}
