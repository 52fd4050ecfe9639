// An optional e-mail address on any account: set it, confirm it by the link sent to it, remove it. Notices go only
// to a confirmed address.
import { DEFAULT_LOCALE, type Translate, translator } from '../i18n/i18n.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/kysely.ts';
import { outboxRepository } from '../notify/outbox.repository.ts';
import { AppError } from '../web/app-error.ts';
import { emailAddressesRepository, type EmailState } from './email-addresses.repository.ts';

const TOKEN_HOURS = 24;
/** One confirmation e-mail a minute at most, so the form cannot be used to flood someone's mailbox. */
const RESEND_SECONDS = 60;
const EMAIL_MAX = 254;
/** Deliberately plain: one @, something before it, a dotted domain after; no spaces or angle brackets. */
const EMAIL_PATTERN =
  /^[^\s@<>()",;:\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export function checkEmail(input: unknown): string {
  const address = typeof input === 'string' ? input.trim() : '';
  if (address.length === 0 || address.length > EMAIL_MAX || !EMAIL_PATTERN.test(address)) {
    throw new AppError('EMAIL_INVALID', {}, 'email');
  }
  return address;
}

export interface EmailView {
  address: string | null;
  pending: string | null;
}

export function emailView(state: EmailState | null): EmailView {
  return { address: state?.verifiedAt ? state.address : null, pending: state?.pendingAddress ?? null };
}

export async function emailOf(db: Db, userId: number): Promise<EmailView> {
  return emailView(await emailAddressesRepository.find(db, userId));
}

/** Keeps the address as waiting and sends the confirmation link to it, through the outbox. */
export async function requestEmail(
  db: Db,
  userId: number,
  input: unknown,
  opts: { siteBase: string; mailAvailable: boolean; now?: Date; t?: Translate },
): Promise<string> {
  // In the language of the page or app the address was given in.
  const t = opts.t ?? translator(DEFAULT_LOCALE);
  if (!opts.mailAvailable) throw new AppError('EMAIL_UNAVAILABLE');
  const address = checkEmail(input);
  const now = opts.now ?? new Date();
  const current = await emailAddressesRepository.find(db, userId);
  if (current?.tokenExpiresAt) {
    const sentAt = new Date(current.tokenExpiresAt).getTime() - TOKEN_HOURS * 3600_000;
    const wait = Math.ceil((sentAt + RESEND_SECONDS * 1000 - now.getTime()) / 1000);
    if (wait > 0) throw new AppError('EMAIL_TOO_SOON', { seconds: wait }, 'email');
  }
  const token = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await emailAddressesRepository.savePending(trx, userId, {
      address,
      tokenHash: digest(token),
      expiresAt: new Date(now.getTime() + TOKEN_HOURS * 3600_000).toISOString(),
      at,
    });
    await outboxRepository.insertOnce(trx, {
      channel: 'email',
      userId,
      unitId: null,
      messageId: null,
      recipient: address,
      subject: t('email.confirm.subject'),
      text: [
        t('email.confirm.greeting'),
        '',
        t('email.confirm.body'),
        `${opts.siteBase}/account/email/confirm?token=${token}`,
        '',
        t('email.confirm.expiry', { hours: TOKEN_HOURS }),
      ].join('\n'),
      dedupeKey: `email-confirm:${userId}:${digest(token).slice(0, 16)}`,
      status: 'pending',
      nextAttemptAt: at,
      sentAt: null,
    });
  });
  return address;
}

export async function confirmEmail(db: Db, token: unknown): Promise<number> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new AppError('EMAIL_TOKEN_INVALID');
  const userId = await emailAddressesRepository.confirm(db, digest(token), new Date().toISOString());
  if (userId === null) throw new AppError('EMAIL_TOKEN_INVALID');
  return userId;
}

export async function removeEmail(db: Db, userId: number): Promise<void> {
  await emailAddressesRepository.remove(db, userId);
}
