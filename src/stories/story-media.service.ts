// An editor's video or captions upload, from the temporary file to the story: checked (FFprobe for a video, the
// WebVTT rules for captions), stored, and for a video queued for conversion. The web form and the API share it.
import { readFile } from 'node:fs/promises';
import type { ObjectStore } from '../attachments/object-store.ts';
import type { StoriesConfig } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import { FfmpegMissingError, type FfmpegPrograms, probeVideo, SYSTEM_FFMPEG } from './ffmpeg.ts';
import { type Editor, storiesService } from './stories.service.ts';
import { clock } from './story-format.ts';
import { deleteKeys, newStoryKey, putFile, STORY_CONTENT_TYPES } from './story-files.ts';
import type { UploadedFile } from './story-upload.ts';
import { checkWebVtt } from './webvtt.ts';
import { DEFAULT_LOCALE, translator } from '../i18n/i18n.ts';

const zh = translator(DEFAULT_LOCALE);

export interface MediaContext {
  db: Db;
  objects: ObjectStore;
  limits: StoriesConfig;
  programs?: FfmpegPrograms;
  /** A queued conversion: wake the worker. */
  queued: () => void;
  warn: (err: unknown, key: string) => void;
}

/** Probes the uploaded file and, if it is a video within the limits, makes it the story's video to convert. */
export async function receiveVideo(
  ctx: MediaContext,
  editor: Editor,
  storyId: number,
  file: UploadedFile | null,
): Promise<{ jobId: number }> {
  const maxMb = Math.round(ctx.limits.videoMaxBytes / 1024 / 1024);
  if (!file) throw new AppError('STORY_VIDEO_MISSING', {}, 'video');
  if (file.truncated) throw new AppError('STORY_VIDEO_TOO_LARGE', { max: maxMb }, 'video');
  let probed;
  try {
    probed = await probeVideo(file.path, ctx.programs ?? SYSTEM_FFMPEG);
  } catch (err) {
    if (err instanceof FfmpegMissingError) throw new AppError('FFMPEG_MISSING');
    throw err;
  }
  if (!probed.ok) {
    const { problem } = probed;
    if (problem.kind === 'no-picture') throw new AppError('STORY_VIDEO_NO_PICTURE', {}, 'video');
    if (problem.kind === 'no-duration') throw new AppError('STORY_VIDEO_NO_DURATION', {}, 'video');
    throw new AppError('STORY_VIDEO_UNREADABLE', { name: file.name || (editor.t ?? zh)('stories.unnamed') }, 'video');
  }
  const { video } = probed;
  if (video.seconds > ctx.limits.videoMaxSeconds) {
    throw new AppError(
      'STORY_VIDEO_TOO_LONG',
      { length: clock(video.seconds), max: clock(ctx.limits.videoMaxSeconds) },
      'video',
    );
  }
  // Refused before the copy into the store, which can take a while for a large file.
  await storiesService.checkVideoReplaceable(ctx.db, storyId);
  const sourceKey = newStoryKey(storyId, 'source');
  await putFile(ctx.objects, sourceKey, file.path, STORY_CONTENT_TYPES.source);
  let accepted;
  try {
    accepted = await storiesService.acceptVideo(ctx.db, editor, storyId, {
      sourceKey,
      seconds: video.seconds,
      name: file.name,
      width: video.width,
      height: video.height,
    });
  } catch (err) {
    await deleteKeys(ctx.objects, [sourceKey], ctx.warn);
    throw err;
  }
  await deleteKeys(ctx.objects, accepted.leftovers.keys, ctx.warn);
  ctx.queued();
  return { jobId: accepted.jobId };
}

/** Checks the captions file as WebVTT and makes it the story's captions. */
export async function receiveCaptions(
  ctx: MediaContext,
  editor: Editor,
  storyId: number,
  file: UploadedFile | null,
): Promise<{ cues: number }> {
  if (!file) throw new AppError('STORY_CAPTIONS_MISSING', {}, 'captions');
  const t = editor.t ?? zh;
  if (file.truncated) throw new AppError('STORY_CAPTIONS_INVALID', { reason: t('stories.vtt.tooLarge') }, 'captions');
  const checked = checkWebVtt(await readFile(file.path), t);
  if (!checked.ok) throw new AppError('STORY_CAPTIONS_INVALID', { reason: checked.reason }, 'captions');
  const key = newStoryKey(storyId, 'captions');
  const data = Buffer.from(checked.text, 'utf8');
  await ctx.objects.put(key, data, { contentType: STORY_CONTENT_TYPES.captions, size: data.length });
  let leftovers;
  try {
    leftovers = await storiesService.setCaptions(ctx.db, editor, storyId, {
      key,
      name: file.name,
      cues: checked.cues,
    });
  } catch (err) {
    await deleteKeys(ctx.objects, [key], ctx.warn);
    throw err;
  }
  await deleteKeys(ctx.objects, leftovers.keys, ctx.warn);
  return { cues: checked.cues };
}

export async function removeCaptions(ctx: MediaContext, editor: Editor, storyId: number): Promise<void> {
  const leftovers = await storiesService.setCaptions(ctx.db, editor, storyId, null);
  await deleteKeys(ctx.objects, leftovers.keys, ctx.warn);
}
