// HTTP for the holiday schedules: the admin page that shows them and loads a new year's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requirePermission } from '../accounts/auth.plugin.ts';
import { permission } from '../web/access.ts';
import type { Translate } from '../i18n/i18n.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { calendarRepository, importSchedule } from './calendar.service.ts';
import { CalendarPage } from './views/calendar-page.tsx';
import { calendarCoverage } from './working-days.ts';

const MANAGE = permission('rules.manage');

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/admin/calendar',
    {
      config: { access: MANAGE },
      schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }) },
    },
    async (request, reply) => {
      const { done } = request.query;
      const notice = done && /^\d+(?:,\d+)*:\d+$/.test(done) ? doneText(request.t, done) : undefined;
      const ctx = pageContext(request, reply);
      const page = CalendarPage({ ctx, covered: calendarCoverage(), loaded: await calendarRepository.all(db), notice });
      return sendPage(reply, page);
    },
  );

  app.post(
    '/admin/calendar',
    {
      config: { access: MANAGE },
      schema: { body: Type.Object({ schedule: Type.String({ maxLength: 20000 }) }, { additionalProperties: true }) },
    },
    async (request, reply) => {
      const user = requirePermission(request, 'rules.manage');
      try {
        const result = await importSchedule(db, user, request.body.schedule, request.ip, request.t);
        return reply.redirect(`/admin/calendar?done=${result.years.join(',')}:${result.recomputed}`, 303);
      } catch (err) {
        const ctx = pageContext(request, reply);
        const page = CalendarPage({
          ctx,
          covered: calendarCoverage(),
          loaded: await calendarRepository.all(db),
          text: request.body.schedule,
          errors: errorsOf(request, err),
        });
        return sendPage(reply, page, 400);
      }
    },
  );
};

/** "已导入 2027 年的放假安排，重新计算了 3 条留言的时限。" from the redirect's `done=2027:3`. */
function doneText(t: Translate, done: string): string {
  const [years, recomputed] = done.split(':');
  const n = Number(recomputed);
  return t(n === 1 ? 'calendar.done.one' : 'calendar.done.other', {
    years: years!.split(',').join(t('log.listSeparator')),
    n,
  });
}
