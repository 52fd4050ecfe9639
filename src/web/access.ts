// Who may call each route: declared in the route's options, enforced by one hook from the matched route, never from the URL.
//
// A route says who may call it (`config.access`) and with which credential (`config.credential`): API routes take
// bearer tokens only, pages the browser session only. The router has already decoded and matched the path when the
// hooks run, so `/%61dmin/…` meets exactly the declaration of `/admin/…`. A route that declares nothing stops the
// app from starting; a request that somehow reaches an undeclared route is refused.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { type Action, can, holdsAction, type Target } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { AppError, type ErrorCode } from './app-error.ts';

/**
 * How a request proves who it is: a browser session (pages), an app's bearer token (the API), or nothing the platform
 * recognises (`none`: machine endpoints such as gateways' webhooks and Open311, which check their own key or secret
 * and never act as a signed-in user).
 */
export type Credential = 'session' | 'token' | 'none';

/** Finds the thing a permission is checked against, from the validated params, query or body. */
export type ScopeOf = (request: FastifyRequest) => Promise<Target>;
/** The account that owns the thing the route acts on; null when there is no such thing. */
export type OwnerOf = (request: FastifyRequest) => Promise<number | null>;

export type RouteAccess =
  /** Anyone, signed in or not. */
  | { readonly kind: 'public' }
  /** Any signed-in account (the handler acts on the caller's own things). */
  | { readonly kind: 'signed-in' }
  /** The signed-in owner of the thing, and nobody else (others are told it does not exist). */
  | { readonly kind: 'owner'; readonly owner: OwnerOf; readonly notFound: ErrorCode }
  /** Someone who may take one of these actions: somewhere, or on the scope the route names. */
  | { readonly kind: 'permission'; readonly actions: readonly Action[]; readonly scope?: ScopeOf };

declare module 'fastify' {
  interface FastifyRequest {
    /** What the route's door decided: set by the access hooks, read by tests and the request log. */
    accessDecision: 'admitted' | 'checking' | 'refused' | null;
  }
  interface FastifyContextConfig {
    /** Who may call this route. Required: a route without it does not register. */
    access?: RouteAccess;
    /**
     * Set from the route's own path when it is registered unless the route names it: `token` for `/api/…` routes,
     * `session` for pages; `none` for machine endpoints.
     */
    credential?: Credential;
  }
}

export const PUBLIC: RouteAccess = Object.freeze({ kind: 'public' });
export const SIGNED_IN: RouteAccess = Object.freeze({ kind: 'signed-in' });

export function owner(of: OwnerOf, notFound: ErrorCode = 'NOT_FOUND'): RouteAccess {
  return { kind: 'owner', owner: of, notFound };
}

/** One of the actions; with `scope`, on that thing (checked after the request is validated). */
export function permission(actions: Action | readonly Action[], scope?: ScopeOf): RouteAccess {
  return { kind: 'permission', actions: ([] as Action[]).concat(actions), ...(scope ? { scope } : {}) };
}

/** A unit named by a route parameter, with the units above it. */
export function unitParam(name: string): ScopeOf {
  return async (request) => {
    const id = (request.params as Record<string, unknown>)[name];
    if (typeof id !== 'number') throw new AppError('NOT_FOUND');
    const unitPath = await scopeRepository.unitPath(request.server.db, id);
    if (unitPath.length === 0) throw new AppError('NOT_FOUND');
    return { unitPath };
  };
}

/** The credential a route takes, from the path it was declared with (not the path a request spelled). */
export function credentialForRoute(routePath: string): Credential {
  return routePath === '/api' || routePath.startsWith('/api/') ? 'token' : 'session';
}

/** The credential a path would take, for a request no route matched: decoded as the router would (segments that do
 * not decode are kept as typed), so `/%61pi/…` is answered as the API is. */
export function pathCredential(url: string): Credential {
  const path = (url.split('?')[0] ?? '')
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
  return credentialForRoute(path.replace(/\/{2,}/g, '/'));
}

/** The route's credential kind for a request; for a request no route matched, what its decoded path suggests. */
export function requestCredential(request: FastifyRequest): Credential {
  const declared = request.is404 ? undefined : request.routeOptions.config.credential;
  return declared ?? pathCredential(request.url);
}

/** Is the signed-in person allowed past the route's door? (The scope and owner are checked once the input is valid.) */
function admitted(access: RouteAccess, user: CurrentUser): boolean {
  if (access.kind !== 'permission') return true;
  return access.actions.some((action) => holdsAction(user.grants, action));
}

/**
 * The first check, before the body is read: the route's declaration, the credential it takes, a signed-in user where
 * one is needed, and two-step verification wherever a staff permission is used.
 */
export async function admit(
  request: FastifyRequest,
  reply: FastifyReply,
  identify: (request: FastifyRequest, credential: Credential) => Promise<void>,
): Promise<FastifyReply | void> {
  if (request.is404) return;
  const { access, credential } = request.routeOptions.config;
  request.accessDecision = 'refused';
  if (!access || !credential) throw new AppError('FORBIDDEN');
  await identify(request, credential);
  if (access.kind !== 'public') {
    const user = request.user;
    if (!user) throw new AppError('UNAUTHENTICATED');
    if (access.kind === 'permission' && user.totpPending) {
      if (credential === 'session') return reply.redirect('/account/totp', 303);
      throw new AppError('TOTP_ENROL_REQUIRED');
    }
    if (!admitted(access, user)) throw new AppError('FORBIDDEN');
  }
  const more = access.kind === 'owner' || (access.kind === 'permission' && access.scope !== undefined);
  request.accessDecision = more ? 'checking' : 'admitted';
}

/** The second check, once params, query and body are validated: the scope of a permission, or the owner. */
export async function authorize(request: FastifyRequest): Promise<void> {
  if (request.is404) return;
  const access = request.routeOptions.config.access;
  const user = request.user;
  if (!access || !user) return;
  if (access.kind === 'owner') {
    const ownerId = await access.owner(request);
    if (ownerId === null || ownerId !== user.id) {
      request.accessDecision = 'refused';
      throw new AppError(access.notFound);
    }
  } else if (access.kind === 'permission' && access.scope) {
    const target = await access.scope(request).catch((err: unknown) => {
      request.accessDecision = 'refused';
      throw err;
    });
    if (!access.actions.some((action) => can(user.grants, action, target))) {
      request.accessDecision = 'refused';
      throw new AppError('FORBIDDEN');
    }
  }
  request.accessDecision = 'admitted';
}

/** The route table: each route with its credential and who may call it, one line each, for review and the docs. */
export function describeAccess(access: RouteAccess | undefined): string {
  if (!access) return '(undeclared)';
  if (access.kind === 'permission') return `${access.actions.join(' | ')}${access.scope ? ' (on its scope)' : ''}`;
  return access.kind;
}
