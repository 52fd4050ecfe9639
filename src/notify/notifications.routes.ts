// HTTP for a user's own notifications: the page, marking them read, and the same list for apps.
import { SIGNED_IN } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireUser } from '../accounts/auth.plugin.ts';
import { ErrorBody, Id, Limit } from '../api/schemas.ts';
import type { Db } from '../db/kysely.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { type Notification, notificationsRepository } from './notifications.repository.ts';
import { NotificationsPage } from './views/notifications-page.tsx';

const PAGE_SIZE = 50;
const API_MAX = 100;

const PageQuery = Type.Object({
  before: Type.Optional(Id({ description: '从这条通知之前（更早）开始' })),
});

const ApiQuery = Type.Object({
  before: Type.Optional(Id({ description: '翻页：只返回编号小于此值的（更早的）通知' })),
  limit: Type.Optional(Limit(API_MAX, PAGE_SIZE)),
});

const NotificationBody = Type.Object({
  id: Type.Integer(),
  messageId: Type.Union([Type.Integer(), Type.Null()], { description: '相关留言' }),
  text: Type.String(),
  read: Type.Boolean(),
  readAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const NotificationListBody = Type.Object({
  notifications: Type.Array(NotificationBody, { description: '最新的在前' }),
  unread: Type.Integer({ description: '未读通知总数' }),
});

/** One page, newest first, and where the next (older) page starts: one row more than shown tells if there is one. */
async function pageOf(db: Db, userId: number, beforeId: number | undefined, limit: number) {
  const rows = await notificationsRepository.listForUser(db, userId, { beforeId, limit: limit + 1 });
  const notifications = rows.slice(0, limit);
  const olderBefore = rows.length > limit ? notifications.at(-1)!.id : null;
  return { notifications, olderBefore, unread: await notificationsRepository.countUnread(db, userId) };
}

const toBody = (n: Notification) => ({
  id: n.id,
  messageId: n.messageId,
  text: n.text,
  read: n.readAt !== null,
  readAt: n.readAt,
  createdAt: n.createdAt,
});

export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/notifications',
    { config: { access: SIGNED_IN }, schema: { querystring: PageQuery } },
    async (request, reply) => {
      const user = requireUser(request);
      const page = await pageOf(db, user.id, request.query.before, PAGE_SIZE);
      const view = { ...page, paged: request.query.before !== undefined };
      return sendPage(reply, NotificationsPage({ ctx: pageContext(request, reply), view }));
    },
  );

  app.post('/notifications/read', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const user = requireUser(request);
    await notificationsRepository.markAllRead(db, user.id, new Date().toISOString());
    return reply.redirect('/notifications', 303);
  });

  app.get(
    '/api/v1/notifications',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['notifications'],
        summary: '我的通知：最新的在前，附未读总数；用 before 翻页',
        security: [{ bearerAuth: [] }],
        querystring: ApiQuery,
        response: { 200: NotificationListBody, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const page = await pageOf(db, user.id, request.query.before, request.query.limit ?? PAGE_SIZE);
      return { notifications: page.notifications.map(toBody), unread: page.unread };
    },
  );
};
