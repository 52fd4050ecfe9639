// Names of places, leaders' posts and dispatching units in each language. Simplified Chinese is what the reference
// data holds; zh-HK converts it to Traditional characters; English uses the official English names of the
// provincial-level regions and pinyin for the others (with the readings place names take), followed by the kind of
// place in English. Computed once per name and remembered.
import { spell } from '../regions/region-search.ts';
import { hantName } from './hant.ts';
import type { Locale } from './i18n.ts';

/** The official English names of the provincial-level regions. */
export const PROVINCE_NAMES_EN: Readonly<Record<string, string>> = {
  北京市: 'Beijing Municipality',
  天津市: 'Tianjin Municipality',
  河北省: 'Hebei Province',
  山西省: 'Shanxi Province',
  内蒙古自治区: 'Inner Mongolia Autonomous Region',
  辽宁省: 'Liaoning Province',
  吉林省: 'Jilin Province',
  黑龙江省: 'Heilongjiang Province',
  上海市: 'Shanghai Municipality',
  江苏省: 'Jiangsu Province',
  浙江省: 'Zhejiang Province',
  安徽省: 'Anhui Province',
  福建省: 'Fujian Province',
  江西省: 'Jiangxi Province',
  山东省: 'Shandong Province',
  河南省: 'Henan Province',
  湖北省: 'Hubei Province',
  湖南省: 'Hunan Province',
  广东省: 'Guangdong Province',
  广西壮族自治区: 'Guangxi Zhuang Autonomous Region',
  海南省: 'Hainan Province',
  重庆市: 'Chongqing Municipality',
  四川省: 'Sichuan Province',
  贵州省: 'Guizhou Province',
  云南省: 'Yunnan Province',
  西藏自治区: 'Xizang Autonomous Region',
  陕西省: 'Shaanxi Province',
  甘肃省: 'Gansu Province',
  青海省: 'Qinghai Province',
  宁夏回族自治区: 'Ningxia Hui Autonomous Region',
  新疆维吾尔自治区: 'Xinjiang Uygur Autonomous Region',
  台湾省: 'Taiwan Province',
  香港特别行政区: 'Hong Kong Special Administrative Region',
  澳门特别行政区: 'Macao Special Administrative Region',
};

/** The kind of place a name ends with, in English; longest endings first. */
const KIND_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['自治州', 'Autonomous Prefecture'],
  ['自治县', 'Autonomous County'],
  ['自治旗', 'Autonomous Banner'],
  ['林区', 'Forestry District'],
  ['特区', 'Special District'],
  ['新区', 'New Area'],
  ['地区', 'Prefecture'],
  ['盟', 'League'],
  ['旗', 'Banner'],
  ['县', 'County'],
  ['市', 'City'],
  ['区', 'District'],
];

/** Ethnic groups named in autonomous places, as their official English names give them. */
const ETHNIC_GROUPS_EN: ReadonlyArray<readonly [string, string]> = [
  ['朝鲜', 'Korean'],
  ['土家', 'Tujia'],
  ['苗', 'Miao'],
  ['藏', 'Tibetan'],
  ['彝', 'Yi'],
  ['回', 'Hui'],
  ['壮', 'Zhuang'],
  ['蒙古', 'Mongol'],
  ['哈萨克', 'Kazak'],
  ['柯尔克孜', 'Kirgiz'],
  ['傣', 'Dai'],
  ['景颇', 'Jingpo'],
  ['傈僳', 'Lisu'],
  ['白', 'Bai'],
  ['哈尼', 'Hani'],
  ['布依', 'Bouyei'],
  ['侗', 'Dong'],
  ['羌', 'Qiang'],
  ['瑶', 'Yao'],
  ['满', 'Manchu'],
  ['畲', 'She'],
  ['黎', 'Li'],
  ['仡佬', 'Gelao'],
  ['水', 'Shui'],
  ['土', 'Tu'],
  ['撒拉', 'Salar'],
  ['保安', 'Bonan'],
  ['东乡', 'Dongxiang'],
  ['裕固', 'Yugur'],
  ['纳西', 'Naxi'],
  ['拉祜', 'Lahu'],
  ['佤', 'Va'],
  ['怒', 'Nu'],
  ['独龙', 'Derung'],
  ['普米', 'Pumi'],
  ['布朗', 'Blang'],
  ['毛南', 'Maonan'],
  ['仫佬', 'Mulao'],
  ['达斡尔', 'Daur'],
  ['鄂温克', 'Ewenki'],
  ['鄂伦春', 'Oroqen'],
  ['锡伯', 'Xibe'],
  ['塔吉克', 'Tajik'],
  ['维吾尔', 'Uygur'],
  ['京', 'Gin'],
  ['各', 'Multi-ethnic'],
];

/** Splits 湘西土家族苗族 into 湘西 and [Tujia, Miao]: the groups an autonomous place is named for. */
function ethnicGroups(stem: string): [string, string[]] {
  const groups: string[] = [];
  let rest = stem;
  for (;;) {
    // 族 may be left out after a name of two or more characters (巴音郭楞蒙古自治州).
    const ending = (g: string) =>
      [`${g}族`, ...(g.length > 1 ? [g] : [])].find((e) => rest.endsWith(e) && rest.length > e.length);
    const found = ETHNIC_GROUPS_EN.map(([g, en]) => [ending(g), en] as const).find(([e]) => e !== undefined);
    if (!found) break;
    groups.unshift(found[1]);
    rest = rest.slice(0, -found[0]!.length);
  }
  return [rest, groups];
}

/** Syllables written together, with an apostrophe where a syllable starting with a, o or e would run on (Xi'an). */
function pinyinWord(syllables: string[]): string {
  const word = syllables
    .map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s))
    .join('')
    .replaceAll('v', 'ü');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A place name in English: the official name of a provincial-level region, else pinyin and the kind of place. */
export function placeNameEn(name: string): string {
  const official = PROVINCE_NAMES_EN[name];
  if (official) return official;
  const suffix = KIND_SUFFIXES.find(([ending]) => name.endsWith(ending) && name.length > ending.length);
  const stem = suffix ? name.slice(0, -suffix[0].length) : name;
  if (!/^\p{Script=Han}+$/u.test(stem)) return name;
  const [place, groups] = suffix && suffix[1].startsWith('Autonomous') ? ethnicGroups(stem) : [stem, []];
  const word = pinyinWord(spell(place).syllables);
  const people = groups.length > 1 ? `${groups.slice(0, -1).join(', ')} and ${groups.at(-1)}` : (groups[0] ?? '');
  return [word, people, suffix?.[1] ?? ''].filter(Boolean).join(' ');
}

/** The titles of leaders' posts (boards) in English. */
export const POST_TITLES_EN: Readonly<Record<string, string>> = {
  省委书记: 'Party Secretary',
  省长: 'Governor',
  自治区党委书记: 'Party Secretary',
  自治区主席: 'Chairman',
  市委书记: 'Party Secretary',
  市长: 'Mayor',
  特区行政长官: 'Chief Executive',
  州委书记: 'Party Secretary',
  州长: 'Prefect',
  地委书记: 'Party Secretary',
  行署专员: 'Commissioner',
  盟委书记: 'Party Secretary',
  盟长: 'League Head',
  区委书记: 'Party Secretary',
  区长: 'District Head',
  县委书记: 'Party Secretary',
  县长: 'County Head',
  旗委书记: 'Party Secretary',
  旗长: 'Banner Head',
  特区区委书记: 'Party Secretary',
  特区区长: 'District Head',
  林区党委书记: 'Party Secretary',
  林区区长: 'District Head',
  党工委书记: 'Party Working Committee Secretary',
  管委会主任: 'Director of the Administrative Committee',
};

/**
 * What the dispatching units the reference data creates are called, by the ending the region's name is followed
 * by (see REGION_KINDS): '{place}' stands for the place's English name.
 */
const DISPATCH_UNITS_EN: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(.+)政府政务司留言办理联络处$/, 'Message Liaison Office, Chief Secretary for Administration, {place}'],
  [/^(.+?)(?:党委|委)(?:市政府|州政府|区政府|县政府|旗政府|林区政府)?督查(?:室|局)$/, 'Supervision Office of {place}'],
  [/^(.+?)(?:委行署|地委行署)督查室$/, 'Supervision Office of {place}'],
  [/^(.+?)区委区政府督查室$/, 'Supervision Office of {place}'],
  [/^(.+?)党工委督查室$/, 'Supervision Office of {place}'],
];

/** A dispatching unit's English name when the reference data made it; null for a unit named by people. */
export function dispatchUnitNameEn(name: string): string | null {
  for (const [pattern, template] of DISPATCH_UNITS_EN) {
    const m = pattern.exec(name);
    if (!m) continue;
    let place = m[1]!;
    // 地区 regions drop 地区 in the unit's name (…地委行署督查室).
    if (pattern.source.includes('地委行署') && !place.endsWith('地区')) place = `${place}地区`;
    return template.replace('{place}', placeNameEn(place));
  }
  return null;
}

export interface Names {
  /** A region's name. */
  place(name: string): string;
  /** A leader's post (a board's title). */
  post(title: string): string;
  /**
   * A unit's name. In English a unit named by people (not a dispatching unit of the reference data) stays in
   * Chinese: it is a proper name, and views mark it `translate="no"`.
   */
  unit(name: string): string;
  /** Whether `unit(name)` gives the name as written (a proper name the page should mark as such). */
  unitKeptAsWritten(name: string): boolean;
}

const cache = new Map<string, string>();
const remembered = (key: string, make: () => string): string => {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size > 100_000) cache.clear();
    cache.set(key, v);
  }
  return v;
};

const SAME: Names = { place: (n) => n, post: (t) => t, unit: (n) => n, unitKeptAsWritten: () => false };

const HANT: Names = {
  place: hantName,
  post: hantName,
  unit: hantName,
  unitKeptAsWritten: () => false,
};

const EN: Names = {
  place: (n) => remembered(`p${n}`, () => placeNameEn(n)),
  post: (t) => POST_TITLES_EN[t] ?? t,
  unit: (n) => remembered(`u${n}`, () => dispatchUnitNameEn(n) ?? n),
  unitKeptAsWritten: (n) => dispatchUnitNameEn(n) === null,
};

export function namesFor(locale: Locale): Names {
  return locale === 'en' ? EN : locale === 'zh-HK' ? HANT : SAME;
}
