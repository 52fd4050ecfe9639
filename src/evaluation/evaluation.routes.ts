// HTTP for the annual evaluation: the admin's pages and forms, the public honours pages, certificates, downloads
// and the honours API.
import { permission, PUBLIC } from '../web/access.ts';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { errorResponses, Id } from '../api/schemas.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { type DataTable, isExportFormat, sendTable } from '../exports/table-export.ts';
import { localized, type MessageKey } from '../i18n/i18n.ts';
import { namesFor } from '../i18n/place-names.ts';
import { AppError } from '../web/app-error.ts';
import { errorsOf } from '../web/form-state.ts';
import type { PageContext } from '../web/page-context.ts';
import { pageContext, sendPage } from '../web/render.ts';
import type { FormErrors } from '../web/views/form.tsx';
import type { AwardRow } from './evaluation.repository.ts';
import { checkYear, evaluationService, issuerOf } from './evaluation.service.ts';
import { resultsTable, unitAwardsTable, workerAwardsTable, workersTable } from './evaluation-tables.ts';
import { configToForm, formulaNotes, formulaText, LEVEL_LABELS, type Level } from './scoring.ts';
import { CertificatePage } from './views/certificate-page.tsx';
import {
  EvaluationIndexPage,
  EvaluationTablePage,
  EvaluationYearPage,
  type YearPageData,
} from './views/evaluation-admin-pages.tsx';
import {
  HonoursIndexPage,
  HonoursResultsPage,
  HonoursYearPage,
  namesAsWritten,
  unitNames,
} from './views/honours-pages.tsx';
import { articlesService } from '../news/articles.service.ts';

const CERTIFICATE_CSS = readFileSync(new URL('./views/certificate.css', import.meta.url), 'utf8');

const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: '年度，如 2026' });
const YearParams = Type.Object({ year: Year });
const AwardParams = Type.Object({ year: Year, awardId: Id() });
const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 5000 }));
const ExportQuery = Type.Object({
  format: Type.Optional(Type.String({ maxLength: 10 })),
  list: Type.Optional(Type.String({ maxLength: 10 })),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});

/** Notices after a redirect: only these, so a link cannot make the page say anything. */
const NOTICES: Record<string, MessageKey> = {
  saved: 'evaluation.notice.saved',
  run: 'evaluation.notice.run',
  added: 'evaluation.notice.added',
  removed: 'evaluation.notice.removed',
  confirmed: 'evaluation.notice.confirmed',
  published: 'evaluation.notice.published',
};

/** `?format=` asks for a download: csv or xlsx; anything else is a bad request. */
function exportFormat(format: string | undefined) {
  if (format === undefined || format === '') return null;
  if (!isExportFormat(format)) throw new AppError('VALIDATION', { detail: localized('stats.error.format') }, 'format');
  return format;
}

/** The requester's language for a table, shown or downloaded (a download is made per request). */
const wordsOf = (request: FastifyRequest) => ({ t: request.t, names: namesFor(request.locale) });

/** A rejected form as errors beside its fields; anything that is not a mistake in the form goes on. */
function formErrors(request: FastifyRequest, err: unknown, form: Record<string, string> = {}): FormErrors {
  errorsOf(request, err);
  const e = err as AppError;
  if (e.code !== 'VALIDATION' && e.code !== 'FORM_INVALID') throw err;
  const list = e.fields.length > 0 ? e.fields : [e];
  // Beside a field the detail is enough: said in the reader's language when it is a catalogue text.
  const detail = (f: AppError) => {
    const d = f.params.detail;
    return typeof d === 'function' ? d(request.t) : typeof d === 'string' ? d : request.t(f.messageKey, f.params);
  };
  return { ...Object.fromEntries(list.map((f) => [f.field ?? '_form', detail(f)])), ...form };
}

// JSON shapes of the honours API.
const Rate = Type.Union([Type.Number(), Type.Null()], { description: '0–1；样本不足时为 null' });
const UnitAward = Type.Object({
  awardId: Type.Integer(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  level: Type.String({ description: 'province、city 或 county' }),
  levelLabel: Type.String(),
  rank: Type.Union([Type.Integer(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()], { description: '综合得分，0–100' }),
  received: Type.Integer(),
  replied: Type.Integer(),
  replyRate: Rate,
  onTimeRate: Rate,
  satisfaction: Rate,
  resolutionRate: Rate,
  certificateUrl: Type.String(),
});
const WorkerAward = Type.Object({
  awardId: Type.Integer(),
  name: Type.String(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  replies: Type.Integer(),
  ratings: Type.Integer(),
  satisfaction: Type.Union([Type.Number(), Type.Null()], { description: '0–100' }),
  certificateUrl: Type.String(),
});
const HonoursBody = Type.Object({
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      publishedAt: Type.String(),
      formula: Type.String(),
      notes: Type.Array(Type.String()),
      units: Type.Array(UnitAward),
      workers: Type.Array(WorkerAward),
    }),
  ),
});

export const evaluationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  /** The admin pages of the evaluation: those who may run it, with two-step verification where required. */
  const MANAGE = permission('evaluation.manage');

  const actor = (request: FastifyRequest) => ({ id: request.user!.id, ip: request.ip });

  async function yearData(year: number): Promise<YearPageData> {
    const [state, units, workers, awards, edits] = await Promise.all([
      evaluationService.year(db, year),
      evaluationService.unitResults(db, year),
      evaluationService.workerResults(db, year),
      evaluationService.awards(db, year),
      evaluationService.edits(db, year),
    ]);
    return { state, units, workers, awards, edits };
  }

  async function yearPage(
    request: FastifyRequest,
    reply: FastifyReply,
    year: number,
    state: { values?: Record<string, string>; errors?: FormErrors; errorFor?: number; notice?: string } = {},
    status = 200,
  ) {
    const data = await yearData(year);
    return sendPage(
      reply,
      EvaluationYearPage({
        ctx: pageContext(request, reply),
        data,
        values: state.values ?? configToForm(data.state.config),
        errors: state.errors,
        errorFor: state.errorFor,
        notice: state.notice,
      }),
      status,
    );
  }

  app.get('/admin/evaluation', { config: { access: MANAGE } }, async (request, reply) => {
    const years = await evaluationService.years(db);
    const current = Number(chinaDate(new Date()).slice(0, 4));
    return sendPage(reply, EvaluationIndexPage({ ctx: pageContext(request, reply), years, current }));
  });

  app.get(
    '/admin/evaluation/:year',
    { config: { access: MANAGE }, schema: { params: YearParams, querystring: ExportQuery } },
    async (request, reply) => {
      const year = checkYear(request.params.year);
      const done = request.query.done;
      return yearPage(request, reply, year, {
        notice: done && Object.hasOwn(NOTICES, done) ? request.t(NOTICES[done]!) : undefined,
      });
    },
  );

  app.post(
    '/admin/evaluation/:year/config',
    { config: { access: MANAGE }, schema: { params: YearParams, body: FormBody } },
    async (request, reply) => {
      const year = checkYear(request.params.year);
      try {
        await evaluationService.saveConfig(db, actor(request), year, request.body);
        return reply.redirect(`/admin/evaluation/${year}?done=saved`, 303);
      } catch (err) {
        const values = Object.fromEntries(
          Object.entries(request.body)
            .filter(([k]) => k !== '_csrf')
            .map(([k, v]) => [k, v.slice(0, 20)]),
        );
        return yearPage(
          request,
          reply,
          year,
          { values, errors: formErrors(request, err, { _form_of: 'config' }) },
          400,
        );
      }
    },
  );

  app.post(
    '/admin/evaluation/:year/run',
    { config: { access: MANAGE }, schema: { params: YearParams } },
    async (request, reply) => {
      const year = checkYear(request.params.year);
      try {
        await evaluationService.run(db, actor(request), year);
        return reply.redirect(`/admin/evaluation/${year}?done=run`, 303);
      } catch (err) {
        return yearPage(request, reply, year, { errors: formErrors(request, err, { _form_of: 'run' }) }, 400);
      }
    },
  );

  app.post(
    '/admin/evaluation/:year/awards',
    { config: { access: MANAGE }, schema: { params: YearParams, body: FormBody } },
    async (request, reply) => {
      const year = checkYear(request.params.year);
      try {
        await evaluationService.addAward(db, actor(request), year, request.body);
        return reply.redirect(`/admin/evaluation/${year}?done=added`, 303);
      } catch (err) {
        const kind = request.body.kind === 'worker' ? 'worker' : 'unit';
        return yearPage(request, reply, year, { errors: formErrors(request, err, { _kind: kind }) }, 400);
      }
    },
  );

  app.post(
    '/admin/evaluation/:year/awards/:awardId/remove',
    { config: { access: MANAGE }, schema: { params: AwardParams, body: FormBody } },
    async (request, reply) => {
      const year = checkYear(request.params.year);
      const { awardId } = request.params;
      try {
        await evaluationService.removeAward(db, actor(request), year, awardId, request.body);
        return reply.redirect(`/admin/evaluation/${year}?done=removed`, 303);
      } catch (err) {
        const errors = formErrors(request, err);
        // A refusal of the step itself (published, not run) belongs to the page, not to the one award.
        if (errors._form) errors._form_of = 'step';
        return yearPage(request, reply, year, { errors, errorFor: awardId }, 400);
      }
    },
  );

  for (const step of ['confirm', 'publish'] as const) {
    app.post(
      `/admin/evaluation/:year/${step}`,
      { config: { access: MANAGE }, schema: { params: YearParams } },
      async (request, reply) => {
        const year = checkYear(request.params.year);
        try {
          await evaluationService[step](db, actor(request), year);
          return reply.redirect(
            `/admin/evaluation/${year}?done=${step === 'confirm' ? 'confirmed' : 'published'}`,
            303,
          );
        } catch (err) {
          return yearPage(request, reply, year, { errors: formErrors(request, err, { _form_of: 'step' }) }, 400);
        }
      },
    );
  }

  async function tablePage(
    request: FastifyRequest,
    reply: FastifyReply,
    year: number,
    format: string | undefined,
    table: DataTable,
    label: string,
    asWritten: (ctx: PageContext) => (column: string, index: number) => boolean,
  ) {
    const chosen = exportFormat(format);
    if (chosen) return sendTable(reply, table, chosen);
    const path = request.url.split('?')[0]!;
    const ctx = pageContext(request, reply);
    return sendPage(reply, EvaluationTablePage({ ctx, year, table, path, label, asWritten: asWritten(ctx) }));
  }

  app.get(
    '/admin/evaluation/:year/results',
    { config: { access: MANAGE }, schema: { params: YearParams, querystring: ExportQuery } },
    async (request, reply) => {
      const year = checkYear(request.params.year);
      const units = await evaluationService.unitResults(db, year);
      const table = resultsTable(year, units, wordsOf(request));
      return tablePage(request, reply, year, request.query.format, table, request.t('evaluation.results'), (ctx) =>
        namesAsWritten(ctx, unitNames(units)),
      );
    },
  );

  app.get(
    '/admin/evaluation/:year/workers',
    { config: { access: MANAGE }, schema: { params: YearParams, querystring: ExportQuery } },
    async (request, reply) => {
      const year = checkYear(request.params.year);
      const workers = await evaluationService.workerResults(db, year);
      const table = workersTable(year, workers, wordsOf(request));
      return tablePage(request, reply, year, request.query.format, table, request.t('evaluation.workers'), (ctx) =>
        namesAsWritten(
          ctx,
          workers.map((w) => w.unitName),
          true,
        ),
      );
    },
  );

  // Public: published years only.

  app.get('/honours/certificate.css', { config: { access: PUBLIC } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(CERTIFICATE_CSS),
  );

  app.get('/honours', { config: { access: PUBLIC } }, async (request, reply) => {
    const years = await evaluationService.years(db, { publishedOnly: true });
    const withAwards = await Promise.all(
      years.map(async (state) => ({ state, awards: await evaluationService.awards(db, state.year) })),
    );
    return sendPage(reply, HonoursIndexPage({ ctx: pageContext(request, reply), years: withAwards }));
  });

  app.get(
    '/honours/:year',
    { config: { access: PUBLIC }, schema: { params: YearParams, querystring: ExportQuery } },
    async (request, reply) => {
      const state = await evaluationService.publishedYear(db, request.params.year);
      const awards = await evaluationService.awards(db, state.year);
      const format = exportFormat(request.query.format);
      if (format) {
        const list = request.query.list ?? 'units';
        if (list !== 'units' && list !== 'workers')
          throw new AppError('VALIDATION', { detail: localized('evaluation.error.list') }, 'list');
        const words = wordsOf(request);
        const table =
          list === 'units' ? unitAwardsTable(state.year, awards, words) : workerAwardsTable(state.year, awards, words);
        return sendTable(reply, table, format);
      }
      const conference = await articlesService.conferenceOfYear(db, state.year);
      return sendPage(
        reply,
        HonoursYearPage({ ctx: pageContext(request, reply), data: { state, awards }, conference }),
      );
    },
  );

  app.get(
    '/honours/:year/results',
    { config: { access: PUBLIC }, schema: { params: YearParams, querystring: ExportQuery } },
    async (request, reply) => {
      const state = await evaluationService.publishedYear(db, request.params.year);
      const units = await evaluationService.unitResults(db, state.year);
      const table = resultsTable(state.year, units, wordsOf(request));
      const format = exportFormat(request.query.format);
      if (format) return sendTable(reply, table, format);
      return sendPage(reply, HonoursResultsPage({ ctx: pageContext(request, reply), state, table, units }));
    },
  );

  app.get(
    '/honours/:year/certificates/:awardId',
    { config: { access: PUBLIC }, schema: { params: AwardParams } },
    async (request, reply) => {
      const state = await evaluationService.publishedYear(db, request.params.year);
      const award = (await evaluationService.awards(db, state.year)).find((a) => a.id === request.params.awardId);
      if (!award) throw new AppError('NOT_FOUND');
      return sendPage(
        reply,
        CertificatePage({
          ctx: pageContext(request, reply),
          award,
          publishedAt: state.publishedAt!,
          issuer: issuerOf(state),
        }),
      );
    },
  );

  app.get(
    '/api/v1/honours',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['honours'],
        summary: '荣誉榜：已发布年度的先进单位和先进工作者及其考评数据',
        querystring: Type.Object({ year: Type.Optional(Year) }),
        response: { 200: HonoursBody, ...errorResponses },
      },
    },
    async (request) => {
      const years =
        request.query.year === undefined
          ? await evaluationService.years(db, { publishedOnly: true })
          : [await evaluationService.publishedYear(db, request.query.year)];
      return {
        years: await Promise.all(
          years.map(async (state) => {
            const awards = await evaluationService.awards(db, state.year);
            const config = state.runConfig ?? state.config;
            return {
              year: state.year,
              publishedAt: state.publishedAt!,
              formula: formulaText(config),
              notes: formulaNotes(config),
              units: awards.filter((a) => a.kind === 'unit' && a.unit).map(unitJson),
              workers: awards.filter((a) => a.kind === 'worker' && a.worker).map(workerJson),
            };
          }),
        ),
      };
    },
  );
};

function unitJson(a: AwardRow) {
  const u = a.unit!;
  return {
    awardId: a.id,
    unitId: u.unitId,
    unitName: u.unitName,
    level: u.level,
    levelLabel: LEVEL_LABELS[u.level as Level] ?? u.level,
    rank: u.rank,
    score: u.score,
    received: u.received,
    replied: u.replied,
    replyRate: u.replyRate,
    onTimeRate: u.onTimeRate,
    satisfaction: u.satisfaction,
    resolutionRate: u.resolutionRate,
    certificateUrl: `/honours/${a.year}/certificates/${a.id}`,
  };
}

function workerJson(a: AwardRow) {
  const w = a.worker!;
  return {
    awardId: a.id,
    name: w.name,
    unitId: w.unitId,
    unitName: w.unitName,
    replies: w.replies,
    ratings: w.ratings,
    satisfaction: w.satisfaction,
    certificateUrl: `/honours/${a.year}/certificates/${a.id}`,
  };
}
