// `liuyan seed demo [--password P] [--json]`: the demo accounts and messages and today's open-data dump, then the
// accounts as a table or JSON.
// Attach it to the `seed` command in cli.ts with `seed.addCommand(demoCommand());`.
import { Command } from 'commander';
import { AttachmentStore } from '../attachments/attachment-store.ts';
import { openObjectStore } from '../attachments/storage.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/kysely.ts';
import { prepareDatabase } from '../db/prepare.ts';
import { DEFAULT_LOCALE, translator } from '../i18n/i18n.ts';
import { loadSensitiveWords, SensitiveWords } from '../messages/sensitive-words.ts';
import { AppError } from '../web/app-error.ts';
import { DEMO_PASSWORD_DEFAULT, type DemoAccount, seedDemo } from './demo-seed.ts';
import { bulkOption, runBulk } from './bulk.command.ts';
import { dumpToday } from '../open-data/open-data.service.ts';

/** Columns in a terminal: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** The accounts as an aligned table: role, phone, nickname, scope (type id name), boards. */
export function accountsTable(accounts: DemoAccount[]): string {
  const header = ['角色', '手机号', '昵称', '范围', '留言板'];
  const rows = accounts.map((a) => [
    a.roleLabel,
    a.phone,
    a.nickname,
    a.scope.type === 'none' ? '—' : [a.scope.type, a.scope.id, a.scope.name].filter(Boolean).join(' '),
    a.boards.map((b) => `${b.id} ${b.name}`).join('、') || '—',
  ]);
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('创建演示账号（每种角色一个）和各种状态的演示留言；已创建过时只列出账号')
    .option(
      '--password <password>',
      `演示账号的密码（默认取环境变量 LIUYAN_DEMO_PASSWORD，未设置时为 ${DEMO_PASSWORD_DEFAULT}）`,
    )
    .option('--json', '只输出演示账号的 JSON 数组')
    .addOption(bulkOption)
    .action(async (options: { password?: string; json?: boolean; messages?: number }) => {
      const password = options.password ?? process.env.LIUYAN_DEMO_PASSWORD ?? DEMO_PASSWORD_DEFAULT;
      // With --json, stdout carries the JSON alone; progress goes to stderr.
      const log = options.json
        ? (line: string) => process.stderr.write(`${line}\n`)
        : (line: string) => console.log(line);
      const config = loadConfig();
      // An operator's command that may write many rows in one statement: no statement timeout.
      const db = openDatabase(config, { longRunning: true });
      const store = new AttachmentStore(openObjectStore(config.storage));
      try {
        await prepareDatabase(db, config, { info: log });
        const result = await seedDemo(
          db,
          {
            secret: config.secret,
            store,
            sensitiveWords: new SensitiveWords(loadSensitiveWords(config.sensitiveWordsFile)),
          },
          { password, log },
        );
        if (options.messages) await runBulk(db, options.messages, { json: options.json });
        // The open-data page shows the latest dump: without today's, a fresh demo would show no messages there until
        // the next day or a manual `liuyan opendata dump`.
        if (config.openDataDays > 0) {
          const { dir, manifest } = await dumpToday(db, config);
          const rows = manifest.files.find((f) => f.name === 'messages.csv')?.rows ?? 0;
          log(`开放数据：已生成今天的一份（${rows} 条留言）：${dir}`);
        }
        if (options.json) {
          console.log(JSON.stringify(result.accounts, null, 2));
          return;
        }
        console.log('');
        console.log(accountsTable(result.accounts));
        console.log('');
        console.log(`演示留言：${result.messages} 条`);
        if (!result.created) console.log('演示数据此前已创建，账号密码为当时设置的密码');
        else if (password === DEMO_PASSWORD_DEFAULT) console.log(`所有演示账号的密码：${password}`);
        else console.log('所有演示账号的密码：--password 或 LIUYAN_DEMO_PASSWORD 指定的密码');
      } catch (err) {
        if (err instanceof AppError) throw new Error(translator(DEFAULT_LOCALE)(err.messageKey, err.params));
        throw err;
      } finally {
        await store.objects.close();
        await db.destroy();
      }
    });
}

/** Adds `demo` under the given `seed` command. */
export function registerDemoCommand(seed: Command): Command {
  seed.addCommand(demoCommand());
  return seed;
}
