// Reads the environment once into a validated, frozen Config; a bad variable stops the start with one line.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Type, { type TSchema } from 'typebox';
import { fileSystemCause } from './db/faults.ts';
import { Value } from 'typebox/value';

export type Engine = 'sqlite' | 'postgres';
export type SmsDriver = 'log' | 'file' | 'http';
/** SQLite's `synchronous` level in WAL mode: what a commit waits for before the write is acknowledged. */
export type SqliteSynchronous = 'NORMAL' | 'FULL';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/**
 * Whom Fastify believes about X-Forwarded-For: nobody (false), the proxies at these addresses (comma-separated, as
 * Fastify takes them), or a given number of hops in front of the app.
 */
export type TrustProxy = false | string | ((address: string, hop: number) => boolean);

/** Every limit on how often a client may act; the defaults are the values in `.env.example`. */
export interface Limits {
  /** Per client address and minute: any write that names no limit of its own. */
  readonly writePerMinute: number;
  /** Per client address and minute: logins, the second step, and account forms that check the password. */
  readonly loginPerMinute: number;
  /** Per client address and minute: SMS code requests, registration and password reset. */
  readonly codePerMinute: number;
  /** Per client address and minute: message submissions. */
  readonly submitPerMinute: number;
  /** Per client address and minute: similar-message lookups before submitting. */
  readonly similarPerMinute: number;
  readonly smsCodesPerNumberPerHour: number;
  readonly smsCodesPerAddressPerHour: number;
  /** Wrong passwords in a row for one number from one address before that address is locked out of it. */
  readonly loginLockFailures: number;
  /** The first lock's length; each further lock of the same number and address lasts twice as long, up to a day. */
  readonly loginLockMinutes: number;
  /** Per client address and minute: tracking-code look-ups (the /track page and the API), against guessing. */
  readonly trackPerMinute: number;
  /** Per phone number and hour: texts to the platform acted on; more are stored and ignored (flood). */
  readonly smsInboundPerNumberPerHour: number;
  /** Per Open311 key and minute: service requests posted. */
  readonly open311PerKeyPerMinute: number;
  /** Per client address and minute: votes in solicitations (征集). */
  readonly votePerMinute: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  writePerMinute: 60,
  loginPerMinute: 30,
  codePerMinute: 10,
  submitPerMinute: 10,
  similarPerMinute: 30,
  smsCodesPerNumberPerHour: 5,
  smsCodesPerAddressPerHour: 20,
  loginLockFailures: 20,
  loginLockMinutes: 15,
  trackPerMinute: 20,
  smsInboundPerNumberPerHour: 20,
  open311PerKeyPerMinute: 30,
  votePerMinute: 30,
});

export interface Config {
  readonly databaseUrl: string;
  readonly engine: Engine;
  /** File path for SQLite (`:memory:` allowed); undefined on PostgreSQL. */
  readonly sqliteFile: string | undefined;
  /**
   * SQLite only (DATABASE_SYNCHRONOUS): NORMAL survives a crash of the process, FULL also a power loss or an OS crash,
   * at the cost of a flush to disk at every commit. PostgreSQL follows the server's own `synchronous_commit`.
   */
  readonly sqliteSynchronous: SqliteSynchronous;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly secret: string;
  readonly smsDriver: SmsDriver;
  readonly smsFile: string | undefined;
  readonly smsHttpUrl: string | undefined;
  readonly smsHttpSecret: string | undefined;
  /** Staging guard: when set, every SMS goes to this one number instead. */
  readonly smsRedirectTo: string | undefined;
  readonly smtpUrl: string | undefined;
  readonly redisUrl: string | undefined;
  /** How long one Redis command may take before the request goes on without Redis (REDIS_TIMEOUT_MS). */
  readonly redisTimeoutMs: number;
  /** After a Redis failure, how long it is left alone and limits are counted in the process (REDIS_RETRY_SECONDS). */
  readonly redisRetrySeconds: number;
  /** How long an outbox row claimed by a process that stopped stays untouched before another sends it. */
  readonly outboxClaimSeconds: number;
  readonly logLevel: LogLevel;
  readonly trustProxy: TrustProxy;
  readonly publicUrl: string | undefined;
  /** One word per line; matches flag a message for the editor. */
  readonly sensitiveWordsFile: string;
  /** How long anonymous visitors may be shown a public page rendered for someone else; 0 turns the cache off. */
  readonly pageCacheSeconds: number;
  /**
   * How long a process keeps using its copy of the reference data (regions, boards, units, working rules, settings)
   * before asking the database whether another process changed it; 0 asks at every use.
   */
  readonly referenceCacheSeconds: number;
  /** How many days of daily open-data dumps to keep in DATA_DIR/open-data; 0 turns the daily dump off. */
  readonly openDataDays: number;
  /** The IANA time zone every page shows times in (the API and open data keep ISO times with their offset). */
  readonly timeZone: string;
  readonly limits: Limits;
  /** Inbound SMS, Open311 and e-mail: see channelsConfig below. */
  readonly channels: ChannelsConfig;
  /** How long a request waits on the database before it is answered 503 rather than left hanging. */
  readonly databaseTimeouts: DatabaseTimeouts;
  /** The video column: limits on uploaded videos. */
  readonly stories: StoriesConfig;
  /** Where attachment files live: see storageConfig below. */
  readonly storage: StorageConfig;
}

/** Attachments on disk (DATA_DIR/attachments unless STORAGE_URL=file:…) or in an S3-compatible bucket. */
export type StorageConfig =
  | { readonly kind: 'disk'; readonly root: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly prefix: string;
      readonly endpoint: string | undefined;
      readonly region: string;
      readonly forcePathStyle: boolean;
      /** From the URL's user:password; absent means the SDK's usual sources (AWS_ACCESS_KEY_ID, …). */
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
    };

export interface StoriesConfig {
  /** Largest video file an editor may upload, in bytes (STORY_VIDEO_MAX_MB). */
  readonly videoMaxBytes: number;
  /** Longest video an editor may upload, in seconds (STORY_VIDEO_MAX_SECONDS). */
  readonly videoMaxSeconds: number;
}

export interface DatabaseTimeouts {
  /** Opening a PostgreSQL connection, or waiting for a free one in the pool. */
  readonly connectMs: number;
  /**
   * One statement: PostgreSQL's statement_timeout, and a client-side limit a little above it for a server that hangs
   * (0: no limit); on SQLite, the longest wait for another process's write lock (0: as long as it takes).
   */
  readonly statementMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = Object.freeze({ connectMs: 2000, statementMs: 15_000 });

/** Gateways whose inbound-SMS push format the platform reads (see src/sms/inbound-formats.ts). */
export const SMS_INBOUND_PROVIDERS = ['aliyun', 'tencent', 'signed'] as const;
export type SmsInboundProvider = (typeof SMS_INBOUND_PROVIDERS)[number];

export interface ChannelsConfig {
  /** The push formats accepted at /sms/inbound/{provider}/{token}; empty: inbound SMS is off. */
  readonly smsInboundProviders: readonly SmsInboundProvider[];
  /** The secret part of the inbound URL. */
  readonly smsInboundToken: string | undefined;
  /** HMAC key of the `signed` format. */
  readonly smsInboundSecret: string | undefined;
  /** Addresses (IP or CIDR) the gateway pushes from; empty: any. */
  readonly smsInboundAllow: readonly string[];
  /** The platform's SMS number, shown on board pages. */
  readonly smsInboundNumber: string | undefined;
  /** Who to ask about the Open311 API, shown in its discovery document. */
  readonly open311Contact: string | undefined;
  /** The From of every e-mail. */
  readonly mailFrom: string | undefined;
  /** The hour (0–23, in TIME_ZONE) from which staff get the day's digest. */
  readonly digestHour: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`配置错误：${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

interface VariableRule {
  schema: TSchema;
  /** Says in Chinese what a valid value looks like. */
  expect: string;
}

function perMinute(what: string): VariableRule {
  return {
    schema: Type.Integer({ minimum: 1, maximum: 100000 }),
    expect: `应为 1–100000 之间的整数（${what}最多允许的次数）`,
  };
}

const RULES = {
  DATABASE_URL: {
    schema: Type.String({ pattern: '^(sqlite:.+|postgres(ql)?://.+)$' }),
    expect: '应为 sqlite:路径（如 sqlite:./data/liuyan.db）或 postgres://用户@主机:端口/数据库',
  },
  DATABASE_CONNECT_TIMEOUT_SECONDS: {
    schema: Type.Integer({ minimum: 1, maximum: 60 }),
    expect: '应为 1–60 之间的整数（连接 PostgreSQL 或等待空闲连接最多等几秒，超时即答复 503）',
  },
  DATABASE_STATEMENT_TIMEOUT_SECONDS: {
    schema: Type.Integer({ minimum: 0, maximum: 3600 }),
    expect: '应为 0–3600 之间的整数（一条数据库语句最多执行几秒，SQLite 上为等待其他进程写锁的最长秒数；0 表示不限）',
  },
  DATABASE_SYNCHRONOUS: {
    schema: Type.Union(['NORMAL', 'FULL', 'normal', 'full'].map((l) => Type.Literal(l))),
    expect:
      '应为 NORMAL 或 FULL（SQLite 提交时的落盘级别：NORMAL 在进程崩溃后不丢已确认的写入，断电或系统崩溃可能丢失最后几笔；FULL 每次提交都等数据写入磁盘，断电也不丢，但写入较慢）',
  },
  PORT: { schema: Type.Integer({ minimum: 1, maximum: 65535 }), expect: '应为 1–65535 之间的整数' },
  HOST: { schema: Type.String({ minLength: 1, pattern: '^\\S+$' }), expect: '应为监听地址，如 127.0.0.1 或 0.0.0.0' },
  DATA_DIR: { schema: Type.String({ minLength: 1 }), expect: '应为一个目录路径' },
  LIUYAN_SECRET: { schema: Type.String({ minLength: 32 }), expect: '应为至少 32 个字符的随机字符串' },
  SMS_DRIVER: {
    schema: Type.Union([Type.Literal('log'), Type.Literal('file'), Type.Literal('http')]),
    expect: '应为 log、file 或 http',
  },
  SMS_FILE: { schema: Type.String({ minLength: 1 }), expect: '应为文件路径' },
  SMS_HTTP_URL: { schema: Type.String({ pattern: '^https?://.+' }), expect: '应为短信网关的 http:// 或 https:// 地址' },
  SMS_HTTP_SECRET: { schema: Type.String({ minLength: 16 }), expect: '应为至少 16 个字符的签名密钥' },
  SMS_REDIRECT_TO: { schema: Type.String({ pattern: '^1[3-9][0-9]{9}$' }), expect: '应为 11 位中国大陆手机号' },
  SMTP_URL: { schema: Type.String({ pattern: '^smtps?://.+' }), expect: '应为 smtp:// 或 smtps:// 开头的地址' },
  REDIS_URL: { schema: Type.String({ pattern: '^rediss?://.+' }), expect: '应为 redis:// 或 rediss:// 开头的地址' },
  REDIS_TIMEOUT_MS: {
    schema: Type.Integer({ minimum: 20, maximum: 10000 }),
    expect: '应为 20–10000 之间的整数（一条 Redis 命令最多等几毫秒，超时即不用 Redis 继续处理请求）',
  },
  REDIS_RETRY_SECONDS: {
    schema: Type.Integer({ minimum: 1, maximum: 3600 }),
    expect: '应为 1–3600 之间的整数（Redis 出错后暂停使用它的秒数，其间限流按本进程计数）',
  },
  OUTBOX_CLAIM_SECONDS: {
    schema: Type.Integer({ minimum: 1, maximum: 3600 }),
    expect: '应为 1–3600 之间的整数（进程中断后，它领取的待发通知过几秒由其他进程重新发送）',
  },
  STORAGE_URL: {
    schema: Type.String({ pattern: '^(s3://[^/?#]+(/[^?#]*)?(\\?[^#]*)?|file:.+)$' }),
    expect:
      '应为 s3://存储桶/前缀?endpoint=http://主机:端口&region=区域&forcePathStyle=true（S3 兼容存储）或 file:目录（本机或共享目录）',
  },
  LOG_LEVEL: {
    schema: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
    expect: '应为 fatal、error、warn、info、debug、trace 或 silent',
  },
  TRUST_PROXY: {
    schema: Type.String({ pattern: '^[0-9A-Za-z.:/, ]+$' }),
    expect:
      '应为反向代理的层数（正整数，如 1）或受信任代理的地址列表（逗号分隔的 IP 或 CIDR，如 127.0.0.1,10.0.0.0/8）；不在代理之后时不设置或设为 false',
  },
  SENSITIVE_WORDS_FILE: { schema: Type.String({ minLength: 1 }), expect: '应为敏感词文件路径（每行一个词）' },
  PAGE_CACHE_SECONDS: {
    schema: Type.Integer({ minimum: 0, maximum: 300 }),
    expect: '应为 0–300 之间的整数（0 表示不缓存）',
  },
  REFERENCE_CACHE_SECONDS: {
    schema: Type.Integer({ minimum: 0, maximum: 60 }),
    expect: '应为 0–60 之间的整数（0 表示每次使用前都核对）',
  },
  OPEN_DATA_DAYS: {
    schema: Type.Integer({ minimum: 0, maximum: 3650 }),
    expect: '应为 0–3650 之间的整数（保留最近几天的开放数据；0 表示不生成每日开放数据）',
  },
  TIME_ZONE: {
    schema: Type.String({ pattern: '^[A-Za-z]+(?:/[A-Za-z_+-]+){0,2}$|^UTC$' }),
    expect: '应为 IANA 时区名，如 Asia/Shanghai、Asia/Hong_Kong',
  },
  PUBLIC_URL: {
    schema: Type.String({ pattern: '^https?://[^/]+' }),
    expect: '应为 http:// 或 https:// 开头的站点地址',
  },
  RATE_LIMIT_WRITE_PER_MINUTE: perMinute('未另设限制的提交（每个客户端地址每分钟）'),
  RATE_LIMIT_LOGIN_PER_MINUTE: perMinute('登录尝试（每个客户端地址每分钟）'),
  RATE_LIMIT_CODE_PER_MINUTE: perMinute('获取验证码、注册和找回密码（每个客户端地址每分钟）'),
  RATE_LIMIT_SUBMIT_PER_MINUTE: perMinute('提交留言（每个客户端地址每分钟）'),
  RATE_LIMIT_SIMILAR_PER_MINUTE: perMinute('查找相似留言（每个客户端地址每分钟）'),
  SMS_CODES_PER_NUMBER_PER_HOUR: {
    schema: Type.Integer({ minimum: 1, maximum: 100 }),
    expect: '应为 1–100 之间的整数（每个手机号每小时最多发送的验证码条数）',
  },
  SMS_CODES_PER_ADDRESS_PER_HOUR: {
    schema: Type.Integer({ minimum: 1, maximum: 10000 }),
    expect: '应为 1–10000 之间的整数（每个客户端地址每小时最多获取的验证码条数）',
  },
  LOGIN_LOCK_FAILURES: {
    schema: Type.Integer({ minimum: 3, maximum: 1000 }),
    expect: '应为 3–1000 之间的整数（同一手机号从同一地址连续输错密码多少次后暂停该地址的密码登录）',
  },
  RATE_LIMIT_TRACK_PER_MINUTE: perMinute('查询码查询（每个客户端地址每分钟）'),
  RATE_LIMIT_VOTE_PER_MINUTE: perMinute('征集投票（每个客户端地址每分钟）'),
  SMS_INBOUND_PER_NUMBER_PER_HOUR: {
    schema: Type.Integer({ minimum: 1, maximum: 1000 }),
    expect: '应为 1–1000 之间的整数（每个手机号每小时最多处理的上行短信条数）',
  },
  OPEN311_REQUESTS_PER_KEY_PER_MINUTE: {
    schema: Type.Integer({ minimum: 1, maximum: 10000 }),
    expect: '应为 1–10000 之间的整数（每个 Open311 密钥每分钟最多提交的请求数）',
  },
  SMS_INBOUND_PROVIDERS: {
    schema: Type.String({ pattern: '^\\s*(aliyun|tencent|signed)\\s*(,\\s*(aliyun|tencent|signed)\\s*)*$' }),
    expect: '应为 aliyun、tencent、signed 中的一个或几个（逗号分隔）',
  },
  SMS_INBOUND_TOKEN: {
    schema: Type.String({ pattern: '^[A-Za-z0-9_-]{24,128}$' }),
    expect: '应为 24–128 个字母、数字、- 或 _ 组成的随机字符串（上行短信地址中的密钥）',
  },
  SMS_INBOUND_SECRET: { schema: Type.String({ minLength: 16 }), expect: '应为至少 16 个字符的签名密钥' },
  SMS_INBOUND_ALLOW: {
    schema: Type.String({ pattern: '^[0-9A-Fa-f.:/, ]+$' }),
    expect: '应为短信网关的地址列表（逗号分隔的 IP 或 CIDR，如 47.98.0.0/16,106.14.1.2）',
  },
  SMS_INBOUND_NUMBER: {
    schema: Type.String({ pattern: '^[0-9]{5,20}$' }),
    expect: '应为平台接收短信的号码（5–20 位数字，如 10691234）',
  },
  OPEN311_CONTACT: { schema: Type.String({ minLength: 1, maxLength: 200 }), expect: '应为 1–200 个字符的联系方式说明' },
  MAIL_FROM: {
    schema: Type.String({ pattern: '^(.{0,80}<[^<>@\\s]+@[^<>@\\s]+>|[^<>@\\s]+@[^<>@\\s]+)$' }),
    expect: '应为发件人地址，如 noreply@example.gov.cn 或 留言平台 <noreply@example.gov.cn>',
  },
  DIGEST_HOUR: {
    schema: Type.Integer({ minimum: 0, maximum: 23 }),
    expect: '应为 0–23 之间的整数（每天几点起给工作人员发送待办摘要，按 TIME_ZONE）',
  },
  STORY_VIDEO_MAX_MB: {
    schema: Type.Integer({ minimum: 1, maximum: 20000 }),
    expect: '应为 1–20000 之间的整数（视频故事上传文件的最大大小，单位 MB）',
  },
  STORY_VIDEO_MAX_SECONDS: {
    schema: Type.Integer({ minimum: 1, maximum: 86400 }),
    expect: '应为 1–86400 之间的整数（视频故事上传视频的最长时长，单位秒）',
  },
  LOGIN_LOCK_MINUTES: {
    schema: Type.Integer({ minimum: 1, maximum: 1440 }),
    expect: '应为 1–1440 之间的整数（第一次暂停密码登录的分钟数，再次暂停时逐次加倍，最长一天）',
  },
} satisfies Record<string, VariableRule>;

type VariableName = keyof typeof RULES;

/** The variables Liuyan reads, so documentation and tests can check they are all described. */
export const CONFIG_VARIABLES = Object.keys(RULES) as VariableName[];

function read<T>(env: NodeJS.ProcessEnv, name: VariableName, fallback: T): T | string | number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const rule: VariableRule = RULES[name];
  const text = raw.trim();
  // Convert would round "3.5" to an integer; a number must be written as one.
  const value =
    (rule.schema as { type?: string }).type === 'integer' && !/^\d+$/.test(text)
      ? text
      : Value.Convert(rule.schema, text);
  if (!Value.Check(rule.schema, value)) {
    const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
    throw new ConfigError(name, `${rule.expect}，当前值为 "${shown}"`);
  }
  return value as string | number;
}

function sqlitePath(url: string, cwd: string): string {
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:') return path;
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Names proxy-addr knows for whole ranges, accepted in a TRUST_PROXY list as they are. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IP address, or one with a prefix length (10.0.0.0/8, fd00::/8), as Fastify's proxy check takes them. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Trusts the nearest `hops` proxies, whatever their address: only safe when nothing but the proxy can reach the app. */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

function trustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  const raw = read(env, 'TRUST_PROXY', 'false');
  const text = String(raw).trim();
  if (text === 'false') return false;
  const expect = RULES.TRUST_PROXY.expect;
  if (text === 'true') {
    throw new ConfigError(
      'TRUST_PROXY',
      `不能为 true（那样任何客户端都能用 X-Forwarded-For 冒充别的地址，绕过按地址的限制）：${expect}`,
    );
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10)
      throw new ConfigError('TRUST_PROXY', `${expect}，层数应在 1–10 之间，当前值为 "${text}"`);
    return trustHops(hops);
  }
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isProxyAddress(e));
  if (bad !== undefined) throw new ConfigError('TRUST_PROXY', `${expect}，其中 "${bad}" 不是 IP 地址或 CIDR`);
  return entries.join(',');
}

function limits(env: NodeJS.ProcessEnv): Limits {
  const n = (name: VariableName, fallback: number) => Number(read(env, name, fallback));
  const d = DEFAULT_LIMITS;
  return Object.freeze({
    writePerMinute: n('RATE_LIMIT_WRITE_PER_MINUTE', d.writePerMinute),
    loginPerMinute: n('RATE_LIMIT_LOGIN_PER_MINUTE', d.loginPerMinute),
    codePerMinute: n('RATE_LIMIT_CODE_PER_MINUTE', d.codePerMinute),
    submitPerMinute: n('RATE_LIMIT_SUBMIT_PER_MINUTE', d.submitPerMinute),
    similarPerMinute: n('RATE_LIMIT_SIMILAR_PER_MINUTE', d.similarPerMinute),
    smsCodesPerNumberPerHour: n('SMS_CODES_PER_NUMBER_PER_HOUR', d.smsCodesPerNumberPerHour),
    smsCodesPerAddressPerHour: n('SMS_CODES_PER_ADDRESS_PER_HOUR', d.smsCodesPerAddressPerHour),
    loginLockFailures: n('LOGIN_LOCK_FAILURES', d.loginLockFailures),
    loginLockMinutes: n('LOGIN_LOCK_MINUTES', d.loginLockMinutes),
    trackPerMinute: n('RATE_LIMIT_TRACK_PER_MINUTE', d.trackPerMinute),
    smsInboundPerNumberPerHour: n('SMS_INBOUND_PER_NUMBER_PER_HOUR', d.smsInboundPerNumberPerHour),
    open311PerKeyPerMinute: n('OPEN311_REQUESTS_PER_KEY_PER_MINUTE', d.open311PerKeyPerMinute),
    votePerMinute: n('RATE_LIMIT_VOTE_PER_MINUTE', d.votePerMinute),
  });
}

/** The secret of an embedded installation: generated on first start and kept in DATA_DIR. */
function embeddedSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length < 32) throw new ConfigError('LIUYAN_SECRET', `未设置，且 ${file} 中保存的密钥不足 32 个字符`);
    return kept;
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const cause = fileSystemCause((err as NodeJS.ErrnoException).code);
    throw new ConfigError('DATA_DIR', `目录 ${dataDir} 无法写入（${cause}），首次启动时要在其中保存密钥文件 secret`);
  }
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dataDir = resolve(cwd, String(read(env, 'DATA_DIR', './data')));
  const databaseUrl = String(read(env, 'DATABASE_URL', `sqlite:${join(dataDir, 'liuyan.db')}`));
  const engine: Engine = databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  const smsDriver = read(env, 'SMS_DRIVER', 'log') as SmsDriver;
  const smsFile = env.SMS_FILE ? resolve(cwd, String(read(env, 'SMS_FILE', ''))) : undefined;
  if (smsDriver === 'file' && !smsFile) {
    throw new ConfigError('SMS_FILE', '在 SMS_DRIVER=file 时必须设置（短信写入的文件路径）');
  }
  const optional = (name: VariableName) => (env[name] ? String(read(env, name, '')) : undefined);
  const smsHttpUrl = optional('SMS_HTTP_URL');
  const smsHttpSecret = optional('SMS_HTTP_SECRET');
  if (smsDriver === 'http' && !smsHttpUrl)
    throw new ConfigError('SMS_HTTP_URL', '在 SMS_DRIVER=http 时必须设置（短信网关地址）');
  if (smsDriver === 'http' && !smsHttpSecret)
    throw new ConfigError('SMS_HTTP_SECRET', '在 SMS_DRIVER=http 时必须设置（请求签名密钥）');
  let secret = env.LIUYAN_SECRET ? String(read(env, 'LIUYAN_SECRET', '')) : undefined;
  if (!secret) {
    if (engine === 'postgres') {
      throw new ConfigError('LIUYAN_SECRET', '在使用 PostgreSQL 时必须设置（至少 32 个字符的随机字符串）');
    }
    secret = embeddedSecret(dataDir);
  }
  return Object.freeze({
    databaseUrl,
    engine,
    sqliteFile: engine === 'sqlite' ? sqlitePath(databaseUrl, cwd) : undefined,
    sqliteSynchronous: String(read(env, 'DATABASE_SYNCHRONOUS', 'NORMAL')).toUpperCase() as SqliteSynchronous,
    port: Number(read(env, 'PORT', 3000)),
    host: String(read(env, 'HOST', '127.0.0.1')),
    dataDir,
    secret,
    smsDriver,
    smsFile,
    smsHttpUrl,
    smsHttpSecret,
    smsRedirectTo: optional('SMS_REDIRECT_TO'),
    smtpUrl: optional('SMTP_URL'),
    redisUrl: optional('REDIS_URL'),
    redisTimeoutMs: Number(read(env, 'REDIS_TIMEOUT_MS', 300)),
    redisRetrySeconds: Number(read(env, 'REDIS_RETRY_SECONDS', 30)),
    outboxClaimSeconds: Number(read(env, 'OUTBOX_CLAIM_SECONDS', 60)),
    logLevel: read(env, 'LOG_LEVEL', 'info') as LogLevel,
    trustProxy: trustProxy(env),
    publicUrl: optional('PUBLIC_URL')?.replace(/\/+$/, ''),
    sensitiveWordsFile: env.SENSITIVE_WORDS_FILE
      ? resolve(cwd, String(read(env, 'SENSITIVE_WORDS_FILE', '')))
      : fileURLToPath(new URL('../seeds/sensitive-words.txt', import.meta.url)),
    pageCacheSeconds: Number(read(env, 'PAGE_CACHE_SECONDS', 5)),
    referenceCacheSeconds: Number(read(env, 'REFERENCE_CACHE_SECONDS', 1)),
    openDataDays: Number(read(env, 'OPEN_DATA_DAYS', 7)),
    timeZone: timeZone(env),
    limits: limits(env),
    channels: channelsConfig(env),
    databaseTimeouts: Object.freeze({
      connectMs:
        Number(read(env, 'DATABASE_CONNECT_TIMEOUT_SECONDS', DEFAULT_DATABASE_TIMEOUTS.connectMs / 1000)) * 1000,
      statementMs:
        Number(read(env, 'DATABASE_STATEMENT_TIMEOUT_SECONDS', DEFAULT_DATABASE_TIMEOUTS.statementMs / 1000)) * 1000,
    }),
    stories: Object.freeze({
      videoMaxBytes: Number(read(env, 'STORY_VIDEO_MAX_MB', 500)) * 1024 * 1024,
      videoMaxSeconds: Number(read(env, 'STORY_VIDEO_MAX_SECONDS', 1800)),
    }),
    storage: storageConfig(env, cwd, dataDir),
  });
}

const S3_PARAMETERS = new Set(['endpoint', 'region', 'forcePathStyle']);

/** STORAGE_URL: unset → DATA_DIR/attachments; `file:DIR`; `s3://[key:secret@]bucket[/prefix][?endpoint=…&region=…&forcePathStyle=true]`. */
function storageConfig(env: NodeJS.ProcessEnv, cwd: string, dataDir: string): StorageConfig {
  // Not through read(): its message quotes the value, which may carry a secret key.
  const raw = (env.STORAGE_URL ?? '').trim();
  const fail = (detail: string): never => {
    throw new ConfigError('STORAGE_URL', `${detail}（${RULES.STORAGE_URL.expect}）`);
  };
  if (!raw) return Object.freeze({ kind: 'disk', root: join(dataDir, 'attachments') });
  if (raw.startsWith('file:')) {
    let path = raw.slice('file:'.length);
    if (raw.startsWith('file://')) {
      try {
        path = fileURLToPath(raw);
      } catch {
        fail('file:// 地址无效');
      }
    }
    if (!path) fail('file: 后应写目录');
    return Object.freeze({ kind: 'disk', root: resolve(cwd, path) });
  }
  if (!Value.Check(RULES.STORAGE_URL.schema, raw)) fail('格式不对');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('不是有效的地址');
  }
  const bucket = url.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    fail(`存储桶名 "${bucket}" 不合规范：应为 3–63 个小写字母、数字、点或连字符`);
  }
  if (url.port) fail('存储桶名后不能有端口：服务地址写在 endpoint 参数里');
  for (const name of url.searchParams.keys()) {
    if (!S3_PARAMETERS.has(name)) fail(`不认识的参数 "${name}"：只能有 endpoint、region、forcePathStyle`);
  }
  const endpoint = url.searchParams.get('endpoint') || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(endpoint)) {
    fail(`endpoint "${endpoint}" 应为 http:// 或 https:// 开头的服务地址（如 http://127.0.0.1:9000）`);
  }
  const region = url.searchParams.get('region') || 'us-east-1';
  if (!/^[a-z0-9-]{1,40}$/.test(region)) fail(`region "${region}" 应为区域名，如 us-east-1、cn-hangzhou`);
  const pathStyle = url.searchParams.get('forcePathStyle') ?? 'false';
  if (pathStyle !== 'true' && pathStyle !== 'false') fail('forcePathStyle 应为 true 或 false');
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (Boolean(user) !== Boolean(password)) fail('访问密钥应写成 密钥ID:密钥@存储桶，两者都要有');
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  if (prefix && !/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(prefix)) {
    fail(`前缀 "${prefix}" 只能由字母、数字、点、下划线、连字符和 / 组成`);
  }
  return Object.freeze({
    kind: 's3',
    bucket,
    prefix,
    endpoint: endpoint?.replace(/\/$/, ''),
    region,
    forcePathStyle: pathStyle === 'true',
    credentials: user ? Object.freeze({ accessKeyId: user, secretAccessKey: password }) : undefined,
  });
}

/** Inbound SMS, Open311 and e-mail settings; each half-configured feature stops the start with its missing variable. */
function channelsConfig(env: NodeJS.ProcessEnv): ChannelsConfig {
  const optional = (name: VariableName) => (env[name] ? String(read(env, name, '')) : undefined);
  const providers = [...new Set((optional('SMS_INBOUND_PROVIDERS') ?? '').split(',').map((p) => p.trim()))].filter(
    Boolean,
  ) as SmsInboundProvider[];
  const token = optional('SMS_INBOUND_TOKEN');
  if (providers.length > 0 && !token) {
    throw new ConfigError(
      'SMS_INBOUND_TOKEN',
      '在设置 SMS_INBOUND_PROVIDERS 时必须设置（上行短信地址中的随机密钥，至少 24 个字符）',
    );
  }
  const secret = optional('SMS_INBOUND_SECRET');
  if (providers.includes('signed') && !secret) {
    throw new ConfigError('SMS_INBOUND_SECRET', '在 SMS_INBOUND_PROVIDERS 含 signed 时必须设置（请求签名密钥）');
  }
  const allow = (optional('SMS_INBOUND_ALLOW') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = allow.find((e) => !isProxyAddress(e));
  if (bad !== undefined) {
    throw new ConfigError('SMS_INBOUND_ALLOW', `${RULES.SMS_INBOUND_ALLOW.expect}，其中 "${bad}" 不是 IP 地址或 CIDR`);
  }
  const mailFrom = optional('MAIL_FROM');
  if (env.SMTP_URL && !mailFrom) {
    throw new ConfigError(
      'MAIL_FROM',
      '在设置 SMTP_URL 时必须设置（发件人地址，如 留言平台 <noreply@example.gov.cn>）',
    );
  }
  return Object.freeze({
    smsInboundProviders: Object.freeze(providers),
    smsInboundToken: token,
    smsInboundSecret: secret,
    smsInboundAllow: Object.freeze(allow),
    smsInboundNumber: optional('SMS_INBOUND_NUMBER'),
    open311Contact: optional('OPEN311_CONTACT'),
    mailFrom,
    digestHour: Number(read(env, 'DIGEST_HOUR', 8)),
  });
}

/** A time zone the platform's Intl knows, so every page can show its times in it. */
function timeZone(env: NodeJS.ProcessEnv): string {
  const zone = String(read(env, 'TIME_ZONE', 'Asia/Shanghai'));
  try {
    new Intl.DateTimeFormat('zh-CN', { timeZone: zone });
  } catch {
    throw new ConfigError('TIME_ZONE', `不是已知的时区（应为 IANA 时区名，如 Asia/Shanghai），当前值为 "${zone}"`);
  }
  return zone;
}
