// HTTP for choosing the board to write to: the search page and the region search API.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses } from '../api/schemas.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { REGION_QUERY_MAX_LENGTH, type RegionSearchResult, searchRegions } from './region-search.ts';
import { listProvinces } from './regions.service.ts';
import { ChooseBoardPage } from './views/choose-board-page.tsx';

const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      description: `地区名称、拼音全拼或首字母（如 正定、zhengding、zd），1–${REGION_QUERY_MAX_LENGTH} 个字符；忽略空格、撇号和大小写，繁体和全角字符可用`,
    }),
  ),
});

const RegionSearchBody = Type.Object({
  results: Type.Array(
    Type.Object({
      code: Type.String({ description: 'GB/T 2260 六位地区代码' }),
      name: Type.String(),
      level: Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')]),
      path: Type.String({ description: '从省级到该地区的名称，以空格分隔，如“河北省 石家庄市 正定县”' }),
      boards: Type.Array(Type.Object({ id: Type.Integer({ description: '留言板编号' }), title: Type.String() })),
    }),
    { description: '按匹配程度排序：名称相同、名称开头、名称包含、拼音开头、首字母开头，其次按省、市、县和代码' },
  ),
});

export const chooseBoardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/boards/choose',
    { config: { access: PUBLIC }, schema: { querystring: SearchQuery } },
    async (request, reply) => {
      const ctx = pageContext(request, reply);
      const raw = request.query.q;
      const query = raw?.trim() ?? '';
      let results: RegionSearchResult[] | null = null;
      let error: string | undefined;
      if (raw !== undefined) {
        try {
          results = await searchRegions(app.db, raw);
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'VALIDATION') throw err;
          error = String(err.params.detail ?? ctx.t(err.messageKey, err.params));
        }
      }
      // The provinces are the way in when there is nothing (or nothing useful) to show.
      const provinces = results && results.length > 0 ? [] : await listProvinces(app.db);
      return sendPage(reply, ChooseBoardPage({ ctx, query, results, error, provinces }), error ? 400 : 200);
    },
  );

  app.get(
    '/api/v1/regions/search',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['regions'],
        summary: '按名称或拼音查找地区及其领导留言板（选择留言对象）',
        querystring: SearchQuery,
        response: { 200: RegionSearchBody, ...errorResponses },
      },
    },
    async (request) => ({ results: await searchRegions(app.db, request.query.q ?? '') }),
  );
};
