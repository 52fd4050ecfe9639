// The rules of articles: what an editor may write, the life of an article (draft → published ⇄ withdrawn, or
// deleted), its images, and what the public sees. Every change is written to the admin log in its own transaction.
import { adminLogRepository, type AdminLogAction } from '../accounts/admin-log.repository.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import { cleanImage } from '../attachments/images.ts';
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import {
  ARTICLE_STATUSES,
  type ArticleStatus,
  BODY_MAX,
  BODY_MIN,
  type Category,
  CATEGORIES,
  categoryOf,
  CONFERENCE_YEAR_MAX,
  CONFERENCE_YEAR_MIN,
  SUMMARY_MAX,
  TITLE_MAX,
  TITLE_MIN,
} from './article-kinds.ts';
import { type ArticleFields, articlesRepository, type ArticleRow } from './articles.repository.ts';
import { excerpt, markdownText, renderMarkdown } from './markdown.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../i18n/i18n.ts';

/** Who changes an article, for the log. */
export interface Editor {
  id: number;
  ip?: string | null;
  /** The editor's language, for the words inside errors (the default language without one). */
  t?: Translate;
}

export interface Article {
  id: number;
  category: Category;
  categoryLabel: string;
  title: string;
  /** The editor's summary, or the opening of the text when they wrote none. */
  summary: string;
  /** The summary as the editor wrote it (empty: the summary follows the text). */
  ownSummary: string;
  /** Markdown, as the editor wrote it. */
  body: string;
  conferenceYear: number | null;
  status: ArticleStatus;
  statusLabel: string;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  authorName: string | null;
}

export interface ArticleImage {
  id: number;
  url: string;
  /** What to paste into the text to show the image. */
  markdown: string;
  width: number;
  height: number;
  bytes: number;
}

export const PUBLIC_PAGE_SIZE = 20;
export const EDITOR_PAGE_SIZE = 50;
export const SUMMARY_EXCERPT = 120;

function toArticle(row: ArticleRow): Article {
  const category = categoryOf(row.category) ?? 'news';
  const status = (Object.hasOwn(ARTICLE_STATUSES, row.status) ? row.status : 'draft') as ArticleStatus;
  return {
    id: row.id,
    category,
    categoryLabel: CATEGORIES[category],
    title: row.title,
    summary: row.summary || excerpt(markdownText(row.body), SUMMARY_EXCERPT),
    ownSummary: row.summary,
    body: row.body,
    conferenceYear: row.conference_year,
    status,
    statusLabel: ARTICLE_STATUSES[status],
    publishedAt: row.published_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    authorName: row.author_name ?? null,
  };
}

const chars = (value: unknown): string =>
  typeof value === 'string' ? value.replace(/\r\n?/g, '\n').replace(/\u0000/g, '') : '';
const length = (text: string) => [...text].length;

/** The form or API body as an article's fields, or FORM_INVALID naming every field at fault. */
export function validateArticle(input: Record<string, unknown>): ArticleFields {
  const problems: AppError[] = [];
  const category = categoryOf(input.category);
  if (!category) problems.push(new AppError('ARTICLE_CATEGORY_INVALID', {}, 'category'));
  const title = chars(input.title).replace(/\s+/g, ' ').trim();
  if (length(title) < TITLE_MIN || length(title) > TITLE_MAX)
    problems.push(new AppError('ARTICLE_TITLE_LENGTH', { min: TITLE_MIN, max: TITLE_MAX }, 'title'));
  const summary = chars(input.summary).replace(/\s+/g, ' ').trim();
  if (length(summary) > SUMMARY_MAX)
    problems.push(new AppError('ARTICLE_SUMMARY_TOO_LONG', { max: SUMMARY_MAX }, 'summary'));
  const body = chars(input.body).trim();
  if (length(body) < BODY_MIN || length(body) > BODY_MAX)
    problems.push(new AppError('ARTICLE_BODY_LENGTH', { min: BODY_MIN, max: BODY_MAX, length: length(body) }, 'body'));
  let conferenceYear: number | null = null;
  const yearText =
    typeof input.conferenceYear === 'number' ? String(input.conferenceYear) : chars(input.conferenceYear).trim();
  const yearProblem = new AppError(
    'ARTICLE_YEAR_INVALID',
    { min: CONFERENCE_YEAR_MIN, max: CONFERENCE_YEAR_MAX },
    'conferenceYear',
  );
  if (category === 'conference') {
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= CONFERENCE_YEAR_MIN && year <= CONFERENCE_YEAR_MAX)) problems.push(yearProblem);
    else conferenceYear = year;
  }
  if (problems.length > 0 || !category) {
    const summaryOfFields = [...new Set(problems.map((p) => p.field))].join('、');
    throw new AppError('FORM_INVALID', { summary: summaryOfFields }, undefined, problems);
  }
  return { category, title, summary, body, conferenceYear };
}

async function log(db: Db, editor: Editor, action: AdminLogAction, article: { id: number; title: string }, more = {}) {
  await adminLogRepository.append(db, {
    actorId: editor.id,
    action,
    targetUserId: null,
    detail: { articleId: article.id, title: article.title, ...more },
    ip: editor.ip ?? null,
  });
}

async function load(db: Db, id: number): Promise<ArticleRow> {
  const row = await articlesRepository.findById(db, id);
  if (!row) throw new AppError('ARTICLE_NOT_FOUND', { id });
  return row;
}

export const articlesService = {
  async create(db: Db, editor: Editor, input: Record<string, unknown>, now = new Date()): Promise<number> {
    const fields = validateArticle(input);
    return db.transaction().execute(async (trx) => {
      const id = await articlesRepository.insert(trx, fields, editor.id, now.toISOString());
      await log(trx, editor, 'article.create', { id, title: fields.title }, { category: fields.category });
      return id;
    });
  },

  async update(db: Db, editor: Editor, id: number, input: Record<string, unknown>): Promise<void> {
    const fields = validateArticle(input);
    await db.transaction().execute(async (trx) => {
      if (!(await articlesRepository.update(trx, id, fields, editor.id, new Date().toISOString())))
        throw new AppError('ARTICLE_NOT_FOUND', { id });
      await log(trx, editor, 'article.update', { id, title: fields.title }, { category: fields.category });
    });
  },

  async publish(db: Db, editor: Editor, id: number, now = new Date()): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      if (!(await articlesRepository.publish(trx, id, editor.id, now.toISOString())))
        throw new AppError('ARTICLE_ALREADY_PUBLISHED');
      await log(trx, editor, 'article.publish', row);
    });
  },

  async unpublish(db: Db, editor: Editor, id: number): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      if (!(await articlesRepository.withdraw(trx, id, editor.id, new Date().toISOString())))
        throw new AppError('ARTICLE_NOT_PUBLISHED');
      await log(trx, editor, 'article.unpublish', row);
    });
  },

  async delete(db: Db, editor: Editor, id: number): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      await articlesRepository.delete(trx, id);
      await log(trx, editor, 'article.delete', row, { category: row.category, status: row.status });
    });
  },

  /** Checks, cleans and stores an uploaded image for the article, as photos are; returns how to show it. */
  async addImage(
    db: Db,
    store: AttachmentStore,
    editor: Editor,
    id: number,
    data: Buffer | null,
  ): Promise<ArticleImage> {
    const row = await load(db, id);
    if (!data || data.length === 0) throw new AppError('ARTICLE_IMAGE_MISSING', {}, 'image');
    const cleaned = await cleanImage(data);
    if (!cleaned.ok)
      throw new AppError(
        'ARTICLE_IMAGE_INVALID',
        { reason: (editor.t ?? translator(DEFAULT_LOCALE))(`editor.image.${cleaned.problem}`) },
        'image',
      );
    const image = cleaned.image;
    // Stored first: a content-addressed file is harmless if the transaction then fails.
    const { key } = await store.save(image);
    await store.saveDisplayCopies(key, image.data);
    const imageId = await db.transaction().execute(async (trx) => {
      const inserted = await articlesRepository.insertImage(trx, {
        articleId: id,
        key,
        type: image.type,
        width: image.width,
        height: image.height,
        bytes: image.bytes,
        by: editor.id,
      });
      await log(trx, editor, 'article.image', row, { imageId: inserted });
      return inserted;
    });
    return toImage({ id: imageId, width: image.width, height: image.height, bytes: image.bytes });
  },

  async images(db: Db, id: number): Promise<ArticleImage[]> {
    return (await articlesRepository.listImages(db, id)).map(toImage);
  },

  /** Any article, in any state: for the editors. */
  async get(db: Db, id: number): Promise<Article> {
    return toArticle(await load(db, id));
  },

  /** A published article, or ARTICLE_NOT_FOUND: drafts and withdrawn articles do not exist for the public. */
  async getPublished(db: Db, id: number): Promise<Article> {
    const row = await articlesRepository.findById(db, id);
    if (!row || row.status !== 'published') throw new AppError('ARTICLE_NOT_FOUND', { id });
    return toArticle(row);
  },

  async listPublished(db: Db, f: { category?: Category; page: number; pageSize?: number }) {
    const size = f.pageSize ?? PUBLIC_PAGE_SIZE;
    const [rows, total] = await Promise.all([
      articlesRepository.listPublished(db, { category: f.category, limit: size, offset: (f.page - 1) * size }),
      articlesRepository.countPublished(db, { category: f.category }),
    ]);
    return { articles: rows.map(toArticle), total, page: f.page, pageSize: size };
  },

  async latest(db: Db, n: number): Promise<Article[]> {
    return (await articlesRepository.listPublished(db, { limit: n, offset: 0 })).map(toArticle);
  },

  async listAll(db: Db, f: { status?: ArticleStatus; page: number }) {
    const [rows, total] = await Promise.all([
      articlesRepository.listAll(db, {
        status: f.status,
        limit: EDITOR_PAGE_SIZE,
        offset: (f.page - 1) * EDITOR_PAGE_SIZE,
      }),
      articlesRepository.countAll(db, { status: f.status }),
    ]);
    return { articles: rows.map(toArticle), total, page: f.page, pageSize: EDITOR_PAGE_SIZE };
  },

  /** The published report of that year's annual conference, if there is one (for the honours page). */
  async conferenceOfYear(db: Db, year: number): Promise<{ id: number; title: string } | null> {
    return (await articlesRepository.conferenceOfYear(db, year)) ?? null;
  },
};

function toImage(row: { id: number; width: number; height: number; bytes: number }): ArticleImage {
  const url = `/news/images/${row.id}`;
  return { id: row.id, url, markdown: `![图片说明](${url})`, width: row.width, height: row.height, bytes: row.bytes };
}

/** The article's text as the page shows it: Markdown rendered and sanitised. */
export function articleHtml(article: Pick<Article, 'body'>): string {
  return renderMarkdown(article.body);
}
