// Test helpers: a fresh database per test file (SQLite, or PostgreSQL when TEST_DATABASE_URL says so) and the app on it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { type Db, openDatabase } from '../src/db/kysely.ts';
import { migrateUp } from '../src/db/migrate.ts';
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
