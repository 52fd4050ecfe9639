import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSmsSender, type SmsConfig, SmsDeliveryError, type SmsLogger } from '../src/sms/sms.ts';

const HTTP_SECRET = 'gateway-secret-0123456789';
const ORIGINAL = '13812341234';
const SAFE = '13900000000';
const FAST = [1, 1, 1];

interface LogCall {
  level: 'info' | 'warn';
  obj: object;
  msg: string | undefined;
}

function recordingLogger(): SmsLogger & { calls: LogCall[] } {
  const calls: LogCall[] = [];
  return {
    calls,
    info: (obj, msg) => calls.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => calls.push({ level: 'warn', obj, msg }),
  };
}

function config(overrides: Partial<SmsConfig>): SmsConfig {
  return {
    smsDriver: 'log',
    smsFile: undefined,
    smsHttpUrl: undefined,
    smsHttpSecret: undefined,
    smsRedirectTo: undefined,
    ...overrides,
  };
}

function readLines(file: string): Record<string, unknown>[] {
  const content = readFileSync(file, 'utf8');
  assert.ok(content.endsWith('\n'), 'every record ends its line');
  return content
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A gateway on a free local port that answers with the given statuses in turn, the last one from then on. */
class FakeGateway {
  readonly received: Received[] = [];
  statuses: number[] = [200];
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = this.statuses[Math.min(this.received.length - 1, this.statuses.length - 1)]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });

  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  reset(statuses: number[]): void {
    this.received.length = 0;
    this.statuses = statuses;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('SMS log driver', () => {
  test('writes the message to the logger and nowhere else', async () => {
    const log = recordingLogger();
    await createSmsSender(config({}), log).send({ to: ORIGINAL, text: '验证码 123456', purpose: 'login' });
    assert.deepEqual(log.calls, [
      {
        level: 'info',
        obj: { sms: { to: ORIGINAL, purpose: 'login', text: '验证码 123456' } },
        msg: '短信（log 驱动，未真正发送）',
      },
    ]);
  });
});

describe('SMS file driver', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'liuyan-sms-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('appends one JSON line with to, text, purpose and an ISO time, creating the directory', async () => {
    const file = join(dir, 'nested', 'deeper', 'sms.jsonl');
    const sender = createSmsSender(config({ smsDriver: 'file', smsFile: file }), recordingLogger());
    const startedAt = Date.now();
    await sender.send({ to: ORIGINAL, text: '验证码 654321', purpose: 'register' });
    await sender.send({ to: SAFE, text: '您的留言已回复', purpose: 'notice' });
    const lines = readLines(file);
    assert.equal(lines.length, 2);
    const [first, second] = lines;
    assert.deepEqual(Object.keys(first!).sort(), ['at', 'purpose', 'text', 'to']);
    assert.equal(first!.to, ORIGINAL);
    assert.equal(first!.text, '验证码 654321');
    assert.equal(first!.purpose, 'register');
    assert.match(String(first!.at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(Date.parse(String(first!.at)) >= startedAt - 1000);
    assert.equal(second!.purpose, 'notice');
  });

  test('20 concurrent sends give 20 intact lines', async () => {
    const file = join(dir, 'concurrent.jsonl');
    const sender = createSmsSender(config({ smsDriver: 'file', smsFile: file }), recordingLogger());
    // Long texts make an interleaved write visible as broken JSON.
    const sends = Array.from({ length: 20 }, (_, i) =>
      sender.send({
        to: `1380000${String(i).padStart(4, '0')}`,
        text: `第 ${i} 条 ${'留言'.repeat(500)}`,
        purpose: 'notice',
      }),
    );
    await Promise.all(sends);
    const lines = readLines(file);
    assert.equal(lines.length, 20);
    const numbers = lines.map((line) => line.to).sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 20 }, (_, i) => `1380000${String(i).padStart(4, '0')}`),
    );
    for (const line of lines) assert.ok(String(line.text).endsWith('留言'.repeat(500)));
  });

  test('the staging guard redirects to the safe number and masks the original one', async () => {
    const file = join(dir, 'staging.jsonl');
    const sender = createSmsSender(
      config({ smsDriver: 'file', smsFile: file, smsRedirectTo: SAFE }),
      recordingLogger(),
    );
    await sender.send({ to: ORIGINAL, text: '验证码 111222', purpose: 'reset' });
    const [line] = readLines(file);
    assert.equal(line!.to, SAFE);
    assert.equal(line!.text, '【测试转发，原收件人 138****1234】验证码 111222');
    assert.equal(line!.purpose, 'reset');
    assert.ok(!readFileSync(file, 'utf8').includes(ORIGINAL), 'the real number is never written');
  });
});

describe('SMS http driver', () => {
  const gateway = new FakeGateway();
  before(() => gateway.start());
  after(() => gateway.stop());

  const httpSender = (log: SmsLogger, overrides: Partial<SmsConfig> = {}) =>
    createSmsSender(
      config({ smsDriver: 'http', smsHttpUrl: gateway.url, smsHttpSecret: HTTP_SECRET, ...overrides }),
      log,
      { retryDelaysMs: FAST },
    );

  test('POSTs the JSON body signed with HMAC-SHA256 of "<timestamp>.<body>"', async () => {
    gateway.reset([200]);
    const started = Math.floor(Date.now() / 1000);
    await httpSender(recordingLogger()).send({ to: ORIGINAL, text: '验证码 123456', purpose: 'login' });
    assert.equal(gateway.received.length, 1);
    const { headers, body } = gateway.received[0]!;
    assert.equal(headers['content-type'], 'application/json');
    const timestamp = String(headers['x-liuyan-timestamp']);
    assert.match(timestamp, /^\d+$/);
    assert.ok(Math.abs(Number(timestamp) - started) <= 2, 'the timestamp is in unix seconds');
    const expected = createHmac('sha256', HTTP_SECRET).update(`${timestamp}.${body}`).digest('hex');
    assert.equal(headers['x-liuyan-signature'], `sha256=${expected}`);
    const payload = JSON.parse(body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(payload).sort(), ['at', 'purpose', 'text', 'to']);
    assert.equal(payload.to, ORIGINAL);
    assert.equal(payload.text, '验证码 123456');
    assert.equal(payload.purpose, 'login');
    assert.ok(!Number.isNaN(Date.parse(String(payload.at))));
  });

  test('retries after a 503 and then succeeds, without logging the secret', async () => {
    gateway.reset([503, 200]);
    const log = recordingLogger();
    await httpSender(log).send({ to: ORIGINAL, text: '验证码 123456', purpose: 'login' });
    assert.equal(gateway.received.length, 2);
    assert.equal(gateway.received[0]!.body, gateway.received[1]!.body, 'a retry sends the same message');
    const warnings = log.calls.filter((call) => call.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.msg ?? '', /503/);
    const logged = JSON.stringify(log.calls);
    assert.ok(!logged.includes(HTTP_SECRET), 'the secret is never logged');
    assert.ok(!logged.includes(ORIGINAL), 'warnings carry only the masked number');
  });

  test('retries a 429', async () => {
    gateway.reset([429, 200]);
    await httpSender(recordingLogger()).send({ to: ORIGINAL, text: '通知', purpose: 'notice' });
    assert.equal(gateway.received.length, 2);
  });

  test('does not retry a 400 and throws SmsDeliveryError', async () => {
    gateway.reset([400, 200]);
    await assert.rejects(
      httpSender(recordingLogger()).send({ to: ORIGINAL, text: '验证码 123456', purpose: 'login' }),
      (err: unknown) => err instanceof SmsDeliveryError && err.message === '短信网关返回 400' && err.status === 400,
    );
    assert.equal(gateway.received.length, 1);
  });

  test('throws after exhausting the retries against a gateway that always answers 500', async () => {
    gateway.reset([500]);
    await assert.rejects(
      httpSender(recordingLogger()).send({ to: ORIGINAL, text: '验证码 123456', purpose: 'login' }),
      (err: unknown) => err instanceof SmsDeliveryError && err.message === '短信网关返回 500',
    );
    assert.equal(gateway.received.length, FAST.length + 1, 'one attempt plus one per retry delay');
  });

  test('an unreachable gateway is retried, then reported in Chinese', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const log = recordingLogger();
    const sender = httpSender(log, { smsHttpUrl: `http://127.0.0.1:${port}/sms` });
    await assert.rejects(
      sender.send({ to: ORIGINAL, text: '验证码 123456', purpose: 'login' }),
      (err: unknown) => err instanceof SmsDeliveryError && /^短信网关无法连接：/.test(err.message),
    );
    assert.equal(log.calls.filter((call) => call.level === 'warn').length, FAST.length);
  });

  test('a timed-out attempt is retried', async () => {
    let calls = 0;
    const fakeFetch: typeof fetch = async () => {
      calls++;
      if (calls === 1) throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      return new Response('ok', { status: 200 });
    };
    const sender = createSmsSender(
      config({ smsDriver: 'http', smsHttpUrl: 'http://gateway.invalid/sms', smsHttpSecret: HTTP_SECRET }),
      recordingLogger(),
      { fetch: fakeFetch, retryDelaysMs: FAST },
    );
    await sender.send({ to: ORIGINAL, text: '验证码 123456', purpose: 'login' });
    assert.equal(calls, 2);
  });

  test('the staging guard redirects to the safe number and masks the original one', async () => {
    gateway.reset([200]);
    await httpSender(recordingLogger(), { smsRedirectTo: SAFE }).send({
      to: ORIGINAL,
      text: '验证码 333444',
      purpose: 'register',
    });
    const { headers, body } = gateway.received[0]!;
    const payload = JSON.parse(body) as Record<string, unknown>;
    assert.equal(payload.to, SAFE);
    assert.equal(payload.text, '【测试转发，原收件人 138****1234】验证码 333444');
    assert.ok(!body.includes(ORIGINAL));
    const expected = createHmac('sha256', HTTP_SECRET)
      .update(`${String(headers['x-liuyan-timestamp'])}.${body}`)
      .digest('hex');
    assert.equal(headers['x-liuyan-signature'], `sha256=${expected}`);
  });
});
