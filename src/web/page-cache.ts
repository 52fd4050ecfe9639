// Shares rendered public pages among anonymous visitors, so a busy page costs one render every few seconds, not one per visit.
//
// Staleness bound: a write request handled by this process empties the cache at once; writes by other processes
// (another app process, the CLI, the deadline scheduler) show within PAGE_CACHE_SECONDS. Only routes that opt in with
// `config: { publicCache: true }` are cached, only for requests without a session cookie or an Authorization header,
// and only responses that came out anonymous: status 200, no user, no CSRF token rendered, no cookie set.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { SESSION_COOKIE } from '../accounts/auth.plugin.ts';
import { LOCALE_COOKIE } from '../i18n/i18n.ts';
import { requestLocale } from '../i18n/locale.plugin.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The page may be served to anonymous visitors from the shared page cache. */
    publicCache?: boolean;
  }
  interface FastifyInstance {
    pageCache: PageCache;
  }
  interface FastifyRequest {
    /** Set while an anonymous request for a cacheable page is being rendered. */
    publicPage: PublicPageRender | null;
  }
}

interface PublicPageRender {
  key: string;
  /** The cache's version when rendering started: a write since then makes the result unfit to keep. */
  version: number;
  /** The page rendered something for this visitor only (a CSRF token). */
  personal: boolean;
}

interface Entry {
  body: string;
  etag: string;
  headers: Record<string, string | string[]>;
}

/** Headers that belong to one response, never to a stored page. */
const NOT_STORED = new Set(['set-cookie', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_BODY = 512 * 1024;

/**
 * Public data that is the same for every visitor, read once and shared, signed-in visitors included, with the
 * anonymous pages' bound on staleness: a write through this process forgets it at once (`PageCache.invalidate`), a
 * write by another process shows within the cache's seconds. At most `max` entries, least recently used out first.
 * Never for what depends on who is asking (their follows, notifications, own or unit's messages). Off when the page
 * cache is off: every call reads.
 */
export class SharedMemo<T> {
  private readonly data: LRUCache<string, { value: Promise<T> }> | null;

  constructor(ttlMs: number, max: number, now: () => number) {
    this.data = ttlMs > 0 ? new LRUCache({ max, ttl: ttlMs, ttlResolution: 0, perf: { now } }) : null;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.data) return load();
    const kept = this.data.get(key);
    if (kept) return kept.value;
    const value = load();
    const entry = { value };
    // Kept from the start, so that visitors arriving while it is read wait for the same read. A write meanwhile
    // empties the cache (invalidate), so what a write overtook is not kept; nor is a failed read.
    this.data.set(key, entry);
    value.catch(() => {
      if (this.data?.get(key) === entry) this.data.delete(key);
    });
    return value;
  }

  clear(): void {
    this.data?.clear();
  }
}

export class PageCache {
  private readonly entries: LRUCache<string, Entry> | null;
  /** Public data the pages read (lists, headlines): see `shared`. */
  private readonly data: SharedMemo<unknown>;
  private readonly memos: SharedMemo<unknown>[] = [];
  private currentVersion = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {
    // At most maxEntries pages, least recently used out first: a flood of distinct URLs cannot grow it.
    this.entries = ttlMs > 0 ? new LRUCache({ max: maxEntries, ttl: ttlMs, ttlResolution: 0, perf: { now } }) : null;
    this.data = this.memo(maxEntries);
  }

  /**
   * Public data that is the same for every visitor (the newest public messages of a board, the home page's lists),
   * read once and shared: see `SharedMemo`.
   */
  shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.data.get(key, load) as Promise<T>;
  }

  /** A store of its own for shared data of one kind (its own size bound), forgotten with the pages at a write. */
  memo<T>(max: number): SharedMemo<T> {
    const memo = new SharedMemo<T>(this.ttlMs, max, this.now);
    this.memos.push(memo as SharedMemo<unknown>);
    return memo;
  }

  get enabled(): boolean {
    return this.entries !== null;
  }

  get version(): number {
    return this.currentVersion;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  get(key: string): Entry | undefined {
    return this.entries?.get(key);
  }

  set(key: string, body: string, headers: Record<string, string | string[]>): Entry {
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const entry = { body, etag, headers: { ...headers, etag } };
    this.entries?.set(key, entry);
    return entry;
  }

  /** Something may have changed: forget every page, and refuse the renders already under way. */
  invalidate(): void {
    this.currentVersion++;
    this.entries?.clear();
    for (const memo of this.memos) memo.clear();
  }
}

/** Whether the Cookie header carries a session, read without the cookie plugin (this runs before it). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Marks the page being rendered as this visitor's own (it carries a CSRF token), so it is not shared. */
export function markPersonal(request: FastifyRequest): void {
  if (request.publicPage) request.publicPage.personal = true;
}

async function pageCachePlugin(app: FastifyInstance, options: { ttlMs: number }): Promise<void> {
  const cache = new PageCache(options.ttlMs);
  app.decorate('pageCache', cache);
  app.decorateRequest('publicPage', null);
  if (!cache.enabled) return;

  // Registered before every other plugin, so a hit skips security headers' work, cookies, sessions and the database.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' || !request.routeOptions.config.publicCache) return;
    if (request.headers.authorization) return;
    const cookies = request.headers.cookie;
    if (cookieValue(cookies, SESSION_COOKIE) !== undefined) return;
    const key = `${requestLocale(request, cookieValue(cookies, LOCALE_COOKIE))} ${request.url}`;
    const entry = cache.get(key);
    if (!entry) {
      request.publicPage = { key, version: cache.version, personal: false };
      return;
    }
    reply.headers(entry.headers);
    reply.header('x-page-cache', 'hit');
    if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.send(entry.body);
  });

  app.addHook('onResponse', async (request) => {
    if (!READS.has(request.method)) cache.invalidate();
  });
}

/**
 * Keeps an anonymous render for the next visitors. Added after the cookie and session plugins, so their
 * onSend hooks have already set any cookie this response carries.
 */
export async function storePublicPage(
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  const page = request.publicPage;
  if (!page) return payload;
  request.publicPage = null;
  if (
    page.personal ||
    request.user ||
    reply.statusCode !== 200 ||
    reply.hasHeader('set-cookie') ||
    typeof payload !== 'string' ||
    payload.length > MAX_BODY ||
    page.version !== this.pageCache.version
  ) {
    return payload;
  }
  // The browser may keep the page but must ask again; the ETag makes asking cheap.
  reply.header('cache-control', 'private, no-cache');
  reply.header('vary', 'Accept-Language, Cookie');
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !NOT_STORED.has(name)) headers[name] = typeof value === 'number' ? String(value) : value;
  }
  const entry = this.pageCache.set(page.key, payload, headers);
  reply.header('etag', entry.etag);
  reply.header('x-page-cache', 'miss');
  return payload;
}

export default fp(pageCachePlugin, { name: 'page-cache' });
