// Gives every request its locale and a translator; serves the language switch and remembers an account's language.
//
// The language of a request: the visitor's choice (the `lang` cookie); else, on the pages of Hong Kong and Macau,
// Traditional Chinese (unless the browser asks for English); else the browser's `Accept-Language`; else Simplified
// Chinese. A signed-in account's language is stored (notices, e-mails and SMS are written in it) and follows the
// account to another browser when it signs in there.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import Type from 'typebox';
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import { safeRedirect } from '../web/safe-redirect.ts';
import {
  DEFAULT_LOCALE,
  isLocale,
  LOCALE_COOKIE,
  type Locale,
  negotiateLocale,
  regionalLocale,
  type Translate,
  translator,
} from './i18n.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
  interface FastifyContextConfig {
    /** The route parameter holding a region code or board number: pages of Hong Kong and Macau default to zh-HK. */
    regionalLocale?: string;
  }
}

const ONE_YEAR = 365 * 24 * 3600;

/** The locale of a request before any plugin ran (the page cache and early errors need it). */
export function requestLocale(request: FastifyRequest, cookieHeaderValue: string | undefined): Locale {
  const param = request.routeOptions?.config?.regionalLocale;
  const params = request.params as Record<string, unknown> | undefined;
  return negotiateLocale({
    cookie: cookieHeaderValue,
    acceptLanguage: request.headers['accept-language'],
    pageDefault: param && params ? regionalLocale(params[param]) : null,
  });
}

export function setLocaleCookie(request: FastifyRequest, reply: FastifyReply, locale: Locale): void {
  reply.setCookie(LOCALE_COOKIE, locale, {
    path: '/',
    maxAge: ONE_YEAR,
    sameSite: 'lax',
    httpOnly: true,
    secure: request.protocol === 'https',
  });
}

/** The stored language of an account; null when it never chose one. */
export async function accountLocale(db: Db, userId: number): Promise<Locale | null> {
  const row = await db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
  return isLocale(row?.locale) ? row.locale : null;
}

export async function storeAccountLocale(db: Db, userId: number, locale: Locale): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

/**
 * On signing in or registering: a language chosen in this browser becomes the account's; otherwise the account's
 * stored language is taken up by this browser; an account with none stores the one this page is read in.
 */
export async function settleAccountLocale(request: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  const { db } = request.server;
  const chosen = request.cookies[LOCALE_COOKIE];
  const stored = await accountLocale(db, userId);
  if (isLocale(chosen)) {
    if (stored !== chosen) await storeAccountLocale(db, userId, chosen);
  } else if (stored) {
    setLocaleCookie(request, reply, stored);
    request.locale = stored;
    request.t = translator(stored);
  } else {
    await storeAccountLocale(db, userId, request.locale);
  }
}

const localePlugin: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('locale', DEFAULT_LOCALE);
  app.decorateRequest('t', null as unknown as Translate);
  app.addHook('onRequest', async (request, reply) => {
    request.locale = requestLocale(request, request.cookies[LOCALE_COOKIE]);
    request.t = translator(request.locale);
    // The same address answers in another language for another browser or cookie.
    reply.header('vary', 'Accept-Language, Cookie');
  });

  app.get(
    '/lang/:locale',
    {
      config: { access: PUBLIC },
      schema: {
        params: Type.Object({ locale: Type.String() }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      const { locale } = request.params;
      if (!isLocale(locale)) throw new AppError('NOT_FOUND');
      setLocaleCookie(request, reply, locale);
      // A GET changes only the account's language, as the cookie does for the browser: no CSRF risk beyond that.
      if (request.user) await storeAccountLocale(app.db, request.user.id, locale);
      return reply.redirect(safeRedirect(request.query.next), 303);
    },
  );
};

export default fp(localePlugin, { name: 'locale' });
