// Checks and cleans an image a citizen attaches to a message.
//
// The type is decided from the bytes alone (magic numbers, then the decoder's own view), never from a
// file name or a claimed MIME type. Accepted images are decoded and re-encoded in the same format after
// applying the EXIF orientation, which drops every piece of metadata (EXIF with GPS position, XMP, ICC
// profile, comments): a photo must not reveal where or with what it was taken.
import { createHash } from 'node:crypto';
import sharp, { type Metadata, type OutputInfo } from 'sharp';

export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** Decoded size cap against decompression bombs (a small file that claims a huge canvas). */
export const IMAGE_MAX_PIXELS = 40_000_000;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export type ImageProblem = 'TOO_LARGE' | 'NOT_AN_IMAGE' | 'TYPE_NOT_ALLOWED' | 'TOO_MANY_PIXELS';

export interface CleanImage {
  data: Buffer;
  type: ImageType;
  width: number;
  height: number;
  sha256: string;
  bytes: number;
}

export type CleanImageResult = { ok: true; image: CleanImage } | { ok: false; problem: ImageProblem; message: string };

export const IMAGE_PROBLEM_MESSAGES: Readonly<Record<ImageProblem, string>> = Object.freeze({
  TOO_LARGE: '图片不能超过 5 MB',
  NOT_AN_IMAGE: '文件不是有效的图片',
  TYPE_NOT_ALLOWED: '只能上传 JPEG、PNG 或 WebP 图片',
  TOO_MANY_PIXELS: '图片尺寸过大，不能超过 4000 万像素',
});

/** File extension used when storing each accepted type. */
export const IMAGE_EXTENSIONS: Readonly<Record<ImageType, string>> = Object.freeze({
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
});

const SHARP_FORMATS: Readonly<Record<ImageType, string>> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Give up on an image whose decoding takes longer than this (seconds). */
const PROCESSING_TIMEOUT_SECONDS = 30;

const startsWith = (input: Buffer, bytes: readonly number[], offset = 0): boolean =>
  input.length >= offset + bytes.length && bytes.every((b, i) => input[offset + i] === b);

const ascii = (input: Buffer, start: number, end: number): string => input.subarray(start, end).toString('latin1');

/** The accepted type the content announces, from its magic bytes. */
function sniffAllowed(input: Buffer): ImageType | null {
  if (startsWith(input, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(input, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (input.length >= 16 && ascii(input, 0, 4) === 'RIFF' && ascii(input, 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** Whether the content is some other image format, which is refused by type rather than as garbage. */
function looksLikeOtherImage(input: Buffer): boolean {
  const head = ascii(input, 0, 12);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return true;
  if (head.startsWith('BM') && input.length >= 26) return true; // BMP
  if (startsWith(input, [0x49, 0x49, 0x2a, 0x00]) || startsWith(input, [0x4d, 0x4d, 0x00, 0x2a])) return true; // TIFF
  if (startsWith(input, [0x00, 0x00, 0x01, 0x00]) && input.length >= 22) return true; // ICO
  if (head.startsWith('8BPS')) return true; // Photoshop
  if (startsWith(input, [0xff, 0x0a])) return true; // JPEG XL codestream
  if (startsWith(input, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return true; // JPEG XL container
  if (startsWith(input, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return true; // JPEG 2000
  if (ascii(input, 4, 8) === 'ftyp') {
    const brand = ascii(input, 8, 12);
    if (['avif', 'avis', 'heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return true;
  }
  // SVG: XML text whose root element is <svg>; look at the start of the (possibly UTF-8 BOM'd) text.
  const text = input
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(text)) return true;
  return false;
}

const refuse = (problem: ImageProblem): CleanImageResult => ({
  ok: false,
  problem,
  message: IMAGE_PROBLEM_MESSAGES[problem],
});

/** sharp's own refusal once `limitInputPixels` is exceeded ("Input image exceeds pixel limit"). */
const exceedsPixelLimit = (error: unknown): boolean => error instanceof Error && /pixel limit/i.test(error.message);

const SHARP_OPTIONS = {
  limitInputPixels: IMAGE_MAX_PIXELS,
  failOn: 'error',
  animated: false,
} as const;

/** Checks an uploaded file and returns a metadata-free re-encoding of it, or the reason it is refused. */
export async function cleanImage(input: Buffer): Promise<CleanImageResult> {
  // Size first: nothing over the limit is ever handed to a decoder.
  if (input.length > IMAGE_MAX_BYTES) return refuse('TOO_LARGE');
  const type = sniffAllowed(input);
  if (!type) return refuse(looksLikeOtherImage(input) ? 'TYPE_NOT_ALLOWED' : 'NOT_AN_IMAGE');

  let metadata: Metadata;
  try {
    metadata = await sharp(input, SHARP_OPTIONS).metadata();
  } catch (error) {
    return refuse(exceedsPixelLimit(error) ? 'TOO_MANY_PIXELS' : 'NOT_AN_IMAGE');
  }
  // The decoder must agree with the magic bytes.
  if (metadata.format !== SHARP_FORMATS[type] || !metadata.width || !metadata.height) return refuse('NOT_AN_IMAGE');
  if (metadata.width * metadata.height > IMAGE_MAX_PIXELS) return refuse('TOO_MANY_PIXELS');

  let pipeline = sharp(input, SHARP_OPTIONS).timeout({ seconds: PROCESSING_TIMEOUT_SECONDS }).rotate();
  // No keepMetadata()/withMetadata(): sharp writes no EXIF, XMP, ICC profile or comments by default, and
  // converts images with an embedded colour profile to sRGB first so they still look right.
  if (type === 'image/jpeg') pipeline = pipeline.jpeg({ quality: 90, chromaSubsampling: '4:2:0' });
  else if (type === 'image/png') pipeline = pipeline.png();
  else pipeline = pipeline.webp({ quality: 90 });

  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await pipeline.toBuffer({ resolveWithObject: true });
  } catch (error) {
    return refuse(exceedsPixelLimit(error) ? 'TOO_MANY_PIXELS' : 'NOT_AN_IMAGE');
  }
  const { data, info } = output;
  return {
    ok: true,
    image: {
      data,
      type,
      width: info.width,
      height: info.height,
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
    },
  };
}

/** The widths a photo is also kept at for display: a thumbnail for lists and phones, and a screen-sized copy. */
export const DISPLAY_WIDTHS = [360, 1280] as const;
export type DisplayWidth = (typeof DISPLAY_WIDTHS)[number];

export function isDisplayWidth(value: unknown): value is DisplayWidth {
  return DISPLAY_WIDTHS.includes(Number(value) as DisplayWidth);
}

/** A smaller WebP copy of a cleaned image for display (never larger than the original). */
export async function displayCopy(
  data: Buffer,
  width: DisplayWidth,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { data: out, info } = await sharp(data, SHARP_OPTIONS)
    .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
    .resize({ width, withoutEnlargement: true })
    .webp({ quality: 70 })
    .toBuffer({ resolveWithObject: true });
  return { data: out, width: info.width, height: info.height };
}
