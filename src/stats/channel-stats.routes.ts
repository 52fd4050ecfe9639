// GET /api/v1/stats/channels: how many messages each channel brought in a period and scope, and how many are answered.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorBody, Id } from '../api/schemas.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { localized } from '../i18n/i18n.ts';
import { CHANNELS, channelLabel } from '../messages/channels.ts';
import { PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { channelStatsRepository, type ScopeColumn } from './channel-stats.repository.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD（北京时间）' });
const LEVEL_COLUMN: Record<string, ScopeColumn> = {
  province: 'province_code',
  city: 'city_code',
  county: 'region_code',
};

export const channelStatsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  app.get(
    '/api/v1/stats/channels',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['stats'],
        summary:
          '按来源渠道（网站、客户端、短信、Open311 及其接入机构）统计收到和已答复的留言；口径同其他统计（按审核通过转到办理单位的日期）',
        querystring: Type.Object({
          region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          unit: Type.Optional(Id()),
          board: Type.Optional(Id()),
          from: Type.Optional(Day),
          to: Type.Optional(Day),
        }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            formula: Type.String(),
            channels: Type.Array(
              Type.Object({
                channel: Type.String(),
                label: Type.String(),
                received: Type.Integer(),
                replied: Type.Integer(),
                organisations: Type.Array(
                  Type.Object({ name: Type.String(), received: Type.Integer(), replied: Type.Integer() }),
                ),
              }),
            ),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const today = chinaDate(new Date());
      const from = q.from ?? `${today.slice(0, 4)}-01-01`;
      const to = q.to ?? today;
      if (from > to) throw new AppError('VALIDATION', { detail: localized('stats.error.order') }, 'from');
      let column: ScopeColumn | null = null;
      let value: string | number | null = null;
      if (q.region) {
        const region = await channelStatsRepository.region(db, q.region);
        if (!region) throw new AppError('REGION_NOT_FOUND', { code: q.region });
        column = LEVEL_COLUMN[region.level] ?? 'region_code';
        value = q.region;
      } else if (q.unit) {
        column = 'unit_id';
        value = q.unit;
      } else if (q.board) {
        column = 'board_id';
        value = q.board;
      }
      const rows = await channelStatsRepository.byChannel(db, { column, value, from, to });
      const channels = Object.keys(CHANNELS).map((channel) => {
        const mine = rows.filter((r) => r.channel === channel);
        return {
          channel,
          label: channelLabel(channel),
          received: mine.reduce((n, r) => n + r.received, 0),
          replied: mine.reduce((n, r) => n + r.replied, 0),
          organisations: mine
            .filter((r) => r.organisation)
            .map((r) => ({ name: r.organisation!, received: r.received, replied: r.replied })),
        };
      });
      return {
        from,
        to,
        formula: '收到 = 统计期内经审核转到办理单位的留言数；已答复 = 其中已发布答复的留言数；按留言的来源渠道分列',
        channels,
      };
    },
  );
};
