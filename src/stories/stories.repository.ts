// SQL for the video column: stories, the messages they tell, and the queue of video conversions.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/kysely.ts';
import type { StoriesTable, StoryVideoJobsTable } from '../db/schema.ts';
import { PUBLISHED } from '../messages/message-view.ts';

export type StoryRow = Selectable<StoriesTable> & { region_name: string; job_progress: number | null };
export type StoryJobRow = Selectable<StoryVideoJobsTable>;

export const storiesRepository = {
  async insert(db: Db, row: Insertable<StoriesTable>): Promise<number> {
    const { id } = await db.insertInto('stories').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** Updates the story; `where` narrows it further (a condition the change depends on). Returns rows changed. */
  async update(
    db: Db,
    id: number,
    values: Updateable<StoriesTable>,
    where: { videoJobId?: number } = {},
  ): Promise<number> {
    let query = db.updateTable('stories').set(values).where('id', '=', id);
    if (where.videoJobId !== undefined) query = query.where('video_job_id', '=', where.videoJobId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  findById(db: Db, id: number): Promise<StoryRow | undefined> {
    return db
      .selectFrom('stories as s')
      .innerJoin('regions as r', 'r.code', 's.region_code')
      .leftJoin('story_video_jobs as j', 'j.id', 's.video_job_id')
      .selectAll('s')
      .select(['r.name as region_name', 'j.progress as job_progress'])
      .where('s.id', '=', id)
      .executeTakeFirst();
  },

  /** Published stories with a playable video, newest publication first. */
  listPublished(db: Db, { offset, limit }: { offset: number; limit: number }): Promise<StoryRow[]> {
    return db
      .selectFrom('stories as s')
      .innerJoin('regions as r', 'r.code', 's.region_code')
      .selectAll('s')
      .select(['r.name as region_name', sql<number | null>`null`.as('job_progress')])
      .where('s.published_at', 'is not', null)
      .where('s.video_key', 'is not', null)
      .orderBy('s.published_at', 'desc')
      .orderBy('s.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute();
  },

  async countPublished(db: Db): Promise<number> {
    const row = await db
      .selectFrom('stories')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is not', null)
      .where('video_key', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Every story, for the editors, the newest first. */
  listAll(db: Db, { offset, limit }: { offset: number; limit: number }): Promise<StoryRow[]> {
    return db
      .selectFrom('stories as s')
      .innerJoin('regions as r', 'r.code', 's.region_code')
      .leftJoin('story_video_jobs as j', 'j.id', 's.video_job_id')
      .selectAll('s')
      .select(['r.name as region_name', 'j.progress as job_progress'])
      .orderBy('s.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute();
  },

  async countAll(db: Db): Promise<number> {
    const row = await db
      .selectFrom('stories')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Replaces the story's messages with these, in this order. */
  async setMessages(db: Db, storyId: number, messageIds: readonly number[]): Promise<void> {
    await db.deleteFrom('story_messages').where('story_id', '=', storyId).execute();
    if (messageIds.length === 0) return;
    await db
      .insertInto('story_messages')
      .values(messageIds.map((messageId, position) => ({ story_id: storyId, message_id: messageId, position })))
      .execute();
  },

  /** The story's messages in order, with whether each is public now (published, not private). */
  async messagesOf(db: Db, storyIds: readonly number[]) {
    if (storyIds.length === 0) return [];
    const rows = await db
      .selectFrom('story_messages as sm')
      .innerJoin('messages as m', 'm.id', 'sm.message_id')
      .select(['sm.story_id', 'm.id', 'm.title', 'm.status', 'm.visibility'])
      .where('sm.story_id', 'in', storyIds)
      .orderBy('sm.story_id')
      .orderBy('sm.position')
      .execute();
    return rows.map((r) => ({
      storyId: r.story_id,
      id: r.id,
      title: r.title,
      isPublic: r.visibility === 'public' && (PUBLISHED as readonly string[]).includes(r.status),
    }));
  },

  /** Of these message ids, the ones that are public (published and not private). */
  async publicMessageIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom('messages')
      .select('id')
      .where('id', 'in', ids)
      .where('visibility', '=', 'public')
      .where('status', 'in', PUBLISHED)
      .execute();
    return new Set(rows.map((r) => r.id));
  },

  /** The published stories that tell this message, newest first. */
  storiesOfMessage(db: Db, messageId: number) {
    return db
      .selectFrom('story_messages as sm')
      .innerJoin('stories as s', 's.id', 'sm.story_id')
      .select(['s.id', 's.title', 's.video_seconds', 's.published_at'])
      .where('sm.message_id', '=', messageId)
      .where('s.published_at', 'is not', null)
      .where('s.video_key', 'is not', null)
      .orderBy('s.published_at', 'desc')
      .execute();
  },

  /** Published stories for the sitemap. */
  sitemap(db: Db) {
    return db
      .selectFrom('stories')
      .select(['id', 'updated_at'])
      .where('published_at', 'is not', null)
      .where('video_key', 'is not', null)
      .orderBy('id')
      .execute();
  },
};

/** The conversion queue: one row per uploaded video; a worker claims a row with a conditional update. */
export const storyJobsRepository = {
  async insert(db: Db, row: Insertable<StoryVideoJobsTable>): Promise<number> {
    const { id } = await db.insertInto('story_video_jobs').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  findById(db: Db, id: number): Promise<StoryJobRow | undefined> {
    return db.selectFrom('story_video_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Jobs of the story that no worker has finished; they are cancelled when a new video replaces theirs. */
  async cancelOpen(db: Db, storyId: number, at: string): Promise<StoryJobRow[]> {
    const open = await db
      .selectFrom('story_video_jobs')
      .selectAll()
      .where('story_id', '=', storyId)
      .where('status', 'in', ['queued', 'running'])
      .execute();
    if (open.length === 0) return [];
    await db
      .updateTable('story_video_jobs')
      .set({ status: 'cancelled', finished_at: at, lease_until: null })
      .where(
        'id',
        'in',
        open.map((j) => j.id),
      )
      .where('status', 'in', ['queued', 'running'])
      .execute();
    return open;
  },

  /**
   * Claims the oldest job that is waiting, or whose worker stopped renewing its lease: a conditional update, so of
   * several processes asking at once exactly one gets each job. Undefined when there is nothing to do.
   */
  async claim(db: Db, worker: string, now: string, leaseUntil: string): Promise<StoryJobRow | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidate = await db
        .selectFrom('story_video_jobs')
        .select(['id', 'status'])
        .where((eb) =>
          eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]),
        )
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!candidate) return undefined;
      let claim = db
        .updateTable('story_video_jobs')
        .set({
          status: 'running',
          worker,
          lease_until: leaseUntil,
          attempts: sql<number>`attempts + 1`,
          started_at: now,
        })
        .where('id', '=', candidate.id)
        .where('status', '=', candidate.status);
      if (candidate.status === 'running') claim = claim.where('lease_until', '<', now);
      const result = await claim.executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return this.findById(db, candidate.id);
    }
    return undefined;
  },

  /** Renews the worker's lease and records progress; false when the job is no longer this worker's to run. */
  async heartbeat(db: Db, id: number, worker: string, leaseUntil: string, progress?: number): Promise<boolean> {
    const result = await db
      .updateTable('story_video_jobs')
      .set({ lease_until: leaseUntil, ...(progress === undefined ? {} : { progress }) })
      .where('id', '=', id)
      .where('worker', '=', worker)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Ends the worker's run of the job: done, failed (with why), or back in the queue (the worker is stopping). */
  async finish(
    db: Db,
    id: number,
    worker: string,
    outcome: { status: 'done' | 'failed' | 'queued'; error?: string; at: string },
  ): Promise<boolean> {
    const result = await db
      .updateTable('story_video_jobs')
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        lease_until: null,
        ...(outcome.status === 'queued' ? { worker: null } : { finished_at: outcome.at }),
        ...(outcome.status === 'done' ? { progress: 1 } : {}),
      })
      .where('id', '=', id)
      .where('worker', '=', worker)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};
