// Turns a rejected form submission into the errors shown beside its fields, and success into a notice.
import type { FastifyRequest } from 'fastify';
import type { MessageKey } from '../i18n/i18n.ts';
import { AppError } from './app-error.ts';
import type { FormErrors } from './views/form.tsx';

/** Field errors for an AppError; anything else is a real failure and goes on to the error handler. */
export function errorsOf(request: FastifyRequest, err: unknown): FormErrors {
  // Not being allowed is not a mistake in the form: it goes to the error page.
  if (!(err instanceof AppError) || err.statusCode >= 500 || err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED')
    throw err;
  if (err.fields.length > 0) {
    return Object.fromEntries(err.fields.map((f) => [f.field ?? '_form', request.t(f.messageKey, f.params)]));
  }
  return { [err.field ?? '_form']: request.t(err.messageKey, err.params) };
}

/** What the user typed, minus secrets, to fill the form again. */
export function keptValues(body: unknown, ...omit: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && key !== '_csrf' && !omit.includes(key) && !/password|current/.test(key))
      out[key] = value.slice(0, 200);
  }
  return out;
}

/** Notices a page may show after a redirect: only known keys, so a link cannot make the site say anything. */
const DONE_KEYS = new Set([
  'registered',
  'loggedIn',
  'nickname',
  'password',
  'reset',
  'loggedOut',
  'loggedOutAll',
  'tokenRevoked',
  'totpOn',
  'totpOff',
  'deleted',
  'granted',
  'revoked',
  'sessionsEnded',
  'staffCreated',
  'settings',
  'submitted',
  'rated',
  'followedUp',
  'approved',
  'linked',
  'rejected',
  'done',
  // The workbench, the review queue and the staff's settings
  'accepted',
  'assignedTo',
  'returned',
  'extensionRequested',
  'extensionDecided',
  'draftSaved',
  'replySubmitted',
  'replyApproved',
  'replyPublished',
  'sentToSign',
  'signed',
  'sentBack',
  'signatureRequested',
  'priority',
  'supervised',
  'identityShared',
  'noticesSaved',
  // The account's language
  'language',
]);

export function doneNotice(request: FastifyRequest): string | undefined {
  const done = (request.query as { done?: unknown } | undefined)?.done;
  return typeof done === 'string' && DONE_KEYS.has(done) ? request.t(`done.${done}` as MessageKey) : undefined;
}
