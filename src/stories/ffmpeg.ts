// FFmpeg and FFprobe from the system (Debian's `ffmpeg` package): probe an upload, convert it for the web, take a poster.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';

/** The programs, by name on PATH unless the caller names another. */
export interface FfmpegPrograms {
  ffmpeg: string;
  ffprobe: string;
}

export const SYSTEM_FFMPEG: FfmpegPrograms = Object.freeze({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });

/** The longest side the web copy may have vertically: 720p. */
export const WEB_MAX_HEIGHT = 720;

export interface VideoProbe {
  /** FFmpeg's name of the container, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string;
  seconds: number;
  width: number;
  height: number;
  videoCodec: string;
  audioCodec: string | null;
}

/** Why a file cannot be taken as a video. */
export type ProbeProblem =
  /** FFprobe could not read it as any media (text, a document, a damaged file). */
  | { kind: 'unreadable'; detail: string }
  /** Readable, but with no moving picture: a still image or a sound file. */
  | { kind: 'no-picture' }
  /** No length could be read. */
  | { kind: 'no-duration' };

/** FFmpeg or FFprobe is not installed (or not on PATH). */
export class FfmpegMissingError extends Error {
  constructor(readonly program: string) {
    super(`${program} is not installed or not on PATH`);
    this.name = 'FfmpegMissingError';
  }
}

/** FFmpeg ran and failed: `summary` is the end of what it wrote on stderr, short enough to show to the editor. */
export class FfmpegFailedError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly summary: string,
  ) {
    super(`ffmpeg exited with ${exitCode ?? 'a signal'}: ${summary}`);
    this.name = 'FfmpegFailedError';
  }
}

/** Containers FFmpeg reads single pictures with: an image renamed to .mp4 is still an image. */
const STILL_FORMATS = /(^|,)(image2|[a-z0-9]+_pipe|tty|apng|gif|webp)(,|$)/;
/** Codecs of still pictures, which a container may carry as a video stream (cover art). */
const STILL_CODECS = new Set(['mjpeg', 'png', 'bmp', 'gif', 'webp', 'tiff', 'ansi']);

const STDERR_KEEP = 8 * 1024;

/** The last few meaningful lines of FFmpeg's stderr, joined, at most 300 characters. */
export function summariseStderr(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^(frame|size)=/.test(l));
  const tail = lines.slice(-3).join(' / ');
  return tail.length > 300 ? `…${tail.slice(-299)}` : tail;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  program: string,
  args: string[],
  options: { onStdout?: (chunk: string) => void; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    let stdout = '';
    let stderr = '';
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.onStdout) options.onStdout(chunk);
      else if (stdout.length < 1024 * 1024) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new FfmpegMissingError(program) : err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    duration?: string;
    disposition?: { attached_pic?: number };
  }[];
}

/** What FFprobe says the file is: a video with its length and picture size, or why it is not one. */
export async function probeVideo(
  file: string,
  programs: FfmpegPrograms = SYSTEM_FFMPEG,
): Promise<{ ok: true; video: VideoProbe } | { ok: false; problem: ProbeProblem }> {
  const result = await run(programs.ffprobe, [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ]);
  if (result.code !== 0) return { ok: false, problem: { kind: 'unreadable', detail: summariseStderr(result.stderr) } };
  let parsed: ProbeJson;
  try {
    parsed = JSON.parse(result.stdout) as ProbeJson;
  } catch {
    return { ok: false, problem: { kind: 'unreadable', detail: 'ffprobe output is not JSON' } };
  }
  const format = parsed.format?.format_name ?? '';
  const streams = parsed.streams ?? [];
  const picture = streams.find(
    (s) =>
      s.codec_type === 'video' &&
      !s.disposition?.attached_pic &&
      !STILL_CODECS.has(s.codec_name ?? '') &&
      (s.width ?? 0) > 0 &&
      (s.height ?? 0) > 0,
  );
  if (!picture || STILL_FORMATS.test(format)) return { ok: false, problem: { kind: 'no-picture' } };
  const seconds = Number(parsed.format?.duration ?? picture.duration);
  if (!Number.isFinite(seconds) || seconds <= 0) return { ok: false, problem: { kind: 'no-duration' } };
  const audio = streams.find((s) => s.codec_type === 'audio');
  return {
    ok: true,
    video: {
      format,
      seconds,
      width: picture.width!,
      height: picture.height!,
      videoCodec: picture.codec_name ?? '',
      audioCodec: audio?.codec_name ?? null,
    },
  };
}

/** Reads FFmpeg's `-progress` output: the position written so far, in seconds, from its `out_time*` lines. */
export class ProgressReader {
  private rest = '';
  seconds = 0;

  push(chunk: string): void {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) {
      const [key, value = ''] = line.trim().split('=', 2);
      let at: number | null = null;
      // out_time_ms is in microseconds too (an old misnomer FFmpeg keeps).
      if ((key === 'out_time_us' || key === 'out_time_ms') && /^\d+$/.test(value)) at = Number(value) / 1e6;
      else if (key === 'out_time') {
        const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
        if (m) at = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
      }
      if (at !== null && Number.isFinite(at) && at >= 0) this.seconds = Math.max(this.seconds, at);
    }
  }
}

export interface ConvertOptions {
  /** The source's length, to turn positions into a share done. */
  seconds: number;
  /** Called with 0–1 as the conversion goes on. */
  onProgress?: (share: number) => void;
  /** Stops FFmpeg (the promise then rejects with an AbortError). */
  signal?: AbortSignal;
  /** Kills FFmpeg after this long. */
  timeoutMs?: number;
  programs?: FfmpegPrograms;
}

/**
 * The web copy: H.264 (yuv420p, for every browser) and AAC stereo in MP4, at most 720 lines high with the width
 * following (even, as H.264 needs), the index at the front so playback starts before the whole file has arrived
 * (`+faststart`), and no metadata from the camera or phone (place, device).
 */
export async function convertForWeb(input: string, output: string, options: ConvertOptions): Promise<void> {
  const progress = new ProgressReader();
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-i',
    input,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-sn',
    '-dn',
    '-vf',
    `scale=-2:'trunc(min(${WEB_MAX_HEIGHT},ih)/2)*2',format=yuv420p`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '23',
    '-profile:v',
    'high',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-ac',
    '2',
    '-movflags',
    '+faststart',
    '-max_muxing_queue_size',
    '1024',
    '-progress',
    'pipe:1',
    '-nostats',
    '-f',
    'mp4',
    output,
  ];
  const result = await run((options.programs ?? SYSTEM_FFMPEG).ffmpeg, args, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    onStdout: (chunk) => {
      progress.push(chunk);
      if (options.onProgress && options.seconds > 0)
        options.onProgress(Math.min(1, progress.seconds / options.seconds));
    },
  });
  if (result.code !== 0) throw new FfmpegFailedError(result.code, summariseStderr(result.stderr) || 'no message');
}

/** A JPEG of one frame a little way in (the very first frame is often black), at the video's own size. */
export async function takePoster(
  video: string,
  output: string,
  seconds: number,
  programs: FfmpegPrograms = SYSTEM_FFMPEG,
): Promise<void> {
  const at = Math.min(1, seconds / 3);
  for (const offset of [at, 0]) {
    const result = await run(programs.ffmpeg, [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-ss',
      offset.toFixed(3),
      '-i',
      video,
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      output,
    ]);
    // Past the last frame FFmpeg succeeds and writes nothing: then the first frame.
    if (result.code === 0 && ((await stat(output).catch(() => null))?.size ?? 0) > 0) return;
    if (offset === 0) throw new FfmpegFailedError(result.code, summariseStderr(result.stderr) || 'no message');
  }
}
