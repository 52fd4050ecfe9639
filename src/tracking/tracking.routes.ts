// HTTP for the tracking-code lookup: the /track page and GET /api/v1/track/{code}, both limited against guessing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ErrorBody } from '../api/schemas.ts';
import { PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { rateLimits } from '../web/rate-limits.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { isTrackingCode, normaliseTrackingCode, trackMessage, type TrackResult } from './tracking.service.ts';
import { TrackPage } from './views/track-page.tsx';
import type { Translate } from '../i18n/i18n.ts';
import { statusLabel } from '../messages/message-labels.ts';

const TrackBody = Type.Object({
  code: Type.String({ description: '查询码（已规范为大写）' }),
  status: Type.String({ description: 'submitted | rejected | pending | assigned | replied | closed' }),
  statusLabel: Type.String({ description: '状态名，用请求的语言（Accept-Language 或 lang Cookie；默认简体中文）' }),
  message: Type.Union(
    [
      Type.Object({
        id: Type.Integer(),
        title: Type.String(),
        path: Type.String({ description: '公开页面的路径，如 /messages/123' }),
        url: Type.String({ description: '公开页面的完整地址（未设置 PUBLIC_URL 时同 path）' }),
        board: Type.String(),
        unit: Type.Union([Type.String(), Type.Null()]),
        dueAt: Type.Union([Type.String(), Type.Null()], { description: '正在计算的时限（受理或办理）' }),
        duplicateOf: Type.Union([Type.Integer(), Type.Null()]),
      }),
      Type.Null(),
    ],
    { description: '公开且已审核通过的留言才有；不公开的留言只给状态' },
  ),
  reply: Type.Union(
    [Type.Object({ unit: Type.String(), body: Type.String(), publishedAt: Type.String() }), Type.Null()],
    { description: '最新公开的答复（仅公开留言）' },
  ),
});

export const trackingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const limit = rateLimits(config).track;
  const trackLimit = {
    ...limit,
    // Showing the empty form is free; every look-up counts.
    allowList: (request: FastifyRequest) => !(request.query as { code?: string } | undefined)?.code,
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) =>
      new AppError('TRACK_RATE_LIMITED', { max: limit.max, seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  };

  const toBody = (r: TrackResult, t: Translate) => ({
    code: r.code,
    status: r.status,
    statusLabel: statusLabel(t, r.status),
    message: r.published
      ? {
          id: r.published.messageId,
          title: r.published.title,
          path: r.published.path,
          url: `${config.publicUrl ?? ''}${r.published.path}`,
          board: r.published.board,
          unit: r.published.unit,
          dueAt: r.published.dueAt,
          duplicateOf: r.published.duplicateOf,
        }
      : null,
    reply: r.published ? r.reply : null,
  });

  app.get(
    '/track',
    {
      config: { access: PUBLIC, rateLimit: trackLimit },
      schema: { querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 40 })) }) },
    },
    async (request, reply) => {
      const typed = request.query.code?.trim() ?? '';
      const view = { code: typed, smsNumber: config.channels.smsInboundNumber };
      const ctx = pageContext(request, reply);
      if (!typed) return sendPage(reply, TrackPage({ ctx, view }));
      const code = normaliseTrackingCode(typed);
      if (!isTrackingCode(code)) {
        const problem = request.t('error.TRACKING_CODE_INVALID');
        return sendPage(reply, TrackPage({ ctx, view: { ...view, problem } }), 400);
      }
      const result = await trackMessage(db, code);
      if (!result) {
        const problem = request.t('error.TRACKING_CODE_NOT_FOUND', { code });
        return sendPage(reply, TrackPage({ ctx, view: { ...view, problem } }), 404);
      }
      return sendPage(reply, TrackPage({ ctx, view: { ...view, code, result } }));
    },
  );

  app.get(
    '/api/v1/track/:code',
    {
      config: { access: PUBLIC, rateLimit: { ...trackLimit, allowList: undefined } },
      schema: {
        tags: ['messages'],
        summary: '按查询码查进度：状态；公开留言另有其页面地址和最新答复（每个地址每分钟限次，防止猜测）',
        params: Type.Object({ code: Type.String({ maxLength: 40, description: '8 位查询码，不区分大小写' }) }),
        response: { 200: TrackBody, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => {
      const code = normaliseTrackingCode(request.params.code);
      if (!isTrackingCode(code)) throw new AppError('TRACKING_CODE_INVALID', {}, 'code');
      const result = await trackMessage(db, code);
      if (!result) throw new AppError('TRACKING_CODE_NOT_FOUND', { code });
      return toBody(result, request.t);
    },
  );
};
