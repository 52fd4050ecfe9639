// Who is asking: signed cookies, database sessions, bearer tokens for apps, CSRF on forms, rate limits on writes.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import session from '@fastify/session';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { AppError } from '../web/app-error.ts';
import { type CurrentUser, loadCurrentUser } from './accounts.service.ts';
import { type Action, can, type Target } from './permissions.ts';
import { DatabaseSessionStore } from './session-store.ts';
import { userForToken } from './tokens.service.ts';

declare module 'fastify' {
  interface Session {
    userId?: number;
    /** Password accepted, waiting for the second factor. */
    pendingUserId?: number;
    pendingAt?: number;
    /** A TOTP secret shown for enrolment, not yet confirmed. */
    totpSetup?: string;
    ip?: string;
    userAgent?: string;
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    /** How the user was recognised: a browser session or an app token. */
    authVia: 'session' | 'token' | null;
    tokenId: number | null;
  }
  interface FastifyContextConfig {
    /** Set false on the few form posts that must work without a CSRF token (none today). */
    csrf?: boolean;
  }
}

const SESSION_DAYS = 30;
/** The session cookie's name; the page cache reads it too, before the cookie plugin has run. */
export const SESSION_COOKIE = 'sid';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Default limit on every write that names no limit of its own: per client address. */
export const DEFAULT_WRITE_LIMIT = { max: 60, timeWindow: '1 minute' };

export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/');
}

async function authPlugin(app: FastifyInstance): Promise<void> {
  const { config, db } = app;

  // Every write gets a rate limit, and every form post a CSRF check, unless the route says otherwise.
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method);
    if (!methods.some((m) => WRITE_METHODS.has(m))) return;
    route.config = { ...(route.config ?? {}) };
    const routeConfig = route.config as { rateLimit?: unknown; csrf?: boolean };
    routeConfig.rateLimit ??= DEFAULT_WRITE_LIMIT;
    if (!isApiPath(route.url) && routeConfig.csrf !== false) {
      const existing = route.preHandler ? ([] as unknown[]).concat(route.preHandler) : [];
      route.preHandler = [
        (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) =>
          app.csrfProtection(request, reply, done),
        ...(existing as NonNullable<RouteOptions['preHandler']>[]),
      ] as RouteOptions['preHandler'];
    }
  });

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 })
    : undefined;
  if (redis) app.addHook('onClose', async () => redis.disconnect());
  await app.register(rateLimit, {
    global: false,
    // With Redis the counters are shared by every process; if Redis is down, requests are let through.
    ...(redis ? { redis, nameSpace: 'liuyan-rl-', skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', { seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });

  await app.register(cookie, { secret: config.secret });
  await app.register(session, {
    secret: config.secret,
    cookieName: SESSION_COOKIE,
    saveUninitialized: false,
    store: new DatabaseSessionStore(db),
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', path: '/', maxAge: SESSION_DAYS * 24 * 3600_000 },
  });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'csrf',
    cookieOpts: { httpOnly: true, sameSite: 'lax', path: '/', signed: true, secure: 'auto' },
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      return fromBody ?? (request.headers['x-csrf-token'] as string | undefined);
    },
  });

  app.decorateRequest('user', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('tokenId', null);
  app.addHook('preHandler', async (request) => {
    const header = request.headers.authorization;
    if (header && isApiPath(request.url)) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const found = match ? await userForToken(db, match[1]!) : null;
      if (!found) throw new AppError('UNAUTHENTICATED');
      request.user = found.user;
      request.authVia = 'token';
      request.tokenId = found.tokenId;
      return;
    }
    // The API authenticates apps by token only: a browser's cookie must not act for it (no CSRF on the API).
    if (isApiPath(request.url)) return;
    const userId = request.session.userId;
    if (userId) {
      request.user = await loadCurrentUser(db, userId);
      if (request.user) request.authVia = 'session';
      else await request.session.destroy();
    }
  });
}

/** The signed-in user, or an UNAUTHENTICATED error (pages turn it into a redirect to the login page). */
export function requireUser(request: FastifyRequest): CurrentUser {
  if (!request.user) throw new AppError('UNAUTHENTICATED');
  return request.user;
}

/** The signed-in user if they may take this action on this target; FORBIDDEN otherwise. */
export function requirePermission(request: FastifyRequest, action: Action, target: Target = {}): CurrentUser {
  const user = requireUser(request);
  if (!can(user.grants, action, target)) throw new AppError('FORBIDDEN');
  return user;
}

/** Starts a fresh session for a user: a new id on every login, so a planted id is worthless. */
export async function startSession(request: FastifyRequest, userId: number): Promise<void> {
  await request.session.regenerate();
  request.session.userId = userId;
  request.session.ip = request.ip;
  request.session.userAgent = request.headers['user-agent'];
  await request.session.save();
}

export default fp(authPlugin, { name: 'auth', dependencies: [] });
