// The embedded object store: one file per key under a folder (by default DATA_DIR/attachments).
//
// A key's `/` become folders. Writes go to a temporary file in the target folder, are synced and renamed into
// place, so a reader never sees half a file; temporary names start with a dot, which no key does. The content type
// is not stored: it follows from the key's extension.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import {
  assertObjectKey,
  contentTypeOf,
  type ObjectInfo,
  type ObjectRead,
  type ObjectStore,
  type PutOptions,
  type RangeRequest,
  resolveRange,
  StorageUnavailableError,
} from './object-store.ts';

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/** Errors that mean the folder cannot be used now (full, read-only, not ours), rather than a fault in the code. */
const UNAVAILABLE_CODES = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EDQUOT', 'ENOTDIR']);

export class DiskObjectStore implements ObjectStore {
  readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = this.root;
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
    const file = this.file(key);
    const folder = dirname(file);
    const temp = join(folder, `.${key.split('/').pop()}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      await mkdir(folder, { recursive: true });
      const handle = await open(temp, 'wx', 0o644);
      let written = 0;
      try {
        const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(body) ? [body] : body;
        // Written chunk by chunk, each awaited: the stream is read no faster than the disk takes it.
        for await (const chunk of chunks) {
          await handle.write(chunk);
          written += chunk.length;
        }
        const expected = Buffer.isBuffer(body) ? body.length : options.size;
        if (expected !== undefined && written !== expected) {
          throw new Error(`Object ${key}: ${written} bytes arrived, ${expected} were announced`);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw this.failure(error);
    }
  }

  async get(key: string, range?: RangeRequest): Promise<ObjectRead | null> {
    const file = this.file(key);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'EISDIR') return null;
      throw this.failure(error);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        return null;
      }
      const size = info.size;
      const contentType = contentTypeOf(key);
      if (!range) return { status: 200, body: handle.createReadStream(), size, contentType };
      const bytes = resolveRange(range, size);
      if (!bytes) {
        await handle.close();
        return { status: 416, size, contentType };
      }
      const body = handle.createReadStream({ start: bytes.start, end: bytes.end });
      return { status: 206, body, size, contentType, range: bytes };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw this.failure(error);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const info = await stat(this.file(key));
      return info.isFile() ? { size: info.size, contentType: contentTypeOf(key) } : null;
    } catch (error) {
      if (code(error) === 'ENOENT') return null;
      throw this.failure(error);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.file(key));
    } catch (error) {
      if (code(error) !== 'ENOENT') throw this.failure(error);
    }
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new StorageUnavailableError(this.location, error);
    }
  }

  async close(): Promise<void> {}

  private file(key: string): string {
    assertObjectKey(key);
    const file = join(this.root, ...key.split('/'));
    // The key pattern already forbids `..`; this is the second lock on the same door.
    if (!file.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep))
      throw new Error(`Object key escapes the store: ${key}`);
    return file;
  }

  private failure(error: unknown): unknown {
    return UNAVAILABLE_CODES.has(code(error) ?? '') ? new StorageUnavailableError(this.location, error) : error;
  }
}
