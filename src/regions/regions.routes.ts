// HTTP for the home page, region pages and the regions API.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { RegionCodeParams, RegionDetailBody, RegionListBody, errorResponses } from '../api/schemas.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { latestReplies, listMessages } from '../search/message-list.ts';
import { platformHeadline } from '../stats/stats-page.service.ts';
import { getRegionDetail, listProvinces } from './regions.service.ts';
import { HomePage } from './views/home-page.tsx';
import { articlesService } from '../news/articles.service.ts';
import { RegionPage } from './views/region-page.tsx';

export const regionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { config: { access: PUBLIC, publicCache: true } }, async (request, reply) => {
    const [provinces, headline, replies, latest, news] = await app.pageCache.shared('home', () =>
      Promise.all([
        listProvinces(app.db),
        platformHeadline(app.db),
        latestReplies(app.db, 8),
        listMessages(app.db, { limit: 8 }),
        articlesService.latest(app.db, 3),
      ]),
    );
    const ctx = pageContext(request, reply);
    return sendPage(reply, HomePage({ ctx, provinces, headline, replies, latest: latest.items, news }));
  });

  const regionRoute = {
    config: { access: PUBLIC, publicCache: true, regionalLocale: 'code' },
    schema: { params: Type.Object({ code: Type.String({ maxLength: 12 }) }) },
  };
  app.get('/regions/:code', regionRoute, async (request, reply) => {
    const detail = await getRegionDetail(app.db, request.params.code);
    const code = detail.region.code;
    const latest = detail.region.hasBoards
      ? await app.pageCache.shared(
          `region ${code}`,
          async () => (await listMessages(app.db, { region: code, limit: 10 })).items,
        )
      : [];
    return sendPage(reply, RegionPage({ ctx: pageContext(request, reply), detail, latest }));
  });

  app.get(
    '/api/v1/regions',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['regions'],
        summary: '省级地区列表（开通留言板的 33 个）',
        response: { 200: RegionListBody, ...errorResponses },
      },
    },
    async () => ({ regions: await listProvinces(app.db) }),
  );

  app.get(
    '/api/v1/regions/:code',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['regions'],
        summary: '地区详情：领导留言板、办理单位、下级地区与上级路径',
        params: RegionCodeParams,
        response: { 200: RegionDetailBody, ...errorResponses },
      },
    },
    async (request) => getRegionDetail(app.db, request.params.code),
  );
};
