// Sends rendered pages and gives templates their request context.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from './page-context.ts';

export function pageContext(request: FastifyRequest): PageContext {
  return { locale: request.locale, t: request.t, path: request.url };
}

export function sendPage(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(html);
}
