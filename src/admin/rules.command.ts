// `liuyan rules`: show, set, clear a region's deadline rules, or pick a preset for it, from the command line.
import { COMMAND_LINE } from '../accounts/actor.ts';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { adminLogRepository } from '../accounts/admin-log.repository.ts';
import { loadConfig } from '../config.ts';
import { type Db, openDatabase } from '../db/kysely.ts';
import { prepareDatabase } from '../db/prepare.ts';
import type { RulesOverride } from '../deadlines/working-rules.ts';
import { DEFAULT_LOCALE, translator } from '../i18n/i18n.ts';
import { AppError } from '../web/app-error.ts';
import { ownOverride, setOverride } from '../workflow/rules.service.ts';
import { isEmptyOverride, loadRegionRules, overrideErrors } from './rules.routes.ts';
import {
  describeSource,
  describeValue,
  fieldLabel,
  fieldValue,
  presetLabel,
  RULE_FIELDS,
} from './views/rules-page.tsx';

/** A failure the user can act on: print the message as one line, exit code 1, no stack trace. */
export class RulesCliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RulesCliError';
  }
}

export interface RulesCommandOptions {
  /** Environment the database settings are read from; the process's own by default. */
  env?: NodeJS.ProcessEnv;
  /** Where output lines go; console.log by default. */
  print?: (line: string) => void;
}

const REGION_CODE = /^\d{6}$/;
/** The ideographic space: pads Chinese labels to one width. */
const GAP = '\u3000';

function checkCode(code: string): string {
  if (!REGION_CODE.test(code)) throw new RulesCliError(`地区代码应为 6 位数字：${code}`);
  return code;
}

/** AppErrors from the service as one readable line. */
function asCliError(err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  if (err.code === 'VALIDATION') {
    const detail = String(err.params.detail ?? '');
    return new RulesCliError(`设置有误：${detail}${err.field ? `（${err.field}）` : ''}，未保存`);
  }
  return new RulesCliError(translator(DEFAULT_LOCALE)(err.messageKey, err.params));
}

/** The override as readable lines, or one line saying there is none. */
export function describeOverride(override: RulesOverride, dayKind: 'working' | 'calendar'): string[] {
  if (isEmptyOverride(override)) return ['  （没有单独设置，全部沿用上级）'];
  const lines: string[] = [];
  if (override.preset) lines.push(`  预设：${presetLabel(override.preset)}`);
  for (const { field } of RULE_FIELDS) {
    const value = fieldValue(override, field);
    if (value !== undefined) lines.push(`  ${fieldLabel(field)}：${describeValue(field, value, dayKind)}`);
  }
  return lines;
}

/** The rules in force for a region and where each value comes from, then its own override. */
export async function showRules(db: Db, code: string): Promise<string[]> {
  try {
    const data = await loadRegionRules(db, checkCode(code));
    const { rules } = data;
    const place = [...data.ancestors, data.region].map((r) => r.name).join(' › ');
    const width = Math.max(...RULE_FIELDS.map((f) => [...fieldLabel(f.field)].length));
    const lines = [`${data.region.name}（${data.region.code}）现行办理时限${GAP}${place}`];
    for (const { field } of RULE_FIELDS) {
      const label = fieldLabel(field);
      const pad = GAP.repeat(width - [...label].length);
      lines.push(
        `  ${label}${pad}  ${describeValue(field, fieldValue(rules, field), rules.dayKind)}${GAP}← ${describeSource(data.sources[field])}`,
      );
    }
    lines.push('本地区自己的设置：', ...describeOverride(data.own, rules.dayKind));
    return lines;
  } catch (err) {
    throw asCliError(err);
  }
}

/** Parses an override from JSON text; `origin` names where it came from in the error. */
export function parseOverride(text: string, origin: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RulesCliError(`${origin} 不是有效的 JSON：${(err as Error).message}`);
  }
}

/** Replaces a region's own override after checking every field; returns the lines to print. */
export async function setRules(db: Db, code: string, input: unknown): Promise<string[]> {
  checkCode(code);
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const errors = Object.entries(overrideErrors(input as Record<string, unknown>));
    if (errors.length > 0) {
      throw new RulesCliError(
        `设置有误，未保存：${errors.map(([field, message]) => `${message}（${field || '整体'}）`).join('；')}`,
      );
    }
  }
  try {
    const saved = await setOverride(db, code, input, COMMAND_LINE);
    await logChange(db, code, saved);
  } catch (err) {
    throw asCliError(err);
  }
  return ['已保存。', ...(await showRules(db, code))];
}

/** Removes a region's own override: everything is inherited again. */
export async function clearRules(db: Db, code: string): Promise<string[]> {
  checkCode(code);
  try {
    const saved = await setOverride(db, code, {}, COMMAND_LINE);
    await logChange(db, code, saved);
  } catch (err) {
    throw asCliError(err);
  }
  return ['已清除本地区的设置，现全部沿用上级。', ...(await showRules(db, code))];
}

/** Picks a preset for a region, keeping the values it sets itself. */
export async function presetRules(db: Db, code: string, preset: string): Promise<string[]> {
  checkCode(code);
  if (preset !== 'default' && preset !== 'xinfang') {
    throw new RulesCliError(`预设应为 default（默认）或 xinfang（信访工作条例）：${preset}`);
  }
  try {
    const own = await ownOverride(db, code);
    const saved = await setOverride(db, code, { ...own, preset }, COMMAND_LINE);
    await logChange(db, code, saved);
  } catch (err) {
    throw asCliError(err);
  }
  return [`已选用预设：${presetLabel(preset)}。`, ...(await showRules(db, code))];
}

async function logChange(db: Db, code: string, override: RulesOverride): Promise<void> {
  await adminLogRepository.append(db, {
    actorId: null,
    action: 'settings.change',
    targetUserId: null,
    detail: { workingRules: code, override },
  });
}

export function rulesCommand({
  env = process.env,
  print = (line) => console.log(line),
}: RulesCommandOptions = {}): Command {
  async function withDatabase(run: (db: Db) => Promise<string[]>): Promise<void> {
    const config = loadConfig(env);
    const db = openDatabase(config);
    try {
      await prepareDatabase(db, config, { info: () => {} });
      for (const line of await run(db)) print(line);
    } finally {
      await db.destroy();
    }
  }

  const rules = new Command('rules').description(
    '办理时限：按地区查看和设置（省、市、县逐级覆盖，下级未设置的项目沿用上级）',
  );

  rules
    .command('show')
    .description('显示地区现行的办理时限、每项的来源，以及该地区自己的设置')
    .argument('<code>', '地区代码（6 位数字）')
    .option('--json', '以 JSON 输出 { region, rules, own }')
    .action(async (code: string, options: { json?: boolean }) =>
      withDatabase(async (db) => {
        if (!options.json) return showRules(db, code);
        try {
          const data = await loadRegionRules(db, checkCode(code));
          return [JSON.stringify({ region: data.region, rules: data.rules, own: data.own }, null, 2)];
        } catch (err) {
          throw asCliError(err);
        }
      }),
    );

  rules
    .command('set')
    .description('用 JSON 替换地区自己的设置（未写的项目沿用上级），如 {"acceptDays":5,"documentTitle":"《……》"}')
    .argument('<code>', '地区代码（6 位数字）')
    .option('--file <file>', '从 JSON 文件读取设置')
    .option('--json <json>', '直接给出 JSON 设置')
    .action(async (code: string, options: { file?: string; json?: string }) => {
      if ((options.file === undefined) === (options.json === undefined)) {
        throw new RulesCliError('请用 --file 或 --json 之一给出设置');
      }
      let input: unknown;
      if (options.file !== undefined) {
        let text: string;
        try {
          text = readFileSync(options.file, 'utf8');
        } catch (err) {
          throw new RulesCliError(
            `无法读取文件 ${options.file}：${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          );
        }
        input = parseOverride(text, options.file);
      } else {
        input = parseOverride(options.json!, '--json');
      }
      await withDatabase((db) => setRules(db, code, input));
    });

  rules
    .command('clear')
    .description('清除地区自己的设置，全部沿用上级')
    .argument('<code>', '地区代码（6 位数字）')
    .action(async (code: string) => withDatabase((db) => clearRules(db, code)));

  rules
    .command('preset')
    .description('为地区选用预设（保留该地区自己填写的项目）：default 默认，xinfang 信访工作条例')
    .argument('<code>', '地区代码（6 位数字）')
    .argument('<preset>', 'default | xinfang')
    .action(async (code: string, preset: string) => withDatabase((db) => presetRules(db, code, preset)));

  return rules;
}
