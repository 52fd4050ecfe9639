// Content-addressed storage of cleaned images on disk.
//
// A file is named after the SHA-256 of its bytes, `<sha256>.<ext>`, inside two levels of fan-out folders
// (`ab/cd/abcd….jpg`) so that no folder grows huge. Writes go to a temporary file in the target folder and
// are renamed into place, so a reader never sees half a file; saving the same content twice is a no-op.
// Keys are validated against a strict pattern before any path is built, so no key can leave the root.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CleanImage, DISPLAY_WIDTHS, type DisplayWidth, displayCopy, IMAGE_EXTENSIONS } from './images.ts';

const KEY_PATTERN = /^([0-9a-f]{2})([0-9a-f]{2})[0-9a-f]{60}(?:-(?:360|1280))?\.(jpg|png|webp)$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Whether a string is a well-formed attachment key (`<64 lowercase hex>[-<display width>].<jpg|png|webp>`). */
export function isAttachmentKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}

export class AttachmentKeyError extends Error {
  constructor(key: unknown) {
    super(`Invalid attachment key: ${JSON.stringify(String(key).slice(0, 80))}`);
    this.name = 'AttachmentKeyError';
  }
}

const isNotFound = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

export class AttachmentStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Stores the image under its content address; returns the key to keep with the message. */
  async save(image: CleanImage): Promise<{ key: string }> {
    const ext = IMAGE_EXTENSIONS[image.type];
    if (!ext || !SHA256_PATTERN.test(image.sha256)) throw new AttachmentKeyError(`${image.sha256}.${ext}`);
    if (createHash('sha256').update(image.data).digest('hex') !== image.sha256) {
      throw new Error('Attachment content does not match its sha256');
    }
    const key = `${image.sha256}.${ext}`;
    await this.write(key, image.data);
    return { key };
  }

  /** The key of an image's display copy at this width (stored beside it, named after it). */
  displayKey(key: string, width: DisplayWidth): string {
    this.locate(key);
    return key.replace(/(?:-\d+)?\.(jpg|png|webp)$/, `-${width}.webp`);
  }

  /** Stores the display copies of a stored image; a copy already there is kept. */
  async saveDisplayCopies(key: string, data: Buffer): Promise<void> {
    for (const width of DISPLAY_WIDTHS) {
      const copyKey = this.displayKey(key, width);
      if (await exists(this.locate(copyKey).file)) continue;
      await this.write(copyKey, (await displayCopy(data, width)).data);
    }
  }

  /** The display copy at this width, made now from the original if it was stored before copies were kept. */
  async readDisplayCopy(key: string, width: DisplayWidth): Promise<Buffer | null> {
    const copyKey = this.displayKey(key, width);
    const stored = await this.read(copyKey);
    if (stored) return stored;
    const original = await this.read(key);
    if (!original) return null;
    const copy = (await displayCopy(original, width)).data;
    await this.write(copyKey, copy);
    return copy;
  }

  /** Writes a file atomically: a temporary file in the target folder, synced, then renamed into place. */
  private async write(key: string, data: Buffer): Promise<void> {
    const { folder, file } = this.locate(key);
    if (await exists(file)) return;
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.${key}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Same content, same name: if another save won the race, replacing its file changes nothing.
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  /** The stored bytes, or null when nothing is stored under this key. */
  async read(key: string): Promise<Buffer | null> {
    const { file } = this.locate(key);
    try {
      return await readFile(file);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Removes the file; deleting a key that is not stored is not an error. */
  async delete(key: string): Promise<void> {
    const { file } = this.locate(key);
    try {
      await unlink(file);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private locate(key: string): { folder: string; file: string } {
    const match = typeof key === 'string' ? KEY_PATTERN.exec(key) : null;
    if (!match) throw new AttachmentKeyError(key);
    const folder = join(this.root, match[1]!, match[2]!);
    return { folder, file: join(folder, key) };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
