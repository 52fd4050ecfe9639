// Content-addressed storage of cleaned images, on whichever object store is configured (disk or S3-compatible).
//
// An image is named after the SHA-256 of its bytes, `<sha256>.<ext>`, and stored under two levels of fan-out
// folders (`ab/cd/abcd….jpg`) so that no folder grows huge; the same layout on disk and in a bucket, so moving from
// one to the other is a plain copy. Saving the same content twice is a no-op. Keys are validated against a strict
// pattern before any object key is built, so no key can leave the store.
import { createHash } from 'node:crypto';
import { type CleanImage, DISPLAY_WIDTHS, type DisplayWidth, displayCopy, IMAGE_EXTENSIONS } from './images.ts';
import { DiskObjectStore } from './disk-store.ts';
import { type ObjectRead, type ObjectStore, type RangeRequest, readAll } from './object-store.ts';

const KEY_PATTERN = /^([0-9a-f]{2})([0-9a-f]{2})[0-9a-f]{60}(?:-(?:360|1280))?\.(jpg|png|webp)$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/** Photos are read whole only to resize them; a re-encoded 40-megapixel PNG stays far below this. */
const PHOTO_READ_LIMIT = 256 * 1024 * 1024;

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

export class AttachmentStore {
  /** Where the files are; other kinds of attachment (videos) are stored through it directly under keys of their own. */
  readonly objects: ObjectStore;

  /** A folder name means the disk store in that folder. */
  constructor(objects: ObjectStore | string) {
    this.objects = typeof objects === 'string' ? new DiskObjectStore(objects) : objects;
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
      if (await this.objects.head(this.locate(copyKey))) continue;
      await this.write(copyKey, (await displayCopy(data, width)).data);
    }
  }

  /** The display copy at this width, made now from the original if it was stored before copies were kept. */
  async readDisplayCopy(key: string, width: DisplayWidth): Promise<Buffer | null> {
    const copyKey = this.displayKey(key, width);
    const stored = await this.read(copyKey);
    if (stored) return stored;
    return this.makeDisplayCopy(key, width);
  }

  /** The stored bytes, or null when nothing is stored under this key. */
  async read(key: string): Promise<Buffer | null> {
    return readAll(this.objects, this.locate(key), PHOTO_READ_LIMIT);
  }

  /** The stored image (or a range of it) as a stream, or null when nothing is stored under this key. */
  async open(key: string, range?: RangeRequest): Promise<ObjectRead | null> {
    return this.objects.get(this.locate(key), range);
  }

  /** The display copy at this width as a stream, made first if the image was stored before copies were kept. */
  async openDisplayCopy(key: string, width: DisplayWidth, range?: RangeRequest): Promise<ObjectRead | null> {
    const copyKey = this.displayKey(key, width);
    const stored = await this.objects.get(this.locate(copyKey), range);
    if (stored) return stored;
    if (!(await this.makeDisplayCopy(key, width))) return null;
    return this.objects.get(this.locate(copyKey), range);
  }

  /**
   * Removes the image and its display copies; removing a key that is not stored is not an error. The same photo sent
   * with two messages is stored once: delete it only when no attachment names its key any more.
   */
  async delete(key: string): Promise<void> {
    const objectKey = this.locate(key);
    for (const width of DISPLAY_WIDTHS) await this.objects.delete(this.locate(this.displayKey(key, width)));
    await this.objects.delete(objectKey);
  }

  private async makeDisplayCopy(key: string, width: DisplayWidth): Promise<Buffer | null> {
    const original = await this.read(key);
    if (!original) return null;
    const copy = (await displayCopy(original, width)).data;
    await this.write(this.displayKey(key, width), copy);
    return copy;
  }

  /** Stores a file unless it is already there: the same name always means the same content. */
  private async write(key: string, data: Buffer): Promise<void> {
    const objectKey = this.locate(key);
    if (await this.objects.head(objectKey)) return;
    await this.objects.put(objectKey, data, { contentType: contentTypeOfImage(key) });
  }

  /** The object key of an attachment key: `ab/cd/<key>`. */
  private locate(key: string): string {
    const match = typeof key === 'string' ? KEY_PATTERN.exec(key) : null;
    if (!match) throw new AttachmentKeyError(key);
    return `${match[1]!}/${match[2]!}/${key}`;
  }
}

const IMAGE_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(IMAGE_EXTENSIONS).map(([type, ext]) => [ext, type])),
);

function contentTypeOfImage(key: string): string {
  return IMAGE_TYPES_BY_EXTENSION[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}
