// HTTP for messages: the form and the API to write one, the public page, attachments, my messages.
import { owner, PUBLIC, SIGNED_IN } from '../web/access.ts';
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { requireUser } from '../accounts/auth.plugin.ts';
import { ErrorBody, Id, IdParams } from '../api/schemas.ts';
import { idFromText } from '../db/ids.ts';
import { getBoardDetail } from '../boards/boards.service.ts';
import { regionCrumbs } from '../regions/views/region-crumbs.ts';
import { AppError } from '../web/app-error.ts';
import { rateLimits } from '../web/rate-limits.ts';
import { doneNotice, errorsOf, keptValues } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { DOMAINS, MESSAGE_TYPES, REJECT_REASONS } from './message-kinds.ts';
import { domainLabel, rejectReasonLabel, statusLabel, typeLabel } from './message-labels.ts';
import type { Translate } from '../i18n/i18n.ts';
import { DISPLAY_WIDTHS, type DisplayWidth } from '../attachments/images.ts';
import { sendObject } from '../attachments/send-object.ts';
import { readMessageParts } from './message-parts.ts';
import { accessFor, eventsFor, type MessageView, PUBLISHED, viewEvents, viewMessage } from './message-view.ts';
import { messagesRepository } from './messages.repository.ts';
import { approveMessage, linkDuplicate, rejectMessage } from './review.ts';
import { ACTIONS as WORKFLOW_ACTIONS } from '../workflow/transitions.ts';
import { type MessageInput, submitMessage } from './submit-message.ts';
import { similarMessages } from '../search/similar.ts';
import { type BoardChoice, MessagePage, MyMessagesPage, NewMessagePage } from './views/message-pages.tsx';
import { toHant } from '../i18n/hant.ts';
import { PostingRulesPage } from './views/posting-rules-page.tsx';
import { followState } from '../follows/follows.service.ts';
import { storiesService } from '../stories/stories.service.ts';

/** The message as a zh-HK reader may ask to read it: what people wrote, in Traditional characters; nothing stored changes. */
function inTraditional(view: MessageView): MessageView {
  return {
    ...view,
    title: toHant(view.title),
    body: toHant(view.body),
    ...(view.remarks ? { remarks: toHant(view.remarks) } : {}),
    replies: view.replies.map((r) => ({ ...r, body: toHant(r.body) })),
  };
}

/** The message's labels (type, domain, status, reason for not publishing) in the language the request asks for. */
function inLanguage(view: MessageView, t: Translate): MessageView {
  return {
    ...view,
    type: { key: view.type.key, label: typeLabel(t, view.type.key) },
    domain: { key: view.domain.key, label: domainLabel(t, view.domain.key) },
    status: { key: view.status.key, label: statusLabel(t, view.status.key) },
    rejectReason:
      view.rejectReason && Object.hasOwn(REJECT_REASONS, view.rejectReason.key)
        ? { ...view.rejectReason, label: rejectReasonLabel(t, view.rejectReason.key) }
        : view.rejectReason,
  };
}

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 5000 }));
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
/** Nine images of 5 MB each, base64-encoded in JSON, plus the text. */
const API_BODY_LIMIT = 64 * 1024 * 1024;

export const messagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const SUBMIT_LIMIT = { rateLimit: rateLimits(config).submit };
  const submitContext = (request: FastifyRequest, channel: 'web' | 'api', idempotencyKey?: string) => ({
    db,
    secret: config.secret,
    store: app.attachments,
    sensitiveWords: app.sensitiveWords,
    authorId: requireUser(request).id,
    channel,
    clientAddress: request.ip,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

  /** The rating and the follow-up are the author's alone; others are told there is no such message. */
  const authorOnly = owner(async (request) => {
    const { id } = request.params as { id: number };
    return (await messagesRepository.findById(db, id))?.author_id ?? null;
  }, 'MESSAGE_NOT_FOUND');

  async function boardChoice(boardId: number): Promise<BoardChoice> {
    const detail = await getBoardDetail(db, boardId);
    return { id: detail.board.id, regionName: detail.region.name, title: detail.board.title };
  }

  app.get(
    '/messages/new',
    {
      config: { access: SIGNED_IN },
      schema: { querystring: Type.Object({ board: Type.Optional(Type.String({ maxLength: 12 })) }) },
    },
    async (request, reply) => {
      requireUser(request);
      // Without a board, the writer first finds the leader of the place where the matter arose.
      if (!request.query.board) return reply.redirect('/boards/choose', 303);
      const boardId = idFromText(request.query.board);
      if (boardId === null) throw new AppError('BOARD_NOT_FOUND', { id: request.query.board });
      const board = await boardChoice(boardId);
      return sendPage(reply, NewMessagePage({ ctx: pageContext(request, reply), board, idempotencyKey: randomUUID() }));
    },
  );

  /** Reads the multipart form (fields and photos) and then checks its CSRF token, which is one of the fields. */
  async function readMessageForm(request: FastifyRequest, reply: FastifyReply) {
    const parts = await readMessageParts(request);
    request.body = parts.fields;
    await new Promise<void>((resolve, reject) =>
      app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())),
    );
    return parts;
  }

  // The web form posts multipart (images); fields and files arrive together.
  app.post(
    '/messages',
    { config: { access: SIGNED_IN, ...SUBMIT_LIMIT, csrf: false }, bodyLimit: API_BODY_LIMIT },
    async (request, reply) => {
      requireUser(request);
      const { fields, input } = await readMessageForm(request, reply);
      const boardId = idFromText(fields.boardId);
      const board = boardId === null ? null : await boardChoice(boardId).catch(() => null);
      try {
        const result = await submitMessage(submitContext(request, 'web', fields.idempotencyKey), input);
        return reply.redirect(`/messages/${result.id}?done=submitted`, 303);
      } catch (err) {
        if (!board) throw err;
        const ctx = pageContext(request, reply);
        const page = NewMessagePage({
          ctx,
          board,
          values: keptValues(fields),
          errors: errorsOf(request, err),
          idempotencyKey: fields.idempotencyKey ?? randomUUID(),
        });
        return sendPage(reply, page, 400);
      }
    },
  );

  // A step before submitting, without JavaScript: the same form comes back with similar public messages.
  app.post(
    '/messages/similar',
    {
      config: { access: SIGNED_IN, rateLimit: rateLimits(config).similar, csrf: false },
      bodyLimit: API_BODY_LIMIT,
    },
    async (request, reply) => {
      requireUser(request);
      const { fields } = await readMessageForm(request, reply);
      const boardId = idFromText(fields.boardId);
      if (boardId === null) throw new AppError('BOARD_NOT_FOUND', { id: fields.boardId ?? '' });
      const detail = await getBoardDetail(db, boardId);
      const board = { id: detail.board.id, regionName: detail.region.name, title: detail.board.title };
      const similar = await similarMessages(db, {
        title: fields.title ?? '',
        body: fields.body ?? '',
        regionCode: detail.region.code,
      });
      const ctx = pageContext(request, reply);
      const page = NewMessagePage({
        ctx,
        board,
        values: keptValues(fields),
        idempotencyKey: fields.idempotencyKey ?? randomUUID(),
        similar,
      });
      return sendPage(reply, page);
    },
  );

  async function messagePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    problem?: string,
    status = 200,
    rating?: { values: Record<string, string>; errors: Record<string, string> },
  ) {
    const stored = await viewMessage(db, config.secret, request.user, id);
    // 顯示繁體: a zh-HK reader may read the message and its replies in Traditional characters; what is stored stays.
    const hantOn = request.locale === 'zh-HK' && (request.query as { hant?: string } | undefined)?.hant === '1';
    const view = hantOn ? inTraditional(stored) : stored;
    if (view.access === 'staff')
      request.log.info({ messageId: id, staffId: request.user?.id }, 'staff read of a message');
    const events = await eventsFor(db, view);
    const detail = await getBoardDetail(db, view.boardId);
    const ctx = pageContext(request, reply);
    const crumbs = [
      ...regionCrumbs(ctx, detail.ancestors, detail.region),
      { label: ctx.names.post(detail.board.title), href: `/boards/${detail.board.id}` },
      { label: ctx.t('message.number', { id }) },
    ];
    const notice = problem ?? doneNotice(request);
    const follow =
      view.visibility === 'public' && PUBLISHED.includes(view.status.key)
        ? await followState(db, request.user, { kind: 'message', id })
        : undefined;
    const stories = await storiesService.ofMessage(db, id);
    return sendPage(
      reply,
      MessagePage({
        ctx,
        view,
        events,
        crumbs,
        notice,
        follow,
        stories,
        ratingValues: rating?.values,
        ratingErrors: rating?.errors,
        ...(request.locale === 'zh-HK'
          ? { hant: { on: hantOn, original: `/messages/${id}`, converted: `/messages/${id}?hant=1` } }
          : {}),
      }),
      status,
    );
  }

  app.get(
    '/messages/:id',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 12 }) }),
        querystring: Type.Object({
          done: Type.Optional(Type.String({ maxLength: 40 })),
          /** `1`: on a zh-HK page, the message and its replies in Traditional characters (ignored elsewhere). */
          hant: Type.Optional(Type.String({ maxLength: 8 })),
        }),
      },
    },
    async (request, reply) => {
      const id = idFromText(request.params.id);
      if (id === null) throw new AppError('MESSAGE_NOT_FOUND', { id: request.params.id });
      return messagePage(request, reply, id);
    },
  );

  // The author's rating and follow-up, from the message page.
  for (const [path, action, done] of [
    ['rate', 'rate', 'rated'],
    ['follow-up', 'follow-up', 'followedUp'],
  ] as const) {
    app.post(
      `/messages/:id/${path}`,
      { config: { access: authorOnly }, schema: { params: IdParams, body: FormBody } },
      async (request, reply) => {
        const user = requireUser(request);
        try {
          await WORKFLOW_ACTIONS.get(action)!(db, user, request.params.id, request.body);
          return reply.redirect(`/messages/${request.params.id}?done=${done}`, 303);
        } catch (err) {
          const errors = errorsOf(request, err);
          // The rating form comes back with each question's own error beside it and the choices kept.
          if (action === 'rate' && !errors._form) {
            const rating = { values: keptValues(request.body), errors };
            return messagePage(request, reply, request.params.id, request.t('rate.notSubmitted'), 400, rating);
          }
          const problem = Object.values(errors)[0] ?? '';
          return messagePage(request, reply, request.params.id, problem, 400);
        }
      },
    );
  }

  app.get('/help/rules', { config: { access: PUBLIC, publicCache: true } }, async (request, reply) =>
    sendPage(reply, PostingRulesPage({ ctx: pageContext(request, reply) })),
  );

  app.get(
    '/attachments/:id',
    {
      config: { access: PUBLIC },
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 12 }) }),
        // A display copy (`w=360` thumbnail, `w=1280` screen size) instead of the original.
        querystring: Type.Object({ w: Type.Optional(Type.Union(DISPLAY_WIDTHS.map((w) => Type.Literal(String(w))))) }),
      },
    },
    async (request, reply) => {
      const id = idFromText(request.params.id);
      const attachment = id === null ? undefined : await messagesRepository.findAttachment(db, id);
      const message = attachment ? await messagesRepository.findById(db, attachment.message_id) : undefined;
      const access = message ? await accessFor(db, request.user, message) : null;
      if (!attachment || !access || (access === 'public' && !attachment.is_public)) throw new AppError('NOT_FOUND');
      const width = request.query.w ? (Number(request.query.w) as DisplayWidth) : null;
      const key = attachment.storage_key;
      // Streamed from the store, whole or by byte range; the key names the content, so it serves as the ETag.
      return sendObject(
        request,
        reply,
        (range) => (width ? app.attachments.openDisplayCopy(key, width, range) : app.attachments.open(key, range)),
        {
          etag: width ? app.attachments.displayKey(key, width) : key,
          cacheControl: access === 'public' ? 'public, max-age=86400' : 'private, no-store',
          contentType: width ? 'image/webp' : attachment.media_type,
        },
      );
    },
  );

  app.get('/my/messages', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const user = requireUser(request);
    const rows = (await messagesRepository.listByAuthor(db, user.id)).map((m) => ({
      id: m.id,
      title: m.title,
      status: m.status,
      trackingCode: m.tracking_code,
      submittedAt: m.submitted_at,
      regionName: m.region_name,
      boardTitle: m.board_title,
    }));
    return sendPage(reply, MyMessagesPage({ ctx: pageContext(request, reply), rows }));
  });

  // Editorial review: src/messages/review.routes.ts

  // The API
  const MessageBody = Type.Object({
    boardId: Id({ description: '留言板编号' }),
    type: Type.String({ description: `类型：${Object.keys(MESSAGE_TYPES).join(' | ')}（也接受中文名）` }),
    domain: Type.String({ description: `领域：${Object.keys(DOMAINS).join(' | ')}（也接受中文名）` }),
    title: Type.String({ maxLength: 200 }),
    body: Type.String({ maxLength: 20000 }),
    remarks: Type.Optional(Type.String({ maxLength: 5000, description: '不公开的备注' })),
    location: Type.Optional(Type.String({ maxLength: 500 })),
    visibility: Type.Optional(Type.String({ description: 'public | private' })),
    images: Type.Optional(
      Type.Array(
        Type.Object({
          data: Type.String({ description: 'base64 编码的 JPEG/PNG/WebP' }),
          public: Type.Optional(Type.Boolean()),
        }),
        {
          maxItems: 20,
        },
      ),
    ),
  });

  app.post(
    '/api/v1/messages',
    {
      bodyLimit: API_BODY_LIMIT,
      config: { ...SUBMIT_LIMIT, access: SIGNED_IN },
      schema: {
        tags: ['messages'],
        summary: '写留言；可带 Idempotency-Key 请求头，重试时返回第一次的结果',
        security: [{ bearerAuth: [] }],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 100 })) }),
        body: MessageBody,
        response: {
          201: Type.Object({ id: Type.Integer(), trackingCode: Type.String(), status: Type.String() }),
          200: Type.Object({ id: Type.Integer(), trackingCode: Type.String(), status: Type.String() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { images, ...fields } = request.body;
      const input: MessageInput = {
        ...fields,
        images: (images ?? []).map((i) => ({ data: Buffer.from(i.data, 'base64'), isPublic: i.public !== false })),
      };
      const result = await submitMessage(submitContext(request, 'api', request.headers['idempotency-key']), input);
      return reply
        .status(result.replayed ? 200 : 201)
        .send({ id: result.id, trackingCode: result.trackingCode, status: result.status });
    },
  );

  app.get(
    '/api/v1/messages/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['messages'],
        summary: '一条留言（按查看者的权限）',
        params: IdParams,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errors },
      },
    },
    async (request) => inLanguage(await viewMessage(db, config.secret, request.user, request.params.id), request.t),
  );

  app.get(
    '/api/v1/messages/:id/events',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['messages'],
        summary: '办理记录（哈希链）',
        params: IdParams,
        response: {
          200: Type.Object({ events: Type.Array(Type.Object({}, { additionalProperties: true })) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { events } = await viewEvents(db, config.secret, request.user, request.params.id);
      return { events };
    },
  );

  type Run = (user: CurrentUser, id: number, body: Record<string, unknown>) => Promise<unknown>;
  /** Editorial actions and the workflow's transitions; a Map, so prototype names are simply unknown actions. */
  const actions = new Map<string, Run>([
    [
      'approve',
      (u, id, b) =>
        approveMessage(db, u, id, typeof b.note === 'string' ? b.note : '', { type: b.type, domain: b.domain }),
    ],
    ['reject', (u, id, b) => rejectMessage(db, u, id, b)],
    ['link-duplicate', (u, id, b) => linkDuplicate(db, u, id, b.original)],
    ...[...WORKFLOW_ACTIONS].map(([name, run]): [string, Run] => [name, (u, id, b) => run(db, u, id, b)]),
  ]);
  app.post(
    '/api/v1/messages/:id/actions/:action',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['messages'],
        summary:
          '办理动作：approve、reject {reason, note}、link-duplicate {original}、accept、assign {unitId, note}、return {reason}、request-extension {days, reason}、decide-extension {extensionId, grant}、draft-reply {body, resolved, submit}、approve-reply、sign-reply、rate {resolution, timeliness, attitude, comment}、follow-up {question}',
        security: [{ bearerAuth: [] }],
        params: Type.Object({ id: Id(), action: Type.String({ maxLength: 32 }) }),
        body: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        response: { 200: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const run = actions.get(request.params.action);
      if (!run) throw new AppError('NOT_FOUND');
      await run(requireUser(request), request.params.id, (request.body as Record<string, unknown>) ?? {});
      const message = await messagesRepository.findById(db, request.params.id);
      return { id: request.params.id, status: message!.status };
    },
  );
};
