// `liuyan opendata dump [--out DIR]`: writes the open-data dump now, into DATA_DIR/open-data/<today> or DIR.
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { Config } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { type Manifest, writeDump } from './dump-writer.ts';
import { dumpToday } from './open-data.service.ts';

type WithDatabase = <T>(run: (db: Db, config: Config) => Promise<T>) => Promise<T>;

/** `fail` turns a problem the user can fix into the CLI's one-line error. */
export function openDataCommand(withDatabase: WithDatabase, fail: (message: string) => Error): Command {
  const command = new Command('opendata').description(
    '开放数据（不含个人信息的留言、答复和统计字段，见 docs/open-data.md）',
  );
  command
    .command('dump')
    .description(
      '立即生成开放数据：默认写入 DATA_DIR/open-data/<今天的日期>（替换当天已有的一份），或用 --out 写入指定目录',
    )
    .option('--out <dir>', '写入这个目录（不存在时创建；已存在时必须为空）')
    .action(async (options: { out?: string }) =>
      withDatabase(async (db, config) => {
        let dir: string;
        let manifest: Manifest;
        if (options.out) {
          dir = resolve(options.out);
          const existing = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOENT') return [];
            throw fail(`无法读取目录 ${dir}：${err.code ?? err.message}`);
          });
          if (existing.length > 0) throw fail(`目录 ${dir} 不为空；请指定一个新目录或空目录`);
          const now = new Date();
          manifest = await writeDump(db, dir, chinaDate(now), now);
        } else {
          ({ dir, manifest } = await dumpToday(db, config));
        }
        console.log(`已生成开放数据（${manifest.date}）：${dir}`);
        for (const f of manifest.files)
          console.log(`  ${f.name}${f.rows === null ? '' : `  ${f.rows} 行`}  ${f.bytes} 字节  sha256 ${f.sha256}`);
      }),
    );
  return command;
}
