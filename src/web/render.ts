// Sends rendered pages and gives templates their request context.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from './page-context.ts';

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    locale: request.locale,
    t: request.t,
    path: request.url,
    user: request.user,
    csrfToken: typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '',
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
