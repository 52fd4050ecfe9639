// HTTP for solicitations' pages: the public list and page, sending an entry and voting (signed in), "my entries",
// and the editors' pages (solicitation.edit on every one); the JSON API is registered alongside.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { requirePermission, requireUser } from '../accounts/auth.plugin.ts';
import { Id, IdParams } from '../api/schemas.ts';
import { idFromText } from '../db/ids.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { permission, PUBLIC, SIGNED_IN } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { errorsOf } from '../web/form-state.ts';
import { rateLimits } from '../web/rate-limits.ts';
import { pageContext, sendPage } from '../web/render.ts';
import type { FormErrors } from '../web/views/form.tsx';
import { approveEntry, refuseEntry, submitEntry } from './entries.service.ts';
import {
  advancePhase,
  announceResults,
  createSolicitation,
  type EditorActor,
  editorDetail,
  editorList,
  listSolicitations,
  myEntries,
  participation,
  solicitationDetail,
  updateSolicitation,
  voidVotes,
  type WinnerInput,
} from './solicitations.service.ts';
import { solicitationsApiRoutes } from './solicitations-api.routes.ts';
import { EDITOR_BASE, EditorDeskPage, EditorFormPage, EditorListPage } from './views/editor-pages.tsx';
import { MyEntriesPage, SolicitationListPage, SolicitationPage } from './views/solicitation-pages.tsx';
import { castVote } from './votes.service.ts';

type Kept = Record<string, string>;

/** What was typed, to fill the form again: whole (the rules may be long), without the CSRF token. */
function keptValues(body: unknown): Kept {
  const out: Kept = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' && key !== '_csrf') out[key] = value;
  return out;
}

/** The form's errors with the whole-form message on top, so a form that comes back says why even above its fields. */
function errorsWithSummary(request: FastifyRequest, err: unknown): FormErrors {
  const errors = errorsOf(request, err);
  return errors._form || !(err instanceof AppError)
    ? errors
    : { ...errors, _form: request.t(err.messageKey, err.params) };
}

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 6000 }));
const EntryParams = Type.Object({ id: Id(), entryId: Id() });
const EDIT = permission('solicitation.edit');

/** The notices a page may show after a redirect: only these, so a link cannot make the site say anything. */
const DONE = new Set([
  'entrySubmitted',
  'voted',
  'created',
  'saved',
  'advanced',
  'approved',
  'refused',
  'voided',
  'announced',
]);

function doneNotice(request: FastifyRequest): string | undefined {
  const done = (request.query as { done?: unknown } | undefined)?.done;
  return typeof done === 'string' && DONE.has(done) ? request.t(`sol.done.${done}` as MessageKey) : undefined;
}

const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 32 })) });

function editorOf(request: FastifyRequest): EditorActor {
  return { user: requirePermission(request, 'solicitation.edit'), ip: request.ip, t: request.t };
}

/** The winners as the editor's table posts them: `rank_<entry>` and `prize_<entry>` for each approved entry. */
function winnersFromForm(body: Record<string, string>): WinnerInput[] {
  const winners: WinnerInput[] = [];
  for (const [key, value] of Object.entries(body)) {
    const match = /^rank_(\d{1,10})$/.exec(key);
    if (!match || value.trim() === '') continue;
    winners.push({ entryId: match[1], rank: value, prize: body[`prize_${match[1]}`] ?? '' });
  }
  return winners;
}

export const solicitationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  // ── Public pages ───────────────────────────────────────────────────────────────────────────────────────────

  // Anonymous visitors may be shown a copy a few seconds old (PAGE_CACHE_SECONDS): phases change by the day.
  app.get('/solicitations', { config: { access: PUBLIC, publicCache: true } }, async (request, reply) => {
    const solicitations = await listSolicitations(db);
    return sendPage(reply, SolicitationListPage({ ctx: pageContext(request, reply), solicitations }));
  });

  async function solicitationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: { errors?: FormErrors; values?: Kept } = {},
    status = 200,
  ) {
    const s = await solicitationDetail(db, config.secret, id);
    const me = request.user ? await participation(db, s, request.user.id) : null;
    const notice = doneNotice(request);
    return sendPage(reply, SolicitationPage({ ctx: pageContext(request, reply), s, me, notice, ...state }), status);
  }

  app.get(
    '/solicitations/:id',
    { config: { access: PUBLIC, publicCache: true }, schema: { params: IdParams, querystring: DoneQuery } },
    async (request, reply) => solicitationPage(request, reply, request.params.id),
  );

  app.post(
    '/solicitations/:id/entries',
    {
      config: { access: SIGNED_IN, rateLimit: rateLimits(config).submit },
      schema: { params: IdParams, body: FormBody },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const id = request.params.id;
      try {
        await submitEntry(
          { db, secret: config.secret, sensitiveWords: app.sensitiveWords, clientAddress: request.ip, t: request.t },
          user,
          id,
          request.body,
        );
        return reply.redirect(`/solicitations/${id}?done=entrySubmitted#mine`, 303);
      } catch (err) {
        const errors = errorsWithSummary(request, err);
        if (err instanceof AppError && err.code === 'SOLICITATION_NOT_FOUND') throw err;
        return solicitationPage(
          request,
          reply,
          id,
          { errors, values: keptValues(request.body) },
          (err as AppError).statusCode,
        );
      }
    },
  );

  app.post(
    '/solicitations/:id/vote',
    {
      config: { access: SIGNED_IN, rateLimit: rateLimits(config).vote },
      schema: { params: IdParams, body: FormBody },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const id = request.params.id;
      try {
        const entryId = idFromText(request.body.entryId);
        if (entryId === null)
          throw new AppError('ENTRY_NOT_FOUND', { id: String(request.body.entryId ?? '') }, 'entryId');
        await castVote({ db, secret: config.secret, clientAddress: request.ip, t: request.t }, user, id, entryId);
        return reply.redirect(`/solicitations/${id}?done=voted#entry-${entryId}`, 303);
      } catch (err) {
        const errors = errorsOf(request, err);
        if (err instanceof AppError && err.code === 'SOLICITATION_NOT_FOUND') throw err;
        return solicitationPage(
          request,
          reply,
          id,
          { errors: { _form: Object.values(errors)[0] ?? '' } },
          (err as AppError).statusCode,
        );
      }
    },
  );

  app.get('/my/solicitations', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const entries = await myEntries(db, requireUser(request).id);
    return sendPage(reply, MyEntriesPage({ ctx: pageContext(request, reply), entries }));
  });

  // ── Editors' pages ─────────────────────────────────────────────────────────────────────────────────────────

  app.get(EDITOR_BASE, { config: { access: EDIT }, schema: { querystring: DoneQuery } }, async (request, reply) => {
    editorOf(request);
    const rows = await editorList(db);
    return sendPage(reply, EditorListPage({ ctx: pageContext(request, reply), rows, notice: doneNotice(request) }));
  });

  app.get(`${EDITOR_BASE}/new`, { config: { access: EDIT } }, async (request, reply) => {
    editorOf(request);
    return sendPage(reply, EditorFormPage({ ctx: pageContext(request, reply), values: {} }));
  });

  app.post(EDITOR_BASE, { config: { access: EDIT }, schema: { body: FormBody } }, async (request, reply) => {
    const editor = editorOf(request);
    try {
      const id = await createSolicitation(db, editor, request.body);
      return reply.redirect(`${EDITOR_BASE}/${id}?done=created`, 303);
    } catch (err) {
      const errors = errorsWithSummary(request, err);
      return sendPage(
        reply,
        EditorFormPage({ ctx: pageContext(request, reply), values: keptValues(request.body), errors }),
        (err as AppError).statusCode,
      );
    }
  });

  async function deskPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: { errors?: FormErrors; values?: Kept } = {},
    status = 200,
  ) {
    const d = await editorDetail(db, config.secret, id);
    const saved: Record<string, string> = {
      title: d.solicitation.title,
      rules: d.solicitation.rules,
      entriesPerUser: String(d.solicitation.entriesPerUser),
      votesPerUser: String(d.solicitation.votesPerUser),
      ...d.dates,
    };
    return sendPage(
      reply,
      EditorDeskPage({
        ctx: pageContext(request, reply),
        d,
        values: state.values ? { ...saved, ...state.values } : saved,
        notice: doneNotice(request),
        ...(state.errors ? { errors: state.errors } : {}),
      }),
      status,
    );
  }

  app.get(
    `${EDITOR_BASE}/:id`,
    { config: { access: EDIT }, schema: { params: IdParams, querystring: DoneQuery } },
    async (request, reply) => {
      editorOf(request);
      return deskPage(request, reply, request.params.id);
    },
  );

  /** An editor's form on the desk: done → back to the desk with a notice; a problem → the desk with it shown. */
  type DeskParams = { id: number; entryId: number };
  const deskAction =
    (
      run: (editor: EditorActor, params: DeskParams, body: Record<string, unknown>) => Promise<unknown>,
      done: string,
      options: { keepValues?: boolean } = {},
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const editor = editorOf(request);
      const params = request.params as DeskParams;
      const id = params.id;
      const body = (request.body ?? {}) as Record<string, unknown>;
      try {
        await run(editor, params, body);
        return reply.redirect(`${EDITOR_BASE}/${id}?done=${done}`, 303);
      } catch (err) {
        const errors = errorsWithSummary(request, err);
        if (err instanceof AppError && err.code === 'SOLICITATION_NOT_FOUND') throw err;
        return deskPage(
          request,
          reply,
          id,
          options.keepValues
            ? { errors, values: keptValues(body) }
            : { errors: { _form: errors._form ?? Object.values(errors)[0] ?? '' } },
          (err as AppError).statusCode,
        );
      }
    };

  app.post(
    `${EDITOR_BASE}/:id`,
    { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } },
    deskAction((editor, p, body) => updateSolicitation(db, editor, p.id, body), 'saved', { keepValues: true }),
  );
  app.post(
    `${EDITOR_BASE}/:id/advance`,
    { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } },
    deskAction((editor, p) => advancePhase(db, editor, p.id), 'advanced'),
  );
  app.post(
    `${EDITOR_BASE}/:id/entries/:entryId/approve`,
    { config: { access: EDIT }, schema: { params: EntryParams, body: FormBody } },
    deskAction((editor, p) => approveEntry(db, editor, p.id, p.entryId), 'approved'),
  );
  app.post(
    `${EDITOR_BASE}/:id/entries/:entryId/refuse`,
    { config: { access: EDIT }, schema: { params: EntryParams, body: FormBody } },
    deskAction((editor, p, body) => refuseEntry(db, editor, p.id, p.entryId, { reason: body.reason }), 'refused'),
  );
  app.post(
    `${EDITOR_BASE}/:id/votes/void`,
    {
      config: { access: EDIT },
      schema: {
        params: IdParams,
        body: Type.Object({
          voteIds: Type.Optional(
            Type.Union([
              Type.String({ maxLength: 12 }),
              Type.Array(Type.String({ maxLength: 12 }), { maxItems: 1000 }),
            ]),
          ),
          reason: Type.Optional(Type.String({ maxLength: 1000 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    deskAction(
      (editor, p, body) =>
        voidVotes(db, editor, p.id, {
          voteIds: body.voteIds === undefined ? [] : ([] as unknown[]).concat(body.voteIds),
          reason: body.reason,
        }),
      'voided',
    ),
  );
  app.post(
    `${EDITOR_BASE}/:id/announce`,
    { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } },
    deskAction(
      (editor, p, body) =>
        announceResults(db, editor, p.id, {
          winners: winnersFromForm(body as Record<string, string>),
          note: body.note,
        }),
      'announced',
    ),
  );

  await app.register(solicitationsApiRoutes);
};
