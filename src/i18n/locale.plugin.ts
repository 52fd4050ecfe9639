// Gives every request its locale (from the language cookie) and a translator; serves the language switch.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import Type from 'typebox';
import { AppError } from '../web/app-error.ts';
import { safeRedirect } from '../web/safe-redirect.ts';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale, type Translate, translator } from './i18n.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
}

const ONE_YEAR = 365 * 24 * 3600;

const localePlugin: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('locale', DEFAULT_LOCALE);
  app.decorateRequest('t', null as unknown as Translate);
  app.addHook('onRequest', async (request) => {
    const chosen = request.cookies[LOCALE_COOKIE];
    request.locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
    request.t = translator(request.locale);
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
      reply.setCookie(LOCALE_COOKIE, locale, {
        path: '/',
        maxAge: ONE_YEAR,
        sameSite: 'lax',
        httpOnly: true,
        secure: request.protocol === 'https',
      });
      return reply.redirect(safeRedirect(request.query.next), 303);
    },
  );
};

export default fp(localePlugin, { name: 'locale' });
