// HTTP for finding messages: the search page and the list API (filters, full text, keyset paging).
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorBody } from '../api/schemas.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { listMessages, type ListQuery } from './message-list.ts';
import { SearchPage } from './views/search-page.tsx';

const s = (max: number, description?: string) =>
  Type.Optional(Type.String({ maxLength: max, ...(description ? { description } : {}) }));
const ListQuerySchema = Type.Object({
  q: s(200, '关键词（1–50 个字；中文按字符匹配，英文单词和数字整体匹配）'),
  region: s(6, '地区代码（含下级地区）'),
  board: s(10, '留言板编号'),
  type: s(16, 'consult | suggest | complain | help | thanks'),
  domain: s(16, '领域'),
  status: s(16, 'pending | assigned | replied | closed'),
  overdue: s(1, '1：已超期'),
  from: s(10, '审核通过日期起（YYYY-MM-DD）'),
  to: s(10, '审核通过日期止（YYYY-MM-DD）'),
  signed: s(1, '1：有领导签发的答复'),
  sort: s(16, 'newest（默认）| replied（最近答复）'),
  cursor: s(200, '上一页返回的 next'),
});

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/search',
    { config: { access: PUBLIC }, schema: { querystring: ListQuerySchema } },
    async (request, reply) => {
      const query = Object.fromEntries(
        Object.entries(request.query).filter(([k, v]) => v !== '' || k === 'q'),
      ) as ListQuery;
      const ctx = pageContext(request, reply);
      try {
        const page =
          query.q === undefined && Object.keys(query).length === 0
            ? { items: [], terms: [], next: null }
            : await listMessages(db, query);
        return sendPage(reply, SearchPage({ ctx, query, ...page }));
      } catch (err) {
        // A bad query is answered on the page itself, never with an error page.
        return sendPage(
          reply,
          SearchPage({ ctx, query, items: [], terms: [], next: null, errors: errorsOf(request, err) }),
          400,
        );
      }
    },
  );

  app.get(
    '/api/v1/messages',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['messages'],
        summary: '公开留言列表：筛选、全文搜索、按游标分页（next 作为下一页的 cursor）',
        querystring: ListQuerySchema,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({}, { additionalProperties: true })),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ErrorBody,
        },
      },
    },
    async (request) => {
      const query = Object.fromEntries(
        Object.entries(request.query).filter(([k, v]) => v !== '' || k === 'q'),
      ) as ListQuery;
      const page = await listMessages(db, query);
      return { items: page.items, next: page.next };
    },
  );
};
