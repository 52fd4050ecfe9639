// One place turns every error into a Chinese page or the API's JSON error, hiding 5xx details.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MessageKey } from '../i18n/i18n.ts';
import { AppError } from './app-error.ts';
import { pageContext, sendPage } from './render.ts';
import { ErrorPage } from './views/error-page.tsx';

/** Fields whose validation failure has a message of its own. */
const FIELD_MESSAGES: Record<string, MessageKey> = {
  code: 'validation.regionCode',
  id: 'validation.boardId',
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
  switch (error.statusCode) {
    case 401:
      return new AppError('UNAUTHENTICATED');
    case 403:
      return new AppError('FORBIDDEN');
    case 429:
      return new AppError('RATE_LIMITED', { seconds: 60 });
    case 400:
    case 415:
      return new AppError('BAD_REQUEST');
    case 404:
      return new AppError('NOT_FOUND');
    case 405:
      return new AppError('METHOD_NOT_ALLOWED');
    case 413:
      return new AppError('PAYLOAD_TOO_LARGE');
    case 503:
      return new AppError('UNAVAILABLE');
    default:
      return new AppError('INTERNAL');
  }
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/api';
}

export async function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): Promise<FastifyReply> {
  const message = request.t(error.messageKey, error.params);
  if (error.code === 'UNAUTHENTICATED' && !isApiRequest(request) && request.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  if (isApiRequest(request)) {
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
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request);
    if (appError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('NOT_FOUND')));
}
