// Converts uploaded story videos in the background, one at a time per process: claims a job from the queue in the
// database (a conditional update, so any number of processes may run a worker), keeps its lease alive while FFmpeg
// works, and records the outcome on the story. A job whose process died is taken up again once its lease runs out.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { ObjectStore } from '../attachments/object-store.ts';
import type { Db } from '../db/kysely.ts';
import { DEFAULT_LOCALE, type MessageKey, translator, type Translate } from '../i18n/i18n.ts';
import {
  convertForWeb,
  FfmpegFailedError,
  FfmpegMissingError,
  type FfmpegPrograms,
  probeVideo,
  SYSTEM_FFMPEG,
  takePoster,
} from './ffmpeg.ts';
import { type StoryJobRow, storiesRepository, storyJobsRepository } from './stories.repository.ts';
import { deleteKeys, fetchToFile, newStoryKey, putFile, STORY_CONTENT_TYPES } from './story-files.ts';

/** Runs after a crash or a kill are retried this many times in all; then the job fails. */
export const MAX_ATTEMPTS = 3;

export interface WorkerOptions {
  db: Db;
  objects: ObjectStore;
  /** Local scratch space for FFmpeg's input and output. */
  tmpDir: string;
  log: FastifyBaseLogger;
  programs?: FfmpegPrograms;
  /** How long a claim lasts without a heartbeat. */
  leaseMs?: number;
  /** How often to look for work queued by other processes (this one's uploads wake it at once). */
  pollMs?: number;
}

/** Failures are stored in the default language (the API gives them as they are); pages show them in their own. */
const zh = translator(DEFAULT_LOCALE);

/** The failures a job records, each a catalogue sentence: the stored text is its default-language form. */
const JOB_FAILURES = [
  'stories.job.ffmpegMissing',
  'stories.job.ffmpegFailed',
  'stories.job.ffmpegKilled',
  'stories.job.aborted',
  'stories.job.retries',
  'stories.job.sourceGone',
  'stories.job.unreadable',
  'stories.job.error',
] as const satisfies readonly MessageKey[];

/** An error whose message is one of JOB_FAILURES in the default language. */
class JobFailure extends Error {
  constructor(key: (typeof JOB_FAILURES)[number]) {
    super(zh(key));
    this.name = 'JobFailure';
  }
}

/** What the editor is told when a conversion fails, in a line (in the default language: it is stored). */
export function failureText(err: unknown): string {
  if (err instanceof FfmpegMissingError) return zh('stories.job.ffmpegMissing');
  if (err instanceof FfmpegFailedError)
    return err.exitCode === null
      ? zh('stories.job.ffmpegKilled', { summary: err.summary })
      : zh('stories.job.ffmpegFailed', { code: err.exitCode, summary: err.summary });
  if (err instanceof Error && err.name === 'AbortError') return zh('stories.job.aborted');
  if (err instanceof JobFailure) return err.message;
  return zh('stories.job.error', {
    message: err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300),
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each failure's default-language sentence as a pattern that gives back its parameters. */
const FAILURE_PATTERNS = JOB_FAILURES.map((key) => {
  const names: string[] = [];
  const source = zh(key)
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return escapeRegExp(part);
      names.push(name);
      return '([\\s\\S]*?)';
    })
    .join('');
  return { key, names, pattern: new RegExp(`^${source}$`) };
});

/** A stored failure in `t`'s language; text that is none of the platform's sentences is shown as it is. */
export function failureIn(t: Translate, stored: string): string {
  for (const { key, names, pattern } of FAILURE_PATTERNS) {
    const m = pattern.exec(stored);
    if (!m) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, m[i + 1]!]));
    // "An error while converting: <the error>": the error may itself be one of ours.
    if (params.message !== undefined) params.message = failureIn(t, params.message);
    return t(key, params);
  }
  return stored;
}

class Cancelled extends Error {
  constructor() {
    super('the job was cancelled or taken over');
    this.name = 'Cancelled';
  }
}

export class StoryVideoWorker {
  readonly id = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly db: Db;
  private readonly objects: ObjectStore;
  private readonly tmpDir: string;
  private readonly log: FastifyBaseLogger;
  private readonly programs: FfmpegPrograms;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private started = false;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private again = false;
  private current: AbortController | null = null;

  constructor(options: WorkerOptions) {
    this.db = options.db;
    this.objects = options.objects;
    this.tmpDir = options.tmpDir;
    this.log = options.log;
    this.programs = options.programs ?? SYSTEM_FFMPEG;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 10_000;
  }

  get running(): boolean {
    return this.started && !this.stopping;
  }

  /** Starts looking for work: at once, then every `pollMs`, and whenever `wake` is called. */
  start(): this {
    if (this.started) return this;
    this.started = true;
    void this.sweepScratch();
    this.wake();
    return this;
  }

  /** New work was queued here: look now rather than at the next poll. No-op unless started. */
  wake(): void {
    if (!this.running) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.loop = this.drain().finally(() => {
      this.loop = null;
      if (!this.running) return;
      if (this.again) {
        this.again = false;
        this.wake();
        return;
      }
      this.timer = setTimeout(() => this.wake(), this.pollMs);
      this.timer.unref();
    });
  }

  /** Stops: the conversion under way is abandoned and its job goes back to the queue for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.current?.abort();
    await this.loop;
  }

  /** Runs jobs until the queue is empty. */
  private async drain(): Promise<void> {
    while (this.running) {
      let did = false;
      try {
        did = await this.runOnce();
      } catch (err) {
        this.log.error({ err }, 'story video worker: a job could not be run');
      }
      if (!did) return;
    }
  }

  /** Claims and runs one job; false when there was none. */
  async runOnce(): Promise<boolean> {
    const now = new Date();
    const job = await storyJobsRepository.claim(this.db, this.id, now.toISOString(), this.leaseFrom(now));
    if (!job) return false;
    if (job.attempts > MAX_ATTEMPTS) {
      await this.fail(job, zh('stories.job.retries', { attempts: MAX_ATTEMPTS }));
      return true;
    }
    await storiesRepository.update(
      this.db,
      job.story_id,
      { video_state: 'converting', video_error: null },
      { videoJobId: job.id },
    );
    const abort = new AbortController();
    this.current = abort;
    let lastBeat = 0;
    let progress = 0;
    const beat = async (force = false) => {
      const at = Date.now();
      if (!force && at - lastBeat < 1000) return;
      lastBeat = at;
      const mine = await storyJobsRepository.heartbeat(this.db, job.id, this.id, this.leaseFrom(new Date()), progress);
      if (!mine) abort.abort(new Cancelled());
    };
    const heartbeat = setInterval(() => void beat(true).catch(() => undefined), Math.max(1000, this.leaseMs / 4));
    heartbeat.unref();
    const scratch = join(this.tmpDir, `job-${job.id}-${randomBytes(4).toString('hex')}`);
    const outputs: string[] = [];
    try {
      await mkdir(scratch, { recursive: true });
      const source = join(scratch, 'source');
      if (!(await fetchToFile(this.objects, job.source_key, source))) throw new JobFailure('stories.job.sourceGone');
      const video = join(scratch, 'web.mp4');
      const poster = join(scratch, 'poster.jpg');
      await convertForWeb(source, video, {
        seconds: job.source_seconds,
        programs: this.programs,
        signal: abort.signal,
        // However slow the machine, a conversion that takes ten times the video's length plus ten minutes is stuck.
        timeoutMs: (job.source_seconds * 10 + 600) * 1000,
        onProgress: (share) => {
          progress = Math.round(share * 1000) / 1000;
          void beat().catch(() => undefined);
        },
      });
      if (abort.signal.aborted) throw abort.signal.reason;
      const probed = await probeVideo(video, this.programs);
      if (!probed.ok) throw new JobFailure('stories.job.unreadable');
      await takePoster(video, poster, probed.video.seconds, this.programs);
      const videoKey = newStoryKey(job.story_id, 'video');
      const posterKey = newStoryKey(job.story_id, 'poster');
      outputs.push(videoKey, posterKey);
      const bytes = await putFile(this.objects, videoKey, video, STORY_CONTENT_TYPES.video);
      await putFile(this.objects, posterKey, poster, STORY_CONTENT_TYPES.poster);
      await beat(true);
      if (abort.signal.aborted) throw abort.signal.reason;
      const recorded = await this.db.transaction().execute(async (trx) => {
        if (!(await storyJobsRepository.finish(trx, job.id, this.id, { status: 'done', at: new Date().toISOString() })))
          return false;
        const changed = await storiesRepository.update(
          trx,
          job.story_id,
          {
            video_state: 'ready',
            video_error: null,
            video_key: videoKey,
            poster_key: posterKey,
            video_bytes: bytes,
            video_seconds: probed.video.seconds,
            video_width: probed.video.width,
            video_height: probed.video.height,
          },
          { videoJobId: job.id },
        );
        return changed === 1;
      });
      if (!recorded) throw new Cancelled();
      outputs.length = 0;
      await deleteKeys(this.objects, [job.source_key], this.warn);
      this.log.info({ storyId: job.story_id, jobId: job.id, seconds: probed.video.seconds }, 'story video converted');
    } catch (err) {
      const cancelled = err instanceof Cancelled || abort.signal.reason instanceof Cancelled;
      await deleteKeys(this.objects, outputs, this.warn);
      if (cancelled) {
        // Replaced by a newer upload (or taken over after a lost lease): nothing to record.
        await deleteKeys(this.objects, [job.source_key], this.warn);
        this.log.info({ storyId: job.story_id, jobId: job.id }, 'story video conversion cancelled');
      } else if (this.stopping) {
        await storyJobsRepository.finish(this.db, job.id, this.id, { status: 'queued', at: new Date().toISOString() });
        await storiesRepository.update(this.db, job.story_id, { video_state: 'uploaded' }, { videoJobId: job.id });
      } else {
        this.log.warn({ err, storyId: job.story_id, jobId: job.id }, 'story video conversion failed');
        await this.fail(job, failureText(err));
      }
    } finally {
      clearInterval(heartbeat);
      this.current = null;
      await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    }
    return true;
  }

  private async fail(job: StoryJobRow, error: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (
        !(await storyJobsRepository.finish(trx, job.id, this.id, {
          status: 'failed',
          error,
          at: new Date().toISOString(),
        }))
      )
        return;
      await storiesRepository.update(
        trx,
        job.story_id,
        { video_state: 'failed', video_error: error },
        { videoJobId: job.id },
      );
    });
    await deleteKeys(this.objects, [job.source_key], this.warn);
  }

  private leaseFrom(now: Date): string {
    return new Date(now.getTime() + this.leaseMs).toISOString();
  }

  private readonly warn = (err: unknown, key: string) =>
    this.log.warn({ err, key }, 'story file could not be removed (left for a later clean-up)');

  /** Scratch files left by a process that died mid-upload or mid-conversion, a day old or more. */
  private async sweepScratch(): Promise<void> {
    const dayAgo = Date.now() - 24 * 3600_000;
    const names = await readdir(this.tmpDir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => null);
      if (!info || info.mtimeMs > dayAgo) continue;
      await (info.isDirectory() ? rm(path, { recursive: true, force: true }) : unlink(path)).catch(() => undefined);
    }
  }
}
