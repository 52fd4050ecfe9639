// The yearly indicator table per region (一地区一行，末行合计), for the government-website performance assessment:
// a preview page and CSV/XLSX downloads, with headings in the requester's language (Chinese by default).
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorBody } from '../api/schemas.ts';
import type { Db } from '../db/kysely.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { type Cell, type DataTable, isExportFormat, sendTable } from '../exports/table-export.ts';
import { regionsRepository } from '../regions/regions.repository.ts';
import { getRegion, type Region } from '../regions/regions.service.ts';
import { DEFAULT_LOCALE, LOCALES, localized, type MessageKey, translator, type Translate } from '../i18n/i18n.ts';
import { namesFor, type Names } from '../i18n/place-names.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { FIGURES, figureLabel, INDICATOR_FIGURES, roundFigures, type FigureKey, type Figures } from './figures.ts';
import { parsePeriod, type Period } from './periods.ts';
import { scopeKey, statsService, type Scope } from './stats.service.ts';
import { IndicatorsPage } from './views/indicators-page.tsx';

/** The columns after 地区代码 and 地区, in the order of the assessment's indicator tables; headings `indicators.col.*`. */
export const INDICATOR_COLUMNS: { key: FigureKey; label: MessageKey }[] = INDICATOR_FIGURES.map((key) => ({
  key,
  label: `indicators.col.${key}`,
}));

/**
 * Rates (0–1) and satisfaction (0–100) as percentages with one decimal; an empty cell when not computed: a download's
 * numeric columns hold numbers only, the page shows "样本不足" or "—" and the download's note column says why.
 */
export function indicatorCell(key: FigureKey, value: number | null): Cell {
  const kind = FIGURES[key].kind;
  if (value === null) return null;
  if (kind === 'rate') return Number((value * 100).toFixed(1));
  if (kind === 'percent') return Number(value.toFixed(1));
  return value;
}

/** The figures of a row whose sample was too small, for the note column. */
function indicatorNote(figures: Figures, t: Translate): string {
  const small = INDICATOR_COLUMNS.filter((c) => figures[c.key] === null && FIGURES[c.key].kind !== 'days');
  const list = small.map((c) => figureLabel(c.key, t)).join(t('stats.listSeparator'));
  return small.length > 0 ? t('stats.export.tooFewFor', { figures: list }) : '';
}

export interface IndicatorRow {
  code: string;
  name: string;
  /** 'child' for a region below, 'own' for messages to the region's own boards, 'total' for the 合计 row. */
  kind: 'child' | 'own' | 'total';
  figures: Figures;
}

export interface IndicatorTable {
  year: number;
  period: Period;
  region: Region | null;
  rows: IndicatorRow[];
  weights: Awaited<ReturnType<typeof statsService.weights>>;
}

function parseYear(value: string | undefined, now = new Date()): number {
  const text = (value ?? '').trim();
  if (text === '') return Number(chinaDate(now).slice(0, 4));
  const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(year >= 2000 && year <= 2100))
    throw new AppError('VALIDATION', { detail: localized('indicators.error.year') }, 'year');
  return year;
}

async function parseRegion(db: Db, value: string | undefined): Promise<Region | null> {
  const code = (value ?? '').trim();
  if (code === '') return null;
  if (!/^\d{6}$/.test(code))
    throw new AppError('VALIDATION', { detail: localized('indicators.error.region') }, 'region');
  const region = await getRegion(db, code);
  if (region.level === 'county')
    throw new AppError(
      'VALIDATION',
      { detail: localized('indicators.error.county', { name: placeName(region.name) }) },
      'region',
    );
  return region;
}

/**
 * One row per region directly below the chosen one (each province for the platform), a row for the messages
 * to the region's own boards (本级) when it has any, and the 合计 row: the whole region, so it equals the sum
 * of the rows above for the counts.
 */
export async function indicatorTable(db: Db, query: { year?: string; region?: string }): Promise<IndicatorTable> {
  const year = parseYear(query.year);
  const region = await parseRegion(db, query.region);
  const period = parsePeriod({ period: String(year) });
  const children = region
    ? await regionsRepository.listChildren(db, region.code)
    : await regionsRepository.listTopLevel(db);
  const scopes: Scope[] = children.map((r) => ({ kind: 'region', code: r.code, level: r.level }));
  const total: Scope = region ? { kind: 'region', code: region.code, level: region.level } : { kind: 'platform' };
  const [figures, weights] = await Promise.all([
    statsService.figuresFor(db, [...scopes, total], period),
    statsService.weights(db),
  ]);
  const rows: IndicatorRow[] = children.map((r, i) => ({
    code: r.code,
    name: r.name,
    kind: 'child',
    figures: figures.get(scopeKey(scopes[i]!))!,
  }));
  if (region) {
    const own = await statsService.figures(db, { kind: 'region-own', code: region.code }, period);
    if (own.received > 0) rows.push({ code: region.code, name: region.name, kind: 'own', figures: own });
  }
  rows.push({ code: region?.code ?? '', name: '', kind: 'total', figures: figures.get(scopeKey(total))! });
  return { year, period, region, rows, weights };
}

/** A region's name for an error, in the language of the translator that shows it (there is one per locale). */
const placeName = (name: string) => (t: Translate) =>
  namesFor(LOCALES.find((locale) => translator(locale) === t) ?? DEFAULT_LOCALE).place(name);

/** A row's name: the region's, "本级" for the region's own boards, "合计" for the total. */
function rowName(r: IndicatorRow, t: Translate, names: Names): string {
  if (r.kind === 'total') return t('indicators.total');
  const name = names.place(r.name);
  return r.kind === 'own' ? t('indicators.own', { name }) : name;
}

/** The table in the reader's language: headings, names of regions, notes (a download is made per request). */
export function indicatorDataTable(table: IndicatorTable, t: Translate, names: Names): DataTable {
  const region = table.region ? names.place(table.region.name) : null;
  return {
    title: region
      ? t('indicators.title.region', { year: table.year, name: region })
      : t('indicators.title.provinces', { year: table.year }),
    columns: [
      { key: 'code', label: t('stats.col.regionCode') },
      { key: 'name', label: t('stats.col.region') },
      ...INDICATOR_COLUMNS.map((c) => ({
        key: c.key,
        label: t(c.label),
        ...(FIGURES[c.key].kind === 'count'
          ? {}
          : { missing: FIGURES[c.key].kind === 'days' ? '—' : t('stats.tooFew') }),
      })),
      { key: 'note', label: t('stats.col.note'), exportOnly: true },
    ],
    rows: table.rows.map((r) => ({
      code: r.code,
      name: rowName(r, t, names),
      ...Object.fromEntries(INDICATOR_COLUMNS.map((c) => [c.key, indicatorCell(c.key, r.figures[c.key])])),
      note: indicatorNote(r.figures, t),
    })),
  };
}

const s = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));

const IndicatorQuery = {
  year: s(8, '年份 YYYY；缺省为今年'),
  region: s(12, '省级或地级地区代码；缺省为各省'),
};

export const indicatorsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/api/v1/stats/indicators',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['stats'],
        summary: '年度指标表：所选地区的每个直接下级地区一行（缺省为各省），本级留言一行（如有），末行合计',
        querystring: Type.Object(IndicatorQuery),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            region: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
            rows: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                kind: Type.String({ description: 'child 下级地区、own 本级、total 合计' }),
                figures: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]), {
                  description: '与 /api/v1/stats 相同：比率为 0–1 的小数，满意度为 0–100；样本不足时为 null',
                }),
              }),
            ),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const table = await indicatorTable(db, request.query);
      return {
        year: table.year,
        region: table.region ? { code: table.region.code, name: table.region.name } : null,
        rows: table.rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, figures: roundFigures(r.figures) })),
      };
    },
  );

  app.get(
    '/stats/indicators',
    {
      config: { access: PUBLIC },
      schema: {
        querystring: Type.Object({ ...IndicatorQuery, format: s(8, '下载格式 csv | xlsx；缺省显示网页') }),
      },
    },
    async (request, reply) => {
      const format = request.query.format || null;
      if (format !== null && !isExportFormat(format))
        throw new AppError('VALIDATION', { detail: localized('stats.error.format') }, 'format');
      const table = await indicatorTable(db, request.query);
      const data = indicatorDataTable(table, request.t, namesFor(request.locale));
      if (format !== null) return sendTable(reply, data, format);
      return sendPage(reply, IndicatorsPage({ ctx: pageContext(request, reply), table, data }));
    },
  );
};
