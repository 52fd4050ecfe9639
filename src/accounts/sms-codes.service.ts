// One-time SMS codes: 6 digits, 5 minutes, single use, limited per phone and per IP.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { DEFAULT_LIMITS, type Limits } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { clientKey } from '../security/client-address.ts';
import { accountLanguage, noticeLanguage } from '../notify/notice-language.ts';
import { noticePreferencesRepository } from '../notify/notice-preferences.repository.ts';
import type { SmsSender } from '../sms/sms.ts';
import { AppError } from '../web/app-error.ts';
import { smsCodesRepository } from './sms-codes.repository.ts';

export const CODE_PURPOSES = ['register', 'login', 'reset'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

export const CODE_LIFETIME_MS = 5 * 60_000;
export const RESEND_AFTER_MS = 60_000;
/** Wrong guesses a code survives; after that it is dead and a new one must be requested. */
export const MAX_ATTEMPTS = 5;

export function isCodePurpose(value: unknown): value is CodePurpose {
  return typeof value === 'string' && (CODE_PURPOSES as readonly string[]).includes(value);
}

function codeHash(secret: string, phone: string, purpose: string, code: string): string {
  return createHmac('sha256', secret).update(`${phone}:${purpose}:${code}`).digest('hex');
}

export interface CodeRequest {
  phone: string;
  purpose: CodePurpose;
  ip: string;
  /** The configured hourly limits (config.limits); today's defaults when absent. */
  limits?: Pick<Limits, 'smsCodesPerNumberPerHour' | 'smsCodesPerAddressPerHour'>;
  now?: Date;
}

/**
 * Sends a code. The answer is the same whether or not the number is registered: a number that cannot
 * use the code gets a notice by SMS instead, which only its owner reads.
 */
export async function requestCode(db: Db, sms: SmsSender, secret: string, req: CodeRequest): Promise<void> {
  const now = req.now ?? new Date();
  const latest = await smsCodesRepository.latestFor(db, req.phone);
  if (latest) {
    const wait = RESEND_AFTER_MS - (now.getTime() - Date.parse(latest.created_at));
    if (wait > 0) throw new AppError('CODE_TOO_SOON', { seconds: Math.ceil(wait / 1000) }, 'phone');
  }
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const limits = req.limits ?? DEFAULT_LIMITS;
  // Kept per client (an IPv6 /64 counts as one), so that one client cannot spread its requests over many addresses.
  const client = clientKey(req.ip);
  if (
    (await smsCodesRepository.countSince(db, 'phone', req.phone, hourAgo)) >= limits.smsCodesPerNumberPerHour ||
    (await smsCodesRepository.countSince(db, 'ip', client, hourAgo)) >= limits.smsCodesPerAddressPerHour
  ) {
    throw new AppError('CODE_LIMIT', {}, 'phone');
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await smsCodesRepository.insert(db, {
    phone: req.phone,
    purpose: req.purpose,
    codeHash: codeHash(secret, req.phone, req.purpose, code),
    ip: client,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS).toISOString(),
  });
  // The text is in the language of the account holding the number; a number without one reads Simplified Chinese.
  const account = await noticePreferencesRepository.accountOfPhone(db, req.phone);
  const registered = account !== undefined;
  const { t } = noticeLanguage(accountLanguage(account?.locale));
  let text: string;
  if (req.purpose === 'register' && registered) {
    text = t('workflow.sms.code.registered');
  } else if (req.purpose !== 'register' && !registered) {
    text = t('workflow.sms.code.notRegistered');
  } else {
    text = t('workflow.sms.code', { purpose: t(`workflow.sms.code.${req.purpose}`), code });
  }
  await sms.send({ to: req.phone, text, purpose: req.purpose });
}

/**
 * Checks and uses up a code; throws CODE_INVALID for a wrong, used or expired one and CODE_ATTEMPTS_EXCEEDED once
 * its tries are spent. A try is taken before the code is compared, so at most MAX_ATTEMPTS guesses are ever judged,
 * however many arrive at once.
 */
export async function consumeCode(
  db: Db,
  secret: string,
  input: { phone: string; purpose: CodePurpose; code: string; now?: Date },
): Promise<void> {
  const now = (input.now ?? new Date()).toISOString();
  const invalid = new AppError('CODE_INVALID', {}, 'code');
  if (!/^\d{6}$/.test(input.code)) throw invalid;
  const row = await smsCodesRepository.findUsable(db, input.phone, input.purpose, now);
  if (!row) throw invalid;
  if (!(await smsCodesRepository.claimAttempt(db, row.id, MAX_ATTEMPTS))) {
    throw new AppError('CODE_ATTEMPTS_EXCEEDED', { max: MAX_ATTEMPTS }, 'code');
  }
  const expected = Buffer.from(row.code_hash, 'hex');
  const given = Buffer.from(codeHash(secret, input.phone, input.purpose, input.code), 'hex');
  if (!timingSafeEqual(expected, given)) throw invalid;
  if (!(await smsCodesRepository.consume(db, row.id, now))) throw invalid;
}
