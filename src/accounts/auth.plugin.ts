// Who is asking: signed cookies, database sessions, bearer tokens for apps, CSRF on forms, rate limits on writes.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import session from '@fastify/session';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../web/app-error.ts';
import { rateLimits } from '../web/rate-limits.ts';
import { connectRedis, fallbackStore, RedisCircuit } from '../web/rate-limit-store.ts';
import { clientKey } from '../security/client-address.ts';
import { type CurrentUser, loadSignedIn } from './accounts.service.ts';
import { type Action, can, type Target } from './permissions.ts';
import type { Db } from '../db/kysely.ts';
import { type Credential, credentialForRoute } from '../web/access.ts';
import { DatabaseSessionStore } from './session-store.ts';
import { mustEnrolTotp } from './totp.ts';
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
    /** When the session's 30 days last started again (ms); see `keepSessionAlive`. */
    renewedAt?: number;
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    /** How the user was recognised: a browser session or an app token. */
    authVia: 'session' | 'token' | null;
    tokenId: number | null;
    /** The signed-in user's unread notifications (pages only). */
    unreadNotifications: number;
  }
  interface FastifyContextConfig {
    /** Set false on the few form posts that must work without a CSRF token (none today). */
    csrf?: boolean;
  }
}

const SESSION_DAYS = 30;
/** A session in use is written back (its 30 days start again) at most this often, not at every request. */
const SESSION_RENEW_MS = 24 * 3600_000;
/** The session cookie's name; the page cache reads it too, before the cookie plugin has run. */
export const SESSION_COOKIE = 'sid';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Route declarations, before any route is added: each route's credential from its own path, a rate limit on every
 * write, a CSRF check on every write that takes the session, and a list of routes to check for an access declaration
 * once the app is ready (a route's own plugin may still add it after this hook has seen the route).
 */
export const routeDeclarations = fp(
  async (app: FastifyInstance) => {
    const routes: RouteOptions[] = [];
    app.addHook('onRoute', (route: RouteOptions) => {
      route.config = { ...(route.config ?? {}) };
      const routeConfig = route.config as FastifyContextConfig & { rateLimit?: unknown };
      routeConfig.credential ??= credentialForRoute(route.url);
      routes.push(route);
      const methods = ([] as string[]).concat(route.method);
      if (!methods.some((m) => WRITE_METHODS.has(m))) return;
      routeConfig.rateLimit ??= rateLimits(app.config).write;
      if (routeConfig.credential === 'session' && routeConfig.csrf !== false) {
        const existing = route.preHandler ? ([] as unknown[]).concat(route.preHandler) : [];
        route.preHandler = [
          (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) =>
            app.csrfProtection(request, reply, done),
          ...(existing as NonNullable<RouteOptions['preHandler']>[]),
        ] as RouteOptions['preHandler'];
      }
    });
    app.addHook('onReady', async () => {
      const undeclared = routes.filter((r) => !(r.config as FastifyContextConfig | undefined)?.access);
      if (undeclared.length > 0) {
        const names = undeclared.map((r) => `${([] as string[]).concat(r.method).join(',')} ${r.url}`);
        throw new Error(`这些路由没有声明访问权限（config.access）：${names.join('；')}`);
      }
      // The shared page cache answers before anyone is identified: only public pages may be in it.
      const cachedButClosed = routes.filter((r) => {
        const c = r.config as FastifyContextConfig | undefined;
        return c?.publicCache && c.access?.kind !== 'public';
      });
      if (cachedButClosed.length > 0) {
        throw new Error(`只有公开页面可以进入页面缓存：${cachedButClosed.map((r) => r.url).join('；')}`);
      }
    });
    app.decorate('declaredRoutes', () => routes.map((r) => ({ ...r })));
  },
  { name: 'route-declarations' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, with its access declaration: for the route table test and the audit. */
    declaredRoutes(): RouteOptions[];
  }
}

async function authPlugin(app: FastifyInstance): Promise<void> {
  const { config, db } = app;

  // With Redis the counters are shared by every process; while it is away each process counts on its own.
  let store: FastifyRateLimitStoreCtor | undefined;
  if (config.redisUrl) {
    const circuit = new RedisCircuit(config.redisRetrySeconds * 1000, app.log);
    const redis = await connectRedis({ url: config.redisUrl, timeoutMs: config.redisTimeoutMs }, circuit);
    app.addHook('onClose', async () => redis.disconnect());
    store = fallbackStore(redis, circuit, 'liuyan-rl-');
  }
  await app.register(rateLimit, {
    global: false,
    // Per client: an IPv6 client counts by its /64, since it can pick any address in it.
    keyGenerator: (request) => clientKey(request.ip),
    ...(store ? { store, skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', { seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });

  await app.register(cookie, { secret: config.secret });
  await app.register(session, {
    secret: config.secret,
    cookieName: SESSION_COOKIE,
    saveUninitialized: false,
    // Saved when it changes, not at every request (that was a database write per page view); a session in use is
    // renewed once a day instead (keepSessionAlive).
    rolling: false,
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
  app.decorateRequest('accessDecision', null);
  app.decorateRequest('unreadNotifications', 0);
}

/**
 * Recognises the caller by the one credential the route takes: a bearer token on the API (a browser's cookie never
 * acts there, so the API needs no CSRF token), the session on pages (an Authorization header is ignored there).
 */
export async function identify(request: FastifyRequest, credential: Credential): Promise<void> {
  const { db } = request.server;
  if (credential === 'none') return;
  if (credential === 'token') {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const found = match ? await userForToken(db, match[1]!) : null;
    if (!found) throw new AppError('UNAUTHENTICATED');
    request.user = await withTotpPolicy(db, found.user);
    request.authVia = 'token';
    request.tokenId = found.tokenId;
    return;
  }
  const userId = request.session.userId;
  if (!userId) return;
  // The account, its grants and its unread notifications (pages show the count in the header) in one query.
  const signedIn = await loadSignedIn(db, userId);
  if (!signedIn) {
    await request.session.destroy();
    return;
  }
  request.user = await withTotpPolicy(db, signedIn.user);
  request.authVia = 'session';
  request.unreadNotifications = signedIn.unread;
  keepSessionAlive(request);
}

/**
 * A session lasts SESSION_DAYS from when it was last renewed: once a day a request marks it changed, so the session
 * plugin writes it back with a new expiry and sends the cookie again.
 */
function keepSessionAlive(request: FastifyRequest): void {
  const now = Date.now();
  if (now - (request.session.renewedAt ?? 0) >= SESSION_RENEW_MS) request.session.renewedAt = now;
}

/** Withholds staff grants from an account whose role requires two-step verification it has not set up. */
async function withTotpPolicy(db: Db, user: CurrentUser): Promise<CurrentUser> {
  if (!(await mustEnrolTotp(db, user))) return user;
  return { ...user, totpPending: true, grants: [] };
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
  request.session.renewedAt = Date.now();
  request.session.ip = request.ip;
  request.session.userAgent = request.headers['user-agent'];
  await request.session.save();
}

export default fp(authPlugin, { name: 'auth', dependencies: [] });
