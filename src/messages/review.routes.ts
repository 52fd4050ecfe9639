// HTTP for the editors' review queue (/review): the queue with what each item needs attention for (past its review
// deadline, masked personal data, sensitive words, flooding), and approving, declining, linking, approving in a batch.
import { batchIds, failedIds, failedQuery, runBatch } from '../workflow/batch.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { requirePermission } from '../accounts/auth.plugin.ts';
import { IdParams } from '../api/schemas.ts';
import { permission } from '../web/access.ts';
import { doneNotice, errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { channelLabel } from './channels.ts';
import { floodingOf } from './flooding.ts';
import { DOMAINS, type Domain, MESSAGE_TYPES, type MessageType } from './message-kinds.ts';
import { messagesRepository } from './messages.repository.ts';
import { reviewRepository } from './review.repository.ts';
import { approveMessage, linkDuplicate, rejectMessage } from './review.ts';
import { type ReviewBatch, ReviewPage } from './views/review-page.tsx';

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 5000 }));
const REVIEW = permission('message.review');
/** One page of the queue, the oldest first: what has waited longest is reviewed first. */
const QUEUE_PAGE = 50;

export const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  async function reviewPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: Record<string, string>; batch?: ReviewBatch } = {},
    status = 200,
  ) {
    requirePermission(request, 'message.review');
    const now = new Date();
    const listed = await messagesRepository.listForReview(db, QUEUE_PAGE);
    const flooding = await floodingOf(
      db,
      listed.map((m) => m.id),
      now,
    );
    const rows = listed.map((m) => ({
      id: m.id,
      title: m.title,
      body: m.body,
      board: `${m.region_name} · ${m.board_title}`,
      type: MESSAGE_TYPES[m.type as MessageType] ?? m.type,
      domain: DOMAINS[m.domain as Domain]?.label ?? m.domain,
      flags: JSON.parse(m.flags) as { personalData: string[]; sensitiveWords: string[] },
      submittedAt: m.submitted_at,
      reviewDueAt: m.review_due_at,
      overdue: Date.parse(m.review_due_at) < now.getTime(),
      typeKey: m.type,
      domainKey: m.domain,
      channel: channelLabel(m.channel, m.organisation),
      channelKey: m.channel,
      organisation: m.organisation ?? null,
      regionName: m.region_name,
      boardTitle: m.board_title,
      needsClassification: m.channel === 'sms',
      flooding: flooding.get(m.id) ?? null,
    }));
    const size = await reviewRepository.queueSize(db, now.toISOString());
    const notice = doneNotice(request);
    return sendPage(reply, ReviewPage({ ctx: pageContext(request, reply), rows, size, notice, ...state }), status);
  }

  app.get(
    '/review',
    {
      config: { access: REVIEW },
      schema: {
        querystring: Type.Object({
          done: Type.Optional(Type.String({ maxLength: 32 })),
          approved: Type.Optional(Type.String({ maxLength: 6 })),
          failed: Type.Optional(Type.String({ maxLength: 400 })),
        }),
      },
    },
    async (request, reply) => {
      const { approved, failed } = request.query;
      const batch =
        approved === undefined
          ? undefined
          : {
              approved: Number(approved) || 0,
              failed: failedIds(failed),
            };
      return reviewPage(request, reply, { batch });
    },
  );

  const reviewAction =
    (run: (user: CurrentUser, id: number, body: Record<string, string>) => Promise<void>, done: string) =>
    async (request: FastifyRequest<{ Params: { id: number }; Body: Record<string, string> }>, reply: FastifyReply) => {
      const user = requirePermission(request, 'message.review');
      try {
        await run(user, request.params.id, request.body ?? {});
        return reply.redirect(`/review?done=${done}`, 303);
      } catch (err) {
        return reviewPage(request, reply, { errors: { _form: Object.values(errorsOf(request, err))[0] ?? '' } }, 400);
      }
    };
  app.post(
    '/review/:id/approve',
    { config: { access: REVIEW }, schema: { params: IdParams, body: FormBody } },
    reviewAction((u, id, b) => approveMessage(db, u, id, b.note, { type: b.type, domain: b.domain }), 'approved'),
  );
  app.post(
    '/review/:id/reject',
    { config: { access: REVIEW }, schema: { params: IdParams, body: FormBody } },
    reviewAction((u, id, b) => rejectMessage(db, u, id, b), 'rejected'),
  );
  app.post(
    '/review/:id/duplicate',
    { config: { access: REVIEW }, schema: { params: IdParams, body: FormBody } },
    reviewAction((u, id, b) => linkDuplicate(db, u, id, b.original), 'linked'),
  );

  // Several at once: each is its own approval (its own transaction, case event and notices), as if approved one by
  // one; one that cannot be approved as it stands (a text message still to be classified, one already handled) is
  // left in the queue and named.
  app.post(
    '/review/batch',
    {
      config: { access: REVIEW },
      schema: {
        body: Type.Object({
          ids: Type.Optional(
            Type.Union([
              Type.String({ maxLength: 12 }),
              Type.Array(Type.String({ maxLength: 12 }), { maxItems: QUEUE_PAGE }),
            ]),
          ),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const user = requirePermission(request, 'message.review');
      const { ok, failed } = await runBatch(batchIds(request.body.ids), (id) => approveMessage(db, user, id));
      return reply.redirect(`/review?approved=${ok}${failedQuery(failed)}`, 303);
    },
  );
};
