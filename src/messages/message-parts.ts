// Reads a multipart message form (fields and photos) with the web form's limits: the API's upload and the form share it.
import type { FastifyRequest } from 'fastify';
import { IMAGE_MAX_BYTES, IMAGE_PROBLEM_MESSAGES } from '../attachments/images.ts';
import { AppError } from '../web/app-error.ts';
import { IMAGES_MAX, type MessageInput } from './submit-message.ts';

/** The fields (each at most 6,000 characters) and photos; `images` are public, `privateImages` are not. */
export async function readMessageParts(
  request: FastifyRequest,
): Promise<{ fields: Record<string, string>; input: MessageInput }> {
  if (!request.isMultipart()) throw new AppError('MULTIPART_REQUIRED');
  const fields: Record<string, string> = {};
  const images: { data: Buffer; isPublic: boolean }[] = [];
  let tooMany = false;
  let tooLarge = false;
  try {
    for await (const part of request.parts({
      limits: { fileSize: IMAGE_MAX_BYTES, files: IMAGES_MAX * 2, fields: 30 },
      // Read on past an oversize file so the form can say which one (the option is not in the typings).
      ...({ throwFileSizeLimit: false } as object),
    })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        // An image over the limit is a mistake in the form, not a failed request: say so beside the field.
        if (part.file.truncated) {
          tooLarge = true;
          continue;
        }
        if (data.length === 0) continue;
        if (images.length >= IMAGES_MAX) tooMany = true;
        else images.push({ data, isPublic: part.fieldname !== 'privateImages' });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value.slice(0, 6000);
      }
    }
  } catch (err) {
    // The parser's own refusals (limits, a `__proto__` field) keep their status; a cut-off or garbled body is a 400.
    if (typeof (err as { statusCode?: unknown }).statusCode === 'number') throw err;
    throw new AppError('MULTIPART_INVALID');
  }
  // The fields skip the global body check (they are read here, after it): no NUL may reach the database.
  for (const [name, value] of Object.entries(fields)) {
    if (name.includes('\u0000') || value.includes('\u0000')) {
      const field = name.replace(/\u0000/g, '\\0');
      throw new AppError('VALIDATION', { detail: request.t('validation.nul', { field }) }, field);
    }
  }
  const uploadProblems = [
    ...(tooMany ? [new AppError('TOO_MANY_IMAGES', { max: IMAGES_MAX }, 'images')] : []),
    ...(tooLarge
      ? [
          new AppError(
            'IMAGE_INVALID',
            { index: images.length + 1, reason: IMAGE_PROBLEM_MESSAGES.TOO_LARGE },
            'images',
          ),
        ]
      : []),
  ];
  return { fields, input: { ...fields, images, uploadProblems } };
}
