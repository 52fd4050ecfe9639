// The labels of message types, domains, statuses, reasons for not publishing and visibilities in the page's language
// (the keys are stable: the API and statistics use them; message-kinds.ts keeps the Chinese names the API accepts).
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import type { Domain, MessageStatus, MessageType, RejectReason, Visibility } from './message-kinds.ts';

/** The label of a key, or the key itself for a value the catalogue does not know (old or bad data). */
const label = (t: Translate, key: string, value: string): string => t(key as MessageKey) ?? value;

export const typeLabel = (t: Translate, type: MessageType | string): string => label(t, `kind.type.${type}`, type);
export const domainLabel = (t: Translate, domain: Domain | string): string => label(t, `kind.domain.${domain}`, domain);
export const domainNote = (t: Translate, domain: Domain | string): string =>
  label(t, `kind.domainNote.${domain}`, domain);
export const statusLabel = (t: Translate, status: MessageStatus | string): string =>
  label(t, `kind.status.${status}`, status);
export const rejectReasonLabel = (t: Translate, reason: RejectReason | string): string =>
  label(t, `kind.reject.${reason}`, reason);
export const visibilityLabel = (t: Translate, visibility: Visibility | string): string =>
  label(t, `kind.visibility.${visibility}`, visibility);
