// The video column 《"帖"近现场》: stories (text, region, the video and its state, captions or transcript, publication),
// the message threads each story tells, and the queue of video conversions (claimed by one worker at a time, with a
// lease, so a job survives a restart).
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);

  await withAutoId(db, db.schema.createTable('stories'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('region_code', 'varchar(6)', (c) => c.notNull().references('regions.code'))
    .addColumn('transcript', 'text', (c) => c.notNull().defaultTo(''))
    // none | uploaded | converting | ready | failed
    .addColumn('video_state', 'varchar(16)', (c) => c.notNull().defaultTo('none'))
    .addColumn('video_job_id', 'integer')
    .addColumn('video_error', 'text')
    .addColumn('video_name', 'text')
    .addColumn('video_key', 'varchar(200)')
    .addColumn('poster_key', 'varchar(200)')
    .addColumn('video_bytes', 'bigint')
    .addColumn('video_seconds', 'double precision')
    .addColumn('video_width', 'integer')
    .addColumn('video_height', 'integer')
    .addColumn('captions_key', 'varchar(200)')
    .addColumn('captions_name', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('published_at', ts)
    .addColumn('published_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('stories_published_idx').on('stories').columns(['published_at', 'id']).execute();

  await db.schema
    .createTable('story_messages')
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_messages_pkey', ['story_id', 'message_id'])
    .execute();
  await db.schema.createIndex('story_messages_message_idx').on('story_messages').column('message_id').execute();

  await withAutoId(db, db.schema.createTable('story_video_jobs'))
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('source_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('source_seconds', 'double precision', (c) => c.notNull())
    // queued | running | done | failed | cancelled
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('worker', 'varchar(64)')
    .addColumn('lease_until', ts)
    .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('started_at', ts)
    .addColumn('finished_at', ts)
    .execute();
  await db.schema.createIndex('story_video_jobs_status_idx').on('story_video_jobs').columns(['status', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('story_video_jobs').execute();
  await db.schema.dropTable('story_messages').execute();
  await db.schema.dropTable('stories').execute();
}
