// Mainland mobile numbers: read whatever people type (spaces, +86) and keep the 11 digits.
import { createRequire } from 'node:module';

type PhoneNumbers = typeof import('libphonenumber-js/max');
let phoneNumbers: PhoneNumbers | undefined;
/** The full metadata takes tens of milliseconds to load: loaded at the first number read, not at start-up. */
const parser = () => (phoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneNumbers);

/** The 11-digit national number of a valid mainland mobile, or null. */
export function normalizePhone(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const parsed = parser().parsePhoneNumberFromString(input.trim(), 'CN');
  if (!parsed || parsed.country !== 'CN' || !parsed.isValid() || parsed.getType() !== 'MOBILE') return null;
  return parsed.nationalNumber;
}

export { maskPhone } from '../sms/sms.ts';
