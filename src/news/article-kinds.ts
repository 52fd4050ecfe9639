// The categories and states of an article, as stable keys with their Chinese names.

export const CATEGORIES = {
  news: '新闻',
  announcement: '公告',
  conference: '会议',
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_KEYS = Object.keys(CATEGORIES) as Category[];

/** A category from its key or its Chinese name; null for anything else. */
export function categoryOf(value: unknown): Category | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (Object.hasOwn(CATEGORIES, text)) return text as Category;
  return CATEGORY_KEYS.find((key) => CATEGORIES[key] === text) ?? null;
}

export const ARTICLE_STATUSES = {
  draft: '草稿',
  published: '已发布',
  withdrawn: '已撤回',
} as const;
export type ArticleStatus = keyof typeof ARTICLE_STATUSES;

export const TITLE_MAX = 100;
export const TITLE_MIN = 2;
export const SUMMARY_MAX = 300;
export const BODY_MAX = 50_000;
export const BODY_MIN = 10;
/** Years an annual conference may be filed under: the boards opened in 2006. */
export const CONFERENCE_YEAR_MIN = 2006;
export const CONFERENCE_YEAR_MAX = 2100;
