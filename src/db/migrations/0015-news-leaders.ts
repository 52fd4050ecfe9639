// News, announcements and the conference archive (articles editors write in Markdown, and the images they upload);
// the holders of each board over time, so that the replies a leader signed stay theirs after the post changes hands.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);

  await withAutoId(db, db.schema.createTable('articles'))
    .addColumn('category', 'varchar(16)', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull())
    // The year of the annual conference a 会议 article reports, to link it with that year's honours page.
    .addColumn('conference_year', 'integer')
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('draft'))
    // Set when first published and kept through unpublishing and publishing again.
    .addColumn('published_at', ts)
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema
    .createIndex('articles_status_published_idx')
    .on('articles')
    .columns(['status', 'published_at'])
    .execute();
  await db.schema
    .createIndex('articles_category_idx')
    .on('articles')
    .columns(['category', 'status', 'published_at'])
    .execute();
  await db.schema.createIndex('articles_conference_year_idx').on('articles').column('conference_year').execute();

  await withAutoId(db, db.schema.createTable('article_images'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id'))
    .addColumn('storage_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('media_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('article_images_article_idx').on('article_images').column('article_id').execute();

  // One row per term: `since` null is a holder recorded before terms were kept; `until` null is the current holder.
  await withAutoId(db, db.schema.createTable('board_holders'))
    .addColumn('board_id', 'integer', (c) => c.notNull().references('boards.id'))
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('post', 'varchar(64)', (c) => c.notNull())
    .addColumn('since', ts)
    .addColumn('until', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('board_holders_board_idx').on('board_holders').columns(['board_id', 'since']).execute();

  // The leaders' pages start from the signed replies.
  await db.schema.createIndex('replies_signer_idx').on('replies').columns(['signer_id', 'published_at']).execute();

  // The holders already named become open terms whose start was not recorded.
  await db
    .insertInto('board_holders')
    .columns(['board_id', 'name', 'post'])
    .expression((eb: any) =>
      eb.selectFrom('boards').select(['id', 'holder_name', 'title']).where('holder_name', 'is not', null),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('replies_signer_idx').execute();
  await db.schema.dropTable('board_holders').execute();
  await db.schema.dropTable('article_images').execute();
  await db.schema.dropTable('articles').execute();
}
