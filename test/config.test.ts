import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CONFIG_VARIABLES, ConfigError, DEFAULT_LIMITS, loadConfig } from '../src/config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'liuyan-config-'));
const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  test('defaults: embedded SQLite in ./data, port 3000 on 127.0.0.1, log SMS driver', () => {
    const cwd = tmp();
    const config = loadConfig({}, cwd);
    assert.equal(config.engine, 'sqlite');
    assert.equal(config.sqliteFile, join(cwd, 'data', 'liuyan.db'));
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.smsDriver, 'log');
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    rmSync(cwd, { recursive: true });
  });

  test('embedded mode generates a secret on first start, keeps it private and reuses it', () => {
    const cwd = tmp();
    const first = loadConfig({}, cwd);
    const file = join(cwd, 'data', 'secret');
    assert.ok(first.secret.length >= 32);
    assert.equal(readFileSync(file, 'utf8').trim(), first.secret);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(loadConfig({}, cwd).secret, first.secret);
    assert.equal(loadConfig({ LIUYAN_SECRET: secret }, cwd).secret, secret, 'the environment wins');
    rmSync(cwd, { recursive: true });
  });

  test('PostgreSQL needs LIUYAN_SECRET and takes the URL as given', () => {
    const cwd = tmp();
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/liuyan' }, cwd),
      (e: Error) => e instanceof ConfigError && /^配置错误：LIUYAN_SECRET /.test(e.message),
    );
    const config = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/liuyan', LIUYAN_SECRET: secret }, cwd);
    assert.equal(config.engine, 'postgres');
    assert.equal(config.sqliteFile, undefined);
    rmSync(cwd, { recursive: true });
  });

  const bad: [string, string, RegExp][] = [
    ['PORT', 'abc', /PORT 应为 1–65535 之间的整数，当前值为 "abc"/],
    ['PORT', '70000', /PORT 应为 1–65535/],
    ['PORT', '3.5', /PORT /],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL 应为 sqlite:路径/],
    ['SMS_DRIVER', 'carrier-pigeon', /SMS_DRIVER 应为 log、file 或 http/],
    ['LIUYAN_SECRET', 'short', /LIUYAN_SECRET 应为至少 32 个字符/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL 应为 redis:\/\//],
    ['REDIS_TIMEOUT_MS', '5', /REDIS_TIMEOUT_MS 应为 20–10000 之间的整数/],
    ['REDIS_RETRY_SECONDS', 'soon', /REDIS_RETRY_SECONDS 应为 1–3600 之间的整数/],
    ['OUTBOX_CLAIM_SECONDS', '0', /OUTBOX_CLAIM_SECONDS 应为 1–3600 之间的整数/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL /],
    [
      'TRUST_PROXY',
      'maybe',
      /TRUST_PROXY 应为反向代理的层数（正整数，如 1）或受信任代理的地址列表.*"maybe" 不是 IP 地址或 CIDR/,
    ],
    ['TRUST_PROXY', 'true', /TRUST_PROXY 不能为 true（.*）：应为反向代理的层数（正整数，如 1）或受信任代理的地址列表/],
    ['TRUST_PROXY', '0', /TRUST_PROXY .*层数应在 1–10 之间/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY .*"10\.0\.0\.0\/33" 不是 IP 地址或 CIDR/],
    ['TRUST_PROXY', '*', /TRUST_PROXY 应为反向代理的层数/],
    ['RATE_LIMIT_LOGIN_PER_MINUTE', '0', /RATE_LIMIT_LOGIN_PER_MINUTE 应为 1–100000 之间的整数/],
    ['RATE_LIMIT_WRITE_PER_MINUTE', 'many', /RATE_LIMIT_WRITE_PER_MINUTE 应为 1–100000 之间的整数/],
    ['SMS_CODES_PER_NUMBER_PER_HOUR', '1.5', /SMS_CODES_PER_NUMBER_PER_HOUR 应为 1–100 之间的整数/],
    ['LOGIN_LOCK_FAILURES', '1', /LOGIN_LOCK_FAILURES 应为 3–1000 之间的整数/],
    ['LOGIN_LOCK_MINUTES', '2000', /LOGIN_LOCK_MINUTES 应为 1–1440 之间的整数/],
    ['HOST', 'a b', /HOST /],
    ['PUBLIC_URL', 'example.org', /PUBLIC_URL /],
  ];
  for (const [name, value, message] of bad) {
    test(`a malformed ${name} stops the start with one line naming it`, () => {
      const cwd = tmp();
      assert.throws(
        () => loadConfig({ [name]: value, LIUYAN_SECRET: name === 'LIUYAN_SECRET' ? value : secret }, cwd),
        (e: Error) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'),
      );
      rmSync(cwd, { recursive: true });
    });
  }

  test('TRUST_PROXY takes a hop count or a list of proxy addresses; unset or false trusts no one', () => {
    const trust = (value?: string) =>
      loadConfig({ LIUYAN_SECRET: secret, ...(value === undefined ? {} : { TRUST_PROXY: value }) }, tmp()).trustProxy;
    assert.equal(trust(), false);
    assert.equal(trust('false'), false);
    const hops = trust('1');
    assert.equal(typeof hops, 'function', 'Fastify fails closed on a bare number, so a hop count becomes a function');
    const fn = hops as (address: string, hop: number) => boolean;
    assert.deepEqual([fn('127.0.0.1', 0), fn('2.2.2.2', 1)], [true, false]);
    assert.equal(trust(' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,loopback '), '127.0.0.1,10.0.0.0/8,::1,fd00::/8,loopback');
  });

  test("every limit has today's value by default and takes the configured one", () => {
    assert.deepEqual(loadConfig({ LIUYAN_SECRET: secret }, tmp()).limits, DEFAULT_LIMITS);
    const config = loadConfig(
      {
        LIUYAN_SECRET: secret,
        RATE_LIMIT_WRITE_PER_MINUTE: '120',
        RATE_LIMIT_LOGIN_PER_MINUTE: '3',
        RATE_LIMIT_CODE_PER_MINUTE: '4',
        RATE_LIMIT_SUBMIT_PER_MINUTE: '5',
        RATE_LIMIT_SIMILAR_PER_MINUTE: '6',
        SMS_CODES_PER_NUMBER_PER_HOUR: '7',
        SMS_CODES_PER_ADDRESS_PER_HOUR: '8',
        LOGIN_LOCK_FAILURES: '9',
        LOGIN_LOCK_MINUTES: '10',
        RATE_LIMIT_TRACK_PER_MINUTE: '11',
        SMS_INBOUND_PER_NUMBER_PER_HOUR: '12',
        OPEN311_REQUESTS_PER_KEY_PER_MINUTE: '13',
        RATE_LIMIT_VOTE_PER_MINUTE: '14',
      },
      tmp(),
    );
    assert.deepEqual(config.limits, {
      writePerMinute: 120,
      loginPerMinute: 3,
      codePerMinute: 4,
      submitPerMinute: 5,
      similarPerMinute: 6,
      smsCodesPerNumberPerHour: 7,
      smsCodesPerAddressPerHour: 8,
      loginLockFailures: 9,
      loginLockMinutes: 10,
      trackPerMinute: 11,
      smsInboundPerNumberPerHour: 12,
      open311PerKeyPerMinute: 13,
      votePerMinute: 14,
    });
    assert.ok(Object.isFrozen(config.limits));
  });

  test('channels: inbound SMS needs its token (and a secret for the signed format); SMTP needs MAIL_FROM', () => {
    const base = { LIUYAN_SECRET: secret };
    assert.deepEqual(loadConfig(base, tmp()).channels.smsInboundProviders, [], 'inbound SMS is off by default');
    assert.throws(
      () => loadConfig({ ...base, SMS_INBOUND_PROVIDERS: 'aliyun' }, tmp()),
      /^ConfigError: 配置错误：SMS_INBOUND_TOKEN /,
    );
    assert.throws(
      () => loadConfig({ ...base, SMS_INBOUND_PROVIDERS: 'huawei' }, tmp()),
      /SMS_INBOUND_PROVIDERS 应为 aliyun、tencent、signed/,
    );
    const token = 'a'.repeat(24);
    assert.throws(
      () => loadConfig({ ...base, SMS_INBOUND_PROVIDERS: 'aliyun,signed', SMS_INBOUND_TOKEN: token }, tmp()),
      /SMS_INBOUND_SECRET/,
    );
    assert.throws(() => loadConfig({ ...base, SMS_INBOUND_TOKEN: 'short' }, tmp()), /SMS_INBOUND_TOKEN 应为 24–128/);
    assert.throws(
      () => loadConfig({ ...base, SMS_INBOUND_ALLOW: '10.0.0.0/8,10.0.0.999' }, tmp()),
      /"10\.0\.0\.999" 不是 IP 地址或 CIDR/,
    );
    assert.throws(() => loadConfig({ ...base, SMTP_URL: 'smtp://127.0.0.1:25' }, tmp()), /MAIL_FROM/);
    assert.throws(() => loadConfig({ ...base, DIGEST_HOUR: '24' }, tmp()), /DIGEST_HOUR 应为 0–23/);
    const channels = loadConfig(
      {
        ...base,
        SMS_INBOUND_PROVIDERS: ' aliyun , tencent,aliyun',
        SMS_INBOUND_TOKEN: token,
        SMS_INBOUND_ALLOW: '47.98.0.0/16, 106.14.1.2',
        SMTP_URL: 'smtp://127.0.0.1:25',
        MAIL_FROM: '留言平台 <noreply@example.gov.cn>',
        DIGEST_HOUR: '7',
      },
      tmp(),
    ).channels;
    assert.deepEqual(channels.smsInboundProviders, ['aliyun', 'tencent']);
    assert.deepEqual(channels.smsInboundAllow, ['47.98.0.0/16', '106.14.1.2']);
    assert.equal(channels.mailFrom, '留言平台 <noreply@example.gov.cn>');
    assert.equal(channels.digestHour, 7);
    assert.ok(Object.isFrozen(channels));
  });

  test('SMS_DRIVER=file needs SMS_FILE', () => {
    assert.throws(() => loadConfig({ SMS_DRIVER: 'file', LIUYAN_SECRET: secret }, tmp()), /SMS_FILE/);
    const config = loadConfig({ SMS_DRIVER: 'file', SMS_FILE: 'sms.jsonl', LIUYAN_SECRET: secret }, '/srv');
    assert.equal(config.smsFile, '/srv/sms.jsonl');
  });

  test('every variable is documented in .env.example', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const name of CONFIG_VARIABLES) assert.match(example, new RegExp(`^#? ?${name}=`, 'm'), name);
  });
});
