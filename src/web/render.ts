// Sends rendered pages and gives templates their request context.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from './page-context.ts';

export function pageContext(request: FastifyRequest): PageContext {
  return { locale: request.locale, t: request.t, path: request.url };
}

/** Sends a rendered page; components render synchronously, but the JSX type also allows a promise. */
export async function sendPage(reply: FastifyReply, html: JSX.Element, status = 200): Promise<FastifyReply> {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(await html);
}
