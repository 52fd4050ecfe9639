// SQL for articles (news, announcements, conference reports) and the images uploaded for them.
import type { Db } from '../db/kysely.ts';

const COLUMNS = [
  'articles.id',
  'articles.category',
  'articles.title',
  'articles.summary',
  'articles.body',
  'articles.conference_year',
  'articles.status',
  'articles.published_at',
  'articles.author_id',
  'articles.created_at',
  'articles.updated_at',
] as const;

export type ArticleRow = NonNullable<Awaited<ReturnType<typeof articlesRepository.findById>>>;

export interface ArticleFields {
  category: string;
  title: string;
  summary: string;
  body: string;
  conferenceYear: number | null;
}

export const articlesRepository = {
  async insert(db: Db, fields: ArticleFields, authorId: number, at: string): Promise<number> {
    const row = await db
      .insertInto('articles')
      .values({
        category: fields.category,
        title: fields.title,
        summary: fields.summary,
        body: fields.body,
        conference_year: fields.conferenceYear,
        status: 'draft',
        author_id: authorId,
        updated_by: authorId,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async update(db: Db, id: number, fields: ArticleFields, editorId: number, at: string): Promise<boolean> {
    const result = await db
      .updateTable('articles')
      .set({
        category: fields.category,
        title: fields.title,
        summary: fields.summary,
        body: fields.body,
        conference_year: fields.conferenceYear,
        updated_by: editorId,
        updated_at: at,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Publishes a draft or withdrawn article; its first publication date is kept. False when it was published already. */
  async publish(db: Db, id: number, editorId: number, at: string): Promise<boolean> {
    const result = await db
      .updateTable('articles')
      .set((eb) => ({
        status: 'published',
        published_at: eb.fn.coalesce('published_at', eb.val(at)),
        updated_by: editorId,
        updated_at: at,
      }))
      .where('id', '=', id)
      .where('status', '!=', 'published')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Takes a published article off the public pages. False when it was not published. */
  async withdraw(db: Db, id: number, editorId: number, at: string): Promise<boolean> {
    const result = await db
      .updateTable('articles')
      .set({ status: 'withdrawn', updated_by: editorId, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'published')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async delete(db: Db, id: number): Promise<boolean> {
    await db.deleteFrom('article_images').where('article_id', '=', id).execute();
    const result = await db.deleteFrom('articles').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },

  findById(db: Db, id: number) {
    return db
      .selectFrom('articles')
      .leftJoin('users', 'users.id', 'articles.author_id')
      .select([...COLUMNS, 'users.nickname as author_name'])
      .where('articles.id', '=', id)
      .executeTakeFirst();
  },

  /** Published articles, newest first, optionally of one category. */
  listPublished(db: Db, f: { category?: string; limit: number; offset: number }) {
    let query = db
      .selectFrom('articles')
      .leftJoin('users', 'users.id', 'articles.author_id')
      .select([...COLUMNS, 'users.nickname as author_name'])
      .where('articles.status', '=', 'published')
      .orderBy('articles.published_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(f.limit)
      .offset(f.offset);
    if (f.category) query = query.where('articles.category', '=', f.category);
    return query.execute();
  },

  async countPublished(db: Db, f: { category?: string }): Promise<number> {
    let query = db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'published');
    if (f.category) query = query.where('category', '=', f.category);
    return Number((await query.executeTakeFirstOrThrow()).n);
  },

  /** Every article in every state for the editors, the most recently changed first. */
  listAll(db: Db, f: { status?: string; limit: number; offset: number }) {
    let query = db
      .selectFrom('articles')
      .leftJoin('users', 'users.id', 'articles.author_id')
      .select([...COLUMNS, 'users.nickname as author_name'])
      .orderBy('articles.updated_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(f.limit)
      .offset(f.offset);
    if (f.status) query = query.where('articles.status', '=', f.status);
    return query.execute();
  },

  async countAll(db: Db, f: { status?: string }): Promise<number> {
    let query = db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n'));
    if (f.status) query = query.where('status', '=', f.status);
    return Number((await query.executeTakeFirstOrThrow()).n);
  },

  /** The earliest published report of that year's conference. */
  conferenceOfYear(db: Db, year: number) {
    return db
      .selectFrom('articles')
      .select(['id', 'title'])
      .where('status', '=', 'published')
      .where('category', '=', 'conference')
      .where('conference_year', '=', year)
      .orderBy('published_at')
      .orderBy('id')
      .executeTakeFirst();
  },

  /** Published articles for the sitemap: address and last change. */
  sitemapEntries(db: Db, limit: number) {
    return db
      .selectFrom('articles')
      .select(['id', 'updated_at'])
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .limit(limit)
      .execute();
  },

  async insertImage(
    db: Db,
    row: { articleId: number; key: string; type: string; width: number; height: number; bytes: number; by: number },
  ): Promise<number> {
    const inserted = await db
      .insertInto('article_images')
      .values({
        article_id: row.articleId,
        storage_key: row.key,
        media_type: row.type,
        width: row.width,
        height: row.height,
        bytes: row.bytes,
        uploaded_by: row.by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  },

  listImages(db: Db, articleId: number) {
    return db
      .selectFrom('article_images')
      .select(['id', 'media_type', 'width', 'height', 'bytes', 'created_at'])
      .where('article_id', '=', articleId)
      .orderBy('id')
      .execute();
  },

  /** An image with the state of its article (only a published article's images are public). */
  findImage(db: Db, id: number) {
    return db
      .selectFrom('article_images')
      .innerJoin('articles', 'articles.id', 'article_images.article_id')
      .select([
        'article_images.id',
        'article_images.storage_key',
        'article_images.media_type',
        'article_images.article_id',
        'articles.status as article_status',
      ])
      .where('article_images.id', '=', id)
      .executeTakeFirst();
  },
};
