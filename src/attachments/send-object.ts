// Answers a request with a stored object, streamed, honouring a single byte range (206, or 416 past the end).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../web/app-error.ts';
import { type ObjectRead, parseRangeHeader, type RangeRequest } from './object-store.ts';

export interface SendObjectOptions {
  /** A strong validator: the same value must always mean the same bytes (content-addressed keys qualify). */
  etag: string;
  cacheControl: string;
  /** The type to announce instead of the one the store keeps. */
  contentType?: string;
}

/** The range to serve: the Range header's, unless If-Range names another version (then the whole object). */
function requestedRange(request: FastifyRequest, etag: string): RangeRequest | undefined {
  const ifRange = request.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag) return undefined;
  return parseRangeHeader(request.headers.range) ?? undefined;
}

/** Streams `open(range)`'s object to the client; null from `open` is a 404. */
export async function sendObject(
  request: FastifyRequest,
  reply: FastifyReply,
  open: (range: RangeRequest | undefined) => Promise<ObjectRead | null>,
  options: SendObjectOptions,
): Promise<FastifyReply> {
  const etag = `"${options.etag}"`;
  // Validators and caching only on answers about the object: an error page must not be cached as the photo.
  const describe = () =>
    reply.header('etag', etag).header('cache-control', options.cacheControl).header('accept-ranges', 'bytes');
  if (request.headers['if-none-match'] === etag) return describe().code(304).send();
  const read = await open(requestedRange(request, etag));
  if (!read) throw new AppError('NOT_FOUND');
  if (read.status === 416) {
    reply.header('content-range', `bytes */${read.size}`).header('accept-ranges', 'bytes');
    throw new AppError('RANGE_NOT_SATISFIABLE');
  }
  describe();
  reply
    .code(read.status)
    .type(options.contentType ?? read.contentType)
    .header('content-disposition', 'inline')
    .header('x-content-type-options', 'nosniff');
  if (read.status === 206) {
    reply
      .header('content-range', `bytes ${read.range.start}-${read.range.end}/${read.size}`)
      .header('content-length', read.range.end - read.range.start + 1);
  } else {
    reply.header('content-length', read.size);
  }
  return reply.send(read.body);
}
