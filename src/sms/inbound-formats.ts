// The push formats of the SMS gateways (see shared/reference/sms-gateways.md): each read into the same texts, and
// each answered the way its gateway expects.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { SmsInboundProvider } from '../config.ts';

/** One text as the platform stores it, whatever the gateway. */
export interface InboundText {
  /** The gateway's id of the text, or a digest of the text when the gateway gives none: retries carry the same. */
  providerId: string;
  /** The sender as the gateway wrote it (normalised later). */
  phone: string;
  text: string;
  destCode: string | null;
  sentAt: string | null;
}

const TEXT_MAX = 2000;
const Phone = Type.String({ minLength: 1, maxLength: 32 });
const Text = Type.String({ maxLength: TEXT_MAX });

/** Alibaba Cloud SmsUp, HTTP batch push: a JSON array; `sequence_id` a number in older pages, a string in newer. */
export const AliyunPush = Type.Array(
  Type.Object({
    phone_number: Phone,
    content: Text,
    send_time: Type.Optional(Type.String({ maxLength: 40 })),
    dest_code: Type.Optional(Type.String({ maxLength: 40 })),
    sequence_id: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 64 })]),
    sign_name: Type.Optional(Type.String({ maxLength: 64 })),
  }),
  { minItems: 1, maxItems: 100 },
);

/** Tencent Cloud SMS reply callback: one object, no id of its own. */
export const TencentPush = Type.Object({
  mobile: Phone,
  nationcode: Type.Optional(Type.String({ maxLength: 8 })),
  text: Text,
  sign: Type.Optional(Type.String({ maxLength: 64 })),
  time: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ maxLength: 20 })]),
  extend: Type.Optional(Type.String({ maxLength: 40 })),
});

const SignedText = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  from: Phone,
  text: Text,
  to: Type.Optional(Type.String({ maxLength: 40 })),
  at: Type.Optional(Type.String({ maxLength: 40 })),
});
/** The platform's own format for any other gateway: one text or an array, signed like the outbound `http` driver. */
export const SignedPush = Type.Union([SignedText, Type.Array(SignedText, { minItems: 1, maxItems: 100 })]);

export type ParseResult = { ok: true; texts: InboundText[] } | { ok: false; error: string };

/** Where the first problem is, in words a gateway's operator can act on. */
function firstProblem(schema: TSchema, body: unknown): string {
  const first = [...Value.Errors(schema, body)][0];
  if (!first) return '格式不正确';
  const at = first.instancePath || '/';
  return `字段 ${at} 不符合要求：${first.message}`;
}

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0001')).digest('hex').slice(0, 64);

export function parsePush(provider: SmsInboundProvider, body: unknown): ParseResult {
  switch (provider) {
    case 'aliyun': {
      if (!Value.Check(AliyunPush, body)) return { ok: false, error: firstProblem(AliyunPush, body) };
      return {
        ok: true,
        texts: (body as Static<typeof AliyunPush>).map((t) => ({
          providerId: String(t.sequence_id),
          phone: t.phone_number,
          text: t.content,
          destCode: t.dest_code ?? null,
          sentAt: t.send_time ?? null,
        })),
      };
    }
    case 'tencent': {
      if (!Value.Check(TencentPush, body)) return { ok: false, error: firstProblem(TencentPush, body) };
      const t = body as Static<typeof TencentPush>;
      const time = String(t.time);
      return {
        ok: true,
        texts: [
          {
            // The callback has no id: the same reply pushed again has the same sender, time and text.
            providerId: digest(t.nationcode ?? '86', t.mobile, time, t.text),
            phone: t.nationcode && t.nationcode !== '86' ? `+${t.nationcode}${t.mobile}` : t.mobile,
            text: t.text,
            destCode: t.extend || null,
            sentAt: time,
          },
        ],
      };
    }
    case 'signed': {
      if (!Value.Check(SignedPush, body)) return { ok: false, error: firstProblem(SignedPush, body) };
      const list = Array.isArray(body) ? (body as Static<typeof SignedText>[]) : [body as Static<typeof SignedText>];
      return {
        ok: true,
        texts: list.map((t) => ({
          providerId: t.id,
          phone: t.from,
          text: t.text,
          destCode: t.to ?? null,
          sentAt: t.at ?? null,
        })),
      };
    }
  }
}

/** How long a signed push stays valid: a captured request cannot be replayed later. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** Checks `x-liuyan-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` in constant time. */
export function checkSignature(
  secret: string,
  rawBody: string,
  timestamp: string | undefined,
  signature: string | undefined,
  now = Date.now(),
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The answer each gateway expects: success, or a failure with a reason (a 5xx makes it push again). */
export function answer(provider: SmsInboundProvider | null, ok: boolean, detail: string): Record<string, unknown> {
  switch (provider) {
    case 'aliyun':
      return ok ? { code: 0, msg: '接收成功' } : { code: 1, msg: detail };
    case 'tencent':
      return ok ? { result: 0, errmsg: 'OK' } : { result: 1, errmsg: detail };
    default:
      return ok ? { ok: true } : { ok: false, error: detail };
  }
}
