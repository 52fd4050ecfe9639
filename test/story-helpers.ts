// Helpers for the video column's tests: real videos made with FFmpeg, multipart bodies as a browser sends them, and
// an editor's upload through the story page's forms.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebClient } from './web-client.ts';

/**
 * A test-card video with a tone, made by FFmpeg: by default 3 s at 1280×960 in MPEG-4 Part 2 with AAC in a QuickTime
 * file, so that the platform's conversion to H.264 and the scaling to 720p are both needed.
 */
export function makeVideo(
  file: string,
  { seconds = 3, size = '1280x960', codec = 'mpeg4' }: { seconds?: number; size?: string; codec?: string } = {},
): void {
  execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=duration=${seconds}:size=${size}:rate=25`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:duration=${seconds}`,
      '-c:v',
      codec,
      ...(codec === 'mpeg4' ? ['-q:v', '8'] : ['-pix_fmt', 'yuv420p']),
      '-c:a',
      'aac',
      '-shortest',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** A still picture (PNG) and a sound (M4A) from FFmpeg: files that are media but not video. */
export function makeStill(file: string): void {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240',
    '-frames:v',
    '1',
    '-f',
    'image2',
    '-c:v',
    'png',
    file,
  ]);
}

export function makeSound(file: string): void {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=duration=2',
    '-c:a',
    'aac',
    '-f',
    'mp4',
    file,
  ]);
}

export const SAMPLE_VTT = [
  'WEBVTT',
  '',
  '1',
  '00:00.000 --> 00:01.500',
  '网友：小区门口的路灯坏了两个月。',
  '',
  '00:00:01.500 --> 00:00:03.000',
  '县城管局：已经修好了，感谢监督。',
  '',
].join('\n');

export interface Part {
  name: string;
  value?: string;
  file?: { filename: string; type: string; data: Buffer };
}

/** A multipart/form-data body, the parts in the order given (the CSRF token first, as the forms send it). */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----liuyan${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (part.file) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.file.filename}"\r\n` +
            `Content-Type: ${part.file.type}\r\n\r\n`,
        ),
        part.file.data,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value ?? ''}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The CSRF token of the page last shown. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, 'the page carries a CSRF token');
  return token;
}

/** Posts a file through one of the story page's upload forms, as the editor's browser would. */
export async function uploadAs(
  app: FastifyInstance,
  web: WebClient,
  ip: string,
  url: string,
  field: string,
  file: { filename: string; type: string; data: Buffer },
  { csrf = true }: { csrf?: boolean } = {},
) {
  const page = await web.get(url.replace(/\/(video|captions)$/, ''));
  const body = multipart([...(csrf ? [{ name: '_csrf', value: csrfOf(page.body) }] : []), { name: field, file }]);
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    payload: body.payload,
    headers: body.headers,
    cookies: Object.fromEntries(web.cookies),
  });
}
