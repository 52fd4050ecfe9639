// Builds the Fastify application from a Config without listening; tests and the server share it.
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import authPlugin, { identify, routeDeclarations } from './accounts/auth.plugin.ts';
import { admit, authorize, PUBLIC } from './web/access.ts';
import { accountsRoutes } from './accounts/accounts.routes.ts';
import { authApiRoutes } from './accounts/auth-api.routes.ts';
import { adminRoutes } from './admin/admin.routes.ts';
import { rulesRoutes } from './admin/rules.routes.ts';
import { healthRoutes } from './api/health.routes.ts';
import openapi from './api/openapi.plugin.ts';
import { boardsRoutes } from './boards/boards.routes.ts';
import type { Config } from './config.ts';
import { type Db, openDatabase } from './db/kysely.ts';
import localePlugin from './i18n/locale.plugin.ts';
import { regionsRoutes } from './regions/regions.routes.ts';
import { messagesRoutes } from './messages/messages.routes.ts';
import { reviewRoutes } from './messages/review.routes.ts';
import { notificationsRoutes } from './notify/notifications.routes.ts';
import { chooseBoardRoutes } from './regions/choose-board.routes.ts';
import { workbenchRoutes } from './workflow/workbench.routes.ts';
import { templatesRoutes } from './workflow/templates.routes.ts';
import { dashboardRoutes } from './workflow/dashboard.routes.ts';
import { searchRoutes } from './search/search.routes.ts';
import { loadSensitiveWords, SensitiveWords } from './messages/sensitive-words.ts';
import { AttachmentStore } from './attachments/attachment-store.ts';
import { openObjectStore } from './attachments/storage.ts';
import multipart from '@fastify/multipart';
import { createSmsSender, type SmsSender } from './sms/sms.ts';
import { frameworkErrors, installErrorHandlers } from './web/error-handler.ts';
import { lazySchemaController } from './web/lazy-schemas.ts';
import inputGuard from './web/input-guard.ts';
import { followsRoutes } from './follows/follows.routes.ts';
import { feedsRoutes } from './feeds/feeds.routes.ts';
import { evaluationRoutes } from './evaluation/evaluation.routes.ts';
import { statsRoutes } from './stats/stats.routes.ts';
import { indicatorsRoutes } from './stats/indicators.routes.ts';
import { openDataRoutes } from './open-data/open-data.routes.ts';
import { calendarRoutes } from './deadlines/calendar.routes.ts';
import { loadOfficialSchedule } from './deadlines/calendar.service.ts';
import pageCache, { storePublicPage } from './web/page-cache.ts';
import securityHeaders from './web/security-headers.ts';
import referenceCache from './reference/reference-cache.ts';
import { trackingRoutes } from './tracking/tracking.routes.ts';
import { inboundSmsRoutes } from './sms/inbound.routes.ts';
import { open311Routes } from './open311/open311.routes.ts';
import { emailRoutes } from './mail/email.routes.ts';
import { appApiRoutes } from './messages/app-api.routes.ts';
import { channelStatsRoutes } from './stats/channel-stats.routes.ts';
import storiesPlugin from './stories/stories.plugin.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { solicitationsRoutes } from './solicitations/solicitations.routes.ts';
import { editorHubRoutes } from './editor/editor-hub.routes.ts';
import { newsRoutes } from './news/news.routes.ts';
import { editorRoutes as articleEditorRoutes } from './news/editor.routes.ts';
import { leadersRoutes } from './leaders/leaders.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    sms: SmsSender;
    /** SMTP for e-mail notices; null when SMTP_URL is not set. */
    mailer: Mailer | null;
    attachments: AttachmentStore;
    sensitiveWords: SensitiveWords;
  }
}

export interface AppOptions {
  config: Config;
  /** An open database to use; when absent the app opens one from the config and closes it on shutdown. */
  db?: Db;
  /** Pino logger options or false; defaults to the configured level. */
  logger?: boolean | object;
  /** Replaces the configured SMS driver (tests that need to see or fail deliveries). */
  sms?: SmsSender;
  /** Replaces the configured mailer. */
  mailer?: Mailer | null;
  /** Compile every route's schemas while the app is built, as Fastify does by default, not at first use (a test). */
  eagerSchemas?: boolean;
}

export async function buildApp({
  config,
  db,
  logger,
  sms,
  mailer,
  eagerSchemas,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Requests in flight get this long to finish when the server is asked to close.
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    frameworkErrors,
    // Each route's validation and serialisation code is compiled at its first request: a third less start-up time.
    schemaController: lazySchemaController({ eager: eagerSchemas }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const database = db ?? openDatabase(config);
  app.decorate('config', config);
  app.decorate('db', database);
  app.decorate('sms', sms ?? createSmsSender(config, app.log));
  const mail = mailer === undefined ? createMailer(config) : mailer;
  app.decorate('mailer', mail);
  if (mail && mailer === undefined) app.addHook('onClose', async () => mail.close());
  const attachments = new AttachmentStore(openObjectStore(config.storage));
  app.decorate('attachments', attachments);
  app.addHook('onClose', async () => attachments.objects.close());
  app.decorate('sensitiveWords', new SensitiveWords(loadSensitiveWords(config.sensitiveWordsFile)));
  if (!db) app.addHook('onClose', async () => database.destroy());

  installErrorHandlers(app);
  // First, so that a cached public page is answered before any other hook runs.
  await app.register(pageCache, { ttlMs: config.pageCacheSeconds * 1000 });
  // Regions, boards, units, working rules and settings from memory, checked against the database's change counter.
  await app.register(referenceCache, { checkMs: config.referenceCacheSeconds * 1000 });
  // Before any route: every route gets its credential, limits and CSRF check, and must declare who may call it.
  await app.register(routeDeclarations);
  await app.register(securityHeaders, {
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
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024 + 1, files: 10, fields: 30, parts: 40 } });
  await app.register(async (assets) => {
    assets.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: PUBLIC };
    });
    await assets.register(fastifyStatic, {
      root: fileURLToPath(new URL('./web/static/', import.meta.url)),
      prefix: '/static/',
      maxAge: '1d',
    });
  });
  await app.register(openapi);
  // Auth first: it brings the cookie parser the locale plugin reads, and its route hooks must see every route.
  await app.register(authPlugin);
  await app.register(localePlugin);
  await app.register(inputGuard);
  // Access, from the matched route: who the caller is and whether they may pass, before the body is read; then the
  // scope or owner of what they act on, once the input is validated. After the session and locale hooks.
  app.addHook('onRequest', (request, reply) => admit(request, reply, identify));
  app.addHook('preHandler', authorize);
  // After the cookie and session hooks, so that a response that sets a cookie is seen as personal.
  app.addHook('onSend', storePublicPage);
  // After the page cache keeps its copy: pages and assets go out compressed to clients that accept it (br, gzip).
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    // Brotli's default (11) is meant for files compressed once; 4 is as small as gzip's best at a fraction of the time.
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  app.get('/favicon.ico', { config: { access: PUBLIC } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').redirect('/static/favicon.svg', 301),
  );

  await app.register(healthRoutes);
  await app.register(regionsRoutes);
  await app.register(boardsRoutes);
  await app.register(accountsRoutes);
  await app.register(authApiRoutes);
  await app.register(adminRoutes);
  await app.register(rulesRoutes);
  await app.register(messagesRoutes);
  await app.register(reviewRoutes);
  await app.register(notificationsRoutes);
  await app.register(chooseBoardRoutes);
  await app.register(workbenchRoutes);
  await app.register(templatesRoutes);
  await app.register(dashboardRoutes);
  await app.register(searchRoutes);
  await app.register(followsRoutes);
  await app.register(feedsRoutes);
  await app.register(evaluationRoutes);
  await app.register(statsRoutes);
  await app.register(indicatorsRoutes);
  await app.register(openDataRoutes);
  await app.register(calendarRoutes);
  // The holiday schedules loaded by admins, in force before the first request (the scheduler reloads them each pass).
  app.addHook('onReady', async () => {
    await loadOfficialSchedule(database).catch((err: unknown) =>
      app.log.warn({ err }, 'holiday schedules not loaded (is the database migrated?)'),
    );
  });
  await app.register(trackingRoutes);
  await app.register(inboundSmsRoutes);
  await app.register(open311Routes);
  await app.register(emailRoutes);
  await app.register(appApiRoutes);
  await app.register(channelStatsRoutes);
  // Public solicitations (征集): pages, the editors' desk and the API.
  await app.register(solicitationsRoutes);
  // News, announcements and the conference archive; the leaders' pages.
  await app.register(newsRoutes);
  await app.register(articleEditorRoutes);
  await app.register(leadersRoutes);
  // The video column: its pages, files, API and the conversion worker (started by the server).
  await app.register(storiesPlugin);
  await app.register(editorHubRoutes);
  return app;
}
