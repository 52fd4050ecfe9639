// HTTP for the citizen's side of accounts: register, log in and out, reset the password, the account page.
import { PUBLIC, SIGNED_IN } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { IdParams } from '../api/schemas.ts';
import { safeRedirect } from '../web/safe-redirect.ts';
import { AppError } from '../web/app-error.ts';
import { doneNotice, errorsOf, keptValues } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { rateLimits } from '../web/rate-limits.ts';
import {
  changeNickname,
  changePassword,
  deleteAccount,
  exportPersonalData,
  type LoginResult,
  loginWithCode,
  loginWithPassword,
  markLoggedIn,
  register,
  requirePhone,
  resetPassword,
} from './accounts.service.ts';
import { adminLogRepository } from './admin-log.repository.ts';
import { requireUser, startSession } from './auth.plugin.ts';
import { accountLocale, setLocaleCookie, settleAccountLocale, storeAccountLocale } from '../i18n/locale.plugin.ts';
import { isLocale } from '../i18n/i18n.ts';
import { maskPhone } from './phone.ts';
import { sessionsRepository } from './sessions.repository.ts';
import { type CodePurpose, requestCode } from './sms-codes.service.ts';
import { listTokens, revokeToken } from './tokens.service.ts';
import { checkTotp, disableTotp, enableTotp, newTotpSecret, totpEnrolment, verifyUserTotp } from './totp.ts';
import { usersRepository } from './users.repository.ts';
import { AccountPage, TotpSetupPage } from './views/account-page.tsx';
import { LoginPage, RegisterPage, ResetPage, TotpLoginPage } from './views/auth-pages.tsx';

/** Every form field arrives as an optional string; the services say what is wrong with it. */
const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 5000 }));
const NextQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  done: Type.Optional(Type.String()),
});

/** A password step must be followed by the second factor within this time. */
const TOTP_STEP_MS = 5 * 60_000;

export const accountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  /** Logins and code requests are limited per client address on top of the per-number limits. */
  const LOGIN_LIMIT = { rateLimit: rateLimits(config).login };
  const CODE_LIMIT = { rateLimit: rateLimits(config).code };

  async function sendCode(request: FastifyRequest, body: Record<string, string>, purpose: CodePurpose) {
    const phone = requirePhone(body.phone);
    await requestCode(db, app.sms, config.secret, { phone, purpose, ip: request.ip, limits: config.limits });
    return request.t('auth.codeSent', { phone: maskPhone(phone) });
  }

  /** After the password or code: either straight in, or on to the second factor. */
  async function completeLogin(request: FastifyRequest, reply: FastifyReply, result: LoginResult, next: string) {
    if (result.needsTotp) {
      await request.session.regenerate();
      request.session.pendingUserId = result.userId;
      request.session.pendingAt = Date.now();
      return reply.redirect(`/login/totp?next=${encodeURIComponent(next)}`, 303);
    }
    return finishLogin(request, reply, result.userId, next);
  }

  async function finishLogin(request: FastifyRequest, reply: FastifyReply, userId: number, next: string) {
    await startSession(request, userId);
    await settleAccountLocale(request, reply, userId);
    await markLoggedIn(db, userId);
    const user = await usersRepository.findById(db, userId);
    if (user?.is_staff)
      await adminLogRepository.append(db, {
        actorId: userId,
        action: 'staff.login',
        targetUserId: userId,
        ip: request.ip,
      });
    return reply.redirect(safeRedirect(next), 303);
  }

  // Registration
  app.get('/register', { config: { access: PUBLIC } }, async (request, reply) =>
    sendPage(reply, RegisterPage({ ctx: pageContext(request, reply), state: {} })),
  );

  app.post(
    '/register/code',
    { config: { ...CODE_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      const values = keptValues(request.body);
      try {
        const notice = await sendCode(request, request.body, 'register');
        return sendPage(reply, RegisterPage({ ctx: pageContext(request, reply), state: { values, notice } }));
      } catch (err) {
        const errors = errorsOf(request, err);
        return sendPage(reply, RegisterPage({ ctx: pageContext(request, reply), state: { values, errors } }), 400);
      }
    },
  );

  app.post(
    '/register',
    { config: { ...CODE_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      try {
        const userId = await register(db, config.secret, request.body);
        await startSession(request, userId);
        await settleAccountLocale(request, reply, userId);
        return reply.redirect('/account?done=registered', 303);
      } catch (err) {
        const errors = errorsOf(request, err);
        const state = { values: keptValues(request.body), errors };
        return sendPage(reply, RegisterPage({ ctx: pageContext(request, reply), state }), 400);
      }
    },
  );

  // Login
  app.get('/login', { config: { access: PUBLIC }, schema: { querystring: NextQuery } }, async (request, reply) => {
    const next = safeRedirect(request.query.next);
    return sendPage(
      reply,
      LoginPage({ ctx: pageContext(request, reply), state: { notice: doneNotice(request) }, next }),
    );
  });

  app.post(
    '/login',
    { config: { ...LOGIN_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      const next = safeRedirect(request.body.next);
      try {
        return await completeLogin(
          request,
          reply,
          await loginWithPassword(db, request.body, { ip: request.ip, limits: config.limits }),
          next,
        );
      } catch (err) {
        const state = { method: 'password' as const, values: keptValues(request.body), errors: errorsOf(request, err) };
        const status = err instanceof AppError ? err.statusCode : 400;
        return sendPage(reply, LoginPage({ ctx: pageContext(request, reply), state, next }), status);
      }
    },
  );

  app.post(
    '/login/code',
    { config: { ...CODE_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      const next = safeRedirect(request.body.next);
      const values = keptValues(request.body);
      try {
        const notice = await sendCode(request, request.body, 'login');
        return sendPage(
          reply,
          LoginPage({ ctx: pageContext(request, reply), state: { method: 'code', values, notice }, next }),
        );
      } catch (err) {
        const state = { method: 'code' as const, values, errors: errorsOf(request, err) };
        return sendPage(reply, LoginPage({ ctx: pageContext(request, reply), state, next }), 400);
      }
    },
  );

  app.post(
    '/login/by-code',
    { config: { ...LOGIN_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      const next = safeRedirect(request.body.next);
      try {
        return await completeLogin(request, reply, await loginWithCode(db, config.secret, request.body), next);
      } catch (err) {
        const state = { method: 'code' as const, values: keptValues(request.body), errors: errorsOf(request, err) };
        return sendPage(reply, LoginPage({ ctx: pageContext(request, reply), state, next }), 400);
      }
    },
  );

  const pendingUser = (request: FastifyRequest): number | null => {
    const { pendingUserId, pendingAt } = request.session;
    return pendingUserId && pendingAt && Date.now() - pendingAt < TOTP_STEP_MS ? pendingUserId : null;
  };

  app.get('/login/totp', { config: { access: PUBLIC }, schema: { querystring: NextQuery } }, async (request, reply) => {
    if (!pendingUser(request)) return reply.redirect('/login', 303);
    const next = safeRedirect(request.query.next);
    return sendPage(reply, TotpLoginPage({ ctx: pageContext(request, reply), state: {}, next }));
  });

  app.post(
    '/login/totp',
    { config: { ...LOGIN_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      const userId = pendingUser(request);
      if (!userId) return reply.redirect('/login', 303);
      const next = safeRedirect(request.body.next);
      if (!(await verifyUserTotp(db, config.secret, userId, request.body.code))) {
        const errors = errorsOf(request, new AppError('TOTP_INVALID', {}, 'code'));
        return sendPage(reply, TotpLoginPage({ ctx: pageContext(request, reply), state: { errors }, next }), 401);
      }
      return finishLogin(request, reply, userId, next);
    },
  );

  // Logout
  app.post('/logout', { config: { access: PUBLIC } }, async (request, reply) => {
    await request.session.destroy();
    return reply.redirect('/login?done=loggedOut', 303);
  });

  app.post('/logout/all', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const user = requireUser(request);
    await sessionsRepository.deleteForUser(db, user.id);
    await request.session.destroy();
    return reply.redirect('/login?done=loggedOutAll', 303);
  });

  // Password reset
  app.get('/password-reset', { config: { access: PUBLIC } }, async (request, reply) =>
    sendPage(reply, ResetPage({ ctx: pageContext(request, reply), state: {} })),
  );

  app.post(
    '/password-reset/code',
    { config: { ...CODE_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      const values = keptValues(request.body);
      try {
        const notice = await sendCode(request, request.body, 'reset');
        return sendPage(reply, ResetPage({ ctx: pageContext(request, reply), state: { values, notice } }));
      } catch (err) {
        return sendPage(
          reply,
          ResetPage({ ctx: pageContext(request, reply), state: { values, errors: errorsOf(request, err) } }),
          400,
        );
      }
    },
  );

  app.post(
    '/password-reset',
    { config: { ...CODE_LIMIT, access: PUBLIC }, schema: { body: FormBody } },
    async (request, reply) => {
      try {
        await resetPassword(db, config.secret, request.body);
        await request.session.destroy();
        return reply.redirect('/login?done=reset', 303);
      } catch (err) {
        const state = { values: keptValues(request.body), errors: errorsOf(request, err) };
        return sendPage(reply, ResetPage({ ctx: pageContext(request, reply), state }), 400);
      }
    },
  );

  // The account page
  async function accountPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: Parameters<typeof AccountPage>[0]['state'],
    status = 200,
  ) {
    const user = requireUser(request);
    const row = await usersRepository.findById(db, user.id);
    const view = {
      createdAt: row?.created_at ?? '',
      locale: await accountLocale(db, user.id),
      tokens: await listTokens(db, user.id),
      totpRequired: user.totpPending,
    };
    return sendPage(reply, AccountPage({ ctx: pageContext(request, reply), view, state }), status);
  }

  app.get('/account', { config: { access: SIGNED_IN } }, async (request, reply) =>
    accountPage(request, reply, { notice: doneNotice(request) }),
  );

  app.post(
    '/account/nickname',
    { config: { access: SIGNED_IN }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requireUser(request);
      try {
        await changeNickname(db, user.id, request.body.nickname);
        return reply.redirect('/account?done=nickname', 303);
      } catch (err) {
        return accountPage(
          request,
          reply,
          { form: 'nickname', errors: errorsOf(request, err), values: keptValues(request.body) },
          400,
        );
      }
    },
  );

  app.post(
    '/account/password',
    { config: { ...LOGIN_LIMIT, access: SIGNED_IN }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requireUser(request);
      try {
        await changePassword(db, user, request.body);
        // Every session of the account has ended: this browser goes on in a new one.
        await startSession(request, user.id);
        return reply.redirect('/account?done=password', 303);
      } catch (err) {
        return accountPage(request, reply, { form: 'password', errors: errorsOf(request, err) }, 400);
      }
    },
  );

  // The account's language: this browser's cookie and the stored one that notices, e-mails and SMS are written in.
  app.post(
    '/account/language',
    { config: { access: SIGNED_IN }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requireUser(request);
      const { locale } = request.body;
      if (!isLocale(locale)) {
        const errors = errorsOf(
          request,
          new AppError('VALIDATION', { detail: request.t('account.languageInvalid') }, 'locale'),
        );
        return accountPage(request, reply, { form: 'language', errors }, 400);
      }
      await storeAccountLocale(db, user.id, locale);
      setLocaleCookie(request, reply, locale);
      return reply.redirect('/account?done=language', 303);
    },
  );

  app.get('/account/export.json', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const user = requireUser(request);
    const data = await exportPersonalData(db, user.id);
    return reply
      .header('content-disposition', 'attachment; filename="liuyan-my-data.json"')
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post(
    '/account/delete',
    { config: { ...LOGIN_LIMIT, access: SIGNED_IN }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requireUser(request);
      try {
        await deleteAccount(db, user, request.body.password);
        await request.session.destroy();
        return reply.redirect('/login?done=deleted', 303);
      } catch (err) {
        return accountPage(request, reply, { form: 'delete', errors: errorsOf(request, err) }, 400);
      }
    },
  );

  app.post(
    '/account/tokens/:id/revoke',
    { config: { access: SIGNED_IN }, schema: { params: IdParams } },
    async (request, reply) => {
      const user = requireUser(request);
      await revokeToken(db, user.id, request.params.id);
      return reply.redirect('/account?done=tokenRevoked', 303);
    },
  );

  // Two-step verification
  app.get('/account/totp', { config: { access: SIGNED_IN } }, async (request, reply) => {
    const user = requireUser(request);
    if (user.totpEnabled) return reply.redirect('/account', 303);
    request.session.totpSetup ??= newTotpSecret();
    const { qrSvg } = await totpEnrolment(request.session.totpSetup, user.phone);
    return sendPage(
      reply,
      TotpSetupPage({ ctx: pageContext(request, reply), secret: request.session.totpSetup, qrSvg }),
    );
  });

  app.post(
    '/account/totp',
    { config: { ...LOGIN_LIMIT, access: SIGNED_IN }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requireUser(request);
      const secret = request.session.totpSetup;
      if (!secret) return reply.redirect('/account/totp', 303);
      if (!checkTotp(secret, request.body.code)) {
        const { qrSvg } = await totpEnrolment(secret, user.phone);
        const errors = errorsOf(request, new AppError('TOTP_INVALID', {}, 'code'));
        return sendPage(reply, TotpSetupPage({ ctx: pageContext(request, reply), secret, qrSvg, errors }), 400);
      }
      await enableTotp(db, config.secret, user.id, secret);
      request.session.totpSetup = undefined;
      await adminLogRepository.append(db, {
        actorId: user.id,
        action: 'totp.enable',
        targetUserId: user.id,
        ip: request.ip,
      });
      return reply.redirect('/account?done=totpOn', 303);
    },
  );

  app.post(
    '/account/totp/disable',
    { config: { ...LOGIN_LIMIT, access: SIGNED_IN }, schema: { body: FormBody } },
    async (request, reply) => {
      const user = requireUser(request);
      if (!(await verifyUserTotp(db, config.secret, user.id, request.body.code))) {
        return accountPage(
          request,
          reply,
          { errors: errorsOf(request, new AppError('TOTP_INVALID', {}, 'code')) },
          400,
        );
      }
      await disableTotp(db, user.id);
      await adminLogRepository.append(db, {
        actorId: user.id,
        action: 'totp.disable',
        targetUserId: user.id,
        ip: request.ip,
      });
      return reply.redirect('/account?done=totpOff', 303);
    },
  );
};
