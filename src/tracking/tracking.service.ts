// The one tracking-code lookup every channel uses (the /track page, the API, SMS): what a code's holder may know.
import type { Db } from '../db/kysely.ts';
import { type MessageStatus, STATUSES } from '../messages/message-kinds.ts';
import { PUBLISHED } from '../messages/message-view.ts';
import { trackingRepository } from './tracking.repository.ts';

/** The alphabet of tracking codes (see submit-message.ts): no 0/O, 1/I, so a code read aloud cannot be misheard. */
const CODE_PATTERN = /^[A-HJ-NP-Z2-9]{8}$/;

/** What anyone holding the code learns: the status, and for a published public message where to read it. */
export interface TrackResult {
  code: string;
  status: MessageStatus;
  statusLabel: string;
  /** Present for a public message that has been published (the rest is on its public page). */
  published: {
    messageId: number;
    title: string;
    path: string;
    /** "region · post" as stored; pages name the board in their language from the two parts. */
    board: string;
    regionName: string;
    boardTitle: string;
    unit: string | null;
    duplicateOf: number | null;
    /** The deadline running now, for an open message. */
    dueAt: string | null;
  } | null;
  /** The latest published reply, for a public message, or for a private one asked about by its author. */
  reply: { unit: string; body: string; publishedAt: string } | null;
  /** The rating window, while the author may still rate or ask the one follow-up. */
  ratingDueAt: string | null;
  /** Whether the one asking is the author (by phone number, for SMS). */
  byAuthor: boolean;
}

/** Full-width letters and digits, spaces, dashes and lower case are all forgiven: `vs92-e3l9` finds `VS92E3L9`. */
export function normaliseTrackingCode(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s\-_.·]/g, '')
    .toUpperCase();
}

export function isTrackingCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}

/**
 * Looks a code up. `askedBy` is what identifies the asker, when anything does: the phone number an SMS came from.
 * A private message tells anyone else only its status; the author (by number) also gets the reply.
 */
export async function trackMessage(
  db: Db,
  rawCode: string,
  askedBy: { phone?: string } = {},
): Promise<TrackResult | null> {
  const code = normaliseTrackingCode(rawCode);
  if (!isTrackingCode(code)) return null;
  const m = await trackingRepository.findByCode(db, code);
  if (!m) return null;
  const status = m.status as MessageStatus;
  const byAuthor = askedBy.phone !== undefined && m.author_phone !== null && askedBy.phone === m.author_phone;
  const isPublic = m.visibility === 'public' && PUBLISHED.includes(status);
  const open = status === 'pending' || status === 'assigned';
  const reply =
    (isPublic || byAuthor) && (status === 'replied' || status === 'closed' || status === 'assigned')
      ? await trackingRepository.latestPublishedReply(db, m.id)
      : undefined;
  return {
    code,
    status,
    statusLabel: STATUSES[status] ?? m.status,
    published: isPublic
      ? {
          messageId: m.id,
          title: m.title,
          path: `/messages/${m.id}`,
          board: `${m.region_name} · ${m.board_title}`,
          regionName: m.region_name,
          boardTitle: m.board_title,
          unit: m.unit_name,
          duplicateOf: m.duplicate_of,
          dueAt: open ? (status === 'pending' ? m.accept_due_at : m.handle_due_at) : null,
        }
      : null,
    reply: reply?.published_at ? { unit: reply.unit_name, body: reply.body, publishedAt: reply.published_at } : null,
    ratingDueAt: status === 'replied' ? m.rating_due_at : null,
    byAuthor,
  };
}
