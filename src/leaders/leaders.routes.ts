// HTTP for the leaders' pages (/leaders, /leaders/:id) and their API.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, Id } from '../api/schemas.ts';
import { idFromText } from '../db/ids.ts';
import { REGION_LEVELS, type RegionLevel } from '../regions/region-kinds.ts';
import { roundFigures } from '../stats/figures.ts';
import { PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { type Leader, leadersService, type LeaderWhoReplied } from './leaders.service.ts';
import { LeaderPage, LeadersPage } from './views/leaders-pages.tsx';

export const REPLIES_PAGE_SIZE = 20;
export const LEADERS_PAGE_SIZE = 50;

const Level = Type.Union(
  REGION_LEVELS.map((l) => Type.Literal(l)),
  { description: 'province（省级）、city（市级）或 county（县级）' },
);
const Page = Type.Integer({ minimum: 1, maximum: 100000, description: '页码，从 1 开始' });

const LeaderBody = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  post: Type.String({ description: '任职时留言板的职务名称，如 县长、市委书记' }),
  boardId: Type.Integer(),
  boardTitle: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  level: Type.String({ description: 'province、city 或 county' }),
  levelLabel: Type.String(),
  since: Type.Union([Type.String(), Type.Null()], { description: '任职开始；null 为未记录' }),
  until: Type.Union([Type.String(), Type.Null()], { description: '任职结束；null 为现任' }),
  current: Type.Boolean(),
  url: Type.String(),
});
const LeaderCount = Type.Intersect([
  LeaderBody,
  Type.Object({
    signed: Type.Integer({ description: '任期内签发、在公开留言上发布的答复条数' }),
    lastSignedAt: Type.Union([Type.String(), Type.Null()]),
  }),
]);

const leaderJson = (l: Leader) => ({ ...l, url: `/leaders/${l.id}` });
const countedJson = (l: LeaderWhoReplied) => ({ ...leaderJson(l), signed: l.signed, lastSignedAt: l.lastSignedAt });

export const leadersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/leaders',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: { querystring: Type.Object({ level: Type.Optional(Level), page: Type.Optional(Page) }) },
    },
    async (request, reply) => {
      const overview = await leadersService.overview(db);
      const { level, page = 1 } = request.query;
      // A page past the last of a level lists nobody: an empty table under "N 位" would contradict itself.
      if (level && page > 1 && (page - 1) * LEADERS_PAGE_SIZE >= overview.byLevel[level as RegionLevel].length)
        throw new AppError('NOT_FOUND');
      return sendPage(
        reply,
        LeadersPage({
          ctx: pageContext(request, reply),
          overview,
          level: level as RegionLevel | undefined,
          page,
          pageSize: LEADERS_PAGE_SIZE,
        }),
      );
    },
  );

  app.get(
    '/leaders/:id',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 12 }) }),
        querystring: Type.Object({ page: Type.Optional(Page) }),
      },
    },
    async (request, reply) => {
      const id = idFromText(request.params.id);
      if (id === null) throw new AppError('LEADER_NOT_FOUND', { id: request.params.id });
      const page = request.query.page ?? 1;
      const leader = await leadersService.leader(db, id);
      const [signed, figures, terms] = await Promise.all([
        leadersService.signedReplies(db, leader, page, REPLIES_PAGE_SIZE),
        leadersService.figures(db, leader),
        leadersService.terms(db, leader.boardId),
      ]);
      // A page past the last has no replies: "还没有签发公开答复" under "签发的答复（5 条）" would contradict itself.
      if (page > 1 && signed.replies.length === 0) throw new AppError('NOT_FOUND');
      return sendPage(
        reply,
        LeaderPage({
          ctx: pageContext(request, reply),
          leader,
          signedTotal: signed.total,
          replies: signed.replies,
          page,
          pageSize: REPLIES_PAGE_SIZE,
          figures,
          terms,
        }),
      );
    },
  );

  app.get(
    '/api/v1/leaders',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['leaders'],
        summary: '公开回复的领导：任期内签发过公开答复的领导，按地区级别分组，附各级人数和每人签发条数',
        querystring: Type.Object({ level: Type.Optional(Level) }),
        response: {
          200: Type.Object({
            counts: Type.Object({
              province: Type.Integer({ description: '省级领导人数' }),
              city: Type.Integer(),
              county: Type.Integer(),
            }),
            leaders: Type.Array(LeaderCount, { description: '签发条数多的在前' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { counts, byLevel } = await leadersService.overview(db);
      const levels = request.query.level ? [request.query.level as RegionLevel] : REGION_LEVELS;
      return { counts, leaders: levels.flatMap((l) => byLevel[l]).map(countedJson) };
    },
  );

  app.get(
    '/api/v1/leaders/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['leaders'],
        summary: '一位领导：职务、任期、留言板，任期内签发的公开答复（最新的在前，按页码分页）和任期内留言板的指标',
        params: Type.Object({ id: Id({ description: '领导（任职记录）编号' }) }),
        querystring: Type.Object({ page: Type.Optional(Page) }),
        response: {
          200: Type.Object({
            leader: LeaderBody,
            figures: Type.Object(
              {
                from: Type.String(),
                to: Type.String(),
                values: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
              },
              { description: '任期内（按日）留言板的公开指标，计算方法见 /stats' },
            ),
            replies: Type.Array(
              Type.Object({
                replyId: Type.Integer(),
                messageId: Type.Integer(),
                title: Type.String(),
                excerpt: Type.String(),
                resolved: Type.Boolean(),
                signedAt: Type.String(),
                signerName: Type.Union([Type.String(), Type.Null()]),
                url: Type.String(),
              }),
            ),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            terms: Type.Array(
              Type.Object({
                id: Type.Integer(),
                name: Type.String(),
                post: Type.String(),
                since: Type.Union([Type.String(), Type.Null()]),
                until: Type.Union([Type.String(), Type.Null()]),
              }),
              { description: '该留言板的历任领导，现任在前' },
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const leader = await leadersService.leader(db, request.params.id);
      const [signed, figures, terms] = await Promise.all([
        leadersService.signedReplies(db, leader, page, REPLIES_PAGE_SIZE),
        leadersService.figures(db, leader),
        leadersService.terms(db, leader.boardId),
      ]);
      return {
        leader: leaderJson(leader),
        figures: { from: figures.from, to: figures.to, values: roundFigures(figures.figures) },
        replies: signed.replies.map((r) => ({ ...r, url: `/messages/${r.messageId}` })),
        total: signed.total,
        page,
        pageSize: REPLIES_PAGE_SIZE,
        terms,
      };
    },
  );
};
