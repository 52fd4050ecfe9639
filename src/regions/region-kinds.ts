// What each kind of region is called and which leader posts and dispatching unit it has.

export type RegionLevel = 'province' | 'city' | 'county';

export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'county'];

export type RegionKind =
  | 'province'
  | 'autonomous_region'
  | 'municipality'
  | 'sar'
  | 'taiwan'
  | 'prefecture_city'
  | 'autonomous_prefecture'
  | 'prefecture'
  | 'league'
  | 'district'
  | 'county'
  | 'autonomous_county'
  | 'county_city'
  | 'banner'
  | 'special_district'
  | 'forestry_district'
  | 'other';

/** A leader post: `party` is the Party secretary, `government` the head of government. */
export type BoardPost = 'party' | 'government' | 'chief_executive';

export interface RegionKindRule {
  label: string;
  /** Leader posts with a board, in display order. Empty: the region is listed without boards. */
  posts: ReadonlyArray<{ post: BoardPost; title: string }>;
  /** Builds the name of the region's dispatching unit (the one that receives its boards' messages). */
  unitName: ((regionName: string) => string) | null;
}

const two = (party: string, government: string) =>
  [
    { post: 'party', title: party },
    { post: 'government', title: government },
  ] as const;

export const REGION_KINDS: Readonly<Record<RegionKind, RegionKindRule>> = {
  province: { label: '省', posts: two('省委书记', '省长'), unitName: (n) => `${n}委督查室` },
  autonomous_region: {
    label: '自治区',
    posts: two('自治区党委书记', '自治区主席'),
    unitName: (n) => `${n}党委督查室`,
  },
  municipality: { label: '直辖市', posts: two('市委书记', '市长'), unitName: (n) => `${n}委督查室` },
  sar: {
    label: '特别行政区',
    posts: [{ post: 'chief_executive', title: '特区行政长官' }],
    unitName: (n) => `${n}政府政务司留言办理联络处`,
  },
  taiwan: { label: '省', posts: [], unitName: null },
  prefecture_city: {
    label: '地级市',
    posts: two('市委书记', '市长'),
    unitName: (n) => `${n}委市政府督查局`,
  },
  autonomous_prefecture: {
    label: '自治州',
    posts: two('州委书记', '州长'),
    unitName: (n) => `${n}委州政府督查室`,
  },
  prefecture: {
    label: '地区',
    posts: two('地委书记', '行署专员'),
    unitName: (n) => `${n.replace(/地区$/, '')}地委行署督查室`,
  },
  league: { label: '盟', posts: two('盟委书记', '盟长'), unitName: (n) => `${n}委行署督查室` },
  district: { label: '市辖区', posts: two('区委书记', '区长'), unitName: (n) => `${n}委区政府督查室` },
  county: { label: '县', posts: two('县委书记', '县长'), unitName: (n) => `${n}委县政府督查室` },
  autonomous_county: {
    label: '自治县',
    posts: two('县委书记', '县长'),
    unitName: (n) => `${n}委县政府督查室`,
  },
  county_city: {
    label: '县级市',
    posts: two('市委书记', '市长'),
    unitName: (n) => `${n}委市政府督查室`,
  },
  banner: { label: '旗', posts: two('旗委书记', '旗长'), unitName: (n) => `${n}委旗政府督查室` },
  special_district: {
    label: '特区',
    posts: two('特区区委书记', '特区区长'),
    unitName: (n) => `${n}区委区政府督查室`,
  },
  forestry_district: {
    label: '林区',
    posts: two('林区党委书记', '林区区长'),
    unitName: (n) => `${n}党委林区政府督查室`,
  },
  other: {
    label: '其他县级单位',
    posts: two('党工委书记', '管委会主任'),
    unitName: (n) => `${n}党工委督查室`,
  },
};

/** Tells a region's kind from its level and official name. */
export function classifyRegion(name: string, level: RegionLevel): RegionKind {
  if (level === 'province') {
    if (name.endsWith('特别行政区')) return 'sar';
    if (name === '台湾省') return 'taiwan';
    if (name.endsWith('自治区')) return 'autonomous_region';
    if (['北京市', '天津市', '上海市', '重庆市'].includes(name)) return 'municipality';
    return 'province';
  }
  if (level === 'city') {
    if (name.endsWith('自治州')) return 'autonomous_prefecture';
    if (name.endsWith('地区')) return 'prefecture';
    if (name.endsWith('盟')) return 'league';
    return 'prefecture_city';
  }
  if (name.endsWith('自治县')) return 'autonomous_county';
  if (name.endsWith('特区')) return 'special_district';
  // 神农架林区 is China's only forestry district; other names ending in 林区 are ordinary districts.
  if (name === '神农架林区') return 'forestry_district';
  if (name.endsWith('旗')) return 'banner';
  if (name.endsWith('县')) return 'county';
  if (name.endsWith('市')) return 'county_city';
  if (name.endsWith('区')) return 'district';
  return 'other';
}
