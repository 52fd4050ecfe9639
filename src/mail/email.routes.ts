// HTTP for e-mail and notice settings: the page and API to set and confirm an address and choose channels per kind
// of notice, the confirmation link, and the unsubscribe link every notice e-mail carries (one click, no login).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { requireUser } from '../accounts/auth.plugin.ts';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { ErrorBody } from '../api/schemas.ts';
import { noticePreferencesRepository } from '../notify/notice-preferences.repository.ts';
import {
  allPreferences,
  isNoticeKind,
  NOTICE_CHANNELS,
  NOTICE_KIND_KEYS,
  type NoticeKind,
  setPreferences,
} from '../notify/notice-preferences.ts';
import { PUBLIC, SIGNED_IN } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { confirmEmail, emailOf, removeEmail, requestEmail } from './email-addresses.service.ts';
import { checkUnsubscribe, siteBase } from './links.ts';
import { ConfirmEmailPage, NoticesPage, UnsubscribePage } from './views/notices-page.tsx';

/** The kinds a person is shown: staff also choose how they hear about their work. */
const kindsFor = (user: CurrentUser): NoticeKind[] =>
  user.isStaff ? NOTICE_KIND_KEYS : NOTICE_KIND_KEYS.filter((k) => k !== 'work' && k !== 'digest');

const ChannelChoice = Type.Object({
  site: Type.Optional(Type.Boolean()),
  sms: Type.Optional(Type.Boolean()),
  email: Type.Optional(Type.Boolean()),
});
const NoticesBody = Type.Object({
  email: Type.Object({
    address: Type.Union([Type.String(), Type.Null()], { description: '已确认的邮箱' }),
    pending: Type.Union([Type.String(), Type.Null()], { description: '等待确认的邮箱' }),
  }),
  mailAvailable: Type.Boolean({ description: '本站是否开通了邮件通知' }),
  smsOptedOut: Type.Boolean({ description: '手机号是否已回复 TD 退订短信通知' }),
  preferences: Type.Record(Type.String(), ChannelChoice, {
    description: `每类通知（${NOTICE_KIND_KEYS.join('、')}）的接收方式`,
  }),
});

export const emailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const base = siteBase(config);
  const mailAvailable = app.mailer !== null;

  async function noticesView(user: CurrentUser) {
    return {
      email: await emailOf(db, user.id),
      mailAvailable,
      preferences: await allPreferences(db, user.id),
      kinds: kindsFor(user),
      smsOptedOut: user.phone ? await noticePreferencesRepository.isOptedOut(db, user.phone) : false,
      phone: user.phone,
    };
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; errors?: Record<string, string> } = {},
    status = 200,
  ) {
    const user = requireUser(request);
    const view = await noticesView(user);
    return sendPage(reply, NoticesPage({ ctx: pageContext(request, reply), view, ...extra }), status);
  }

  const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 300 }), { maxProperties: 30 });

  app.get(
    '/account/notices',
    {
      config: { access: SIGNED_IN },
      schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    },
    async (request, reply) =>
      page(
        request,
        reply,
        request.query.done === 'emailConfirmed' ? { notice: request.t('noticeSettings.doneConfirmed') } : {},
      ),
  );

  app.post(
    '/account/notices',
    { config: { access: SIGNED_IN }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body ?? {};
      for (const kind of kindsFor(user)) {
        const choice = Object.fromEntries(NOTICE_CHANNELS.map((c) => [c, body[`${kind}.${c}`] === '1']));
        await setPreferences(db, user.id, kind, choice);
      }
      return page(request, reply, { notice: request.t('noticeSettings.doneSaved') });
    },
  );

  app.post('/account/notices/sms', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const user = requireUser(request);
    if (user.phone) await noticePreferencesRepository.optIn(db, user.phone);
    return page(request, reply, { notice: request.t('noticeSettings.doneSmsOptIn') });
  });

  app.post(
    '/account/email',
    {
      config: { access: SIGNED_IN },
      schema: { body: Type.Object({ email: Type.Optional(Type.String({ maxLength: 300 })) }) },
    },
    async (request, reply) => {
      const user = requireUser(request);
      try {
        const address = await requestEmail(db, user.id, request.body.email, {
          siteBase: base,
          mailAvailable,
          t: request.t,
        });
        return page(request, reply, { notice: request.t('noticeSettings.doneSent', { address }) });
      } catch (err) {
        return page(request, reply, { errors: errorsOf(request, err) }, 400);
      }
    },
  );

  app.post('/account/email/remove', { config: { access: SIGNED_IN } }, async (request, reply) => {
    await removeEmail(db, requireUser(request).id);
    return page(request, reply, { notice: request.t('noticeSettings.doneRemoved') });
  });

  // The link in the confirmation e-mail: a page with one button, so a mail scanner following links confirms nothing.
  app.get(
    '/account/email/confirm',
    {
      config: { access: PUBLIC },
      schema: { querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })) }) },
    },
    async (request, reply) => {
      const token = request.query.token ?? '';
      const problem = /^[A-Za-z0-9_-]{43}$/.test(token) ? undefined : request.t('error.EMAIL_TOKEN_INVALID');
      return sendPage(
        reply,
        ConfirmEmailPage({ ctx: pageContext(request, reply), token, problem }),
        problem ? 400 : 200,
      );
    },
  );
  app.post(
    '/account/email/confirm',
    {
      config: { access: PUBLIC },
      schema: { body: Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })) }) },
    },
    async (request, reply) => {
      await confirmEmail(db, request.body.token);
      if (request.user) return reply.redirect('/account/notices?done=emailConfirmed', 303);
      return sendPage(reply, ConfirmEmailPage({ ctx: pageContext(request, reply), token: '', done: true }));
    },
  );

  // The unsubscribe link of every notice e-mail: signed, so it needs no login; the POST is RFC 8058's one click.
  const UnsubscribeQuery = Type.Object({
    u: Type.Optional(Type.String({ maxLength: 12 })),
    k: Type.Optional(Type.String({ maxLength: 20 })),
    s: Type.Optional(Type.String({ maxLength: 64 })),
  });
  const unsubscribeTarget = (request: FastifyRequest, q: { u?: string; k?: string; s?: string }) => {
    const userId = /^\d{1,10}$/.test(q.u ?? '') ? Number(q.u) : NaN;
    if (
      !Number.isSafeInteger(userId) ||
      !isNoticeKind(q.k) ||
      !q.s ||
      !checkUnsubscribe(config.secret, userId, q.k, q.s)
    ) {
      throw new AppError('VALIDATION', { detail: request.t('unsubscribe.invalid') });
    }
    return { userId, kind: q.k };
  };
  app.get(
    '/unsubscribe',
    { config: { access: PUBLIC }, schema: { querystring: UnsubscribeQuery } },
    async (request, reply) => {
      const { kind } = unsubscribeTarget(request, request.query);
      const query = { u: request.query.u!, k: request.query.k!, s: request.query.s! };
      return sendPage(reply, UnsubscribePage({ ctx: pageContext(request, reply), query, kind, done: false }));
    },
  );
  app.post(
    '/unsubscribe',
    {
      config: { access: PUBLIC, csrf: false },
      schema: {
        querystring: UnsubscribeQuery,
        body: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 100 }))),
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      const { userId, kind } = unsubscribeTarget(request, { ...body, ...request.query });
      await setPreferences(db, userId, kind, { email: false });
      return sendPage(reply, UnsubscribePage({ ctx: pageContext(request, reply), kind, done: true }));
    },
  );

  // The same for apps.
  const apiSchema = { tags: ['account'], security: [{ bearerAuth: [] }] };
  const toApi = (view: Awaited<ReturnType<typeof noticesView>>) => ({
    email: view.email,
    mailAvailable: view.mailAvailable,
    smsOptedOut: view.smsOptedOut,
    preferences: Object.fromEntries(view.kinds.map((k) => [k, view.preferences[k]])),
  });
  app.get(
    '/api/v1/me/notices',
    {
      config: { access: SIGNED_IN },
      schema: {
        ...apiSchema,
        summary: '我的通知设置：邮箱和每类通知的接收方式',
        response: { 200: NoticesBody, 401: ErrorBody },
      },
    },
    async (request) => toApi(await noticesView(requireUser(request))),
  );
  app.put(
    '/api/v1/me/notices',
    {
      config: { access: SIGNED_IN },
      schema: {
        ...apiSchema,
        summary: '修改每类通知的接收方式（只改给出的部分）；smsOptedOut: false 恢复 TD 退订的短信通知',
        body: Type.Object({
          preferences: Type.Optional(Type.Record(Type.String({ maxLength: 20 }), ChannelChoice)),
          smsOptedOut: Type.Optional(Type.Literal(false)),
        }),
        response: { 200: NoticesBody, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const allowed = kindsFor(user);
      for (const [kind, choice] of Object.entries(request.body.preferences ?? {})) {
        if (!isNoticeKind(kind) || !allowed.includes(kind)) {
          const list = allowed.join(request.t('citizen.listSeparator'));
          throw new AppError(
            'VALIDATION',
            { detail: request.t('noticeSettings.kindInvalid', { allowed: list }) },
            'preferences',
          );
        }
        await setPreferences(db, user.id, kind, choice);
      }
      if (request.body.smsOptedOut === false && user.phone) await noticePreferencesRepository.optIn(db, user.phone);
      return toApi(await noticesView(user));
    },
  );
  app.put(
    '/api/v1/me/email',
    {
      config: { access: SIGNED_IN },
      schema: {
        ...apiSchema,
        summary: '登记邮箱：发出确认邮件，打开其中链接后生效',
        body: Type.Object({ email: Type.String({ maxLength: 300 }) }),
        response: {
          202: Type.Object({ pending: Type.String() }),
          400: ErrorBody,
          401: ErrorBody,
          409: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const pending = await requestEmail(db, requireUser(request).id, request.body.email, {
        siteBase: base,
        mailAvailable,
        t: request.t,
      });
      return reply.status(202).send({ pending });
    },
  );
  app.delete(
    '/api/v1/me/email',
    {
      config: { access: SIGNED_IN },
      schema: { ...apiSchema, summary: '删除邮箱', response: { 204: Type.Null(), 401: ErrorBody } },
    },
    async (request, reply) => {
      await removeEmail(db, requireUser(request).id);
      return reply.status(204).send(null);
    },
  );
};
