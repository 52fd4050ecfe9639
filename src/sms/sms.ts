// Sends SMS (verification codes, notices) through the configured driver: log, file or a signed HTTP gateway.
import { createHmac } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.ts';

export type SmsPurpose = 'register' | 'login' | 'reset' | 'notice';

export interface SmsMessage {
  to: string;
  text: string;
  purpose: SmsPurpose;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

export interface SmsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export type SmsConfig = Pick<Config, 'smsDriver' | 'smsFile' | 'smsHttpUrl' | 'smsHttpSecret' | 'smsRedirectTo'>;

export interface SmsOptions {
  fetch?: typeof fetch;
  /** Waits before each retry of the http driver; its length is the number of retries. */
  retryDelaysMs?: number[];
}

export class SmsDeliveryError extends Error {
  constructor(
    message: string,
    /** The gateway's HTTP status, when it answered at all. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SmsDeliveryError';
  }
}

const DEFAULT_RETRY_DELAYS_MS = [500, 2000, 8000];
const ATTEMPT_TIMEOUT_MS = 10_000;

/** 13812341234 → 138****1234, so logs and redirected texts never carry a whole number. */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return '****';
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** What the file and http drivers write: the message plus when it was sent. */
function record(message: SmsMessage): string {
  const { to, text, purpose } = message;
  return JSON.stringify({ to, text, purpose, at: new Date().toISOString() });
}

function logDriver(log: SmsLogger): SmsSender {
  return {
    async send({ to, purpose, text }) {
      log.info({ sms: { to, purpose, text } }, '短信（log 驱动，未真正发送）');
    },
  };
}

function fileDriver(file: string): SmsSender {
  return {
    async send(message) {
      await mkdir(dirname(file), { recursive: true });
      // A single append of a whole line lands atomically under O_APPEND, so concurrent sends never interleave.
      await appendFile(file, record(message) + '\n', 'utf8');
    },
  };
}

/** The outcome of one POST: done, worth another try, or a final refusal. */
type Attempt = { ok: true } | { ok: false; retry: boolean; error: SmsDeliveryError };

function signatureHeaders(secret: string, body: string): Record<string, string> {
  // The timestamp is signed with the body so a captured request cannot be replayed later with a fresh time.
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-liuyan-timestamp': timestamp,
    'x-liuyan-signature': `sha256=${signature}`,
  };
}

function failureOfThrown(err: unknown): Attempt {
  const error =
    err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
      ? new SmsDeliveryError(`短信网关 ${ATTEMPT_TIMEOUT_MS / 1000} 秒内未响应`, undefined, { cause: err })
      : new SmsDeliveryError(`短信网关无法连接：${connectionDetail(err)}`, undefined, { cause: err });
  return { ok: false, retry: true, error };
}

/** fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND…) in its cause. */
function connectionDetail(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return err.message;
}

async function attempt(fetchFn: typeof fetch, url: string, secret: string, body: string): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: signatureHeaders(secret, body),
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
  } catch (err) {
    return failureOfThrown(err);
  }
  // The gateway's answer is not needed; draining it lets the connection be reused.
  await response.body?.cancel().catch(() => {});
  if (response.ok) return { ok: true };
  const status = response.status;
  return {
    ok: false,
    retry: status >= 500 || status === 429,
    error: new SmsDeliveryError(`短信网关返回 ${status}`, status),
  };
}

function httpDriver(url: string, secret: string, log: SmsLogger, options: SmsOptions): SmsSender {
  const fetchFn = options.fetch ?? fetch;
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  return {
    async send(message) {
      // One body for every attempt, so the gateway can recognise a retried message by its content and time.
      const body = record(message);
      for (let tried = 0; ; tried++) {
        const result = await attempt(fetchFn, url, secret, body);
        if (result.ok) return;
        const delay = delays[tried];
        if (!result.retry || delay === undefined) throw result.error;
        log.warn(
          { sms: { to: maskPhone(message.to), purpose: message.purpose }, attempt: tried + 1, retryInMs: delay },
          `${result.error.message}，稍后重试`,
        );
        await sleep(delay);
      }
    },
  };
}

/** Staging guard: real people must never get a test system's texts, so everything goes to one safe number. */
function redirected(sender: SmsSender, redirectTo: string): SmsSender {
  return {
    send(message) {
      const text = `【测试转发，原收件人 ${maskPhone(message.to)}】${message.text}`;
      return sender.send({ ...message, to: redirectTo, text });
    },
  };
}

function driverFor(config: SmsConfig, log: SmsLogger, options: SmsOptions): SmsSender {
  switch (config.smsDriver) {
    case 'log':
      return logDriver(log);
    case 'file':
      if (!config.smsFile) throw new Error('短信配置错误：SMS_DRIVER=file 时必须设置 SMS_FILE');
      return fileDriver(config.smsFile);
    case 'http':
      if (!config.smsHttpUrl) throw new Error('短信配置错误：SMS_DRIVER=http 时必须设置 SMS_HTTP_URL');
      if (!config.smsHttpSecret) throw new Error('短信配置错误：SMS_DRIVER=http 时必须设置 SMS_HTTP_SECRET');
      return httpDriver(config.smsHttpUrl, config.smsHttpSecret, log, options);
  }
}

export function createSmsSender(config: SmsConfig, log: SmsLogger, options: SmsOptions = {}): SmsSender {
  const sender = driverFor(config, log, options);
  return config.smsRedirectTo ? redirected(sender, config.smsRedirectTo) : sender;
}
