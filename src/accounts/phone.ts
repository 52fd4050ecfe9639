// Mainland mobile numbers: read whatever people type (spaces, +86) and keep the 11 digits.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** The 11-digit national number of a valid mainland mobile, or null. */
export function normalizePhone(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const parsed = parsePhoneNumberFromString(input.trim(), 'CN');
  if (!parsed || parsed.country !== 'CN' || !parsed.isValid() || parsed.getType() !== 'MOBILE') return null;
  return parsed.nationalNumber;
}

export { maskPhone } from '../sms/sms.ts';
