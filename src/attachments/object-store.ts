// Where attachment files live: one interface, with a disk store (the embedded default) and an S3-compatible one.
//
// An object is a stream of bytes under a key such as `ab/cd/<sha256>.jpg` or `videos/<id>.mp4`: segments of
// letters, digits, `.`, `_` and `-`, never starting with a dot, joined by `/`. Keys are checked before any path or
// request is built, so no key can leave the store's folder or prefix. Bodies travel as streams both ways; nothing
// here holds a whole file in memory (the S3 store holds one upload part at most).
import type { Readable } from 'node:stream';
import { AppError } from '../web/app-error.ts';

export interface ObjectInfo {
  /** Bytes. */
  size: number;
  contentType: string;
}

/** A first-to-last byte range (`bytes=0-99`, `bytes=100-`) or the last `suffix` bytes (`bytes=-100`). */
export type RangeRequest = { start: number; end?: number } | { suffix: number };

/** Inclusive byte positions, as in Content-Range. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The outcome of a read, shaped after the HTTP answer it becomes. */
export type ObjectRead =
  | { status: 200; body: Readable; size: number; contentType: string }
  | { status: 206; body: Readable; size: number; contentType: string; range: ByteRange }
  /** The range starts past the end: nothing to send (416 with `Content-Range: bytes *\/size`). */
  | { status: 416; size: number; contentType: string };

export interface PutOptions {
  contentType: string;
  /**
   * The body's length in bytes when known (always for a Buffer). The S3 store sends a stream of known length in one
   * request and one of unknown length in parts; a stream that ends short of or past its stated size is refused.
   */
  size?: number;
}

export interface ObjectStore {
  /** A folder or `s3://bucket/prefix`, for logs and messages; never contains credentials. */
  readonly location: string;
  /** Stores the body under the key, replacing what was there; the object appears whole or not at all. */
  put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void>;
  /** The object or a range of it, or null when nothing is stored under the key. */
  get(key: string, range?: RangeRequest): Promise<ObjectRead | null>;
  /** Size and type, or null when nothing is stored under the key. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Removes the object; removing a key that is not stored is not an error. */
  delete(key: string): Promise<void>;
  /** Resolves when the store can be read and written (a readiness check), throws StorageUnavailableError if not. */
  check(): Promise<void>;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

const SEGMENT = '[A-Za-z0-9_-][A-Za-z0-9._-]*';
const OBJECT_KEY_PATTERN = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);
const OBJECT_KEY_MAX = 512;

export class ObjectKeyError extends Error {
  constructor(key: unknown) {
    super(`Invalid object key: ${JSON.stringify(String(key).slice(0, 80))}`);
    this.name = 'ObjectKeyError';
  }
}

/** Throws ObjectKeyError unless the key is one the stores accept. */
export function assertObjectKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length > OBJECT_KEY_MAX || !OBJECT_KEY_PATTERN.test(key)) {
    throw new ObjectKeyError(key);
  }
}

/**
 * The store cannot be reached or refused to work (S3 endpoint down, bucket missing, credentials refused, disk full or
 * read-only): 503 for the visitor, the cause in the log.
 */
export class StorageUnavailableError extends AppError {
  constructor(
    readonly location: string,
    cause: unknown,
  ) {
    super('STORAGE_UNAVAILABLE');
    this.cause = cause;
  }
}

/** Where a requested range falls in an object of this size: the bytes to send, or null when it cannot be met. */
export function resolveRange(range: RangeRequest, size: number): ByteRange | null {
  if ('suffix' in range) {
    if (range.suffix <= 0 || size === 0) return null;
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  if (range.start >= size) return null;
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** The single range of a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`); null for anything else (sent whole). */
export function parseRangeHeader(header: string | undefined): RangeRequest | null {
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') return { suffix: Number(last) };
  const start = Number(first);
  if (last === '') return { start };
  const end = Number(last);
  return end < start ? null : { start, end };
}

/** The content type a key's extension names, for stores that keep no type of their own. */
export function contentTypeOf(key: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  vtt: 'text/vtt',
  json: 'application/json',
});

/** Reads a whole object into memory: only for objects known to be small (photos are at most 5 MB). */
export async function readAll(store: ObjectStore, key: string, maxBytes: number): Promise<Buffer | null> {
  const read = await store.get(key);
  if (!read || read.status === 416) return null;
  if (read.size > maxBytes) {
    read.body.destroy();
    throw new Error(`Object ${key} is ${read.size} bytes, more than the ${maxBytes} expected`);
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of read.body) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new StorageUnavailableError(store.location, error);
  }
  return Buffer.concat(chunks);
}
