// Work notices: the right staff for each step (a unit's staff, its heads, a board's leaders, a unit's supervisors, the
// editors), each told in the site and by the channels they chose, inside the caller's transaction.
import type { Db } from '../db/kysely.ts';
import type { NoticeText } from '../notify/notice-language.ts';
import { DEDUPE_KEY_MAX, notify } from '../notify/notify.ts';
import { recipientsRepository } from './recipients.repository.ts';

/** The kind of notice staff choose channels for (in the site, by SMS, by e-mail): see notify/notice-preferences. */
export const WORK_NOTICE_KIND = 'work';

/** Who is told. */
export type Audience =
  /** Everyone working the unit's inbox, staff and heads; the unit also keeps a record of the notice. */
  | { unit: number }
  /** The unit's heads, who approve; everyone of the unit when it has no head. */
  | { headsOf: number }
  /** The leaders of a board. */
  | { leadersOf: number }
  /** Supervisors granted on the unit or on its region. */
  | { supervisorsOf: number; region: string }
  /** The platform's editors. */
  | { editors: true };

export interface StaffNotice {
  to: Audience[];
  messageId?: number | null;
  /** Written for each person in their language, and for each unit in its region's (see notify()). */
  text: NoticeText;
  /** Unique for the event: each person's notice is keyed `<key>:u<id>`, so a retry or a second process adds nothing. */
  dedupeKey: string;
}

async function resolve(db: Db, audience: Audience): Promise<number[]> {
  if ('unit' in audience) return recipientsRepository.unitMembers(db, audience.unit);
  if ('headsOf' in audience) {
    const heads = await recipientsRepository.unitMembers(db, audience.headsOf, ['unit_head']);
    return heads.length > 0 ? heads : recipientsRepository.unitMembers(db, audience.headsOf);
  }
  if ('leadersOf' in audience) return recipientsRepository.boardLeaders(db, audience.leadersOf);
  if ('supervisorsOf' in audience)
    return recipientsRepository.unitSupervisors(db, audience.supervisorsOf, audience.region);
  return recipientsRepository.editors(db);
}

/**
 * Writes one notice per person and, for each unit addressed, the unit's own record. Returns how many people were
 * told. Each person's notice goes by the channels they chose for work notices (in the site by default; SMS and
 * e-mail when chosen): notify() reads the choice.
 */
export async function notifyStaff(trx: Db, notice: StaffNotice, now: Date = new Date()): Promise<number> {
  const messageId = notice.messageId ?? null;
  const units = notice.to.flatMap((a) => ('unit' in a ? [a.unit] : []));
  for (const [i, unitId] of units.entries()) {
    const dedupeKey = i === 0 ? notice.dedupeKey : `${notice.dedupeKey}:unit${unitId}`;
    await notify(trx, { unitId, messageId, text: notice.text, dedupeKey }, now);
  }
  const people = new Set<number>();
  for (const audience of notice.to) for (const id of await resolve(trx, audience)) people.add(id);
  for (const userId of people) {
    const dedupeKey = `${notice.dedupeKey}:u${userId}`;
    if (dedupeKey.length > DEDUPE_KEY_MAX) throw new Error(`notifyStaff: the dedupeKey ${dedupeKey} is too long`);
    await notify(trx, { userId, messageId, text: notice.text, sms: true, kind: WORK_NOTICE_KIND, dedupeKey }, now);
  }
  return people.size;
}
