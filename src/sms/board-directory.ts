// Finds the board a text is addressed to: the numeric code printed on each board page, or a place and post as people
// write them ("正定县长", "石家庄市委书记", "正定县"), from an index of every board's names built once and refreshed.
import type { Db } from '../db/kysely.ts';
import { normaliseText } from '../messages/text-normalise.ts';

export type BoardMatch =
  | { kind: 'found'; boardId: number; rest: string }
  | { kind: 'ambiguous'; name: string; rest: string }
  | { kind: 'none' };

/** Suffixes a place name is often written without: 石家庄市 → 石家庄, 正定县 → 正定. */
const SUFFIXES = [
  '特别行政区',
  '自治区',
  '自治州',
  '自治县',
  '自治旗',
  '地区',
  '林区',
  '省',
  '市',
  '县',
  '区',
  '州',
  '盟',
  '旗',
];
const SEPARATORS = /^[\s:：,，、;；.。]+/u;
const REFRESH_MS = 10 * 60_000;

interface Directory {
  builtAt: number;
  aliases: Map<string, Set<number>>;
  longest: number;
  boards: Set<number>;
}

const directories = new WeakMap<Db, Directory>();

function shortName(name: string): string | null {
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && [...name].length - [...suffix].length >= 2) return name.slice(0, -suffix.length);
  }
  return null;
}

async function build(db: Db): Promise<Directory> {
  const rows = await db
    .selectFrom('boards')
    .innerJoin('regions', 'regions.code', 'boards.region_code')
    .select(['boards.id', 'boards.post', 'boards.title', 'regions.name'])
    .where('boards.active', '=', 1)
    .execute();
  const aliases = new Map<string, Set<number>>();
  const add = (alias: string, id: number) => {
    if ([...alias].length < 2) return;
    let set = aliases.get(alias);
    if (!set) aliases.set(alias, (set = new Set()));
    set.add(id);
  };
  for (const b of rows) {
    const names = [b.name, shortName(b.name)].filter((n): n is string => n !== null);
    for (const name of names) {
      add(`${name}${b.title}`, b.id);
      // 正定县 + 县长 → 正定县长; 河北省 + 省委书记 → 河北省委书记
      if (b.title.startsWith(name.slice(-1))) add(`${name}${b.title.slice(1)}`, b.id);
      if (b.post === 'party') add(`${name}书记`, b.id);
      // A place alone means its head of government, whom most letters are addressed to.
      if (b.post !== 'party') add(name, b.id);
    }
  }
  const longest = Math.max(2, ...[...aliases.keys()].map((a) => a.length));
  return { builtAt: Date.now(), aliases, longest, boards: new Set(rows.map((r) => r.id)) };
}

async function directory(db: Db): Promise<Directory> {
  const known = directories.get(db);
  if (known && Date.now() - known.builtAt < REFRESH_MS) return known;
  const built = await build(db);
  directories.set(db, built);
  return built;
}

/**
 * The board a text starts with, and the rest of the text. Names are matched in Simplified characters, so a text written
 * in Traditional ones (正定縣長) finds its board too; the rest is kept as written.
 */
export async function findBoard(db: Db, text: string): Promise<BoardMatch> {
  const dir = await directory(db);
  // Code point for code point the same length as the text, so a name's length in it is its length in the text.
  const simplified = normaliseText(text);
  const numeric = /^(\d{7})(?!\d)(.*)$/su.exec(text);
  if (numeric) {
    const id = Number(numeric[1]);
    return dir.boards.has(id)
      ? { kind: 'found', boardId: id, rest: numeric[2]!.replace(SEPARATORS, '') }
      : { kind: 'none' };
  }
  for (let length = Math.min(dir.longest, text.length); length >= 2; length--) {
    const head = simplified.slice(0, length);
    const ids = dir.aliases.get(head);
    if (!ids) continue;
    const rest = text.slice(length).replace(SEPARATORS, '');
    if (ids.size > 1) return { kind: 'ambiguous', name: text.slice(0, length), rest };
    return { kind: 'found', boardId: [...ids][0]!, rest };
  }
  return { kind: 'none' };
}
