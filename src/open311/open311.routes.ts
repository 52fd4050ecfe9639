// HTTP for Open311 GeoReport v2 at /open311/v2 (and discovery at /open311/discovery.{xml,json}): machine endpoints
// that take no session (an api_key authenticates posts), answer in XML or JSON as the URL asks, and report every
// error in the spec's own format; plus the admins' page that issues and revokes keys.
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { requireUser } from '../accounts/auth.plugin.ts';
import { idFromText } from '../db/ids.ts';
import { namesFor } from '../i18n/place-names.ts';
import { siteBase } from '../mail/links.ts';
import { permission, PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { type Format, MIME, render, renderErrors, splitFormat } from './open311-format.ts';
import { issueKey, revokeKey, type VerifiedKey, verifyKey } from './open311-keys.ts';
import { open311Repository } from './open311.repository.ts';
import {
  createRequest,
  discovery,
  fail,
  type Form,
  fromToken,
  getRequest,
  jurisdiction,
  listRequests,
  Open311Error,
  type Open311Language,
  serviceDefinition,
  serviceList,
} from './open311.service.ts';
import { Open311KeysPage } from './views/open311-keys-page.tsx';

const Text = Type.Optional(Type.String({ maxLength: 2000 }));
const ReadQuery = Type.Object({
  jurisdiction_id: Text,
  api_key: Text,
  service_request_id: Type.Optional(Type.String({ maxLength: 12000 })),
  service_code: Text,
  start_date: Text,
  end_date: Text,
  status: Text,
});
const PostBody = Type.Record(
  Type.String({ maxLength: 100 }),
  Type.Union([Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 20 })]),
  { maxProperties: 60 },
);

/** The format the URL asks for; XML (the spec's required format) when it asks for none. */
function formatOf(request: FastifyRequest): Format {
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  return /\.json$/i.test(path) ? 'json' : 'xml';
}

function send(reply: FastifyReply, format: Format, root: string, content: Parameters<typeof render>[2], status = 200) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type(MIME[format])
    .send(render(format, root, content));
}

function sendProblems(request: FastifyRequest, reply: FastifyReply, error: Open311Error) {
  return reply
    .status(error.status)
    .header('cache-control', 'no-store')
    .type(MIME[formatOf(request)])
    .send(renderErrors(formatOf(request), error.problems));
}

/** Any error met on the way (validation, limits, a framework refusal) in the spec's format, with its HTTP status. */
function toOpen311(request: FastifyRequest, error: FastifyError | AppError | Open311Error): Open311Error {
  if (error instanceof Open311Error) return error;
  if (error instanceof AppError) {
    const status = error.statusCode >= 500 ? 500 : error.statusCode;
    return fail(status, request.t(error.messageKey, error.params));
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (error.validation) return fail(400, request.t('open311.error.invalid', { message: error.message }));
  if (status >= 500) return fail(500, request.t('open311.error.internal'));
  return fail(status, error.message);
}

export const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const base = siteBase(config);

  /** An api_key, when one is given: a wrong one is refused even where none is needed. */
  async function keyOf(
    request: FastifyRequest,
    given: unknown,
    required: boolean,
    what: 'read' | 'post',
  ): Promise<VerifiedKey | null> {
    if ((given === undefined || given === '') && !required) return null;
    const key = await verifyKey(db, Array.isArray(given) ? given[0] : given);
    if (!key) {
      const action = request.t(what === 'read' ? 'open311.action.read' : 'open311.action.post');
      throw fail(403, request.t(given ? 'open311.error.keyInvalid' : 'open311.error.keyMissing', { action }));
    }
    return key;
  }

  /** The answer's language: the one the request asks for (Accept-Language), Simplified Chinese by default. */
  const langOf = (request: FastifyRequest): Open311Language => ({ t: request.t, names: namesFor(request.locale) });

  await app.register(
    async (scope) => {
      const api = scope.withTypeProvider<TypeBoxTypeProvider>();
      api.setErrorHandler((error: FastifyError | AppError | Open311Error, request, reply) => {
        const problem = toOpen311(request, error);
        if (problem.status >= 500) request.log.error({ err: error }, 'Open311 request failed');
        return sendProblems(request, reply, problem);
      });
      api.setNotFoundHandler((request, reply) =>
        sendProblems(request, reply, fail(404, request.t('open311.error.noResource'))),
      );
      // Machine endpoints: the API key is checked by the handler; no cookie ever acts here.
      const machine = { access: PUBLIC, credential: 'none' as const, csrf: false };

      const discoveryHandler = async (
        request: FastifyRequest<{ Params: { document: string } }>,
        reply: FastifyReply,
      ) => {
        const file = splitFormat(request.params.document);
        if (!file || file.name !== 'discovery') throw fail(404, request.t('open311.error.noDocument'));
        return send(reply, file.format, 'discovery', discovery(base, config.channels.open311Contact, langOf(request)));
      };
      api.get(
        '/:document',
        { config: machine, schema: { params: Type.Object({ document: Type.String({ maxLength: 40 }) }) } },
        discoveryHandler,
      );

      api.get(
        '/v2/:resource',
        {
          config: machine,
          schema: { params: Type.Object({ resource: Type.String({ maxLength: 40 }) }), querystring: ReadQuery },
        },
        async (request, reply) => {
          const file = splitFormat(request.params.resource);
          if (!file) throw fail(404, request.t('open311.error.resourceFormat'));
          const q = request.query;
          const lang = langOf(request);
          if (file.name === 'discovery') {
            return send(reply, file.format, 'discovery', discovery(base, config.channels.open311Contact, lang));
          }
          if (file.name === 'services') {
            await jurisdiction(db, q.jurisdiction_id, lang);
            return send(reply, file.format, 'services', serviceList(lang));
          }
          if (file.name === 'requests') {
            const key = await keyOf(request, q.api_key, false, 'read');
            return send(reply, file.format, 'service_requests', await listRequests(db, base, q, key, lang));
          }
          throw fail(404, request.t('open311.error.unknownResource', { name: file.name }));
        },
      );

      api.post(
        '/v2/:resource',
        {
          config: machine,
          schema: { params: Type.Object({ resource: Type.String({ maxLength: 40 }) }), body: PostBody },
        },
        async (request, reply) => {
          const file = splitFormat(request.params.resource);
          if (!file || file.name !== 'requests') throw fail(404, request.t('open311.error.postRequests'));
          const form = (request.body ?? {}) as Form;
          const key = (await keyOf(request, form.api_key, true, 'post'))!;
          const created = await createRequest(
            { db, config, store: app.attachments, sensitiveWords: app.sensitiveWords, key, lang: langOf(request) },
            form,
          );
          return send(reply, file.format, 'service_requests', created);
        },
      );

      const fileParams = Type.Object({ file: Type.String({ maxLength: 40 }) });
      api.get(
        '/v2/services/:file',
        { config: machine, schema: { params: fileParams, querystring: ReadQuery } },
        async (request, reply) => {
          const file = splitFormat(request.params.file);
          if (!file) throw fail(404, request.t('open311.error.serviceFormat'));
          const lang = langOf(request);
          await jurisdiction(db, request.query.jurisdiction_id, lang);
          return send(reply, file.format, 'service_definition', serviceDefinition(file.name, lang));
        },
      );

      api.get(
        '/v2/requests/:file',
        { config: machine, schema: { params: fileParams, querystring: ReadQuery } },
        async (request, reply) => {
          const file = splitFormat(request.params.file);
          if (!file) throw fail(404, request.t('open311.error.requestFormat'));
          const lang = langOf(request);
          const region = await jurisdiction(db, request.query.jurisdiction_id, lang);
          const key = await keyOf(request, request.query.api_key, false, 'read');
          return send(reply, file.format, 'service_requests', await getRequest(db, base, file.name, region, key, lang));
        },
      );

      api.get(
        '/v2/tokens/:file',
        { config: machine, schema: { params: fileParams, querystring: ReadQuery } },
        async (request, reply) => {
          const file = splitFormat(request.params.file);
          if (!file) throw fail(404, request.t('open311.error.tokenFormat'));
          const lang = langOf(request);
          await jurisdiction(db, request.query.jurisdiction_id, lang);
          return send(reply, file.format, 'service_requests', await fromToken(db, file.name, lang));
        },
      );
    },
    { prefix: '/open311' },
  );

  // The admins' page: issue a key to an organisation (shown once), revoke one.
  const manage = { access: permission('open311.manage') };
  async function keysPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { issued?: { organisation: string; key: string }; errors?: Record<string, string>; notice?: string } = {},
    status = 200,
  ) {
    const keys = await open311Repository.listKeys(db);
    return sendPage(reply, Open311KeysPage({ ctx: pageContext(request, reply), keys, base, ...extra }), status);
  }
  app.get('/admin/open311', { config: manage }, async (request, reply) => keysPage(request, reply));
  app.post(
    '/admin/open311',
    { config: manage, schema: { body: Type.Object({ organisation: Type.Optional(Type.String({ maxLength: 200 })) }) } },
    async (request, reply) => {
      const user = requireUser(request);
      try {
        const issued = await issueKey(db, request.body.organisation, user.id);
        request.log.info({ open311KeyId: issued.id, adminId: user.id }, 'Open311 key issued');
        return keysPage(
          request,
          reply,
          { issued: { organisation: String(request.body.organisation).trim(), key: issued.key } },
          201,
        );
      } catch (err) {
        return keysPage(request, reply, { errors: errorsOf(request, err) }, 400);
      }
    },
  );
  app.post(
    '/admin/open311/:id/revoke',
    { config: manage, schema: { params: Type.Object({ id: Type.String({ maxLength: 12 }) }) } },
    async (request, reply) => {
      const id = idFromText(request.params.id);
      if (id === null) throw new AppError('OPEN311_KEY_NOT_FOUND');
      await revokeKey(db, id);
      request.log.info({ open311KeyId: id, adminId: requireUser(request).id }, 'Open311 key revoked');
      return keysPage(request, reply, { notice: request.t('open311.keys.revokedNotice') });
    },
  );
};
