// HTTP for follows: the follow and unfollow buttons, the "my follows" page, and the same for apps.
import { SIGNED_IN } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireUser } from '../accounts/auth.plugin.ts';
import { ErrorBody, Id, IdParams } from '../api/schemas.ts';
import { safeRedirect } from '../web/safe-redirect.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { type FollowKind, follow, listFollows, targetPath, unfollow, unfollowById } from './follows.service.ts';
import { MyFollowsPage } from './views/my-follows-page.tsx';

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 2000 }));
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 429: ErrorBody };
const bearer = [{ bearerAuth: [] }];

const FollowBody = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union([Type.Literal('message'), Type.Literal('board')]),
    messageId: Type.Union([Type.Integer(), Type.Null()], { description: '关注的留言' }),
    boardId: Type.Union([Type.Integer(), Type.Null()], { description: '关注的留言板' }),
    title: Type.String({ description: '留言标题或“地区 · 留言板”' }),
    path: Type.String({ description: '所关注内容的页面路径' }),
    available: Type.Boolean({ description: '留言已不再公开时为 false，只能取消关注' }),
    sms: Type.Boolean({ description: '是否同时以短信提醒' }),
    createdAt: Type.String(),
  },
  { description: '一项关注' },
);

const NewFollowBody = Type.Object(
  {
    messageId: Type.Optional(Id({ description: '要关注的留言（须为公开留言）' })),
    boardId: Type.Optional(Id({ description: '要关注的留言板' })),
    sms: Type.Optional(Type.Boolean({ description: '有新答复或办结时同时发短信，默认否' })),
  },
  { additionalProperties: false, description: 'messageId 与 boardId 二选一' },
);

/** The checkbox posts "1" when ticked and nothing otherwise. */
const ticked = (value: string | undefined) => value === '1' || value === 'on' || value === 'true';

/** Back to the page the button was on: only a path on this site, else the followed thing's own page. */
function backTo(next: string | undefined, fallback: string): string {
  return safeRedirect(next, fallback);
}

export const followsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  // The buttons on message and board pages; they come back to the page they were pressed on.
  for (const kind of ['message', 'board'] as const satisfies readonly FollowKind[]) {
    const base = kind === 'message' ? '/messages/:id' : '/boards/:id';
    app.post(
      `${base}/follow`,
      { config: { access: SIGNED_IN }, schema: { params: IdParams, body: FormBody } },
      async (request, reply) => {
        const target = { kind, id: request.params.id };
        await follow(db, requireUser(request), target, { sms: ticked(request.body.sms) });
        return reply.redirect(backTo(request.body.next, targetPath(target)), 303);
      },
    );
    app.post(
      `${base}/unfollow`,
      { config: { access: SIGNED_IN }, schema: { params: IdParams, body: FormBody } },
      async (request, reply) => {
        const target = { kind, id: request.params.id };
        await unfollow(db, requireUser(request), target);
        return reply.redirect(backTo(request.body.next, targetPath(target)), 303);
      },
    );
  }

  app.get('/my/follows', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const follows = await listFollows(db, requireUser(request), request.t);
    return sendPage(reply, MyFollowsPage({ ctx: pageContext(request, reply), follows }));
  });

  app.get(
    '/api/v1/follows',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['follows'],
        summary: '我的关注：关注的留言和留言板，最新的在前',
        security: bearer,
        response: { 200: Type.Object({ follows: Type.Array(FollowBody) }), ...errors },
      },
    },
    async (request) => ({ follows: await listFollows(db, requireUser(request), request.t) }),
  );

  app.post(
    '/api/v1/follows',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['follows'],
        summary: '关注一条公开留言或一个留言板；已关注时只更新短信选项（返回 200）',
        security: bearer,
        body: NewFollowBody,
        response: { 201: FollowBody, 200: FollowBody, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { messageId, boardId, sms } = request.body;
      if ((messageId === undefined) === (boardId === undefined))
        throw new AppError('VALIDATION', { detail: request.t('follows.bothGiven') });
      const target =
        messageId !== undefined
          ? { kind: 'message' as const, id: messageId }
          : { kind: 'board' as const, id: boardId! };
      const outcome = await follow(db, user, target, { sms: sms === true });
      return reply.status(outcome.created ? 201 : 200).send(outcome.follow);
    },
  );

  app.delete(
    '/api/v1/follows/:id',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['follows'],
        summary: '取消一项关注',
        security: bearer,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await unfollowById(db, requireUser(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
