// HTTP for the unit workbench: the inbox (page and API) with its batch actions, one message with the handling actions
// as forms, and how a staff member is told of new work.
import { batchIds, failedIds, failedQuery, runBatch } from './batch.ts';
import { permission } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { requireUser } from '../accounts/auth.plugin.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { ErrorBody, Id, IdParams } from '../api/schemas.ts';
import type { Db } from '../db/kysely.ts';
import { accessFor, eventsFor, viewMessage } from '../messages/message-view.ts';
import { messagesRepository } from '../messages/messages.repository.ts';
import { linkDuplicate } from '../messages/review.ts';
import { earlierSimilarMessages, type RegionWindow } from '../search/similar-earlier.ts';
import { AppError } from '../web/app-error.ts';
import { doneNotice, errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { noticePreferencesRepository } from '../notify/notice-preferences.repository.ts';
import { preferencesFor, setPreferences } from '../notify/notice-preferences.ts';
import { WORK_NOTICE_KIND } from './staff-notices.ts';
import { accept, ACTIONS, assign } from './transitions.ts';
import { inboxScope, loadInbox } from './workbench.service.ts';
import { availableActions, workbenchDetail } from './workbench-message.ts';
import { logPrivateRead, unitsRepositoryForWorkflow } from './workflow.repository.ts';
import { InboxPage, type BatchResult, WorkbenchMessagePage } from './views/workbench-pages.tsx';
import { NoticeSettingsPage } from './views/notice-settings-page.tsx';

const q = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));
const INBOX_QUERY = {
  status: q(16, 'pending | assigned | replied'),
  overdue: q(1, '1：已超期'),
  dueSoon: q(1, '1：两个工作日内到期'),
  type: q(16, '类型'),
  domain: q(16, '领域'),
  board: q(10, '留言板编号'),
  unit: q(12, '只看这个办理单位正在办理的留言'),
  priority: q(8, 'urgent | normal'),
  supervised: q(1, '1：被督办过'),
  awaiting: q(16, 'approval：答复待审批 | signature：答复待领导签发'),
  sort: q(16, 'deadline（默认，时限最近的在前）| urgent（紧急优先）| newest（最新的在前）'),
  page: q(6, '页码'),
};
const InboxQuerySchema = Type.Object(INBOX_QUERY);
/** The inbox page also reports the outcome of a batch it was sent back from. */
const InboxPageQuery = Type.Object({
  ...INBOX_QUERY,
  batch: Type.Optional(Type.String({ maxLength: 8 })),
  ok: Type.Optional(Type.String({ maxLength: 6 })),
  failed: Type.Optional(Type.String({ maxLength: 400 })),
  done: Type.Optional(Type.String({ maxLength: 32 })),
});

/** The workbench is for those who handle messages: unit staff and heads, supervisors (inbox.read) and leaders. */
const STAFF = permission(['inbox.read', 'reply.sign']);
/** How many messages one batch may act on: a page of the inbox. */
const BATCH_MAX = 50;

/** Where a staff member lands after each action, with its notice. */
const DONE: Record<string, string> = {
  accept: 'accepted',
  assign: 'assignedTo',
  return: 'returned',
  'request-extension': 'extensionRequested',
  'decide-extension': 'extensionDecided',
  'approve-reply': 'replyApproved',
  'sign-reply': 'signed',
  'send-back-reply': 'sentBack',
  'request-signature': 'signatureRequested',
  'set-priority': 'priority',
  supervise: 'supervised',
  'share-identity': 'identityShared',
  'link-duplicate': 'linked',
};

function batchResult(query: { batch?: string; ok?: string; failed?: string }): BatchResult | undefined {
  if (query.batch !== 'accept' && query.batch !== 'assign') return undefined;
  const ok = Number(query.ok);
  const failed = failedIds(query.failed);
  return { action: query.batch, ok: Number.isInteger(ok) && ok >= 0 ? ok : 0, failed };
}

export const workbenchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  /** The units below this person's own units: where they may assign a batch to. */
  async function assignTargets(user: CurrentUser) {
    const { unitIds } = await inboxScope(db, user);
    const lists = await Promise.all(unitIds.map((id) => unitsRepositoryForWorkflow.children(db, id)));
    return lists.flat();
  }

  app.get(
    '/workbench',
    { config: { access: STAFF }, schema: { querystring: InboxPageQuery } },
    async (request, reply) => {
      const user = request.user!;
      const inbox = await loadInbox(db, user, request.query);
      const headed = user.grants.filter((g) => g.role === 'unit_head' || g.role === 'supervisor');
      const dashboards = await Promise.all(
        headed
          .filter((g) => g.scopeType === 'unit')
          .map(async (g) => ({ id: Number(g.scopeId), name: (await unitName(db, Number(g.scopeId))) ?? g.scopeId })),
      );
      return sendPage(
        reply,
        InboxPage({
          ctx: pageContext(request, reply),
          inbox,
          assignTo: await assignTargets(user),
          canAccept: user.grants.some((g) => g.role === 'unit_staff' || g.role === 'unit_head'),
          dashboards,
          // Counted with the session at the start of this request.
          unread: request.unreadNotifications,
          notice: doneNotice(request),
          batch: batchResult(request.query),
        }),
      );
    },
  );

  app.post(
    '/workbench/batch',
    {
      config: { access: permission(['message.accept', 'message.assign']) },
      schema: {
        body: Type.Object({
          ids: Type.Optional(
            Type.Union([
              Type.String({ maxLength: 12 }),
              Type.Array(Type.String({ maxLength: 12 }), { maxItems: BATCH_MAX }),
            ]),
          ),
          batch: Type.String({ maxLength: 8 }),
          unitId: Type.Optional(Type.String({ maxLength: 12 })),
          note: Type.Optional(Type.String({ maxLength: 500 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const { batch } = request.body;
      if (batch !== 'accept' && batch !== 'assign') throw new AppError('NOT_FOUND');
      const { ok, failed } = await runBatch(batchIds(request.body.ids), (id) =>
        batch === 'accept'
          ? accept(db, user, id)
          : assign(db, user, id, { unitId: request.body.unitId, note: request.body.note ?? '' }),
      );
      return reply.redirect(`/workbench?batch=${batch}&ok=${ok}${failedQuery(failed)}`, 303);
    },
  );

  // Each region's newest public messages, shared by the staff pages that compare against them (see similar-earlier.ts).
  const similarWindows = app.pageCache.memo<RegionWindow>(256);

  async function messagePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    errors?: Record<string, string>,
    status = 200,
    unsavedReply?: string,
  ) {
    const user = request.user!;
    const view = await viewMessage(db, config.secret, user, id);
    if (view.access !== 'staff') throw new AppError('FORBIDDEN');
    const events = await eventsFor(db, view);
    // Private photos are private data: reading them on the workbench is logged like the private text.
    if (view.attachments.some((a) => !a.isPublic)) await logPrivateRead(db, id, user.id, 'private-photos');
    const { message, detail } = await workbenchDetail(db, view, events);
    const templateId = Number((request.query as { template?: string }).template) || undefined;
    const actions = await availableActions(db, user, message, detail, templateId);
    const similar = view.duplicateOf
      ? []
      : await earlierSimilarMessages(
          db,
          { id, title: view.title, body: view.body, regionCode: view.regionCode },
          { windows: similarWindows },
        );
    const page = WorkbenchMessagePage({
      similar: similar.filter((s) => s.id < id),
      ctx: pageContext(request, reply),
      view,
      detail,
      actions,
      errors,
      notice: doneNotice(request),
      unsavedReply,
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
      const { id, action } = request.params;
      const run =
        action === 'link-duplicate'
          ? (d: Db, u: CurrentUser, i: number, b: Record<string, unknown>) => linkDuplicate(d, u, i, b.original)
          : ACTIONS.get(action);
      if (!run) throw new AppError('NOT_FOUND');
      const user = request.user!;
      let outcome: unknown;
      try {
        outcome = await run(db, user, id, request.body);
      } catch (err) {
        const conflict = err instanceof AppError && err.code === 'CONFLICT';
        // A colleague saved the draft first: their text is in the form now, and this person's own text beside it.
        if (conflict && action === 'draft-reply')
          return messagePage(
            request,
            reply,
            id,
            { body: request.t('wb.act.draftConflict') },
            409,
            request.body.body ?? '',
          );
        return messagePage(request, reply, id, errorsOf(request, err), conflict ? 409 : 400);
      }
      let done = DONE[action] ?? 'done';
      if (action === 'draft-reply') done = request.body.submit === '1' ? 'replySubmitted' : 'draftSaved';
      if (action === 'approve-reply') done = outcome === 'to-sign' ? 'sentToSign' : 'replyPublished';
      // A message the unit no longer handles (returned, or assigned away by a unit that keeps no view of it) is
      // out of reach: back to the inbox, with the confirmation there.
      const message = await messagesRepository.findById(db, id);
      const stillSeen = message && (await accessFor(db, user, message)) === 'staff';
      return reply.redirect(stillSeen ? `/workbench/messages/${id}?done=${done}` : `/workbench?done=${done}`, 303);
    },
  );

  // How work notices reach this person: always in the site, and by SMS or e-mail when they choose it. The same
  // choice as the work notices' line under /account/notices; editors reach it from the review queue.
  const NOTICES = permission(['inbox.read', 'reply.sign', 'message.review']);
  app.get('/workbench/notices', { config: { access: NOTICES } }, async (request, reply) => {
    const user = requireUser(request);
    const choice = await preferencesFor(db, user.id, WORK_NOTICE_KIND);
    return sendPage(
      reply,
      NoticeSettingsPage({
        ctx: pageContext(request, reply),
        sms: choice.sms,
        email: choice.email,
        emailAddress: await noticePreferencesRepository.verifiedEmail(db, user.id),
        notice: doneNotice(request),
      }),
    );
  });

  app.post(
    '/workbench/notices',
    {
      config: { access: NOTICES },
      schema: {
        body: Type.Object({
          sms: Type.Optional(Type.String({ maxLength: 1 })),
          email: Type.Optional(Type.String({ maxLength: 1 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const email =
        request.body.email === '1' && (await noticePreferencesRepository.verifiedEmail(db, user.id)) !== null;
      await setPreferences(db, user.id, WORK_NOTICE_KIND, { site: true, sms: request.body.sms === '1', email });
      return reply.redirect('/workbench/notices?done=noticesSaved', 303);
    },
  );

  app.get(
    '/api/v1/workbench/inbox',
    {
      config: { access: STAFF },
      schema: {
        tags: ['messages'],
        summary:
          '工作台收件箱：本人所在单位承办或交办的留言（督查看辖区，领导看本人留言板），默认按时限排序；可按状态、超期、即将到期、类型、领域、留言板、优先级、督办、待审批或待签发筛选；附各快速筛选的条数',
        security: [{ bearerAuth: [] }],
        querystring: InboxQuerySchema,
        response: {
          200: Type.Object({
            messages: Type.Array(Type.Object({}, { additionalProperties: true })),
            total: Type.Integer({ description: '符合筛选条件的留言总数' }),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            counts: Type.Record(Type.String(), Type.Integer(), {
              description:
                '各快速筛选的条数：all、pending、assigned、replied、overdue、dueSoon、urgent、supervised、awaitingApproval、awaitingSignature',
            }),
          }),
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const inbox = await loadInbox(db, requireUser(request), request.query);
      return {
        messages: inbox.rows,
        total: inbox.total,
        page: inbox.page,
        pageSize: inbox.pageSize,
        counts: { ...inbox.counts },
      };
    },
  );
};

async function unitName(db: Db, id: number): Promise<string | null> {
  const [unit] = await scopeRepository.unitNames(db, [id]);
  return unit?.name ?? null;
}
