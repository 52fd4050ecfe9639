// HTTP for inbound SMS: the gateways' webhook (a secret token in the path, an optional address allow-list, the
// `signed` format's HMAC; answered in each gateway's own format), and the log of every text for staff.
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { maskPhone } from '../accounts/phone.ts';
import { SMS_INBOUND_PROVIDERS, type SmsInboundProvider } from '../config.ts';
import { idFromText } from '../db/ids.ts';
import { permission, PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { answer, checkSignature, parsePush } from './inbound-formats.ts';
import { inboundRepository } from './inbound.repository.ts';
import { receiveTexts } from './inbound.service.ts';
import { InboundLogPage } from './views/inbound-log-page.tsx';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as it arrived, for the `signed` format's HMAC. */
    rawBody?: string;
  }
}

/** Gateways push in bursts from a few addresses; a wrong token is answered 404 and costs nothing. */
const WEBHOOK_LIMIT = { max: 1000, timeWindow: '1 minute' };
const LOG_PAGE = 50;

const digest = (value: string) => createHash('sha256').update(value).digest();

function providerOf(value: unknown): SmsInboundProvider | null {
  return typeof value === 'string' && (SMS_INBOUND_PROVIDERS as readonly string[]).includes(value)
    ? (value as SmsInboundProvider)
    : null;
}

export const inboundSmsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const settings = config.channels;
  const tokenDigest = settings.smsInboundToken ? digest(settings.smsInboundToken) : null;
  const allow = new BlockList();
  for (const entry of settings.smsInboundAllow) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) allow.addAddress(address, type);
    else allow.addSubnet(address, Number(prefix), type);
  }
  const allowed = (ip: string) => {
    if (settings.smsInboundAllow.length === 0) return true;
    const plain = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
    return allow.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  };

  // The webhook lives in a scope of its own: its body parser keeps the raw text, and its errors are answered in the
  // gateway's format rather than as a page.
  await app.register(async (scope) => {
    const hook = scope.withTypeProvider<TypeBoxTypeProvider>();
    hook.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = String(body);
      (request as FastifyRequest).rawBody = text;
      try {
        done(null, text === '' ? undefined : JSON.parse(text));
      } catch {
        done(new AppError('JSON_INVALID'), undefined);
      }
    });
    hook.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      const provider = providerOf((request.params as { provider?: unknown } | undefined)?.provider);
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, 'inbound SMS failed');
      const detail =
        status >= 500
          ? '处理失败，请稍后重发'
          : error instanceof AppError
            ? request.t(error.messageKey, error.params)
            : error.message;
      return reply
        .status(status)
        .type('application/json; charset=utf-8')
        .send(answer(provider, false, detail));
    });

    hook.post(
      '/sms/inbound/:provider/:token',
      {
        config: { access: PUBLIC, credential: 'none', csrf: false, rateLimit: WEBHOOK_LIMIT },
        schema: {
          params: Type.Object({
            provider: Type.String({ maxLength: 16 }),
            token: Type.String({ maxLength: 200 }),
          }),
          headers: Type.Object({
            'x-liuyan-timestamp': Type.Optional(Type.String({ maxLength: 20 })),
            'x-liuyan-signature': Type.Optional(Type.String({ maxLength: 100 })),
          }),
        },
      },
      async (request, reply) => {
        const provider = providerOf(request.params.provider);
        // A gateway not switched on, or a wrong token, look the same: there is nothing here.
        const tokenOk = tokenDigest !== null && timingSafeEqual(digest(request.params.token), tokenDigest);
        if (!provider || !settings.smsInboundProviders.includes(provider) || !tokenOk) {
          throw new AppError('NOT_FOUND');
        }
        if (!allowed(request.ip)) throw new AppError('FORBIDDEN');
        if (provider === 'signed') {
          const ok = checkSignature(
            settings.smsInboundSecret ?? '',
            request.rawBody ?? '',
            request.headers['x-liuyan-timestamp'],
            request.headers['x-liuyan-signature'],
          );
          if (!ok) throw new AppError('UNAUTHENTICATED');
        }
        const parsed = parsePush(provider, request.body);
        if (!parsed.ok) throw new AppError('VALIDATION', { detail: parsed.error });
        const tally = await receiveTexts(
          { db, config, store: app.attachments, sensitiveWords: app.sensitiveWords },
          provider,
          parsed.texts,
          request.ip,
        );
        request.log.info({ inboundSms: { provider, ...tally } }, '收到上行短信');
        return reply.type('application/json; charset=utf-8').send(answer(provider, true, ''));
      },
    );
  });

  app.get(
    '/admin/sms-inbound',
    {
      config: { access: permission('sms.inbound.read') },
      schema: {
        querystring: Type.Object({
          before: Type.Optional(Type.String({ maxLength: 12 })),
          phone: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const before = request.query.before ? idFromText(request.query.before) : null;
      if (request.query.before && before === null) throw new AppError('NOT_FOUND');
      const phone = request.query.phone?.trim() || undefined;
      const rows = await inboundRepository.list(db, {
        limit: LOG_PAGE + 1,
        ...(before !== null ? { beforeId: before } : {}),
        ...(phone ? { phone } : {}),
      });
      const shown = rows.slice(0, LOG_PAGE).map((r) => ({ ...r, phone: maskPhone(r.phone) }));
      const older = rows.length > LOG_PAGE ? shown.at(-1)!.id : null;
      const view = { rows: shown, older, phone: phone ?? '', enabled: settings.smsInboundProviders };
      return sendPage(reply, InboundLogPage({ ctx: pageContext(request, reply), view }));
    },
  );
};
