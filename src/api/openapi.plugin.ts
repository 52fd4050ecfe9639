// Describes the JSON API as OpenAPI, served at /api/v1/openapi.json.
import { PUBLIC } from '../web/access.ts';
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

async function openapi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Liuyan 留言 API',
        version: '1',
        description: '网民留言办理平台的开放接口。错误统一为 {"error":{"code":"…","message":"…"}}。',
      },
      tags: [
        { name: 'regions', description: '行政区划' },
        { name: 'boards', description: '领导留言板' },
        { name: 'auth', description: '账号、登录与令牌' },
        { name: 'messages', description: '留言与办理' },
        { name: 'notifications', description: '通知' },
        { name: 'follows', description: '关注' },
        { name: 'stats', description: '统计：公开的指标、排名与计算方法' },
        { name: 'honours', description: '年度考评：已公布的先进单位和先进工作者' },
        { name: 'news', description: '新闻公告与年度会议存档；编辑的文章接口' },
        { name: 'leaders', description: '公开回复的领导：历任领导、签发的答复和任期内的指标' },
        { name: 'solicitations', description: '网民征集：投稿、投票和评选结果；编辑的征集管理接口' },
        { name: 'stories', description: '《“帖”近现场》视频故事；编辑的故事、视频和字幕接口' },
        { name: 'health', description: '运行状态' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'POST /api/v1/auth/token 取得的令牌' },
        },
      },
    },
    hideUntagged: true,
  });
  app.get('/api/v1/openapi.json', { config: { access: PUBLIC }, schema: { hide: true } }, async () => app.swagger());
}

export default fp(openapi, { name: 'openapi' });
