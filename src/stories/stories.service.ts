// The rules of the video column: what a story needs, who sees it when, and every editorial change written to the
// admin log in the same transaction as the change.
import { adminLogRepository, type AdminLogAction } from '../accounts/admin-log.repository.ts';
import type { Db } from '../db/kysely.ts';
import { idFromText } from '../db/ids.ts';
import { regionsRepository } from '../regions/regions.repository.ts';
import { AppError } from '../web/app-error.ts';
import { type StoryRow, storiesRepository, storyJobsRepository } from './stories.repository.ts';
import type { Translate } from '../i18n/i18n.ts';

export const VIDEO_STATES = ['none', 'uploaded', 'converting', 'ready', 'failed'] as const;
export type VideoState = (typeof VIDEO_STATES)[number];

export const TITLE_MIN = 2;
export const TITLE_MAX = 100;
export const SUMMARY_MIN = 10;
export const SUMMARY_MAX = 1000;
export const TRANSCRIPT_MAX = 50_000;
export const MESSAGES_MAX = 20;

/** Who makes the change, for the admin log. */
export interface Editor {
  id: number;
  ip?: string | null;
  /** The editor's language, for the words inside errors (the default language without one). */
  t?: Translate;
}

export interface StoryMessage {
  id: number;
  title: string;
  /** Published and not private: linked on public pages. A message withdrawn later is simply left out there. */
  isPublic: boolean;
}

export interface Story {
  id: number;
  title: string;
  summary: string;
  region: { code: string; name: string };
  transcript: string;
  video: {
    state: VideoState;
    /** 0–1 while converting. */
    progress: number;
    /** Why the last conversion failed, for the editor. */
    error: string | null;
    /** The uploaded file's own name. */
    name: string | null;
    seconds: number | null;
    width: number | null;
    height: number | null;
    bytes: number | null;
    key: string | null;
    posterKey: string | null;
  };
  captions: { key: string; name: string | null } | null;
  messages: StoryMessage[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** Published with a converted video: what the public may see. */
  isPublic: boolean;
}

function toStory(row: StoryRow, messages: StoryMessage[]): Story {
  const state = (VIDEO_STATES as readonly string[]).includes(row.video_state)
    ? (row.video_state as VideoState)
    : 'none';
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    region: { code: row.region_code, name: row.region_name },
    transcript: row.transcript,
    video: {
      state,
      progress: state === 'ready' ? 1 : state === 'converting' ? Number(row.job_progress ?? 0) : 0,
      error: row.video_error,
      name: row.video_name,
      seconds: row.video_seconds === null ? null : Number(row.video_seconds),
      width: row.video_width,
      height: row.video_height,
      bytes: row.video_bytes === null ? null : Number(row.video_bytes),
      key: row.video_key,
      posterKey: row.poster_key,
    },
    captions: row.captions_key ? { key: row.captions_key, name: row.captions_name } : null,
    messages,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    isPublic: row.published_at !== null && row.video_key !== null,
  };
}

async function withMessages(db: Db, rows: StoryRow[]): Promise<Story[]> {
  const messages = await storiesRepository.messagesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) =>
    toStory(
      row,
      messages.filter((m) => m.storyId === row.id).map(({ id, title, isPublic }) => ({ id, title, isPublic })),
    ),
  );
}

const chars = (value: unknown): string =>
  typeof value === 'string' ? value.replace(/\r\n?/g, '\n').replace(/\u0000/g, '') : '';
const length = (text: string) => [...text].length;

/** What an editor sends for a story: the form's fields as text, or the API's body. */
export interface StoryInput {
  title?: unknown;
  summary?: unknown;
  regionCode?: unknown;
  /** Message ids: an array, or text with the ids separated by commas or spaces. */
  messageIds?: unknown;
  transcript?: unknown;
}

export interface StoryFields {
  title: string;
  summary: string;
  regionCode: string;
  messageIds: number[];
  transcript: string;
}

/** The ids as typed: `12, 34 56`, or an array of numbers; null for anything that is not a list of ids. */
function parseIds(value: unknown): { ids: number[]; bad: string | null } {
  const items = Array.isArray(value)
    ? value.map((v) => (typeof v === 'number' ? String(v) : chars(v)))
    : chars(value)
        .split(/[\s,，、;；]+/)
        .filter(Boolean);
  const ids: number[] = [];
  for (const item of items) {
    const id = idFromText(item.replace(/^#/, ''));
    if (id === null) return { ids, bad: item.slice(0, 20) };
    if (!ids.includes(id)) ids.push(id);
  }
  return { ids, bad: null };
}

/**
 * Checks a story's fields; with `partial`, only those given (the API's PATCH). Every field at fault is named at once
 * (FORM_INVALID), each with its own message.
 */
export async function validateStory(db: Db, input: StoryInput, partial = false): Promise<Partial<StoryFields>> {
  const problems: AppError[] = [];
  const out: Partial<StoryFields> = {};
  const given = (value: unknown) => !partial || value !== undefined;
  if (given(input.title)) {
    const title = chars(input.title).replace(/\s+/g, ' ').trim();
    if (length(title) < TITLE_MIN || length(title) > TITLE_MAX)
      problems.push(new AppError('STORY_TITLE_LENGTH', { min: TITLE_MIN, max: TITLE_MAX }, 'title'));
    out.title = title;
  }
  if (given(input.summary)) {
    const summary = chars(input.summary).trim();
    if (length(summary) < SUMMARY_MIN || length(summary) > SUMMARY_MAX)
      problems.push(
        new AppError(
          'STORY_SUMMARY_LENGTH',
          { min: SUMMARY_MIN, max: SUMMARY_MAX, length: length(summary) },
          'summary',
        ),
      );
    out.summary = summary;
  }
  if (given(input.regionCode)) {
    const code = chars(input.regionCode).trim();
    const region = /^[0-9]{6}$/.test(code) ? await regionsRepository.findByCode(db, code) : undefined;
    if (!region) problems.push(new AppError('STORY_REGION_INVALID', { code: code.slice(0, 20) }, 'regionCode'));
    out.regionCode = code;
  }
  if (given(input.messageIds)) {
    const { ids, bad } = parseIds(input.messageIds);
    if (bad !== null) problems.push(new AppError('STORY_MESSAGE_ID_INVALID', { id: bad }, 'messageIds'));
    else if (ids.length === 0) problems.push(new AppError('STORY_MESSAGES_REQUIRED', {}, 'messageIds'));
    else if (ids.length > MESSAGES_MAX)
      problems.push(new AppError('STORY_MESSAGES_TOO_MANY', { max: MESSAGES_MAX }, 'messageIds'));
    else {
      const open = await storiesRepository.publicMessageIds(db, ids);
      const closed = ids.filter((id) => !open.has(id));
      if (closed.length > 0)
        problems.push(new AppError('STORY_MESSAGES_NOT_PUBLIC', { ids: closed.join('、') }, 'messageIds'));
    }
    out.messageIds = ids;
  }
  if (given(input.transcript)) {
    const transcript = chars(input.transcript).trim();
    if (length(transcript) > TRANSCRIPT_MAX)
      problems.push(new AppError('STORY_TRANSCRIPT_TOO_LONG', { max: TRANSCRIPT_MAX }, 'transcript'));
    out.transcript = transcript;
  }
  if (problems.length > 0) {
    const summary = [...new Set(problems.map((p) => p.field))].join('、');
    throw new AppError('FORM_INVALID', { summary }, undefined, problems);
  }
  return out;
}

async function log(db: Db, editor: Editor, action: AdminLogAction, story: { id: number; title: string }, more = {}) {
  await adminLogRepository.append(db, {
    actorId: editor.id,
    action,
    targetUserId: null,
    detail: { storyId: story.id, title: story.title, ...more },
    ip: editor.ip ?? null,
  });
}

async function load(db: Db, id: number): Promise<StoryRow> {
  const row = await storiesRepository.findById(db, id);
  if (!row) throw new AppError('STORY_NOT_FOUND', { id });
  return row;
}

/** Files a change left unused: the caller removes them from the store once the change is committed. */
export interface Leftovers {
  keys: string[];
}

export const storiesService = {
  /** The story as its editors see it, whatever its state. */
  async get(db: Db, id: number): Promise<Story> {
    const [story] = await withMessages(db, [await load(db, id)]);
    return story!;
  },

  /** The story as the public sees it: published with its video, or STORY_NOT_FOUND. */
  async getPublic(db: Db, id: number): Promise<Story> {
    const story = await this.get(db, id).catch(() => null);
    if (!story || !story.isPublic) throw new AppError('STORY_NOT_FOUND', { id });
    return story;
  },

  async listPublished(db: Db, page: { offset: number; limit: number }): Promise<{ stories: Story[]; total: number }> {
    const [rows, total] = await Promise.all([
      storiesRepository.listPublished(db, page),
      storiesRepository.countPublished(db),
    ]);
    return { stories: await withMessages(db, rows), total };
  },

  async listAll(db: Db, page: { offset: number; limit: number }): Promise<{ stories: Story[]; total: number }> {
    const [rows, total] = await Promise.all([storiesRepository.listAll(db, page), storiesRepository.countAll(db)]);
    return { stories: await withMessages(db, rows), total };
  },

  /** The published stories that tell this message, for its page. */
  async ofMessage(db: Db, messageId: number): Promise<{ id: number; title: string; seconds: number | null }[]> {
    const rows = await storiesRepository.storiesOfMessage(db, messageId);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      seconds: r.video_seconds === null ? null : Number(r.video_seconds),
    }));
  },

  async create(db: Db, editor: Editor, input: StoryInput): Promise<number> {
    const fields = (await validateStory(db, input)) as StoryFields;
    return db.transaction().execute(async (trx) => {
      const id = await storiesRepository.insert(trx, {
        title: fields.title,
        summary: fields.summary,
        region_code: fields.regionCode,
        transcript: fields.transcript,
        created_by: editor.id,
        updated_by: editor.id,
      });
      await storiesRepository.setMessages(trx, id, fields.messageIds);
      await log(trx, editor, 'story.create', { id, title: fields.title }, { messageIds: fields.messageIds });
      return id;
    });
  },

  /** Changes the text, region, messages or transcript; a published story keeps the captions or transcript it needs. */
  async update(db: Db, editor: Editor, id: number, input: StoryInput, partial = false): Promise<void> {
    const fields = await validateStory(db, input, partial);
    await db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      if (row.published_at !== null && fields.transcript === '' && !row.captions_key)
        throw new AppError('STORY_TEXT_REQUIRED', {}, 'transcript');
      await storiesRepository.update(trx, id, {
        ...(fields.title === undefined ? {} : { title: fields.title }),
        ...(fields.summary === undefined ? {} : { summary: fields.summary }),
        ...(fields.regionCode === undefined ? {} : { region_code: fields.regionCode }),
        ...(fields.transcript === undefined ? {} : { transcript: fields.transcript }),
        updated_by: editor.id,
        updated_at: new Date().toISOString(),
      });
      if (fields.messageIds) await storiesRepository.setMessages(trx, id, fields.messageIds);
      await log(
        trx,
        editor,
        'story.update',
        { id, title: fields.title ?? row.title },
        { fields: Object.keys(fields).sort() },
      );
    });
  },

  /** Refuses a new video for a published story before its upload is read. */
  async checkVideoReplaceable(db: Db, id: number): Promise<void> {
    const row = await load(db, id);
    if (row.published_at !== null) throw new AppError('STORY_PUBLISHED_LOCKED', {}, 'video');
  },

  /**
   * Takes a probed upload (already in the store under `sourceKey`) as the story's video: queues its conversion,
   * cancels any conversion of an earlier upload and leaves the earlier video's files to be removed.
   */
  async acceptVideo(
    db: Db,
    editor: Editor,
    id: number,
    upload: { sourceKey: string; seconds: number; name: string; width: number; height: number },
  ): Promise<{ jobId: number; leftovers: Leftovers }> {
    return db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      if (row.published_at !== null) throw new AppError('STORY_PUBLISHED_LOCKED', {}, 'video');
      const now = new Date().toISOString();
      const cancelled = await storyJobsRepository.cancelOpen(trx, id, now);
      const jobId = await storyJobsRepository.insert(trx, {
        story_id: id,
        source_key: upload.sourceKey,
        source_seconds: upload.seconds,
        status: 'queued',
      });
      await storiesRepository.update(trx, id, {
        video_state: 'uploaded',
        video_job_id: jobId,
        video_error: null,
        video_name: upload.name.slice(0, 200),
        video_key: null,
        poster_key: null,
        video_bytes: null,
        video_seconds: upload.seconds,
        video_width: null,
        video_height: null,
        updated_by: editor.id,
        updated_at: now,
      });
      await log(trx, editor, 'story.video', row, {
        name: upload.name.slice(0, 200),
        seconds: Math.round(upload.seconds * 10) / 10,
        width: upload.width,
        height: upload.height,
      });
      // A running conversion notices its job was cancelled and removes its own output.
      const leftovers = [
        row.video_key,
        row.poster_key,
        ...cancelled.filter((j) => j.status === 'queued').map((j) => j.source_key),
      ];
      return { jobId, leftovers: { keys: leftovers.filter((k): k is string => Boolean(k)) } };
    });
  },

  /** Sets (or with null, removes) the story's captions; a published story without a transcript keeps its captions. */
  async setCaptions(
    db: Db,
    editor: Editor,
    id: number,
    captions: { key: string; name: string; cues: number } | null,
  ): Promise<Leftovers> {
    return db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      if (!captions && row.published_at !== null && row.transcript.trim() === '')
        throw new AppError('STORY_TEXT_REQUIRED', {}, 'captions');
      await storiesRepository.update(trx, id, {
        captions_key: captions?.key ?? null,
        captions_name: captions ? captions.name.slice(0, 200) : null,
        updated_by: editor.id,
        updated_at: new Date().toISOString(),
      });
      await log(
        trx,
        editor,
        'story.captions',
        row,
        captions ? { action: 'set', name: captions.name.slice(0, 200), cues: captions.cues } : { action: 'remove' },
      );
      return { keys: row.captions_key ? [row.captions_key] : [] };
    });
  },

  /** Publishes: the video converted, and captions or a transcript for those who cannot hear it. */
  async publish(db: Db, editor: Editor, id: number, now = new Date()): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      if (row.published_at !== null) throw new AppError('STORY_ALREADY_PUBLISHED');
      if (row.video_state !== 'ready' || !row.video_key)
        throw new AppError('STORY_VIDEO_NOT_READY', { state: row.video_state });
      if (!row.captions_key && row.transcript.trim() === '') throw new AppError('STORY_TEXT_REQUIRED');
      const messages = await storiesRepository.messagesOf(trx, [id]);
      if (!messages.some((m) => m.isPublic)) throw new AppError('STORY_MESSAGES_REQUIRED', {}, 'messageIds');
      await storiesRepository.update(trx, id, {
        published_at: now.toISOString(),
        published_by: editor.id,
        updated_by: editor.id,
        updated_at: now.toISOString(),
      });
      await log(trx, editor, 'story.publish', row);
    });
  },

  async unpublish(db: Db, editor: Editor, id: number): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await load(trx, id);
      if (row.published_at === null) throw new AppError('STORY_NOT_PUBLISHED');
      await storiesRepository.update(trx, id, {
        published_at: null,
        published_by: null,
        updated_by: editor.id,
        updated_at: new Date().toISOString(),
      });
      await log(trx, editor, 'story.unpublish', row);
    });
  },
};
