// The accounts API for the mobile app and mini-program: codes, registration, tokens, the profile, data and deletion.
import { PUBLIC, SIGNED_IN } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorBody, IdParams } from '../api/schemas.ts';
import { AppError } from '../web/app-error.ts';
import { rateLimits } from '../web/rate-limits.ts';
import {
  changeNickname,
  deleteAccount,
  exportPersonalData,
  loadCurrentUser,
  loginWithCode,
  loginWithPassword,
  markLoggedIn,
  register,
  requirePhone,
  resetPassword,
} from './accounts.service.ts';
import { requireUser } from './auth.plugin.ts';
import { CODE_PURPOSES, isCodePurpose, requestCode, RESEND_AFTER_MS } from './sms-codes.service.ts';
import { issueToken, listTokens, revokeToken, TOKEN_CHANNELS, type TokenChannel } from './tokens.service.ts';
import { mustEnrolTotp, verifyUserTotp } from './totp.ts';
import { usersRepository } from './users.repository.ts';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  423: ErrorBody,
  429: ErrorBody,
};
const text = (maxLength: number, description: string) => Type.Optional(Type.String({ maxLength, description }));
const bearer = [{ bearerAuth: [] }];

const Profile = Type.Object({
  id: Type.Integer(),
  phone: Type.String(),
  nickname: Type.String(),
  isStaff: Type.Boolean(),
  twoFactorEnabled: Type.Boolean(),
  roles: Type.Array(Type.Object({ role: Type.String(), scopeType: Type.String(), scopeId: Type.String() })),
});

const TokenInfo = Type.Object({
  id: Type.Integer(),
  channel: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String(),
});

export const authApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const limits = rateLimits(config);

  app.post(
    '/api/v1/auth/sms-code',
    {
      config: { access: PUBLIC, rateLimit: limits.code },
      schema: {
        tags: ['auth'],
        summary: '发送短信验证码（注册、登录、找回密码）；无论号码是否注册，回答都相同',
        body: Type.Object({ phone: text(32, '中国大陆手机号'), purpose: text(16, CODE_PURPOSES.join(' | ')) }),
        response: { 202: Type.Object({ sent: Type.Boolean(), retryAfterSeconds: Type.Integer() }), ...errors },
      },
    },
    async (request, reply) => {
      const phone = requirePhone(request.body.phone);
      if (!isCodePurpose(request.body.purpose)) {
        const allowed = CODE_PURPOSES.join(request.t('citizen.listSeparator'));
        throw new AppError('VALIDATION', { detail: request.t('auth.purposeInvalid', { allowed }) }, 'purpose');
      }
      await requestCode(db, app.sms, config.secret, {
        phone,
        purpose: request.body.purpose,
        ip: request.ip,
        limits: config.limits,
      });
      return reply.status(202).send({ sent: true, retryAfterSeconds: RESEND_AFTER_MS / 1000 });
    },
  );

  app.post(
    '/api/v1/auth/register',
    {
      config: { access: PUBLIC, rateLimit: limits.code },
      schema: {
        tags: ['auth'],
        summary: '用手机号、短信验证码、密码和昵称注册',
        body: Type.Object({
          phone: text(32, '手机号'),
          code: text(16, '短信验证码'),
          password: text(200, '密码'),
          nickname: text(64, '昵称'),
        }),
        response: { 201: Type.Object({ id: Type.Integer(), nickname: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const id = await register(db, config.secret, request.body);
      const user = await usersRepository.findById(db, id);
      return reply.status(201).send({ id, nickname: user!.nickname });
    },
  );

  app.post(
    '/api/v1/auth/token',
    {
      config: { access: PUBLIC, rateLimit: limits.login },
      schema: {
        tags: ['auth'],
        summary: '登录取得 Bearer 令牌：手机号加密码，或手机号加短信验证码；启用两步验证的账号还需 totp',
        body: Type.Object({
          phone: text(32, '手机号'),
          password: text(200, '密码'),
          code: text(16, '短信验证码（代替密码）'),
          totp: text(16, '两步验证动态码'),
          channel: text(16, TOKEN_CHANNELS.join(' | ')),
          name: text(64, '设备名称'),
        }),
        response: {
          201: Type.Object({ token: Type.String(), id: Type.Integer(), expiresAt: Type.String() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const channel = (body.channel ?? 'app') as TokenChannel;
      if (!TOKEN_CHANNELS.includes(channel)) {
        const allowed = TOKEN_CHANNELS.join(request.t('citizen.listSeparator'));
        throw new AppError('VALIDATION', { detail: request.t('auth.channelInvalid', { allowed }) }, 'channel');
      }
      const result = body.code
        ? await loginWithCode(db, config.secret, body)
        : await loginWithPassword(db, body, { ip: request.ip, limits: config.limits });
      if (result.needsTotp) {
        if (!body.totp) throw new AppError('TOTP_REQUIRED', {}, 'totp');
        if (!(await verifyUserTotp(db, config.secret, result.userId, body.totp)))
          throw new AppError('TOTP_INVALID', {}, 'totp');
      }
      // A staff role that requires two-step verification gets no token until it is set up (on the web).
      const account = await loadCurrentUser(db, result.userId);
      if (account && (await mustEnrolTotp(db, account))) throw new AppError('TOTP_ENROL_REQUIRED', {}, 'totp');
      await markLoggedIn(db, result.userId);
      const issued = await issueToken(db, result.userId, channel, body.name ?? channel);
      return reply.status(201).send({ token: issued.token, id: issued.id, expiresAt: issued.expiresAt });
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: { access: PUBLIC, rateLimit: limits.code },
      schema: {
        tags: ['auth'],
        summary: '用短信验证码设置新密码；该账号所有登录和令牌随之失效',
        body: Type.Object({ phone: text(32, '手机号'), code: text(16, '短信验证码'), password: text(200, '新密码') }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await resetPassword(db, config.secret, request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/tokens',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: '我的令牌',
        security: bearer,
        response: { 200: Type.Object({ tokens: Type.Array(TokenInfo) }), ...errors },
      },
    },
    async (request) => ({ tokens: await listTokens(db, requireUser(request).id) }),
  );

  app.delete(
    '/api/v1/auth/tokens/:id',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: '撤销我的一个令牌',
        security: bearer,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await revokeToken(db, requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/auth/token',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: '退出登录：撤销当前令牌',
        security: bearer,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (request.tokenId) await revokeToken(db, user.id, request.tokenId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: SIGNED_IN },
      schema: { tags: ['auth'], summary: '我的账号', security: bearer, response: { 200: Profile, ...errors } },
    },
    async (request) => {
      const user = requireUser(request);
      return {
        id: user.id,
        phone: user.phone,
        nickname: user.nickname,
        isStaff: user.isStaff,
        twoFactorEnabled: user.totpEnabled,
        roles: user.grants,
      };
    },
  );

  app.patch(
    '/api/v1/me',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: '修改昵称',
        security: bearer,
        body: Type.Object({ nickname: text(64, '昵称') }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await changeNickname(db, requireUser(request).id, request.body.nickname);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/export',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: '下载平台保存的关于我的全部信息',
        security: bearer,
        response: {
          200: Type.Object({}, { additionalProperties: true, description: '账号、角色、登录、令牌、日志与留言' }),
          ...errors,
        },
      },
    },
    async (request) => exportPersonalData(db, requireUser(request).id),
  );

  app.delete(
    '/api/v1/me',
    {
      config: { access: SIGNED_IN, rateLimit: limits.login },
      schema: {
        tags: ['auth'],
        summary: '注销账号（需当前密码）：个人信息删除，公开留言保留但不再关联',
        security: bearer,
        body: Type.Object({ password: text(200, '当前密码') }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteAccount(db, requireUser(request), request.body.password);
      return reply.status(204).send(null);
    },
  );
};
