// Finds regions with leaders' boards by Chinese name, full pinyin or initials, from an in-memory index.
import { createRequire } from 'node:module';
import { boardsRepository } from '../boards/boards.repository.ts';
import type { Db } from '../db/kysely.ts';
import { normaliseText } from '../messages/text-normalise.ts';
import { AppError } from '../web/app-error.ts';
import { REGION_LEVELS, type RegionLevel } from './region-kinds.ts';
import { regionsRepository } from './regions.repository.ts';

/** Longest query, in characters after normalisation. */
export const REGION_QUERY_MAX_LENGTH = 30;
/** Most results one search returns, whatever the caller asks for. */
export const REGION_SEARCH_MAX_LIMIT = 50;

const MESSAGES = {
  empty: '请输入要查找的地区名称或拼音，如“正定”“zhengding”或“zd”',
  tooLong: `查找内容过长，最多 ${REGION_QUERY_MAX_LENGTH} 个字符`,
};

export interface RegionSearchBoard {
  id: number;
  title: string;
}

export interface RegionSearchResult {
  code: string;
  name: string;
  level: RegionLevel;
  /** Names from the province down to the region, space-separated: '河北省 石家庄市 正定县'. */
  path: string;
  boards: RegionSearchBoard[];
}

/** How a region matched, best first; results are ranked by it, then by level and code. */
const Rank = {
  ExactName: 0,
  NamePrefix: 1,
  NameContains: 2,
  PinyinPrefix: 3,
  InitialsPrefix: 4,
  /** Full pinyin and initials mixed, syllable by syllable: 'zhengdx', 'zdingx'. */
  SyllablePrefix: 5,
  /** The query names one of the region's ancestors, so '石家庄' also lists its districts. */
  Ancestor: 6,
} as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface SpelledName {
  name: string;
  /** Toneless lower-case syllables, one a character; ü is written v. */
  syllables: string[];
  /** The joined syllables; a second spelling with u for ü when the name has one. */
  pinyins: string[];
  initials: string;
}

interface IndexedRegion {
  code: string;
  name: string;
  level: RegionLevel;
  levelOrder: number;
  path: string;
  spelled: SpelledName;
  ancestors: SpelledName[];
  boards: RegionSearchBoard[];
}

/**
 * Readings that pinyin-pro's general dictionary gets wrong in these place names (it has a surname
 * mode but no place-name mode). Checked against every name in seeds/regions.json; a reading
 * missing here falls back to pinyin-pro's, so a few rare ones may still differ.
 */
const PLACE_READINGS: ReadonlyArray<readonly [string, string]> = [
  ['乐亭', 'lao ting'],
  ['乐清', 'yue qing'],
  ['民乐', 'min le'],
  ['繁峙', 'fan shi'],
  ['洪洞', 'hong tong'],
  ['蔚县', 'yu xian'],
  ['歙县', 'she xian'],
  ['六合', 'lu he'],
  ['蚌山', 'beng shan'],
  ['涡阳', 'guo yang'],
  ['单县', 'shan xian'],
  ['浚县', 'xun xian'],
  ['泌阳', 'bi yang'],
  ['黄陂', 'huang pi'],
  ['覃塘', 'tan tang'],
  ['筠连', 'jun lian'],
  ['牟定', 'mou ding'],
  ['中牟', 'zhong mou'],
  ['宕昌', 'tan chang'],
  ['尉犁', 'yu li'],
  ['闵行', 'min hang'],
  ['召陵', 'shao ling'],
  ['珲春', 'hun chun'],
  ['穆棱', 'mu ling'],
  ['大箐山', 'da qing shan'],
  ['大城', 'da cheng'],
  ['曾都', 'zeng du'],
];

/** Characters read one way in every place name: 都 is never dou (成都, 都匀), 什 never shen (喀什). */
const CHARACTER_READINGS: Readonly<Record<string, string>> = { 都: 'du', 什: 'shi' };

type Pinyin = (typeof import('pinyin-pro'))['pinyin'];
let loaded: Pinyin | undefined;
/** pinyin-pro and its dictionary are loaded when the index is first built, not at start-up. */
const pinyinOf = () =>
  (loaded ??= (createRequire(import.meta.url)('pinyin-pro') as typeof import('pinyin-pro')).pinyin);

export function spell(name: string): SpelledName {
  const pinyin = pinyinOf();
  const chars = Array.from(name);
  let syllables = pinyin(name, { type: 'array', toneType: 'none', v: true, nonZh: 'consecutive' });
  if (syllables.length !== chars.length) {
    // Only when a name mixes in non-Han characters: spell it one character at a time.
    syllables = chars.map((c) => pinyin(c, { toneType: 'none', v: true }));
  }
  syllables = syllables.map((s, i) => CHARACTER_READINGS[chars[i]!] ?? s.toLowerCase());
  for (const [fragment, reading] of PLACE_READINGS) {
    const at = name.indexOf(fragment);
    if (at >= 0) {
      syllables.splice(Array.from(name.slice(0, at)).length, Array.from(fragment).length, ...reading.split(' '));
    }
  }
  const joined = syllables.join('');
  return {
    name,
    syllables,
    // People often type 绿 as lu rather than lv.
    pinyins: /[ln]v/.test(joined) ? [joined, joined.replace(/([ln])v/g, '$1u')] : [joined],
    initials: syllables.map((s) => s[0] ?? '').join(''),
  };
}

/** Whether the query spells the start of the name, each piece a prefix of one syllable in turn. */
function matchesSyllables(query: string, syllables: string[]): boolean {
  if (syllables[0]?.[0] !== query[0]) return false;
  const failed = new Set<number>();
  const from = (q: number, s: number): boolean => {
    if (q === query.length) return true;
    if (s === syllables.length) return false;
    const key = q * 64 + s;
    if (failed.has(key)) return false;
    const syllable = syllables[s]!;
    for (let k = Math.min(syllable.length, query.length - q); k >= 1; k--) {
      if (query.startsWith(syllable.slice(0, k), q) && from(q + k, s + 1)) return true;
    }
    failed.add(key);
    return false;
  };
  return from(0, 0);
}

function spells(query: string, name: SpelledName): boolean {
  return (
    name.pinyins.some((p) => p.startsWith(query)) ||
    name.initials.startsWith(query) ||
    matchesSyllables(query, name.syllables)
  );
}

/** How the query matches the region, or null; a query in Latin letters is pinyin, anything else a name. */
function rankOf(query: string, isPinyin: boolean, region: IndexedRegion): Rank | null {
  const { spelled, ancestors } = region;
  if (!isPinyin) {
    if (spelled.name === query) return Rank.ExactName;
    if (spelled.name.startsWith(query)) return Rank.NamePrefix;
    if (spelled.name.includes(query)) return Rank.NameContains;
    return ancestors.some((a) => a.name.includes(query)) ? Rank.Ancestor : null;
  }
  if (spelled.pinyins.some((p) => p.startsWith(query))) return Rank.PinyinPrefix;
  if (spelled.initials.startsWith(query)) return Rank.InitialsPrefix;
  if (matchesSyllables(query, spelled.syllables)) return Rank.SyllablePrefix;
  return ancestors.some((a) => spells(query, a)) ? Rank.Ancestor : null;
}

/** The query as it is matched: full-width folded, Simplified, lower case, without spaces or apostrophes. */
function normaliseQuery(raw: string): string {
  // Checked before normalising so an oversized query costs nothing; spaces may shrink it afterwards.
  if (raw.length > REGION_QUERY_MAX_LENGTH * 4) throw invalid(MESSAGES.tooLong);
  const query = normaliseText(raw.trim())
    .replace(/[\s'’‘`]+/gu, '')
    .replace(/ü/g, 'v');
  if (query.length === 0) throw invalid(MESSAGES.empty);
  if (Array.from(query).length > REGION_QUERY_MAX_LENGTH) throw invalid(MESSAGES.tooLong);
  return query;
}

function invalid(detail: string): AppError {
  return new AppError('VALIDATION', { detail }, 'q');
}

async function buildIndex(db: Db): Promise<IndexedRegion[]> {
  const boards = await boardsRepository.listAll(db);
  const boardsByRegion = new Map<string, RegionSearchBoard[]>();
  for (const b of boards) {
    const list = boardsByRegion.get(b.region_code) ?? [];
    list.push({ id: b.id, title: b.title });
    boardsByRegion.set(b.region_code, list);
  }
  // Regions with boards, then their parents and grandparents: the tree is at most three levels deep.
  const rows = new Map((await regionsRepository.findByCodes(db, [...boardsByRegion.keys()])).map((r) => [r.code, r]));
  for (let depth = 0; depth < REGION_LEVELS.length - 1; depth++) {
    const missing = [...new Set([...rows.values()].map((r) => r.parent_code))].filter(
      (code): code is string => code !== null && !rows.has(code),
    );
    if (missing.length === 0) break;
    for (const r of await regionsRepository.findByCodes(db, missing)) rows.set(r.code, r);
  }

  const spellings = new Map<string, SpelledName>();
  const spelled = (name: string) => {
    let known = spellings.get(name);
    if (!known) spellings.set(name, (known = spell(name)));
    return known;
  };
  const index: IndexedRegion[] = [];
  for (const [code, regionBoards] of boardsByRegion) {
    const row = rows.get(code);
    if (!row) continue;
    const ancestors: string[] = [];
    let up = row.parent_code ? rows.get(row.parent_code) : undefined;
    while (up) {
      ancestors.unshift(up.name);
      up = up.parent_code ? rows.get(up.parent_code) : undefined;
    }
    index.push({
      code,
      name: row.name,
      level: row.level,
      levelOrder: REGION_LEVELS.indexOf(row.level),
      path: [...ancestors, row.name].join(' '),
      spelled: spelled(row.name),
      ancestors: ancestors.map(spelled),
      boards: regionBoards,
    });
  }
  return index;
}

/** One index per database handle, built on first use; regions and boards are reference data. */
const indexes = new WeakMap<Db, Promise<IndexedRegion[]>>();

function regionIndex(db: Db): Promise<IndexedRegion[]> {
  let index = indexes.get(db);
  if (!index) {
    index = buildIndex(db);
    indexes.set(db, index);
    // A failed build (say, the database was briefly away) is tried again on the next search.
    index.catch(() => indexes.delete(db));
  }
  return index;
}

/**
 * Regions with boards that match the query, best first: exact name, name prefix, name contains,
 * pinyin prefix, initials prefix (then mixed pinyin and initials, then a matching ancestor); ties
 * go province → city → county, then by code. Throws VALIDATION for an empty or too long query.
 */
export async function searchRegions(db: Db, query: string, limit = 20): Promise<RegionSearchResult[]> {
  const q = normaliseQuery(query);
  const max = Math.min(Math.max(1, Math.trunc(limit) || 1), REGION_SEARCH_MAX_LIMIT);
  const isPinyin = /^[a-z]+$/.test(q);
  const matches: { rank: Rank; region: IndexedRegion }[] = [];
  for (const region of await regionIndex(db)) {
    const rank = rankOf(q, isPinyin, region);
    if (rank !== null) matches.push({ rank, region });
  }
  matches.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.region.levelOrder - b.region.levelOrder ||
      (a.region.code < b.region.code ? -1 : a.region.code > b.region.code ? 1 : 0),
  );
  return matches.slice(0, max).map(({ region }) => ({
    code: region.code,
    name: region.name,
    level: region.level,
    path: region.path,
    boards: region.boards.map((b) => ({ ...b })),
  }));
}
