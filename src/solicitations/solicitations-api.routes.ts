// The JSON API of solicitations (/api/v1): the public list and detail, sending entries and voting for apps, "my
// entries", and the editors' actions with the same rules as the pages.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { requirePermission, requireUser } from '../accounts/auth.plugin.ts';
import { ErrorBody, Id, IdParams } from '../api/schemas.ts';
import { permission, PUBLIC, SIGNED_IN } from '../web/access.ts';
import { rateLimits } from '../web/rate-limits.ts';
import { approveEntry, ENTRY_BODY_MAX, ENTRY_TITLE_MAX, refuseEntry, submitEntry } from './entries.service.ts';
import { DATE_FIELDS, PHASES } from './phases.ts';
import { ENTRY_STATUSES, type SolicitationDetail } from './solicitation-view.ts';
import {
  advancePhase,
  announceResults,
  createSolicitation,
  type EditorActor,
  editorDetail,
  listSolicitations,
  myEntries,
  participation,
  RULES_MAX,
  solicitationDetail,
  TITLE_MAX,
  updateSolicitation,
  voidVotes,
} from './solicitations.service.ts';
import { castVote } from './votes.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const bearer = [{ bearerAuth: [] }];
const tags = ['solicitations'];
const EDIT = permission('solicitation.edit');
const EntryParams = Type.Object({ id: Id({ description: '征集编号' }), entryId: Id({ description: '作品编号' }) });
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const STAGES = ['upcoming', ...PHASES, 'closed'];

const PhaseBody = Type.Object({
  key: Type.String({ description: PHASES.join(' | ') }),
  label: Type.String(),
  start: Type.String({ description: '开始日期（北京时间，YYYY-MM-DD）' }),
  end: Type.String({ description: '结束日期（北京时间，含当天）' }),
  startAt: Type.String({ description: '开始时刻（ISO 8601）' }),
  endAt: Type.String({ description: '结束时刻（ISO 8601，不含）' }),
  current: Type.Boolean({ description: '当前所处的阶段' }),
});

const summaryFields = {
  id: Type.Integer(),
  title: Type.String(),
  stage: Type.String({ description: STAGES.join(' | ') }),
  running: Type.Boolean({ description: '所处阶段正在进行（false：该阶段已结束、下一阶段尚未开始）' }),
  group: Type.String({ description: 'open（征集中）| voting（投票中）| closed（已结束）' }),
  stageLabel: Type.String({ description: '如“投票中”“投票已截止，等待公布结果”' }),
  phases: Type.Array(PhaseBody),
  entriesPerUser: Type.Integer({ description: '每个账号最多投稿件数' }),
  votesPerUser: Type.Integer({ description: '每个账号票数' }),
  announcedAt: Nullable(Type.String()),
};
const SummaryBody = Type.Object(summaryFields, { description: '征集活动' });

const PublicEntryBody = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  author: Type.String({ description: '作者昵称（个人信息已遮挡），或“网友”加编号' }),
  votes: Nullable(Type.Integer({ description: '有效票数；投票进行中为 null' })),
  rank: Nullable(Type.Integer()),
  prize: Nullable(Type.String()),
});

const MyEntryBody = Type.Object({
  id: Type.Integer(),
  solicitationId: Type.Integer(),
  solicitationTitle: Type.String(),
  title: Type.String(),
  body: Type.String(),
  status: Type.String({ description: Object.keys(ENTRY_STATUSES).join(' | ') }),
  statusLabel: Type.String(),
  refuseReason: Nullable(Type.String({ description: '未采用的理由' })),
  submittedAt: Type.String(),
  reviewedAt: Nullable(Type.String()),
  rank: Nullable(Type.Integer()),
  prize: Nullable(Type.String()),
});

const ParticipationBody = Type.Object(
  {
    entries: Type.Array(MyEntryBody),
    entriesUsed: Type.Integer(),
    votesUsed: Type.Integer(),
    votesLeft: Type.Integer(),
    votedEntryIds: Type.Array(Type.Integer()),
    canSubmit: Type.Boolean(),
  },
  { description: '当前账号的参与情况' },
);

const detailFields = {
  ...summaryFields,
  rules: Type.String(),
  announcement: Nullable(Type.String()),
  entries: Type.Array(PublicEntryBody, { description: '已通过审核的作品' }),
  winners: Type.Array(PublicEntryBody, { description: '获奖作品（公布后）' }),
  countsVisible: Type.Boolean(),
  acceptingEntries: Type.Boolean(),
  votingOpen: Type.Boolean(),
};
const DetailBody = Type.Object({
  ...detailFields,
  me: Type.Union([ParticipationBody, Type.Null()], { description: '带令牌请求时为当前账号的参与情况' }),
});

const EditorEntryBody = Type.Object({
  ...PublicEntryBody.properties,
  status: Type.String(),
  statusLabel: Type.String(),
  authorId: Type.Integer(),
  flags: Type.Object({ personalData: Type.Array(Type.String()), sensitiveWords: Type.Array(Type.String()) }),
  refuseReason: Nullable(Type.String()),
  submittedAt: Type.String(),
  validVotes: Type.Integer(),
  flaggedVotes: Type.Integer(),
  voidedVotes: Type.Integer(),
});

const FlaggedVoteBody = Type.Object({
  id: Type.Integer(),
  entryId: Type.Integer(),
  entryTitle: Type.String(),
  voterId: Type.Integer(),
  voterNickname: Type.String(),
  voterRegisteredAt: Type.String(),
  network: Nullable(Type.String({ description: '网络地址加密摘要的前 8 位' })),
  burst: Type.Boolean(),
  newAccount: Type.Boolean(),
  votedAt: Type.String(),
  voidedAt: Nullable(Type.String()),
  voidReason: Nullable(Type.String()),
});

const DeskBody = Type.Object({
  solicitation: Type.Object(detailFields),
  dates: Type.Record(Type.String(), Type.String()),
  waiting: Type.Array(EditorEntryBody),
  entries: Type.Array(EditorEntryBody),
  flagged: Type.Array(FlaggedVoteBody),
  canAnnounce: Type.Boolean(),
  canAdvance: Type.Boolean(),
});

const Dates = Object.fromEntries(
  DATE_FIELDS.map((f) => [f, Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD（北京时间）' }))]),
);
const SolicitationInputBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: TITLE_MAX * 2, description: `名称（必填，4–${TITLE_MAX} 个字）` })),
    rules: Type.Optional(Type.String({ maxLength: RULES_MAX * 2, description: '征集规则（必填）' })),
    entriesPerUser: Type.Optional(Type.Integer({ description: '每个账号最多投稿件数（必填，1–10）' })),
    votesPerUser: Type.Optional(Type.Integer({ description: '每个账号票数（必填，1–50）' })),
    ...Dates,
  },
  { description: '各阶段依次为 entries、review、voting、results，每个阶段的开始和结束日期（含首尾两天）都必填' },
);

function editorOf(request: FastifyRequest): EditorActor {
  return { user: requirePermission(request, 'solicitation.edit'), ip: request.ip, t: request.t };
}

export const solicitationsApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  const detailFor = async (request: FastifyRequest, id: number) => {
    const s: SolicitationDetail = await solicitationDetail(db, config.secret, id);
    return { ...s, me: request.user ? await participation(db, s, request.user.id) : null };
  };

  app.get(
    '/api/v1/solicitations',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: '征集活动列表：征集中、投票中和已结束的，最近开始的在前',
        response: { 200: Type.Object({ solicitations: Type.Array(SummaryBody) }), ...errors },
      },
    },
    async () => ({ solicitations: await listSolicitations(db) }),
  );

  app.get(
    '/api/v1/solicitations/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: '一次征集：规则、日程、已通过的作品（投票结束后带票数）、评选结果；带令牌时含本人的作品和投票',
        params: IdParams,
        response: { 200: DetailBody, ...errors },
      },
    },
    async (request) => detailFor(request, request.params.id),
  );

  app.post(
    '/api/v1/solicitations/:id/entries',
    {
      config: { access: SIGNED_IN, rateLimit: rateLimits(config).submit },
      schema: {
        tags,
        summary: '投稿：征集阶段内提交作品，经编辑审核通过后公开',
        security: bearer,
        params: IdParams,
        body: Type.Object({
          title: Type.Optional(Type.String({ maxLength: ENTRY_TITLE_MAX * 2, description: '作品标题（必填）' })),
          body: Type.Optional(Type.String({ maxLength: ENTRY_BODY_MAX * 2, description: '作品说明' })),
          anonymous: Type.Optional(Type.Boolean({ description: '以“网友”加编号署名，不显示昵称' })),
        }),
        response: { 201: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const result = await submitEntry(
        { db, secret: config.secret, sensitiveWords: app.sensitiveWords, clientAddress: request.ip, t: request.t },
        requireUser(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/v1/solicitations/:id/votes',
    {
      config: { access: SIGNED_IN, rateLimit: rateLimits(config).vote },
      schema: {
        tags,
        summary:
          '投票：投票阶段内给一件已通过的作品投一票；同一作品再投返回 409 ALREADY_VOTED，票数用完返回 409 VOTE_ALLOWANCE_USED',
        security: bearer,
        params: IdParams,
        body: Type.Object({ entryId: Id({ description: '作品编号' }) }),
        response: {
          201: Type.Object({ voteId: Type.Integer(), votesUsed: Type.Integer(), votesLeft: Type.Integer() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const outcome = await castVote(
        { db, secret: config.secret, clientAddress: request.ip, t: request.t },
        requireUser(request),
        request.params.id,
        request.body.entryId,
      );
      return reply
        .status(201)
        .send({ voteId: outcome.voteId, votesUsed: outcome.votesUsed, votesLeft: outcome.votesLeft });
    },
  );

  app.get(
    '/api/v1/me/solicitation-entries',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags,
        summary: '我的征集作品：每件作品的审核状态，未采用的附理由',
        security: bearer,
        response: { 200: Type.Object({ entries: Type.Array(MyEntryBody) }), ...errors },
      },
    },
    async (request) => ({ entries: await myEntries(db, requireUser(request).id) }),
  );

  // ── Editors ────────────────────────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/solicitations',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：新建征集活动',
        security: bearer,
        body: SolicitationInputBody,
        response: { 201: DetailBody, ...errors },
      },
    },
    async (request, reply) => {
      const id = await createSolicitation(db, editorOf(request), request.body);
      return reply.status(201).send(await detailFor(request, id));
    },
  );

  app.put(
    '/api/v1/solicitations/:id',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：修改征集活动（各项都要给出；日期不变的阶段保持原来的时刻）',
        security: bearer,
        params: IdParams,
        body: SolicitationInputBody,
        response: { 200: DetailBody, ...errors },
      },
    },
    async (request) => {
      await updateSolicitation(db, editorOf(request), request.params.id, request.body);
      return detailFor(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/solicitations/:id/advance',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：当前阶段立即结束，下一阶段立即开始（如提前截止投稿、提前结束投票）',
        security: bearer,
        params: IdParams,
        response: { 200: DetailBody, ...errors },
      },
    },
    async (request) => {
      await advancePhase(db, editorOf(request), request.params.id);
      return detailFor(request, request.params.id);
    },
  );

  app.get(
    '/api/v1/solicitations/:id/desk',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：全部作品（含待审核和未采用）及各自的有效票、可疑票、作废票，以及可疑投票明细',
        security: bearer,
        params: IdParams,
        response: { 200: DeskBody, ...errors },
      },
    },
    async (request) => {
      editorOf(request);
      return editorDetail(db, config.secret, request.params.id);
    },
  );

  app.post(
    '/api/v1/solicitations/:id/entries/:entryId/approve',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：作品审核通过并公开',
        security: bearer,
        params: EntryParams,
        response: { 200: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors },
      },
    },
    async (request) => {
      await approveEntry(db, editorOf(request), request.params.id, request.params.entryId);
      return { id: request.params.entryId, status: 'approved' };
    },
  );

  app.post(
    '/api/v1/solicitations/:id/entries/:entryId/refuse',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：不予采用，理由作者可见（已通过的作品被撤下时，其得票作废并退还给投票人）',
        security: bearer,
        params: EntryParams,
        body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000, description: '理由（必填）' })) }),
        response: { 200: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors },
      },
    },
    async (request) => {
      await refuseEntry(db, editorOf(request), request.params.id, request.params.entryId, request.body);
      return { id: request.params.entryId, status: 'refused' };
    },
  );

  app.post(
    '/api/v1/solicitations/:id/votes/void',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：作废被标记为可疑的投票（不再计票，记录保留）',
        security: bearer,
        params: IdParams,
        body: Type.Object({
          voteIds: Type.Optional(Type.Array(Id(), { maxItems: 1000, description: '投票编号（必填）' })),
          reason: Type.Optional(Type.String({ maxLength: 1000, description: '理由（必填）' })),
        }),
        response: { 200: Type.Object({ voided: Type.Integer() }), ...errors },
      },
    },
    async (request) => ({ voided: await voidVotes(db, editorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/api/v1/solicitations/:id/announce',
    {
      config: { access: EDIT },
      schema: {
        tags,
        summary: '编辑：投票结束后公布评选结果（获奖作品的名次和奖项，以及说明）；可再次公布以更正',
        security: bearer,
        params: IdParams,
        body: Type.Object({
          winners: Type.Optional(
            Type.Array(
              Type.Object({
                entryId: Id({ description: '作品编号' }),
                rank: Type.Integer({ minimum: 1, maximum: 100, description: '名次，1 为最高' }),
                prize: Type.Optional(Type.String({ maxLength: 120, description: '奖项' })),
              }),
              { maxItems: 100 },
            ),
          ),
          note: Type.Optional(Type.String({ maxLength: 4000, description: '公布说明' })),
        }),
        response: { 200: DetailBody, ...errors },
      },
    },
    async (request) => {
      await announceResults(db, editorOf(request), request.params.id, request.body);
      return detailFor(request, request.params.id);
    },
  );
};
