// Brings a database up to date at start: migrations and first-start reference data.
import type { Config } from '../config.ts';
import { seedReference } from '../reference/seed-reference.ts';
import { searchRepository } from '../search/search.repository.ts';
import { statsService } from '../stats/stats.service.ts';
import { restoreSetAside } from './bulk-dialect.ts';
import { databaseFault, type DatabaseFault } from './faults.ts';
import { type Db, DatabaseOpenError, explainSqliteFailure } from './kysely.ts';
import { migrateUp, migrationStatus } from './migrate.ts';

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(`数据库有 ${pending.length} 个未执行的迁移（${pending.join('、')}），请先运行 npx liuyan migrate up`);
    this.name = 'PendingMigrationsError';
  }
}

export interface PrepareLog {
  info(message: string): void;
}

/** Where the database is, for a message: the file, or the server and database without the credentials. */
function whereIs(config: Partial<Pick<Config, 'databaseUrl' | 'sqliteFile'>>): string {
  if (config.sqliteFile) return config.sqliteFile;
  try {
    const url = new URL(config.databaseUrl ?? '');
    return `${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

const SERVER_FAULT: Record<DatabaseFault, string> = {
  unavailable: '连接不上或没有响应',
  busy: '数据库繁忙或语句超时',
  full: '数据库服务器的磁盘已满',
  'read-only': '数据库只能读取（只读会话或备库）',
};

/** A fault met while preparing, as one line naming the database and the cause; other errors as they are. */
function explainStartFailure(
  err: unknown,
  config: Pick<Config, 'engine'> & Partial<Pick<Config, 'databaseUrl' | 'sqliteFile'>>,
): unknown {
  const fault = databaseFault(err);
  if (!fault || err instanceof DatabaseOpenError) return err;
  if (config.engine === 'sqlite' && config.sqliteFile && config.sqliteFile !== ':memory:') {
    return new DatabaseOpenError(explainSqliteFailure(err, config.sqliteFile));
  }
  return new DatabaseOpenError(
    `无法使用数据库 ${whereIs(config)}：${SERVER_FAULT[fault]}（${(err as Error).message}）`,
  );
}

/**
 * Embedded mode migrates on every start. On PostgreSQL an empty database is set up on first start,
 * but a database that already has a schema is upgraded only by `liuyan migrate`, deliberately.
 */
export async function prepareDatabase(
  db: Db,
  config: Pick<Config, 'engine'> & Partial<Pick<Config, 'databaseUrl' | 'sqliteFile'>>,
  log: PrepareLog,
): Promise<void> {
  try {
    await prepare(db, config, log);
  } catch (err) {
    throw explainStartFailure(err, config);
  }
}

async function prepare(db: Db, config: Pick<Config, 'engine'>, log: PrepareLog): Promise<void> {
  const status = await migrationStatus(db);
  const pending = status.filter((m) => !m.executedAt).map((m) => m.name);
  const fresh = pending.length === status.length;
  if (pending.length > 0) {
    if (config.engine === 'postgres' && !fresh) throw new PendingMigrationsError(pending);
    const ran = await migrateUp(db);
    log.info(`已执行迁移：${ran.join('、')}`);
  }
  // A bulk load killed before it built its indexes again (demo/bulk-messages.ts): built now.
  const restored = await restoreSetAside(db);
  if (restored > 0) log.info(`已补建批量导入时暂时删除的 ${restored} 个索引和约束`);
  const indexed = await searchRepository.indexMissing(db);
  if (indexed > 0) log.info(`已为 ${indexed} 条留言建立搜索索引`);
  const built = await statsService.ensureBaseline(db);
  if (built) log.info(`已为 ${built.messages} 条留言计算统计（${built.seconds.toFixed(1)} 秒）`);
  const hasRegions = await db.selectFrom('regions').select('code').limit(1).executeTakeFirst();
  if (!hasRegions) {
    const report = await seedReference(db);
    log.info(
      `已导入参考数据：${report.regions.total} 个地区、${report.boards.total} 个留言板、${report.units.total} 个办理单位`,
    );
  }
}
