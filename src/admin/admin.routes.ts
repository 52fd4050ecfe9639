// HTTP for administration: users, role grants, staff accounts, ending sessions, the admin log and settings.
import { permission, unitParam } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { adminLogRepository } from '../accounts/admin-log.repository.ts';
import { Id, IdParams } from '../api/schemas.ts';
import { requirePermission } from '../accounts/auth.plugin.ts';
import { can } from '../accounts/permissions.ts';
import { isRole, type Role, ROLE_SCOPES, ROLES } from '../accounts/roles.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { sessionsRepository } from '../accounts/sessions.repository.ts';
import { createStaff, endSessions, grantRole, mayManageAccount, revokeRole } from '../accounts/staff.service.ts';
import { rolesRequiringTotp, setRolesRequiringTotp } from '../accounts/totp.ts';
import { usersRepository } from '../accounts/users.repository.ts';
import { AppError } from '../web/app-error.ts';
import { statsService } from '../stats/stats.service.ts';
import { doneNotice, errorsOf, keptValues } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { AdminIndexPage, roleLabel, SettingsPage, StaffPage, UserPage, UsersPage } from './views/admin-pages.tsx';
import { LogPage, PrivateReadsPage, READ_KINDS } from './views/log-pages.tsx';
import { describeEntry, extraDetail, ScopeNames } from './admin-log-words.ts';
import { privateReadsRepository } from '../audit/private-reads.repository.ts';
import { idFromText } from '../db/ids.ts';

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 5000 }));
const UserParams = IdParams;

/** Roles a unit head may hand out in their unit. */
const UNIT_HEAD_ROLES: readonly Role[] = ['unit_staff'];

/**
 * A refused grant or staff form's errors in the page's language: a role or scope the service refused is told from
 * what it names (its `reason` is the Chinese text for the API and the command line).
 */
function grantErrors(request: FastifyRequest, err: unknown): Record<string, string> {
  if (!(err instanceof AppError) || err.code !== 'ROLE_SCOPE_INVALID') return errorsOf(request, err);
  const { t } = request;
  const p = err.params;
  const role = String(p.role ?? '');
  const message =
    p.problem === 'role'
      ? t('admin.error.role', { role })
      : p.problem === 'scopeType' && isRole(role)
        ? t('admin.error.scopeType', {
            role: roleLabel(t, role),
            scopes: ROLE_SCOPES[role].map((s) => t(`admin.scope.${s}`)).join(t('admin.or')),
          })
        : p.problem === 'scopeId' && ['unit', 'region', 'board'].includes(String(p.scopeType))
          ? t('admin.error.scopeId', {
              scope: t(`admin.scope.${p.scopeType as 'unit'}`),
              id: String(p.scopeId ?? ''),
            })
          : t(err.messageKey, p);
  return { [err.field ?? '_form']: message };
}

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  const isAdmin = (user: CurrentUser) => can(user.grants, 'user.find');
  const headedUnits = (user: CurrentUser) =>
    user.grants.filter((g) => g.role === 'unit_head').map((g) => Number(g.scopeId));

  app.get('/admin', { config: { access: permission('admin.access') } }, async (request, reply) => {
    const user = request.user!;
    const units = await scopeRepository.unitNames(db, headedUnits(user));
    return sendPage(
      reply,
      AdminIndexPage({ ctx: pageContext(request, reply), isAdmin: isAdmin(user), units, notice: doneNotice(request) }),
    );
  });

  app.get(
    '/admin/users',
    {
      config: { access: permission('user.find') },
      schema: { querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 32 })) }) },
    },
    async (request, reply) => {
      requirePermission(request, 'user.find');
      const query = (request.query.q ?? '').trim();
      const rows = query ? await usersRepository.search(db, query) : [];
      const users = rows.map((u) => ({ id: u.id, phone: u.phone, nickname: u.nickname, isStaff: Boolean(u.is_staff) }));
      return sendPage(reply, UsersPage({ ctx: pageContext(request, reply), query, users }));
    },
  );

  async function userPage(
    request: FastifyRequest,
    reply: FastifyReply,
    userId: number,
    state: { errors?: Record<string, string>; values?: Record<string, string> } = {},
    status = 200,
  ) {
    const actor = request.user!;
    const row = await usersRepository.findById(db, userId);
    if (!row) throw new AppError('USER_NOT_FOUND');
    const grants = await usersRepository.listGrants(db, userId);
    // Unit heads see only their own unit's staff, and no account that holds a role they could not grant.
    const ownStaff = grants.some((g) => g.scope_type === 'unit' && headedUnits(actor).includes(Number(g.scope_id)));
    if (!isAdmin(actor) && !(ownStaff && (await mayManageAccount(db, actor, userId)))) {
      throw new AppError('FORBIDDEN');
    }
    const sessions = (await sessionsRepository.listForUser(db, userId)).length;
    const ctx = pageContext(request, reply);
    const scopes = new ScopeNames(db, request.t, ctx.names);
    const rows = await Promise.all(
      grants
        .filter((g) => isRole(g.role))
        .map(async (g) => ({
          id: g.id,
          role: g.role as Role,
          scopeType: g.scope_type,
          scopeId: g.scope_id,
          scope: await scopes.of(g.scope_type, g.scope_id),
        })),
    );
    const user = { id: row.id, phone: row.phone, nickname: row.nickname, isStaff: Boolean(row.is_staff) };
    return sendPage(
      reply,
      UserPage({
        ctx,
        user,
        grants: rows,
        sessions,
        grantableRoles: isAdmin(actor) ? ROLES : UNIT_HEAD_ROLES,
        notice: doneNotice(request),
        ...state,
      }),
      status,
    );
  }

  app.get(
    '/admin/users/:id',
    { config: { access: permission('admin.access') }, schema: { params: UserParams } },
    async (request, reply) => userPage(request, reply, request.params.id),
  );

  app.post(
    '/admin/users/:id/grants',
    { config: { access: permission('role.grant') }, schema: { params: UserParams, body: FormBody } },
    async (request, reply) => {
      try {
        await grantRole(db, request.user!, request.params.id, request.body, request.ip);
        return reply.redirect(`/admin/users/${request.params.id}?done=granted`, 303);
      } catch (err) {
        return userPage(
          request,
          reply,
          request.params.id,
          { errors: grantErrors(request, err), values: keptValues(request.body) },
          400,
        );
      }
    },
  );

  app.post(
    '/admin/users/:id/grants/:grantId/revoke',
    {
      config: { access: permission('role.revoke') },
      schema: { params: Type.Object({ id: Id(), grantId: Id() }) },
    },
    async (request, reply) => {
      await revokeRole(db, request.user!, request.params.id, request.params.grantId, request.ip);
      return reply.redirect(`/admin/users/${request.params.id}?done=revoked`, 303);
    },
  );

  app.post(
    '/admin/users/:id/sessions/revoke',
    { config: { access: permission('session.revoke') }, schema: { params: UserParams } },
    async (request, reply) => {
      await endSessions(db, request.user!, request.params.id, request.ip);
      return reply.redirect(`/admin/users/${request.params.id}?done=sessionsEnded`, 303);
    },
  );

  // New staff: admins anywhere; unit heads for their unit.
  app.get('/admin/staff', { config: { access: permission('user.find') } }, async (request, reply) => {
    requirePermission(request, 'user.find');
    const ctx = pageContext(request, reply);
    return sendPage(
      reply,
      StaffPage({
        ctx,
        action: '/admin/staff',
        title: ctx.t('admin.staff'),
        roles: ROLES,
        staff: [],
        notice: doneNotice(request),
      }),
    );
  });

  app.post(
    '/admin/staff',
    { config: { access: permission('user.find') }, schema: { body: FormBody } },
    async (request, reply) => {
      requirePermission(request, 'user.find');
      try {
        const id = await createStaff(db, request.user!, request.body, request.ip);
        return reply.redirect(`/admin/users/${id}?done=staffCreated`, 303);
      } catch (err) {
        const ctx = pageContext(request, reply);
        const state = { errors: grantErrors(request, err), values: keptValues(request.body) };
        return sendPage(
          reply,
          StaffPage({ ctx, action: '/admin/staff', title: ctx.t('admin.staff'), roles: ROLES, staff: [], ...state }),
          400,
        );
      }
    },
  );

  const UnitParams = IdParams;

  async function unitStaffPage(request: FastifyRequest, reply: FastifyReply, unitId: number, state = {}, status = 200) {
    const unitPath = await scopeRepository.unitPath(db, unitId);
    requirePermission(request, 'staff.create', { unitPath });
    const [unit] = await scopeRepository.unitNames(db, [unitId]);
    if (!unit) throw new AppError('NOT_FOUND');
    const staff = await usersRepository.listStaffOfUnit(db, unitId);
    const ctx = pageContext(request, reply);
    const roles = isAdmin(request.user!) ? (['unit_staff', 'unit_head', 'supervisor'] as Role[]) : UNIT_HEAD_ROLES;
    return sendPage(
      reply,
      StaffPage({
        ctx,
        action: `/admin/units/${unitId}/staff`,
        title: ctx.names.unit(unit.name),
        ownTitle: ctx.names.unitKeptAsWritten(unit.name),
        roles,
        staff,
        fixedUnit: unit,
        notice: doneNotice(request),
        ...state,
      }),
      status,
    );
  }

  app.get(
    '/admin/units/:id',
    { config: { access: permission('staff.create', unitParam('id')) }, schema: { params: UnitParams } },
    async (request, reply) => unitStaffPage(request, reply, request.params.id),
  );

  app.post(
    '/admin/units/:id/staff',
    { config: { access: permission('staff.create', unitParam('id')) }, schema: { params: UnitParams, body: FormBody } },
    async (request, reply) => {
      const body = { ...request.body, scopeType: 'unit', scopeId: String(request.params.id) };
      try {
        await createStaff(db, request.user!, body, request.ip);
        return reply.redirect(`/admin/units/${request.params.id}?done=staffCreated`, 303);
      } catch (err) {
        return unitStaffPage(
          request,
          reply,
          request.params.id,
          { errors: grantErrors(request, err), values: keptValues(request.body) },
          400,
        );
      }
    },
  );

  /** A China calendar day typed in a filter, as the instant it starts; the end of a range is the next day's start. */
  const dayStart = (day: string | undefined, next = false) => {
    if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
    const at = new Date(`${day}T00:00:00+08:00`);
    if (Number.isNaN(at.getTime())) return undefined;
    return new Date(at.getTime() + (next ? 24 * 3600_000 : 0)).toISOString();
  };
  const LOG_PAGE = 100;
  const LogQuery = Type.Object({
    action: Type.Optional(Type.String({ maxLength: 32 })),
    who: Type.Optional(Type.String({ maxLength: 32 })),
    from: Type.Optional(Type.String({ maxLength: 10 })),
    to: Type.Optional(Type.String({ maxLength: 10 })),
    before: Type.Optional(Id()),
  });

  app.get(
    '/admin/log',
    { config: { access: permission('adminlog.read') }, schema: { querystring: LogQuery } },
    async (request, reply) => {
      requirePermission(request, 'adminlog.read');
      const q = request.query;
      const filter = {
        action: q.action?.trim() || undefined,
        who: q.who?.trim() || undefined,
        from: dayStart(q.from) ? q.from : undefined,
        to: dayStart(q.to) ? q.to : undefined,
      };
      const rows = await adminLogRepository.search(db, {
        ...filter,
        from: dayStart(filter.from),
        to: dayStart(filter.to, true),
        beforeId: q.before,
        limit: LOG_PAGE + 1,
      });
      const ctx = pageContext(request, reply);
      const scopes = new ScopeNames(db, request.t, ctx.names);
      const lines = await Promise.all(
        rows.slice(0, LOG_PAGE).map(async (r) => {
          const entry = {
            id: r.id,
            action: r.action,
            detail: r.detail,
            ip: r.ip,
            createdAt: r.created_at,
            actorId: r.actor_id,
            actorName: r.actor_name,
            targetId: r.target_user_id,
            targetName: r.target_name,
          };
          return {
            id: r.id,
            at: r.created_at,
            sentence: await describeEntry(request.t, entry, scopes),
            extra: extraDetail(entry),
            ip: r.ip,
            actorId: r.actor_id,
            targetId: r.target_user_id,
          };
        }),
      );
      const older = rows.length > LOG_PAGE ? lines.at(-1)!.id : undefined;
      return sendPage(reply, LogPage({ ctx, lines, filter, paged: q.before !== undefined, older }));
    },
  );

  // Every staff read of private data (private messages, remarks, private photos): who read what, and when.
  app.get(
    '/admin/private-reads',
    {
      config: { access: permission('adminlog.read') },
      schema: {
        querystring: Type.Object({
          who: Type.Optional(Type.String({ maxLength: 32 })),
          message: Type.Optional(Type.String({ maxLength: 10 })),
          what: Type.Optional(Type.String({ maxLength: 32 })),
          from: Type.Optional(Type.String({ maxLength: 10 })),
          to: Type.Optional(Type.String({ maxLength: 10 })),
          before: Type.Optional(Id()),
        }),
      },
    },
    async (request, reply) => {
      requirePermission(request, 'adminlog.read');
      const q = request.query;
      const messageId = idFromText(q.message?.trim());
      const filter = {
        who: q.who?.trim() || undefined,
        message: messageId === null ? undefined : String(messageId),
        what: (READ_KINDS as readonly string[]).includes(q.what ?? '') ? q.what : undefined,
        from: dayStart(q.from) ? q.from : undefined,
        to: dayStart(q.to) ? q.to : undefined,
      };
      const rows = await privateReadsRepository.search(db, {
        who: filter.who,
        messageId: messageId ?? undefined,
        what: filter.what,
        from: dayStart(filter.from),
        to: dayStart(filter.to, true),
        beforeId: q.before,
        limit: LOG_PAGE + 1,
      });
      const shown = rows.slice(0, LOG_PAGE);
      const units = await privateReadsRepository.readerUnits(db, [...new Set(shown.map((r) => r.user_id))]);
      const lines = shown.map((r) => ({
        id: r.id,
        at: r.created_at,
        readerId: r.user_id,
        reader: r.reader_name,
        units: units.get(r.user_id) ?? [],
        what: r.what,
        messageId: r.message_id,
        messageTitle: r.message_title,
        visibility: r.visibility,
      }));
      const older = rows.length > LOG_PAGE ? lines.at(-1)!.id : undefined;
      return sendPage(
        reply,
        PrivateReadsPage({ ctx: pageContext(request, reply), lines, filter, paged: q.before !== undefined, older }),
      );
    },
  );

  app.get('/admin/settings', { config: { access: permission('settings.manage') } }, async (request, reply) => {
    requirePermission(request, 'settings.manage');
    return sendPage(
      reply,
      SettingsPage({
        ctx: pageContext(request, reply),
        required: await rolesRequiringTotp(db),
        weights: await statsService.weights(db),
        notice: doneNotice(request),
      }),
    );
  });

  app.post(
    '/admin/settings/weights',
    { config: { access: permission('settings.manage') }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requirePermission(request, 'settings.manage');
      try {
        const weights = await statsService.setWeights(db, request.body);
        await adminLogRepository.append(db, {
          actorId: user.id,
          action: 'settings.change',
          targetUserId: null,
          detail: { satisfactionWeights: weights },
          ip: request.ip,
        });
      } catch (err) {
        const values = keptValues(request.body);
        return sendPage(
          reply,
          SettingsPage({
            ctx: pageContext(request, reply),
            required: await rolesRequiringTotp(db),
            weights: {
              resolution: values.resolution ?? '',
              timeliness: values.timeliness ?? '',
              attitude: values.attitude ?? '',
            },
            errors: errorsOf(request, err),
          }),
          400,
        );
      }
      return reply.redirect('/admin/settings?done=settings#weights', 303);
    },
  );

  app.post(
    '/admin/settings',
    { config: { access: permission('settings.manage') }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requirePermission(request, 'settings.manage');
      const roles = ROLES.filter((r) => request.body[`totp_${r}`] === '1');
      await setRolesRequiringTotp(db, roles);
      await adminLogRepository.append(db, {
        actorId: user.id,
        action: 'settings.change',
        targetUserId: null,
        detail: { totpRequiredRoles: roles },
        ip: request.ip,
      });
      return reply.redirect('/admin/settings?done=settings', 303);
    },
  );
};
