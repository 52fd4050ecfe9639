// Reads the environment once into a validated, frozen Config; a bad variable stops the start with one line.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Type, { type TSchema } from 'typebox';
import { Value } from 'typebox/value';

export type Engine = 'sqlite' | 'postgres';
export type SmsDriver = 'log' | 'file' | 'http';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly databaseUrl: string;
  readonly engine: Engine;
  /** File path for SQLite (`:memory:` allowed); undefined on PostgreSQL. */
  readonly sqliteFile: string | undefined;
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
  readonly logLevel: LogLevel;
  readonly trustProxy: boolean;
  readonly publicUrl: string | undefined;
  /** One word per line; matches flag a message for the editor. */
  readonly sensitiveWordsFile: string;
  /** How long anonymous visitors may be shown a public page rendered for someone else; 0 turns the cache off. */
  readonly pageCacheSeconds: number;
  /** How many days of daily open-data dumps to keep in DATA_DIR/open-data; 0 turns the daily dump off. */
  readonly openDataDays: number;
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

const RULES = {
  DATABASE_URL: {
    schema: Type.String({ pattern: '^(sqlite:.+|postgres(ql)?://.+)$' }),
    expect: '应为 sqlite:路径（如 sqlite:./data/liuyan.db）或 postgres://用户@主机:端口/数据库',
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
  LOG_LEVEL: {
    schema: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
    expect: '应为 fatal、error、warn、info、debug、trace 或 silent',
  },
  TRUST_PROXY: { schema: Type.Union([Type.Literal('true'), Type.Literal('false')]), expect: '应为 true 或 false' },
  SENSITIVE_WORDS_FILE: { schema: Type.String({ minLength: 1 }), expect: '应为敏感词文件路径（每行一个词）' },
  PAGE_CACHE_SECONDS: {
    schema: Type.Integer({ minimum: 0, maximum: 300 }),
    expect: '应为 0–300 之间的整数（0 表示不缓存）',
  },
  OPEN_DATA_DAYS: {
    schema: Type.Integer({ minimum: 0, maximum: 3650 }),
    expect: '应为 0–3650 之间的整数（保留最近几天的开放数据；0 表示不生成每日开放数据）',
  },
  PUBLIC_URL: {
    schema: Type.String({ pattern: '^https?://[^/]+' }),
    expect: '应为 http:// 或 https:// 开头的站点地址',
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

/** The secret of an embedded installation: generated on first start and kept in DATA_DIR. */
function embeddedSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length < 32) throw new ConfigError('LIUYAN_SECRET', `未设置，且 ${file} 中保存的密钥不足 32 个字符`);
    return kept;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
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
    logLevel: read(env, 'LOG_LEVEL', 'info') as LogLevel,
    trustProxy: read(env, 'TRUST_PROXY', 'false') === 'true',
    publicUrl: optional('PUBLIC_URL')?.replace(/\/+$/, ''),
    sensitiveWordsFile: env.SENSITIVE_WORDS_FILE
      ? resolve(cwd, String(read(env, 'SENSITIVE_WORDS_FILE', '')))
      : fileURLToPath(new URL('../seeds/sensitive-words.txt', import.meta.url)),
    pageCacheSeconds: Number(read(env, 'PAGE_CACHE_SECONDS', 5)),
    openDataDays: Number(read(env, 'OPEN_DATA_DAYS', 7)),
  });
}
