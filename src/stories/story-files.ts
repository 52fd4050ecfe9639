// A story's files (the upload, the web video, its poster, its captions) in the attachment object store, disk or S3:
// their keys, and moving local files in and out of the store as streams.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../attachments/object-store.ts';

export type StoryFileKind = 'source' | 'video' | 'poster' | 'captions';

const SUFFIX: Record<StoryFileKind, string> = { source: '-source', video: '.mp4', poster: '.jpg', captions: '.vtt' };
export const STORY_CONTENT_TYPES: Record<StoryFileKind, string> = {
  source: 'application/octet-stream',
  video: 'video/mp4',
  poster: 'image/jpeg',
  captions: 'text/vtt; charset=utf-8',
};

/**
 * A new key for a file of the story: `stories/<id>/<random>.<ext>`. Each version of a file gets its own key, so a
 * key always names the same bytes (a strong ETag) and a replaced file never reaches a reader half-written.
 */
export function newStoryKey(storyId: number, kind: StoryFileKind): string {
  return `stories/${storyId}/${randomBytes(12).toString('hex')}${SUFFIX[kind]}`;
}

/** The part of a key that names its version, for the ETag. */
export function keyVersion(key: string): string {
  return /\/([0-9a-f]{24})[^/]*$/.exec(key)?.[1] ?? key.replace(/[^A-Za-z0-9]/g, '');
}

/** Stores a local file under the key, streamed. */
export async function putFile(store: ObjectStore, key: string, file: string, contentType: string): Promise<number> {
  const { size } = await stat(file);
  await store.put(key, createReadStream(file), { contentType, size });
  return size;
}

/** Copies a stored object into a local file, streamed; false when nothing is stored under the key. */
export async function fetchToFile(store: ObjectStore, key: string, file: string): Promise<boolean> {
  const read = await store.get(key);
  if (!read || read.status === 416) return false;
  await pipeline(read.body, createWriteStream(file, { flags: 'w', mode: 0o600 }));
  return true;
}

/** Removes files no longer used; a failure is logged and left for a later clean-up, never raised. */
export async function deleteKeys(
  store: ObjectStore,
  keys: readonly (string | null | undefined)[],
  warn: (err: unknown, key: string) => void,
): Promise<void> {
  for (const key of keys) {
    if (!key) continue;
    await store.delete(key).catch((err: unknown) => warn(err, key));
  }
}
