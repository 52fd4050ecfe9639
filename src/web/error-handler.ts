// One place turns every error into a Chinese page or the API's JSON error, hiding 5xx details.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { namesFor } from '../i18n/place-names.ts';
import { numberFormat } from './number-format.ts';
import { LOCALE_COOKIE, type MessageKey, negotiateLocale, translator } from '../i18n/i18n.ts';
import { pathCredential, requestCredential } from './access.ts';
import { databaseFault, type DatabaseFault, faultLog } from '../db/faults.ts';
import { AppError, type ErrorCode, RETRY_AFTER_SECONDS } from './app-error.ts';
import { pageContext, sendPage } from './render.ts';
import { timeFormat } from './time-format.ts';
import { ErrorPage } from './views/error-page.tsx';

/** Fields whose validation failure has a message of its own. */
const FIELD_MESSAGES: Record<string, MessageKey> = {
  code: 'validation.regionCode',
  id: 'validation.boardId',
};

/** Errors of Fastify and its plugins, by code: each keeps its 4xx status and gets a message of its own. */
const FRAMEWORK_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: 'URL_INVALID',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_EMPTY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'JSON_INVALID',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'CONTENT_LENGTH_INVALID',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  // @fastify/multipart
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'MULTIPART_REQUIRED',
  FST_PROTO_VIOLATION: 'MULTIPART_INVALID',
  FST_INVALID_JSON_FIELD_ERROR: 'MULTIPART_INVALID',
  FST_MP_PREMATURE_CLOSE: 'MULTIPART_INVALID',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
};

/** A fault of the database or its disk is the client's to try again later, never a 500. */
const BY_FAULT: Record<DatabaseFault, ErrorCode> = {
  unavailable: 'DATABASE_UNAVAILABLE',
  busy: 'DATABASE_BUSY',
  full: 'STORAGE_FULL',
  'read-only': 'DATABASE_READ_ONLY',
};

/** Other errors by their HTTP status (send's 416, a parser's 400 for malformed JSON, …). */
const BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  503: 'UNAVAILABLE',
};

function fieldOf(error: NonNullable<FastifyError['validation']>[number]): string {
  const missing = (error.params as { missingProperty?: string } | undefined)?.missingProperty;
  if (missing) return missing;
  return error.instancePath.split('/').filter(Boolean).join('.') || '';
}

function toAppError(error: FastifyError | AppError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (error.validation && error.validation.length > 0) {
    const details = error.validation.map((v) => {
      const field = fieldOf(v);
      const key = FIELD_MESSAGES[field];
      return key ? request.t(key) : request.t('validation.field', { field: field || error.validationContext || '' });
    });
    return new AppError('VALIDATION', { detail: [...new Set(details)].join('；') });
  }
  if (typeof error.code === 'string' && error.code.startsWith('FST_CSRF')) return new AppError('CSRF_INVALID');
  const fault = databaseFault(error);
  if (fault) return new AppError(BY_FAULT[fault]);
  const known = typeof error.code === 'string' && Object.hasOwn(FRAMEWORK_ERRORS, error.code);
  if (known) return new AppError(FRAMEWORK_ERRORS[error.code]!);
  const status = error.statusCode ?? (error as { status?: number }).status;
  if (status === 429) return new AppError('RATE_LIMITED', { seconds: 60 });
  if (typeof status === 'number' && Object.hasOwn(BY_STATUS, status)) return new AppError(BY_STATUS[status]!);
  // Any other refusal of the request keeps its own status: a client's mistake is never a server error.
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('CLIENT_ERROR', { status });
  return new AppError('INTERNAL');
}

/** API routes answer in the API's JSON format; the route decides, so every spelling of its path gets the same answer. */
export function isApiRequest(request: FastifyRequest): boolean {
  return requestCredential(request) === 'token';
}

export async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  api = isApiRequest(request),
): Promise<FastifyReply> {
  // An error met before the locale hook ran (a bad URL, an early hook): the browser's language, else the default.
  request.t ??= translator(
    negotiateLocale({ cookie: cookieLocale(request), acceptLanguage: request.headers['accept-language'] }),
  );
  const message = request.t(error.messageKey, error.params);
  const retryAfter = RETRY_AFTER_SECONDS[error.code];
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  if (error.code === 'UNAUTHENTICATED' && !api && request.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  if (api) {
    const fields = error.fields.map((f) => ({
      field: f.field,
      code: f.code,
      message: request.t(f.messageKey, f.params),
    }));
    return reply
      .status(error.statusCode)
      .type('application/json; charset=utf-8')
      .send({ error: { code: error.code, message, ...(fields.length > 0 ? { fields } : {}) } });
  }
  return sendPage(
    reply,
    ErrorPage({ ctx: pageContext(request, reply), status: error.statusCode, message }),
    error.statusCode,
  );
}

export function installErrorHandlers(app: FastifyInstance): void {
  // During an outage every request fails the same way: logged once a minute, not once per request.
  const faults = faultLog(app.log, '数据库', 60_000);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request);
    if (databaseFault(error)) faults.failed(error, 'request failed');
    else if (appError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('NOT_FOUND')));
}

/** The language cookie read from the header, for errors met before the cookie parser ran. */
function cookieLocale(request: FastifyRequest): string | undefined {
  return new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`).exec(String(request.headers.cookie ?? ''))?.[1];
}

/**
 * Errors the router meets before any route or hook runs (an undecodable URL, a parameter over the length limit): the
 * same JSON error or Chinese page as every other error. No session or user is known yet, so the page is anonymous.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const api = pathCredential(request.raw.url ?? '') === 'token';
  const appError = toAppError(error, request);
  if (api) {
    void sendError(request, reply, appError, true);
    return;
  }
  // The cookie parser has not run either: the language cookie is read from the header.
  const locale = negotiateLocale({ cookie: cookieLocale(request), acceptLanguage: request.headers['accept-language'] });
  request.t = translator(locale);
  const time = timeFormat(locale, request.server.config.timeZone);
  const ctx = {
    ...{ locale, t: request.t, path: '/', user: null, unread: 0, csrfToken: '', time },
    ...{ num: numberFormat(locale), names: namesFor(locale) },
  };
  const message = request.t(appError.messageKey, appError.params);
  void sendPage(reply, ErrorPage({ ctx, status: appError.statusCode, message }), appError.statusCode);
}
