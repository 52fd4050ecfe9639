// HTTP for the published figures: the statistics pages (platform, region, unit, board), their downloads and the API.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ErrorBody } from '../api/schemas.ts';
import type { Db } from '../db/kysely.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { isExportFormat, sendTable, type Cell, type DataTable } from '../exports/table-export.ts';
import { AppError } from '../web/app-error.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { FIGURES, roundFigures, TABLE_FIGURES, type FigureKey, type Figures } from './figures.ts';
import { parsePeriod, type Period } from './periods.ts';
import {
  describeBoard,
  describeQuery,
  describeRegion,
  describeUnit,
  parseFigureKey,
  platformHeadline,
  platformScope,
  rankedRegions,
  unitsWithFigures,
  type ScopeInfo,
} from './stats-page.service.ts';
import { statsService } from './stats.service.ts';
import { StatsPage } from './views/stats-page.tsx';

const s = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));
const PeriodQuery = {
  period: s(8, '统计期：YYYY、YYYY-Q1…Q4 或 YYYY-MM；缺省为今年'),
  from: s(10, '自定统计期开始日期 YYYY-MM-DD（与 to 同用）'),
  to: s(10, '自定统计期结束日期 YYYY-MM-DD'),
};
const PageQuery = Type.Object({
  ...PeriodQuery,
  by: s(32, '排名指标'),
  table: s(16, '下载哪张表：figures | months | ranking | units'),
  format: s(8, 'csv | xlsx'),
});
const FiguresSchema = Type.Object(
  Object.fromEntries(
    (Object.keys(FIGURES) as FigureKey[]).map((k) => [
      k,
      FIGURES[k].kind === 'count' ? Type.Number() : Type.Union([Type.Number(), Type.Null()]),
    ]),
  ),
  { description: '比率为 0–1 的小数，满意度为 0–100；样本不足 5 条时为 null' },
);
const PeriodSchema = Type.Object({ from: Type.String(), to: Type.String(), label: Type.String() });

/** The choices offered in the period menu: recent years, quarters and months ('2026', '2026-Q3', '2026-07'). */
function periodOptions(now = new Date()): string[] {
  const today = chinaDate(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const options: string[] = [];
  for (const y of [year, year - 1, year - 2]) options.push(String(y));
  for (const y of [year, year - 1]) {
    for (let q = 4; q >= 1; q--) {
      if (y === year && (q - 1) * 3 + 1 > month) continue;
      options.push(`${y}-Q${q}`);
    }
  }
  for (let i = 0; i < 12; i++) {
    const m = ((month - 1 - i + 120) % 12) + 1;
    const y = year - Math.floor((i - (month - 1) + 11) / 12);
    options.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return options;
}

function periodQueryOf(query: { period?: string; from?: string; to?: string }, period: Period): Record<string, string> {
  if (period.kind === 'custom') return { from: period.from, to: period.to };
  return { period: query.period || period.from.slice(0, 4) };
}

/** A figure in a download: numbers only (rates in %); a figure not computed is an empty cell, the note says why. */
function exportCell(key: FigureKey, value: number | null): Cell {
  const kind = FIGURES[key].kind;
  if (value === null) return null;
  if (kind === 'rate') return Number((value * 100).toFixed(1));
  if (kind === 'percent') return Number(value.toFixed(1));
  return value;
}

const SMALL_SAMPLE = '样本不足';

/** The note column of a row: which of its rates and satisfaction figures the sample was too small for. */
function sampleNote(f: Figures, keys: readonly FigureKey[]): string {
  const small = keys.filter((key) => f[key] === null && FIGURES[key].kind !== 'days').map((key) => FIGURES[key].label);
  return small.length > 0 ? `${SMALL_SAMPLE}：${small.join('、')}` : '';
}
const noteColumn = { key: 'note', label: '说明' };
function exportLabel(key: FigureKey): string {
  const kind = FIGURES[key].kind;
  return kind === 'rate' || kind === 'percent'
    ? `${FIGURES[key].label}（%）`
    : kind === 'days'
      ? `${FIGURES[key].label}（工作日）`
      : FIGURES[key].label;
}
const figureColumns = TABLE_FIGURES.map((key) => ({ key, label: exportLabel(key) }));
const figureCells = (f: Figures) => ({
  ...Object.fromEntries(TABLE_FIGURES.map((key) => [key, exportCell(key, f[key])])),
  note: sampleNote(f, TABLE_FIGURES),
});

async function pageData(db: Db, info: ScopeInfo, query: { period?: string; from?: string; to?: string; by?: string }) {
  const period = parsePeriod(query);
  const by = parseFigureKey(query.by);
  const [figures, trend, ranking, units, headline, weights] = await Promise.all([
    statsService.figures(db, info.scope, period),
    statsService.trend(db, info.scope, period),
    rankedRegions(db, info, period, by),
    info.region ? unitsWithFigures(db, info.region.code, period) : Promise.resolve([]),
    info.type === 'platform' ? platformHeadline(db) : Promise.resolve(null),
    statsService.weights(db),
  ]);
  return { period, by, figures, trend, ranking, units, headline, weights };
}

type Data = Awaited<ReturnType<typeof pageData>>;

function tableOf(info: ScopeInfo, data: Data, which: string): DataTable {
  const prefix = `${info.name}${data.period.label}`;
  switch (which) {
    case 'figures':
      return {
        title: `${prefix}留言办理指标`,
        columns: [
          { key: 'figure', label: '指标' },
          { key: 'value', label: '数值' },
          noteColumn,
          { key: 'formula', label: '计算方法' },
        ],
        rows: (Object.keys(FIGURES) as FigureKey[]).map((key) => ({
          figure: exportLabel(key),
          value: exportCell(key, data.figures[key]),
          note: data.figures[key] === null && FIGURES[key].kind !== 'days' ? SMALL_SAMPLE : '',
          formula: FIGURES[key].formula,
        })),
      };
    case 'months':
      return {
        title: `${prefix}按月统计`,
        columns: [{ key: 'month', label: '月份' }, ...figureColumns, noteColumn],
        rows: data.trend.map((t) => ({ month: t.month, ...figureCells(t.figures) })),
      };
    case 'ranking':
      return {
        title: `${prefix}地区排名（按${FIGURES[data.by].label}）`,
        columns: [
          { key: 'rank', label: '名次' },
          { key: 'code', label: '地区代码' },
          { key: 'name', label: '地区' },
          ...figureColumns,
          noteColumn,
        ],
        rows: data.ranking.map((r) => {
          const cells = figureCells(r.figures);
          const unranked = r.rank === null ? '不参与排名' : '';
          return {
            rank: r.rank,
            code: r.item.code,
            name: r.item.name,
            ...cells,
            note: [unranked, cells.note].filter(Boolean).join('；'),
          };
        }),
      };
    case 'units':
      return {
        title: `${prefix}办理单位指标`,
        columns: [{ key: 'id', label: '单位编号' }, { key: 'name', label: '办理单位' }, ...figureColumns, noteColumn],
        rows: data.units.map((u) => ({ id: u.id, name: u.name, ...figureCells(u.figures) })),
      };
    default:
      throw new AppError('VALIDATION', { detail: '没有这张表：可下载 figures、months、ranking、units' }, 'table');
  }
}

export const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    info: ScopeInfo,
    query: { period?: string; from?: string; to?: string; by?: string; table?: string; format?: string },
  ) {
    let data: Data;
    let errors: Record<string, string> | undefined;
    try {
      data = await pageData(db, info, query);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION') throw err;
      // A bad period or ranking choice is answered on the page, with this year's figures.
      errors = errorsOf(request, err);
      data = await pageData(db, info, {});
    }
    if (query.format !== undefined || query.table !== undefined) {
      if (errors) throw new AppError('VALIDATION', { detail: Object.values(errors).join('；') });
      if (!isExportFormat(query.format))
        throw new AppError('VALIDATION', { detail: '下载格式应为 csv 或 xlsx' }, 'format');
      return sendTable(reply, tableOf(info, data, query.table ?? 'figures'), query.format);
    }
    return sendPage(
      reply,
      StatsPage({
        ctx: pageContext(request, reply),
        info,
        ...data,
        periodOptions: periodOptions(),
        periodQuery: periodQueryOf(errors ? {} : query, data.period),
        errors,
      }),
      errors ? 400 : 200,
    );
  }

  app.get(
    '/stats',
    { config: { access: PUBLIC, publicCache: true }, schema: { querystring: PageQuery } },
    async (request, reply) => page(request, reply, platformScope(), request.query),
  );
  app.get(
    '/stats/regions/:code',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: { params: Type.Object({ code: Type.String({ maxLength: 12 }) }), querystring: PageQuery },
    },
    async (request, reply) => page(request, reply, await describeRegion(db, request.params.code), request.query),
  );
  app.get(
    '/stats/units/:id',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 12 }) }), querystring: PageQuery },
    },
    async (request, reply) => page(request, reply, await describeUnit(db, request.params.id), request.query),
  );
  app.get(
    '/stats/boards/:id',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 12 }) }), querystring: PageQuery },
    },
    async (request, reply) => page(request, reply, await describeBoard(db, request.params.id), request.query),
  );

  app.get(
    '/api/v1/stats',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['stats'],
        summary: '一个范围（全平台、地区含下级、办理单位或留言板）在一个统计期内的各项指标',
        querystring: Type.Object({
          region: s(12, '地区代码（含下级地区）'),
          unit: s(12, '办理单位编号'),
          board: s(12, '留言板编号'),
          ...PeriodQuery,
        }),
        response: {
          200: Type.Object({
            scope: Type.Object({
              type: Type.String(),
              id: Type.Union([Type.String(), Type.Null()]),
              name: Type.String(),
            }),
            period: PeriodSchema,
            weights: Type.Object({ resolution: Type.Number(), timeliness: Type.Number(), attitude: Type.Number() }),
            figures: FiguresSchema,
            formulas: Type.Record(Type.String(), Type.String()),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const info = await describeQuery(db, request.query);
      const period = parsePeriod(request.query);
      const [figures, weights] = await Promise.all([
        statsService.figures(db, info.scope, period),
        statsService.weights(db),
      ]);
      return {
        scope: { type: info.type, id: info.id, name: info.name },
        period: { from: period.from, to: period.to, label: period.label },
        weights,
        figures: roundFigures(figures),
        formulas: Object.fromEntries(Object.entries(FIGURES).map(([k, d]) => [k, d.formula])),
      };
    },
  );

  app.get(
    '/api/v1/stats/rankings',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['stats'],
        summary: '排名：全平台时为各省，地区时为其直接下辖地区；按一项指标排序，样本不足的排在最后（rank 为 null）',
        querystring: Type.Object({
          region: s(12, '上级地区代码；缺省为全平台'),
          by: s(32, '排名指标，缺省 replyRate'),
          ...PeriodQuery,
        }),
        response: {
          200: Type.Object({
            period: PeriodSchema,
            by: Type.String(),
            items: Type.Array(
              Type.Object({
                rank: Type.Union([Type.Number(), Type.Null()]),
                code: Type.String(),
                name: Type.String(),
                figures: FiguresSchema,
              }),
            ),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const info = request.query.region ? await describeRegion(db, request.query.region) : platformScope();
      const period = parsePeriod(request.query);
      const by = parseFigureKey(request.query.by);
      const ranking = await rankedRegions(db, info, period, by);
      return {
        period: { from: period.from, to: period.to, label: period.label },
        by,
        items: ranking.map((r) => ({
          rank: r.rank,
          code: r.item.code,
          name: r.item.name,
          figures: roundFigures(r.figures),
        })),
      };
    },
  );
};
