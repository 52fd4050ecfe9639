// Reads an editor's upload (a video or a captions file, with the form's fields) straight to a temporary file:
// streamed, never held whole in memory, cut off at the size limit.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../web/app-error.ts';

export interface UploadedFile {
  /** The temporary file; the caller removes it (`discardUpload`). */
  path: string;
  /** The name the sender's computer gave it. */
  name: string;
  bytes: number;
  /** Cut off at the size limit: the file is incomplete. */
  truncated: boolean;
}

export interface UploadOptions {
  /** The form field that carries the file. */
  field: string;
  maxBytes: number;
  tmpDir: string;
  /**
   * Runs when the file begins, with the fields sent before it (the web form puts its CSRF token first), so that a
   * refused request is refused before its file is written anywhere.
   */
  beforeFile?: (fields: Record<string, string>) => Promise<void>;
}

const FIELD_MAX = 60_000;

/** The fields and the file (null when none was chosen) of a multipart upload. */
export async function readUpload(
  request: FastifyRequest,
  options: UploadOptions,
): Promise<{ fields: Record<string, string>; file: UploadedFile | null }> {
  if (!request.isMultipart()) throw new AppError('MULTIPART_REQUIRED');
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  let checked = false;
  const check = async () => {
    if (checked) return;
    checked = true;
    await options.beforeFile?.(fields);
  };
  try {
    for await (const part of request.parts({
      limits: { fileSize: options.maxBytes, files: 1, fields: 20, fieldSize: FIELD_MAX },
      // An oversize file is reported as such (truncated), not as a failed request.
      ...({ throwFileSizeLimit: false } as object),
    })) {
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value : '';
        if (part.fieldname.includes('\u0000') || value.includes('\u0000')) {
          throw new AppError('VALIDATION', { detail: request.t('validation.nul', { field: 'form' }) });
        }
        fields[part.fieldname] = value;
        continue;
      }
      await check();
      if (part.fieldname !== options.field || file) {
        part.file.resume();
        continue;
      }
      await mkdir(options.tmpDir, { recursive: true });
      const path = join(options.tmpDir, `${randomBytes(12).toString('hex')}.upload`);
      const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      file = { path, name: (part.filename || '').slice(0, 200), bytes: 0, truncated: false };
      await pipeline(part.file, stream);
      file.truncated = part.file.truncated;
      file.bytes = (await stat(path)).size;
    }
    await check();
  } catch (err) {
    if (file) await discardUpload(file);
    if (err instanceof AppError) throw err;
    // The parser's own refusals keep their status; a cut-off or garbled body is a 400.
    if (typeof (err as { statusCode?: unknown }).statusCode === 'number') throw err;
    throw new AppError('MULTIPART_INVALID');
  }
  // A form whose file input was left empty sends an empty part with no name.
  if (file && file.bytes === 0 && !file.truncated) {
    await discardUpload(file);
    return { fields, file: null };
  }
  return { fields, file };
}

export async function discardUpload(file: UploadedFile | null): Promise<void> {
  if (file) await unlink(file.path).catch(() => undefined);
}
