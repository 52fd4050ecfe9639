// Test helpers: a fresh database per test file (SQLite, or PostgreSQL when TEST_DATABASE_URL says so) and the app on it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { hashPassword } from '../src/accounts/passwords.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { issueToken } from '../src/accounts/tokens.service.ts';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { type Db, openDatabase } from '../src/db/kysely.ts';
import { migrateUp } from '../src/db/migrate.ts';
import { DEMO_PASSWORD_DEFAULT, seedDemo } from '../src/demo/demo-seed.ts';
import { seedReference } from '../src/reference/seed-reference.ts';

/** `postgres://…` runs the suite on PostgreSQL (each file creates and drops its own database); unset means SQLite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';
export const TEST_ENGINE = TEST_DATABASE_URL.startsWith('postgres') ? 'postgres' : 'sqlite';

export interface TestDatabase {
  db: Db;
  config: Config;
  /** Environment that points a child process (CLI, server) at this database. */
  env: Record<string, string>;
  close(): Promise<void>;
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * An empty database: nothing migrated, nothing seeded. `serverUrl` names a PostgreSQL server to create it on;
 * empty means an SQLite file.
 */
export async function createEmptyDatabase(serverUrl = TEST_DATABASE_URL): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuyan-test-'));
  let databaseUrl = `sqlite:${join(dataDir, 'liuyan.db')}`;
  let dropDatabase = async () => {};
  if (serverUrl.startsWith('postgres')) {
    const name = `liuyan_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(serverUrl, `create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  }
  const env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LIUYAN_SECRET: 'test-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    SMS_DRIVER: 'file',
    SMS_FILE: join(dataDir, 'sms.jsonl'),
    // Tests write to the database behind the app's back and expect to see it at once; test/page-cache.test.ts turns it on.
    PAGE_CACHE_SECONDS: '0',
    // Likewise for the reference data each process keeps in memory: checked against the database at every use.
    REFERENCE_CACHE_SECONDS: '0',
  };
  const config = loadConfig(env);
  const db = openDatabase(config);
  return {
    db,
    config,
    env,
    async close() {
      await db.destroy();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A database with the schema and the reference data, as after a first start. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const database = await createEmptyDatabase();
  await migrateUp(database.db);
  await seedReference(database.db);
  return database;
}

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
}

export async function createTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp({ config: database.config, db: database.db, logger: false });
  await app.ready();
  return {
    ...database,
    app,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The app on a database with the demo data (`liuyan seed demo`): its accounts sign in with DEMO_PASSWORD_DEFAULT. */
export async function createDemoApp(): Promise<TestApp> {
  const t = await createTestApp();
  await seedDemo(
    t.db,
    { secret: t.config.secret, store: t.app.attachments, sensitiveWords: t.app.sensitiveWords },
    { password: DEMO_PASSWORD_DEFAULT },
  );
  return t;
}

/** An account made straight in the database, with an app token. */
export interface Person {
  id: number;
  phone: string;
  nickname: string;
  token: string;
}

/**
 * Makes netizens and staff members on a test database, all with one password and the phone numbers `${prefix}0001`,
 * `${prefix}0002`… in the order they are made (`prefix`: seven digits).
 */
export class People {
  private made = 0;
  private readonly db: Db;
  private readonly password: string;
  private readonly prefix: string;

  constructor(db: Db, password: string, prefix: string) {
    this.db = db;
    this.password = password;
    this.prefix = prefix;
  }

  private nextPhone(): string {
    return `${this.prefix}${String(++this.made).padStart(4, '0')}`;
  }

  /** A netizen; `registered`: when the account was made, if not now. */
  async netizen(nickname: string, registered?: string): Promise<Person> {
    const phone = this.nextPhone();
    const row = await this.db
      .insertInto('users')
      .values({
        phone,
        nickname,
        is_staff: 0,
        password_hash: await hashPassword(this.password),
        ...(registered ? { created_at: registered } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, phone, nickname, token: (await issueToken(this.db, row.id, 'app', 'test')).token };
  }

  /** A staff member with one role, made as `liuyan user create-staff` does; `scope`: scopeType and scopeId. */
  async staff(nickname: string, role: string, scope: Record<string, string> = {}): Promise<Person> {
    const phone = this.nextPhone();
    const id = await createStaff(this.db, COMMAND_LINE, { phone, nickname, password: this.password, role, ...scope });
    return { id, phone, nickname, token: (await issueToken(this.db, id, 'app', 'test')).token };
  }
}

/** The annual evaluation's settings form (/admin/evaluation/:year/config) filled in correctly. */
export const EVALUATION_SETTINGS = {
  weight_replyRate: '25',
  weight_onTimeRate: '20',
  weight_satisfaction: '25',
  weight_resolutionRate: '20',
  weight_volume: '10',
  minMessages: '5',
  topUnits: '2',
  workerCount: '3',
  satisfactionFloor: '0',
  minRatings: '2',
  issuer: '河北省网民留言办理工作领导小组办公室',
};

/** Every SMS the file driver wrote, oldest first. */
export function sentSms(config: Config): { to: string; text: string; purpose: string; at: string }[] {
  if (!config.smsFile || !existsSync(config.smsFile)) return [];
  return readFileSync(config.smsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { to: string; text: string; purpose: string; at: string });
}

/** The code in the newest SMS to this number, as the person would read it off their phone. */
export function lastCode(config: Config, phone: string): string {
  const sms = sentSms(config).filter((s) => s.to === phone);
  const code = /验证码是 (\d{6})/.exec(sms.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no code was sent to ${phone}`);
  return code;
}
