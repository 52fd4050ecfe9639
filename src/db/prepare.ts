// Brings a database up to date at start: migrations and first-start reference data.
import type { Config } from '../config.ts';
import { seedReference } from '../reference/seed-reference.ts';
import { searchRepository } from '../search/search.repository.ts';
import { statsService } from '../stats/stats.service.ts';
import type { Db } from './kysely.ts';
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

/**
 * Embedded mode migrates on every start. On PostgreSQL an empty database is set up on first start,
 * but a database that already has a schema is upgraded only by `liuyan migrate`, deliberately.
 */
export async function prepareDatabase(db: Db, config: Pick<Config, 'engine'>, log: PrepareLog): Promise<void> {
  const status = await migrationStatus(db);
  const pending = status.filter((m) => !m.executedAt).map((m) => m.name);
  const fresh = pending.length === status.length;
  if (pending.length > 0) {
    if (config.engine === 'postgres' && !fresh) throw new PendingMigrationsError(pending);
    const ran = await migrateUp(db);
    log.info(`已执行迁移：${ran.join('、')}`);
  }
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
