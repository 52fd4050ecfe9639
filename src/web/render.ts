// Sends rendered pages and gives templates their request context.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { namesFor } from '../i18n/place-names.ts';
import { numberFormat } from './number-format.ts';
import type { PageContext } from './page-context.ts';
import { markPersonal } from './page-cache.ts';
import { timeFormat } from './time-format.ts';

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  let token: string | undefined;
  return {
    locale: request.locale,
    t: request.t,
    path: request.url,
    user: request.user,
    unread: request.unreadNotifications,
    time: timeFormat(request.locale, request.server.config.timeZone),
    num: numberFormat(request.locale),
    names: namesFor(request.locale),
    // Made only when a form asks for it, so pages without forms set no cookie and stay cacheable.
    get csrfToken() {
      markPersonal(request);
      token ??= typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '';
      return token;
    },
  };
}

/** Sends a rendered page; components render synchronously, but the JSX type also allows a promise. */
export async function sendPage(reply: FastifyReply, html: JSX.Element, status = 200): Promise<FastifyReply> {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(await html);
}
