// HTTP for finding messages: the search page and the list API (filters, full text, keyset paging).
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorBody } from '../api/schemas.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { countMessages, listMessages, type ListQuery } from './message-list.ts';
import { REGION_QUERY_MAX_LENGTH, searchRegions } from '../regions/region-search.ts';
import { getRegion, getAncestors } from '../regions/regions.service.ts';
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
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: '每页条数（1–100，默认 20）' })),
});

/** Results are counted up to this many; more shows as "more than". */
const COUNT_CAP = 1000;

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  /** "河北省 石家庄市 正定县" for a region code, or null when there is no such region. */
  async function regionLabel(code: string): Promise<{ code: string; path: string } | null> {
    if (!/^\d{6}$/.test(code)) return null;
    try {
      const region = await getRegion(db, code);
      const ancestors = await getAncestors(db, region);
      return { code, path: [...ancestors, region].map((r) => r.name).join(' ') };
    } catch {
      return null;
    }
  }

  app.get(
    '/search',
    {
      config: { access: PUBLIC },
      schema: {
        querystring: Type.Object({
          ...ListQuerySchema.properties,
          place: s(REGION_QUERY_MAX_LENGTH, '地区名称或拼音（由地区查找换成地区代码）'),
        }),
      },
    },
    async (request, reply) => {
      const { place, ...rest } = request.query;
      const query = Object.fromEntries(Object.entries(rest).filter(([k, v]) => v !== '' || k === 'q')) as ListQuery;
      const ctx = pageContext(request, reply);
      // A place typed by name is looked up as the board chooser does; the best match filters, the others are offered.
      const typed = place?.trim() ?? '';
      // "河北省 石家庄市 正定县" (as the field shows a chosen region) is looked up by its last name, then matched whole.
      const found = typed && !query.region ? await searchRegions(db, typed.split(/\s+/).pop()!, 20) : [];
      const best = found.find((r) => r.path === typed) ?? found[0];
      const places = best ? [best, ...found.filter((r) => r !== best).slice(0, 4)] : [];
      if (best) query.region = best.code;
      const region = query.region ? await regionLabel(query.region) : null;
      try {
        const asked = query.q !== undefined || Object.keys(query).length > 0;
        const page = asked ? await listMessages(db, query) : { items: [], terms: [], next: null };
        // A first page with no next page holds every match: nothing more to count.
        const count =
          asked && !query.cursor
            ? page.next === null
              ? page.items.length
              : await countMessages(db, query, COUNT_CAP)
            : null;
        const view = { ctx, query, ...page, count, countCap: COUNT_CAP, place: place ?? '', region, places };
        return sendPage(reply, SearchPage(view));
      } catch (err) {
        // A bad query is answered on the page itself, never with an error page.
        const view = { ctx, query, items: [], terms: [], next: null, count: null, countCap: COUNT_CAP };
        return sendPage(
          reply,
          SearchPage({ ...view, place: place ?? '', region, places, errors: errorsOf(request, err) }),
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
