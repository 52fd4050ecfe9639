// Builds the Fastify application from a Config without listening; tests and the server share it.
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { healthRoutes } from './api/health.routes.ts';
import openapi from './api/openapi.plugin.ts';
import { boardsRoutes } from './boards/boards.routes.ts';
import type { Config } from './config.ts';
import { type Db, openDatabase } from './db/kysely.ts';
import localePlugin from './i18n/locale.plugin.ts';
import { regionsRoutes } from './regions/regions.routes.ts';
import { installErrorHandlers } from './web/error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
  }
}

export interface AppOptions {
  config: Config;
  /** An open database to use; when absent the app opens one from the config and closes it on shutdown. */
  db?: Db;
  /** Pino logger options or false; defaults to the configured level. */
  logger?: boolean | object;
}

export async function buildApp({ config, db, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Requests in flight get this long to finish when the server is asked to close.
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const database = db ?? openDatabase(config);
  app.decorate('config', config);
  app.decorate('db', database);
  if (!db) app.addHook('onClose', async () => database.destroy());

  installErrorHandlers(app);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    strictTransportSecurity: config.publicUrl?.startsWith('https://') ?? false,
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./web/static/', import.meta.url)),
    prefix: '/static/',
    maxAge: '1d',
  });
  await app.register(openapi);
  await app.register(localePlugin);

  await app.register(healthRoutes);
  await app.register(regionsRoutes);
  await app.register(boardsRoutes);
  return app;
}
