// Reply templates: a unit head keeps the unit's standard answers, which staff start replies from.
import { permission, unitParam } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requirePermission, requireUser } from '../accounts/auth.plugin.ts';
import { Id } from '../api/schemas.ts';
import { can } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { AppError } from '../web/app-error.ts';
import { doneNotice } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { TemplatesPage } from './views/templates-page.tsx';
import { workflowRepository } from './workflow.repository.ts';

const UnitParams = Type.Object({ unit: Id() });
export const TEMPLATE_TITLE_MAX = 50;
export const TEMPLATE_BODY_MAX = 5000;

export const templatesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const allowed = async (request: Parameters<typeof requireUser>[0], unitId: number) =>
    requirePermission(request, 'templates.manage', { unitPath: await scopeRepository.unitPath(db, unitId) });

  app.get('/workbench/templates', { config: { access: permission('templates.manage') } }, async (request, reply) => {
    const user = requireUser(request);
    const unitIds: number[] = [];
    for (const g of user.grants.filter((g) => g.role === 'unit_head')) {
      if (can(user.grants, 'templates.manage', { unitPath: await scopeRepository.unitPath(db, Number(g.scopeId)) }))
        unitIds.push(Number(g.scopeId));
    }
    if (unitIds.length === 0) throw new AppError('FORBIDDEN');
    const units = await scopeRepository.unitNames(db, unitIds);
    const withTemplates = await Promise.all(
      units.map(async (u) => ({ ...u, templates: await workflowRepository.templates(db, u.id) })),
    );
    return sendPage(
      reply,
      TemplatesPage({ ctx: pageContext(request, reply), units: withTemplates, notice: doneNotice(request) }),
    );
  });

  app.post(
    '/workbench/templates/:unit',
    {
      config: { access: permission('templates.manage', unitParam('unit')) },
      schema: { params: UnitParams, body: Type.Record(Type.String(), Type.String({ maxLength: 6000 })) },
    },
    async (request, reply) => {
      await allowed(request, request.params.unit);
      const title = (request.body.title ?? '').trim();
      const body = (request.body.body ?? '').trim();
      if (
        !title ||
        [...title].length > TEMPLATE_TITLE_MAX ||
        [...body].length < 10 ||
        [...body].length > TEMPLATE_BODY_MAX
      ) {
        throw new AppError('VALIDATION', {
          detail: request.t('workflow.templates.invalid', { titleMax: TEMPLATE_TITLE_MAX, bodyMax: TEMPLATE_BODY_MAX }),
        });
      }
      await workflowRepository.insertTemplate(db, request.params.unit, title, body);
      return reply.redirect('/workbench/templates?done=done', 303);
    },
  );

  app.post(
    '/workbench/templates/:unit/:id/delete',
    {
      config: { access: permission('templates.manage', unitParam('unit')) },
      schema: { params: Type.Object({ unit: Id(), id: Id() }) },
    },
    async (request, reply) => {
      await allowed(request, request.params.unit);
      if (!(await workflowRepository.deleteTemplate(db, request.params.unit, request.params.id)))
        throw new AppError('NOT_FOUND');
      return reply.redirect('/workbench/templates?done=done', 303);
    },
  );
};
