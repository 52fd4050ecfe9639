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
import { localized, type Translate } from '../i18n/i18n.ts';
import { namesFor } from '../i18n/place-names.ts';
import {
  FIGURES,
  figureFormula,
  figureLabel,
  roundFigures,
  TABLE_FIGURES,
  type FigureKey,
  type Figures,
} from './figures.ts';
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
  scopePageData,
  type ScopeInfo,
} from './stats-page.service.ts';
import { statsService } from './stats.service.ts';
import { periodName, scopeName, type ScopeWords, StatsPage } from './views/stats-page.tsx';

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

/** The note column of a row: which of its rates and satisfaction figures the sample was too small for. */
function sampleNote(t: Translate, f: Figures, keys: readonly FigureKey[]): string {
  const small = keys.filter((key) => f[key] === null && FIGURES[key].kind !== 'days').map((key) => figureLabel(key, t));
  return small.length > 0 ? t('stats.export.tooFewFor', { figures: small.join(t('stats.listSeparator')) }) : '';
}
/** A figure's column heading in a download, with its unit: "答复率（%）", "Reply rate (%)". */
function exportLabel(key: FigureKey, t: Translate): string {
  const kind = FIGURES[key].kind;
  const label = figureLabel(key, t);
  return kind === 'rate' || kind === 'percent'
    ? t('stats.export.percent', { label })
    : kind === 'days'
      ? t('stats.export.workingDays', { label })
      : label;
}
const figureColumns = (t: Translate) => TABLE_FIGURES.map((key) => ({ key, label: exportLabel(key, t) }));
const figureCells = (t: Translate, f: Figures) => ({
  ...Object.fromEntries(TABLE_FIGURES.map((key) => [key, exportCell(key, f[key])])),
  note: sampleNote(t, f, TABLE_FIGURES),
});

async function pageData(db: Db, info: ScopeInfo, query: { period?: string; from?: string; to?: string; by?: string }) {
  const period = parsePeriod(query);
  const by = parseFigureKey(query.by);
  const [data, headline] = await Promise.all([
    scopePageData(db, info, period, by),
    info.type === 'platform' ? platformHeadline(db) : Promise.resolve(null),
  ]);
  return { period, by, ...data, headline };
}

type Data = Awaited<ReturnType<typeof pageData>>;

/**
 * A table of the page as a download, in the requester's language: headings, figure names, notes and the names of
 * regions and units (a download is made per request).
 */
function tableOf(info: ScopeInfo, data: Data, which: string, words: ScopeWords): DataTable {
  const { t, names } = words;
  const scope = scopeName(info, words).text;
  const period = periodName(data.period, t);
  const noteColumn = { key: 'note', label: t('stats.col.note') };
  switch (which) {
    case 'figures':
      return {
        title: t('stats.export.figures', { scope, period }),
        columns: [
          { key: 'figure', label: t('stats.col.figure') },
          { key: 'value', label: t('stats.col.value') },
          noteColumn,
          { key: 'formula', label: t('stats.col.formula') },
        ],
        rows: (Object.keys(FIGURES) as FigureKey[]).map((key) => ({
          figure: exportLabel(key, t),
          value: exportCell(key, data.figures[key]),
          note: data.figures[key] === null && FIGURES[key].kind !== 'days' ? t('stats.export.tooFew') : '',
          formula: figureFormula(key, t),
        })),
      };
    case 'months':
      return {
        title: t('stats.export.months', { scope, period }),
        columns: [{ key: 'month', label: t('stats.col.month') }, ...figureColumns(t), noteColumn],
        rows: data.trend.map((m) => ({ month: m.month, ...figureCells(t, m.figures) })),
      };
    case 'ranking':
      return {
        title: t('stats.export.ranking', { scope, period, figure: figureLabel(data.by, t) }),
        columns: [
          { key: 'rank', label: t('stats.col.rank') },
          { key: 'code', label: t('stats.col.regionCode') },
          { key: 'name', label: t('stats.col.region') },
          ...figureColumns(t),
          noteColumn,
        ],
        rows: data.ranking.map((r) => {
          const cells = figureCells(t, r.figures);
          const unranked = r.rank === null ? t('stats.export.unranked') : '';
          return {
            rank: r.rank,
            code: r.item.code,
            name: names.place(r.item.name),
            ...cells,
            note: [unranked, cells.note].filter(Boolean).join(t('stats.noteSeparator')),
          };
        }),
      };
    case 'units':
      return {
        title: t('stats.export.units', { scope, period }),
        columns: [
          { key: 'id', label: t('stats.col.unitId') },
          { key: 'name', label: t('stats.col.unit') },
          ...figureColumns(t),
          noteColumn,
        ],
        rows: data.units.map((u) => ({ id: u.id, name: names.unit(u.name), ...figureCells(t, u.figures) })),
      };
    default:
      throw new AppError('VALIDATION', { detail: localized('stats.error.table') }, 'table');
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
      if (errors)
        throw new AppError('VALIDATION', { detail: Object.values(errors).join(request.t('stats.noteSeparator')) });
      if (!isExportFormat(query.format))
        throw new AppError('VALIDATION', { detail: localized('stats.error.format') }, 'format');
      const words = { t: request.t, names: namesFor(request.locale), locale: request.locale };
      return sendTable(reply, tableOf(info, data, query.table ?? 'figures', words), query.format);
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
      config: { access: PUBLIC, publicCache: true, regionalLocale: 'code' },
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
      config: { access: PUBLIC, publicCache: true, regionalLocale: 'id' },
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
      const reading = await statsService.reading(db);
      const figures = await statsService.figures(db, info.scope, period, reading);
      const weights = reading.weights;
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
