// HTTP for a unit's overview (单位概况): its open work by where it stands, its overdue messages, each staff member's
// replies, and the way to its statistics; for the unit's head and the supervisors above it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { can } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { Id } from '../api/schemas.ts';
import { addWorkingDays, chinaDate } from '../deadlines/working-days.ts';
import { permission, type ScopeOf } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { dashboardRepository } from './dashboard.repository.ts';
import { DUE_SOON_DAYS } from './workbench.service.ts';
import { unitsRepositoryForWorkflow, workflowRepository } from './workflow.repository.ts';
import { DashboardPage, type StaffLine } from './views/dashboard-page.tsx';

const OVERDUE_SHOWN = 20;

/** The unit named by `:unit`, with the units and regions above it: a region's supervisors oversee it too. */
const unitAndRegion: ScopeOf = async (request) => {
  const id = (request.params as { unit?: unknown }).unit;
  if (typeof id !== 'number') throw new AppError('NOT_FOUND');
  const unit = await workflowRepository.unit(request.server.db, id);
  if (!unit) throw new AppError('NOT_FOUND');
  return {
    unitPath: await scopeRepository.unitPath(request.server.db, id),
    regionPath: await scopeRepository.regionPath(request.server.db, unit.region_code),
  };
};

export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/workbench/units/:unit',
    {
      config: { access: permission('dashboard.read', unitAndRegion) },
      schema: { params: Type.Object({ unit: Id({ description: '办理单位编号' }) }) },
    },
    async (request, reply) => {
      const unitId = request.params.unit;
      const unit = await workflowRepository.unit(db, unitId);
      if (!unit) throw new AppError('NOT_FOUND');
      const now = new Date();
      const at = now.toISOString();
      const dueSoonBefore = addWorkingDays(now, DUE_SOON_DAYS).toISOString();
      const year = chinaDate(now).slice(0, 4);
      const yearStart = new Date(`${year}-01-01T00:00:00+08:00`).toISOString();
      const [counts, assignedOut, overdue, grants, unpublished, published, children] = await Promise.all([
        dashboardRepository.openCounts(db, unitId, at, dueSoonBefore),
        dashboardRepository.assignedOut(db, unitId),
        dashboardRepository.overdueList(db, unitId, at, OVERDUE_SHOWN),
        dashboardRepository.staff(db, unitId),
        dashboardRepository.unpublishedByAuthor(db, unitId),
        dashboardRepository.publishedByAuthor(db, unitId, yearStart),
        unitsRepositoryForWorkflow.children(db, unitId),
      ]);
      const staff = new Map<number, StaffLine>();
      for (const g of grants) {
        const line = staff.get(g.id) ?? {
          id: g.id,
          name: g.nickname,
          head: false,
          lastLoginAt: g.last_login_at,
          drafts: 0,
          awaitingApproval: 0,
          awaitingSignature: 0,
          published: 0,
        };
        if (g.role === 'unit_head') line.head = true;
        staff.set(g.id, line);
      }
      for (const r of unpublished) {
        const line = staff.get(r.author_id);
        if (!line) continue;
        const n = Number(r.n);
        if (r.status === 'draft') line.drafts += n;
        else if (r.status === 'pending_approval') line.awaitingApproval += n;
        else line.awaitingSignature += n;
      }
      for (const r of published) {
        const line = staff.get(r.author_id);
        if (line) line.published = Number(r.n);
      }
      const user = request.user!;
      const parent =
        unit.parent_id === null ? null : ((await scopeRepository.unitNames(db, [unit.parent_id]))[0] ?? null);
      const unitPath = await scopeRepository.unitPath(db, unitId);
      const regionPath = await scopeRepository.regionPath(db, unit.region_code);
      return sendPage(
        reply,
        DashboardPage({
          ctx: pageContext(request, reply),
          unit: { id: unit.id, name: unit.name, parent },
          year,
          counts: { ...counts, assignedOut },
          overdue,
          staff: [...staff.values()],
          children: children.filter((c) =>
            can(user.grants, 'dashboard.read', { unitPath: [c.id, ...unitPath], regionPath }),
          ),
          isMember: user.grants.some(
            (g) => (g.role === 'unit_staff' || g.role === 'unit_head') && Number(g.scopeId) === unitId,
          ),
          manages: can(user.grants, 'staff.create', { unitPath }),
        }),
      );
    },
  );
};
