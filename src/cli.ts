// The `liuyan` command line: serve, migrate, seed and import.
import { readFile } from 'node:fs/promises';
import { calendarRepository, importSchedule } from './deadlines/calendar.service.ts';
import { calendarCoverage } from './deadlines/working-days.ts';
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { importBoards } from './boards/import-boards.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { type Db, openDatabase } from './db/kysely.ts';
import { migrateDown, migrateUp, migrationStatus } from './db/migrate.ts';
import { prepareDatabase } from './db/prepare.ts';
import { demoCommand } from './demo/demo.command.ts';
import { RulesCliError, rulesCommand } from './admin/rules.command.ts';
import { verifyAllChains } from './audit/case-events.ts';
import { runSchedulerOnce } from './workflow/supervision.ts';
import { statsService } from './stats/stats.service.ts';
import { openDataCommand } from './open-data/open-data.command.ts';
import { seedReference } from './reference/seed-reference.ts';
import type { RowError } from './reference/csv-rows.ts';
import { importUnits } from './units/import-units.ts';
import { ROLES } from './accounts/roles.ts';
import { COMMAND_LINE, createStaff } from './accounts/staff.service.ts';
import { DEFAULT_LOCALE, translator } from './i18n/i18n.ts';
import { AppError } from './web/app-error.ts';

/** A failure the user can act on: printed as one line, exit code 1, no stack trace. */
export class CliError extends Error {}

/**
 * Opens the database for one command. Commands are run by an operator and may run long statements (a migration, a
 * recomputation), so PostgreSQL's statement timeout is off; `readOnly` commands also work on a read-only copy.
 */
async function withDatabase<T>(
  run: (db: Db, config: Config) => Promise<T>,
  { readOnly = false }: { readOnly?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const db = openDatabase(config, { readOnly, longRunning: true });
  try {
    return await run(db, config);
  } finally {
    await db.destroy();
  }
}

/** Commands that only read: they open the database read-only, so they also work on a read-only copy. */
const READ_ONLY = { readOnly: true };

function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`无法读取文件 ${file}：${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function reportRowErrors(file: string, errors: RowError[]): never {
  const lines = errors.map((e) => `  第 ${e.line} 行：${e.message}`);
  throw new CliError(`${file} 有 ${errors.length} 处错误，未导入任何数据：\n${lines.join('\n')}`);
}

export function buildCli(): Command {
  const program = new Command('liuyan')
    .description('留言 Liuyan：网民留言办理平台')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('serve')
    .description('启动平台（内嵌模式下自动迁移数据库；首次启动导入参考数据）')
    .action(async () => {
      const { startServer } = await import('./server.ts');
      await startServer(loadConfig());
    });

  program
    .command('migrate')
    .description('数据库迁移：up 执行全部未执行的迁移（默认），down 回退最近一个，status 列出状态')
    .argument(
      '[action]',
      'up | down | status',
      (value) => {
        if (!['up', 'down', 'status'].includes(value)) throw new InvalidArgumentError('应为 up、down 或 status');
        return value;
      },
      'up',
    )
    .action(async (action: 'up' | 'down' | 'status') =>
      withDatabase(async (db) => {
        if (action === 'status') {
          for (const m of await migrationStatus(db))
            console.log(`${m.executedAt ? '已执行' : '未执行'}  ${m.name}${m.executedAt ? `  ${m.executedAt}` : ''}`);
          return;
        }
        const names = action === 'up' ? await migrateUp(db) : await migrateDown(db);
        if (names.length === 0) console.log(action === 'up' ? '数据库已是最新，没有要执行的迁移' : '没有可回退的迁移');
        for (const name of names) console.log(`${action === 'up' ? '已执行' : '已回退'}  ${name}`);
      }),
    );

  const seed = program.command('seed').description('导入数据');
  seed.addCommand(demoCommand());
  seed
    .command('reference')
    .description('导入行政区划、领导留言板和办理单位（可重复运行，不会重复导入）')
    .option('--json', '以 JSON 输出统计')
    .action(async (options: { json?: boolean }) =>
      withDatabase(async (db) => {
        await migrateUp(db);
        const r = await seedReference(db);
        if (options.json) {
          console.log(JSON.stringify(r, null, 2));
          return;
        }
        console.log(`数据来源：${r.source}`);
        console.log(
          `地区：省级 ${r.regionsByLevel.province}（开通留言板 ${r.regionsWithBoards.province}）、地级 ${r.regionsByLevel.city}、县级 ${r.regionsByLevel.county}，共 ${r.regions.total}`,
        );
        for (const [label, c] of [
          ['地区', r.regions],
          ['留言板', r.boards],
          ['办理单位', r.units],
        ] as const) {
          console.log(`${label}：共 ${c.total}，新增 ${c.inserted}，更新 ${c.updated}`);
        }
      }),
    );

  const audit = program.command('audit').description('审计');
  audit
    .command('verify')
    .description('校验每条留言的办理记录哈希链；有记录被修改、删除或插入时以非零状态退出，并指出第一条出错的记录')
    .action(async () =>
      withDatabase(async (db) => {
        const result = await verifyAllChains(db);
        if (result.broken) {
          const b = result.broken;
          throw new CliError(
            `办理记录校验失败：留言 ${b.messageId} 的第 ${b.seq} 条记录${b.eventId ? `（记录编号 ${b.eventId}）` : ''}：${b.reason}`,
          );
        }
        console.log(`办理记录完好：已校验 ${result.checked} 条留言的 ${result.events} 条记录`);
      }, READ_ONLY),
    );

  const stats = program.command('stats').description('统计');
  stats
    .command('recompute')
    .description(
      '从全部办理记录重新计算统计事实和月度汇总（只改写不一致之处，分批短事务提交，服务可照常运行；百万条留言约需一分钟）',
    )
    .action(async () =>
      withDatabase(async (db) => {
        const report = await statsService.recompute(db, (done) => {
          if (process.stderr.isTTY) process.stderr.write(`\r已处理 ${done} 条留言`);
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(
          `已重新计算：${report.messages} 条留言，${report.facts} 条计入统计，${report.rollups} 个月度汇总，用时 ${report.seconds.toFixed(1)} 秒` +
            `（改写 ${report.factsWritten ?? 0} 条统计事实、重算 ${report.monthsRebuilt ?? 0} 个月的汇总；最长一次写事务 ${report.longestWriteMs ?? 0} 毫秒）`,
        );
      }),
    );
  stats
    .command('check')
    .description('核对已保存的统计与按办理记录重新计算的结果是否一致（只读）；不一致时以非零状态退出')
    .action(async () =>
      withDatabase(async (db) => {
        const result = await statsService.check(db);
        if (result.differences.length > 0) {
          throw new CliError(
            `统计与办理记录不一致：\n  ${result.differences.join('\n  ')}\n可运行 liuyan stats recompute 重新计算`,
          );
        }
        console.log(`统计一致：已核对 ${result.messages} 条留言`);
      }, READ_ONLY),
    );

  program
    .command('scheduler')
    .description(
      '运行一次定时任务：超期督办、升级督办、到期提醒、审核超时提醒编辑、评价期满自动办结（服务运行时每分钟自动执行）',
    )
    .action(async () =>
      withDatabase(async (db) => {
        const report = await runSchedulerOnce(db);
        console.log(
          `督办 ${report.supervised} 条，升级督办 ${report.escalated} 条，自动办结 ${report.closed} 条，审核超时提醒 ${report.reviewOverdue} 条`,
        );
      }),
    );

  const calendar = program
    .command('calendar')
    .description('放假安排：日历数据包未覆盖的年份由管理员导入国务院公布的安排');
  calendar
    .command('import <file>')
    .description(
      '导入一年或几年的放假安排（每行一天：2027-02-05,放假,春节 或 2027-02-14,上班,调休；# 开头为注释），并按新安排重新计算未办结留言的时限',
    )
    .action(async (file: string) =>
      withDatabase(async (db) => {
        const text = await readFile(file, 'utf8').catch(() => {
          throw new CliError(`读不到文件：${file}`);
        });
        try {
          const result = await importSchedule(db, COMMAND_LINE, text);
          console.log(
            `已导入 ${result.years.join('、')} 年的放假安排（${result.days} 天），重新计算了 ${result.recomputed} 条留言的时限`,
          );
        } catch (err) {
          if (err instanceof AppError) throw new CliError(`导入失败：${String(err.params.detail ?? err.code)}`);
          throw err;
        }
      }),
    );
  calendar
    .command('show')
    .description('显示日历数据的覆盖年份和已导入的放假安排')
    .action(async () =>
      withDatabase(async (db) => {
        const covered = calendarCoverage();
        console.log(`日历数据包：${covered.from}–${covered.to} 年`);
        const days = await calendarRepository.all(db);
        if (days.length === 0) console.log('没有导入的放假安排；此后的年份暂按法定节假日计算（不含调休）');
        for (const d of days) console.log(`${d.date}  ${d.kind === 'holiday' ? '放假' : '上班'}  ${d.name}`);
      }, READ_ONLY),
    );

  const user = program.command('user').description('账号管理');
  user
    .command('create')
    .description('创建工作人员账号并授予一个角色（首个管理员用它创建）；手机号已注册时只增加角色')
    .requiredOption('--phone <phone>', '手机号')
    .requiredOption('--role <role>', `角色：${ROLES.join('、')}`)
    .option('--password <password>', '密码（新账号必填；也可用环境变量 LIUYAN_NEW_PASSWORD 传入，避免留在命令历史中）')
    .option('--nickname <nickname>', '昵称（新账号，默认“工作人员”加手机尾号）')
    .option('--unit <id>', '办理单位编号（单位工作人员、单位负责人、督查）')
    .option('--region <code>', '地区代码（督查）')
    .option('--board <id>', '留言板编号（领导）')
    .action(
      async (options: {
        phone: string;
        role: string;
        password?: string;
        nickname?: string;
        unit?: string;
        region?: string;
        board?: string;
      }) =>
        withDatabase(async (db, config) => {
          await prepareDatabase(db, config, { info: () => {} });
          const scope = options.unit
            ? { scopeType: 'unit', scopeId: options.unit }
            : options.region
              ? { scopeType: 'region', scopeId: options.region }
              : options.board
                ? { scopeType: 'board', scopeId: options.board }
                : {};
          try {
            const id = await createStaff(db, COMMAND_LINE, {
              phone: options.phone,
              role: options.role,
              password: options.password ?? process.env.LIUYAN_NEW_PASSWORD,
              nickname: options.nickname ?? `工作人员${options.phone.slice(-4)}`,
              ...scope,
            });
            console.log(
              `已为用户 ${id}（${options.phone}）授予角色 ${options.role}${'scopeId' in scope ? `，范围 ${scope.scopeType} ${scope.scopeId}` : ''}`,
            );
          } catch (err) {
            if (err instanceof AppError) throw new CliError(translator(DEFAULT_LOCALE)(err.messageKey, err.params));
            throw err;
          }
        }),
    );

  const importCmd = program
    .command('import')
    .description('从 CSV 文件（UTF-8，带表头）导入；任何一行有错则整个文件不导入');
  importCmd
    .command('boards')
    .description('设置领导姓名：列 board_id 或 region_code+post，holder_name，可选 active（是/否）')
    .argument('<file>', 'CSV 文件')
    .action(async (file: string) =>
      withDatabase(async (db) => {
        const outcome = await importBoards(db, readInput(file));
        if (!outcome.ok) reportRowErrors(file, outcome.errors);
        console.log(`已更新 ${outcome.updated} 个留言板，${outcome.unchanged} 个无变化`);
      }),
    );
  importCmd
    .command('units')
    .description('新建或更新办理单位：列 region_code、name，可选 kind、parent（上级单位名称）、responsibilities')
    .argument('<file>', 'CSV 文件')
    .action(async (file: string) =>
      withDatabase(async (db) => {
        const outcome = await importUnits(db, readInput(file));
        if (!outcome.ok) reportRowErrors(file, outcome.errors);
        console.log(`新建 ${outcome.created} 个单位，更新 ${outcome.updated} 个，${outcome.unchanged} 个无变化`);
      }),
    );
  program.addCommand(rulesCommand());
  program.addCommand(openDataCommand(withDatabase, (message) => new CliError(message)));
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof CliError || err instanceof RulesCliError) {
      console.error(err.message);
    } else {
      console.error(err instanceof Error ? err.message : String(err));
      if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) console.error(err.stack);
    }
    process.exitCode = 1;
  }
}
