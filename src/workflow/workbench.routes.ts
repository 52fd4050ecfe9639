// HTTP for the unit workbench: the inbox (page and API) and the handling actions as forms.
import { permission } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { requireUser } from '../accounts/auth.plugin.ts';
import { can, type Target } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { ErrorBody, Id, IdParams } from '../api/schemas.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import type { Db } from '../db/kysely.ts';
import type { MessageStatus } from '../messages/message-kinds.ts';
import { viewEvents, viewMessage } from '../messages/message-view.ts';
import { linkDuplicate } from '../messages/review.ts';
import { similarMessages } from '../search/similar.ts';
import { messagesRepository } from '../messages/messages.repository.ts';
import { AppError } from '../web/app-error.ts';
import { doneNotice, errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { ACTIONS, FROM } from './transitions.ts';
import { loadInbox } from './workbench.service.ts';
import { unitsRepositoryForWorkflow, workflowRepository } from './workflow.repository.ts';
import { InboxPage, type WorkbenchActions, WorkbenchMessagePage } from './views/workbench-pages.tsx';

const InboxQuerySchema = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 16 })),
  overdue: Type.Optional(Type.String({ maxLength: 1 })),
  dueSoon: Type.Optional(Type.String({ maxLength: 1 })),
  type: Type.Optional(Type.String({ maxLength: 16 })),
  domain: Type.Optional(Type.String({ maxLength: 16 })),
  board: Type.Optional(Type.String({ maxLength: 10 })),
});

/** The workbench is for those who handle messages: unit staff and heads, supervisors (inbox.read) and leaders. */
const STAFF = permission(['inbox.read', 'reply.sign']);

/** Which actions this person may take on this message now, so the page shows only those. */
async function availableActions(db: Db, user: CurrentUser, id: number, templateId?: number): Promise<WorkbenchActions> {
  const m = (await messagesRepository.findById(db, id))!;
  const target = async (unitId: number | null): Promise<Target> =>
    unitId === null ? {} : { unitPath: await scopeRepository.unitPath(db, unitId) };
  const here = await target(m.current_unit_id);
  const ok = (action: string) => (FROM[action] ?? []).includes(m.status as MessageStatus);
  const reply = await workflowRepository.latestReply(db, id);
  const extension = (await workflowRepository.extensions(db, id)).find((e) => e.status === 'pending');
  const board = await boardsRepository.essentials(db, m.board_id);
  const templates = m.current_unit_id ? await workflowRepository.templates(db, m.current_unit_id) : [];
  const chosen = templates.find((t) => t.id === templateId);
  return {
    accept: ok('accept') && can(user.grants, 'message.accept', here),
    assign:
      ok('assign') && can(user.grants, 'message.assign', here)
        ? await unitsRepositoryForWorkflow.children(db, m.current_unit_id!)
        : null,
    return: ok('return') && m.assigned_by_unit_id !== null && can(user.grants, 'message.return', here),
    requestExtension: ok('request-extension') && !extension && can(user.grants, 'extension.request', here),
    decideExtension:
      ok('decide-extension') &&
      extension &&
      can(user.grants, 'extension.decide', await target(m.assigned_by_unit_id ?? m.current_unit_id))
        ? { id: extension.id, days: extension.days, reason: extension.reason }
        : null,
    draftReply:
      ok('draft-reply') && can(user.grants, 'reply.draft', here) && reply?.status !== 'pending_approval'
        ? {
            body: chosen?.body ?? (reply && reply.status === 'draft' ? reply.body : ''),
            resolved: Boolean(reply?.resolved),
            templates,
          }
        : null,
    approveReply:
      ok('approve-reply') && reply?.status === 'pending_approval' && can(user.grants, 'reply.approve', here)
        ? { body: reply.body }
        : null,
    signReply:
      ok('sign-reply') &&
      !!reply &&
      ['pending_approval', 'published'].includes(reply.status) &&
      !reply.signer_id &&
      can(user.grants, 'reply.sign', { boardId: m.board_id }),
    shareIdentity:
      m.type === 'complain' &&
      !m.identity_shared &&
      can(user.grants, 'message.assign', await target(board?.unit_id ?? null)),
  };
}

export const workbenchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  app.get(
    '/workbench',
    { config: { access: STAFF }, schema: { querystring: InboxQuerySchema } },
    async (request, reply) => {
      const rows = await loadInbox(db, request.user!, request.query);
      return sendPage(
        reply,
        InboxPage({ ctx: pageContext(request, reply), rows, query: request.query, notice: doneNotice(request) }),
      );
    },
  );

  async function messagePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    errors?: Record<string, string>,
    status = 200,
  ) {
    const user = request.user!;
    const view = await viewMessage(db, config.secret, user, id);
    if (view.access !== 'staff') throw new AppError('FORBIDDEN');
    const { events } = await viewEvents(db, config.secret, user, id);
    const templateId = Number((request.query as { template?: string }).template) || undefined;
    const actions = await availableActions(db, user, id, templateId);
    const similar = view.duplicateOf
      ? []
      : await similarMessages(db, { title: view.title, body: view.body, regionCode: view.regionCode, excludeId: id });
    const page = WorkbenchMessagePage({
      similar: similar.filter((s) => s.id < id),
      ctx: pageContext(request, reply),
      view,
      events,
      actions,
      errors,
      notice: doneNotice(request),
    });
    return sendPage(reply, page, status);
  }

  app.get(
    '/workbench/messages/:id',
    {
      config: { access: STAFF },
      schema: {
        params: IdParams,
        querystring: Type.Object({
          template: Type.Optional(Type.String({ maxLength: 10 })),
          done: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => messagePage(request, reply, request.params.id),
  );

  app.post(
    '/workbench/messages/:id/:action',
    {
      config: { access: STAFF },
      schema: {
        params: Type.Object({ id: Id(), action: Type.String({ maxLength: 32 }) }),
        body: Type.Record(Type.String(), Type.String({ maxLength: 6000 })),
      },
    },
    async (request, reply) => {
      const run =
        request.params.action === 'link-duplicate'
          ? (d: Db, u: CurrentUser, id: number, b: Record<string, unknown>) => linkDuplicate(d, u, id, b.original)
          : ACTIONS.get(request.params.action);
      if (!run) throw new AppError('NOT_FOUND');
      try {
        await run(db, request.user!, request.params.id, request.body);
        return reply.redirect(`/workbench/messages/${request.params.id}?done=done`, 303);
      } catch (err) {
        return messagePage(request, reply, request.params.id, errorsOf(request, err), 400);
      }
    },
  );

  app.get(
    '/api/v1/workbench/inbox',
    {
      config: { access: STAFF },
      schema: {
        tags: ['messages'],
        summary:
          '工作台收件箱：本人所在单位承办或交办的留言（督查看辖区，领导看本人留言板），可按状态、超期、即将到期、类型、领域、留言板筛选',
        security: [{ bearerAuth: [] }],
        querystring: InboxQuerySchema,
        response: {
          200: Type.Object({ messages: Type.Array(Type.Object({}, { additionalProperties: true })) }),
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      return { messages: await loadInbox(db, requireUser(request), request.query) };
    },
  );
};
