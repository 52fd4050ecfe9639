// The API the mobile app and mini-program need beyond the web's: my messages with what awaits me, writing a message
// with photos as multipart (the form's checks), and each workflow action as its own path with its body described.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type TObject, type TSchema } from 'typebox';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { requireUser } from '../accounts/auth.plugin.ts';
import { ErrorBody, Id, IdParams, Limit } from '../api/schemas.ts';
import type { Db } from '../db/kysely.ts';
import { SIGNED_IN } from '../web/access.ts';
import { rateLimits } from '../web/rate-limits.ts';
import { ACTIONS as WORKFLOW_ACTIONS } from '../workflow/transitions.ts';
import { channelLabel } from './channels.ts';
import { DOMAINS, MESSAGE_TYPES, REJECT_REASONS, STATUSES } from './message-kinds.ts';
import { rejectReasonLabel, statusLabel } from './message-labels.ts';
import { readMessageParts } from './message-parts.ts';
import { messagesRepository } from './messages.repository.ts';
import { myMessagesRepository } from './my-messages.repository.ts';
import { approveMessage, linkDuplicate, rejectMessage } from './review.ts';
import { submitMessage } from './submit-message.ts';

const API_BODY_LIMIT = 64 * 1024 * 1024;
const PAGE = 20;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

const Note = (description: string, max = 1000) => Type.Optional(Type.String({ maxLength: max, description }));
/**
 * A field the action needs. Its type is checked here; whether it is there is checked by the action itself, after
 * whether the caller may take it at all: someone not allowed is told so (403) whatever they sent.
 */
const Needed = <T extends TSchema>(schema: T) => Type.Optional(schema);
const Score = (description: string) =>
  Needed(Type.Integer({ minimum: 1, maximum: 5, description: `${description}，1–5 分（必填）` }));

/** Each action's body, as the transition reads it (see workflow/transitions.ts and messages/review.ts). */
export const ACTION_BODIES: Record<string, { summary: string; body: TSchema }> = {
  approve: {
    summary: '编辑：审核通过并公开（短信留言须给出 type 和 domain）',
    body: Type.Object({
      note: Note('审核备注'),
      type: Type.Optional(Type.String({ description: `改定类型：${Object.keys(MESSAGE_TYPES).join(' | ')}` })),
      domain: Type.Optional(Type.String({ description: `改定领域：${Object.keys(DOMAINS).join(' | ')}` })),
    }),
  },
  reject: {
    summary: '编辑：不予公开，附公开的理由',
    body: Type.Object({
      reason: Needed(
        Type.String({
          maxLength: 64,
          description: `理由（必填）：${Object.keys(REJECT_REASONS).join(' | ')}（也接受中文）`,
        }),
      ),
      note: Note('给留言人的说明'),
    }),
  },
  'link-duplicate': {
    summary: '关联为重复留言（随原留言办理）',
    body: Type.Object({ original: Needed(Id({ description: '更早的原留言编号（必填）' })) }),
  },
  accept: { summary: '办理单位受理（感谢留言即办结）', body: Type.Object({ note: Note('受理意见', 5000) }) },
  assign: {
    summary: '交办给下级办理单位',
    body: Type.Object({
      unitId: Needed(Id({ description: '下级办理单位编号（必填）' })),
      note: Note('交办意见', 5000),
    }),
  },
  return: {
    summary: '在异议期内退回交办单位',
    body: Type.Object({ reason: Needed(Type.String({ maxLength: 500, description: '退回理由（必填）' })) }),
  },
  'request-extension': {
    summary: '申请延期',
    body: Type.Object({
      days: Needed(
        Type.Integer({ minimum: 1, maximum: 60, description: '延期工作日数（必填，不超过所在地区的规定）' }),
      ),
      reason: Needed(Type.String({ maxLength: 500, description: '延期理由（必填）' })),
    }),
  },
  'decide-extension': {
    summary: '交办单位负责人批准或不批准延期',
    body: Type.Object({
      extensionId: Needed(Id({ description: '延期申请编号（必填）' })),
      grant: Needed(Type.Boolean({ description: '是否批准（必填）' })),
      note: Note('审批意见', 500),
    }),
  },
  'draft-reply': {
    summary: '起草答复；submit 为 true 时送负责人审批',
    body: Type.Object({
      body: Needed(Type.String({ maxLength: 5000, description: '答复内容（必填，至少 10 个字）' })),
      resolved: Type.Optional(Type.Boolean({ description: '问题已解决' })),
      submit: Type.Optional(Type.Boolean({ description: '送审' })),
    }),
  },
  'approve-reply': {
    summary: '负责人批准答复并公开（sign 为 true 时先请领导签发）',
    body: Type.Object({ sign: Type.Optional(Type.Boolean()) }),
  },
  'sign-reply': { summary: '领导签发答复', body: Type.Object({}) },
  'send-back-reply': { summary: '领导退回待签发的答复', body: Type.Object({ note: Note('退回意见', 500) }) },
  'request-signature': { summary: '领导要求答复须经本人签发', body: Type.Object({}) },
  'set-priority': {
    summary: '设定紧急程度',
    body: Type.Object({
      priority: Needed(Type.Union([Type.Literal('urgent'), Type.Literal('normal')], { description: '必填' })),
    }),
  },
  supervise: {
    summary: '督查：发出督办',
    body: Type.Object({
      note: Note('督办意见', 500),
      dueDate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' })),
    }),
  },
  rate: {
    summary: '留言人评价答复（三项 1–5 分），留言办结',
    body: Type.Object({
      resolution: Score('解决程度'),
      timeliness: Score('办理时间'),
      attitude: Score('办理态度'),
      comment: Note('评价意见', 500),
    }),
  },
  'follow-up': {
    summary: '留言人追问一次（退回原办理单位）',
    body: Type.Object({
      question: Needed(Type.String({ maxLength: 5000, description: '追问内容（必填，至少 5 个字）' })),
    }),
  },
  'share-identity': { summary: '交办单位向被投诉单位共享投诉人身份', body: Type.Object({}) },
};

type Run = (db: Db, user: CurrentUser, id: number, body: Record<string, unknown>) => Promise<unknown>;

/** What a handling step may add to its body: the versions its caller saw, so that a step someone else took since is a 409. */
const VERSIONS = {
  version: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: '调用方看到的留言版本号（可选，见本接口和收件箱返回的 version）：此后他人已处理则返回 409 CONFLICT',
    }),
  ),
};
const AUTHOR_STEPS = new Set(['rate', 'follow-up']);
const ANSWER: TSchema = Type.Object({ id: Type.Integer(), status: Type.String() });
const STEP_ANSWER: TSchema = Type.Object({
  id: Type.Integer(),
  status: Type.String(),
  version: Type.Integer({ description: '留言现在的版本号' }),
  draftVersion: Type.Optional(Type.Integer({ description: '刚保存的答复草稿的版本号' })),
});
const DRAFT_VERSION = {
  draftVersion: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        '所修改草稿的版本号（可选，首次起草为 0，见上次保存返回的 draftVersion）：同事已另存则返回 409 CONFLICT',
    }),
  ),
};

const REVIEW: ReadonlyMap<string, Run> = new Map<string, Run>([
  [
    'approve',
    (db, u, id, b) =>
      approveMessage(db, u, id, typeof b.note === 'string' ? b.note : '', { type: b.type, domain: b.domain }),
  ],
  ['reject', (db, u, id, b) => rejectMessage(db, u, id, b)],
  ['link-duplicate', (db, u, id, b) => linkDuplicate(db, u, id, b.original)],
]);

/** What the author may do now: rate or follow up an answered message while the rating window is open. */
function awaiting(m: { status: string; rating_due_at: string | null; follow_ups: number }): string[] {
  if (m.status !== 'replied' || (m.rating_due_at && Date.parse(m.rating_due_at) < Date.now())) return [];
  return m.follow_ups < 1 ? ['rate', 'follow-up'] : ['rate'];
}

const MyMessage = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  status: Type.String(),
  statusLabel: Type.String({ description: '状态名，用请求的语言（Accept-Language；默认简体中文）' }),
  trackingCode: Type.String(),
  board: Type.Object({ id: Type.Integer(), name: Type.String() }),
  visibility: Type.String(),
  channel: Type.String({ description: 'web | api | sms | open311' }),
  channelLabel: Type.String({ description: '渠道名，用请求的语言' }),
  submittedAt: Type.String(),
  updatedAt: Type.String(),
  awaitsYou: Type.Array(Type.String(), {
    description: '现在可以做的：rate（评价）、follow-up（追问）；空表示无需操作',
  }),
  ratingDueAt: Type.Union([Type.String(), Type.Null()], { description: '评价期截止时间' }),
  rejectReason: Type.Union([Type.Object({ key: Type.String(), label: Type.String() }), Type.Null()]),
});

export const appApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  app.get(
    '/api/v1/me/messages',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['messages'],
        summary: '我的留言：状态、查询码和等我处理的事（评价、追问），最新的在前；用 before 翻页',
        security: [{ bearerAuth: [] }],
        querystring: Type.Object({ before: Type.Optional(Id()), limit: Type.Optional(Limit(100, PAGE)) }),
        response: {
          200: Type.Object({ messages: Type.Array(MyMessage), next: Type.Union([Type.Integer(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const limit = request.query.limit ?? PAGE;
      const rows = await myMessagesRepository.list(db, user.id, {
        limit: limit + 1,
        ...(request.query.before !== undefined ? { beforeId: request.query.before } : {}),
      });
      const shown = rows.slice(0, limit);
      return {
        messages: shown.map((m) => ({
          id: m.id,
          title: m.title,
          status: m.status,
          statusLabel: Object.hasOwn(STATUSES, m.status) ? statusLabel(request.t, m.status) : m.status,
          trackingCode: m.tracking_code,
          board: { id: m.board_id, name: `${m.region_name} · ${m.board_title}` },
          visibility: m.visibility,
          channel: m.channel,
          channelLabel: channelLabel(m.channel, null, request.t),
          submittedAt: m.submitted_at,
          updatedAt: m.updated_at,
          awaitsYou: awaiting(m),
          ratingDueAt: m.status === 'replied' ? m.rating_due_at : null,
          rejectReason: m.reject_reason
            ? {
                key: m.reject_reason,
                label: Object.hasOwn(REJECT_REASONS, m.reject_reason)
                  ? rejectReasonLabel(request.t, m.reject_reason)
                  : m.reject_reason,
              }
            : null,
        })),
        next: rows.length > limit ? shown.at(-1)!.id : null,
      };
    },
  );

  app.post(
    '/api/v1/messages/multipart',
    {
      bodyLimit: API_BODY_LIMIT,
      config: { access: SIGNED_IN, rateLimit: rateLimits(config).submit },
      schema: {
        tags: ['messages'],
        summary:
          '写留言并上传照片（multipart/form-data，与网页表单相同的字段和检查）：boardId、type、domain、title、body、remarks、location、visibility，照片放在 images（公开）或 privateImages（不公开）中，最多 9 张，每张不超过 5 MB；可带 Idempotency-Key 请求头',
        consumes: ['multipart/form-data'],
        security: [{ bearerAuth: [] }],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 100 })) }),
        response: {
          201: Type.Object({ id: Type.Integer(), trackingCode: Type.String(), status: Type.String() }),
          200: Type.Object({ id: Type.Integer(), trackingCode: Type.String(), status: Type.String() }),
          ...errors,
          413: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { input } = await readMessageParts(request);
      const key = request.headers['idempotency-key'];
      const result = await submitMessage(
        {
          db,
          secret: config.secret,
          store: app.attachments,
          sensitiveWords: app.sensitiveWords,
          authorId: user.id,
          channel: 'api',
          ...(key ? { idempotencyKey: key } : {}),
        },
        input,
      );
      return reply
        .status(result.replayed ? 200 : 201)
        .send({ id: result.id, trackingCode: result.trackingCode, status: result.status });
    },
  );

  // One path per action, each with its own body in the OpenAPI; the generic `/actions/:action` route answers the rest.
  for (const [action, spec] of Object.entries(ACTION_BODIES)) {
    const run = REVIEW.get(action) ?? (WORKFLOW_ACTIONS.get(action) as Run | undefined);
    if (!run) continue;
    // Staff handling steps say which version their caller saw; editors' and authors' steps are guarded by the status.
    const staffStep = !REVIEW.has(action) && !AUTHOR_STEPS.has(action);
    app.post(
      `/api/v1/messages/:id/actions/${action}`,
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: ['workflow'],
          summary: spec.summary,
          security: [{ bearerAuth: [] }],
          params: IdParams,
          body: staffStep
            ? Type.Object({
                ...(spec.body as TObject).properties,
                ...VERSIONS,
                ...(action === 'draft-reply' ? DRAFT_VERSION : {}),
              })
            : spec.body,
          response: {
            200: staffStep ? STEP_ANSWER : ANSWER,
            ...errors,
          },
        },
      },
      async (request) => {
        const outcome = await run(
          db,
          requireUser(request),
          request.params.id,
          (request.body ?? {}) as Record<string, unknown>,
        );
        const message = await messagesRepository.findById(db, request.params.id);
        const draft = action === 'draft-reply' ? (outcome as { draftVersion?: number }) : {};
        return { id: request.params.id, status: message!.status, version: message!.version, ...draft };
      },
    );
  }
};
