// Writes one open-data dump: CSV files streamed batch by batch, schema.json and a manifest with row counts and sha256.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/kysely.ts';
import { maskPersonalData } from '../messages/personal-data.ts';
import { PUBLISHED } from '../messages/message-view.ts';
import type { MessageStatus } from '../messages/message-kinds.ts';
import { MIN_SAMPLE, type SatisfactionWeights } from '../stats/figures.ts';
import { statsService } from '../stats/stats.service.ts';
import { openDataRepository } from './open-data.repository.ts';
import {
  DATA_FILES,
  MANIFEST_FILE,
  OPEN_DATA_LICENCE,
  OPEN_DATA_VERSION,
  SCHEMA_FILE,
  schemaDocument,
  type OpenDataFile,
} from './open-data.schema.ts';

export interface ManifestFile {
  name: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  dataset: string;
  version: number;
  /** The China date the dump belongs to, 'YYYY-MM-DD'. */
  date: string;
  generatedAt: string;
  licence: typeof OPEN_DATA_LICENCE;
  /** The weights the published satisfaction figures used when the dump was made. */
  satisfactionWeights: SatisfactionWeights;
  minSample: number;
  percentile: string;
  files: ManifestFile[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Small batches, with a turn of the event loop between them: on SQLite each query blocks the process while it runs. */
const BATCH = 500;

type Cell = string | number | null | undefined | boolean;

/** One CSV file being written: counts rows, bytes and the sha256 as it goes, and waits when the disk is behind. */
class CsvFile {
  private readonly hash = createHash('sha256');
  private readonly stream: WriteStream;
  private bytes = 0;
  private rows = 0;
  private failed: Error | null = null;

  constructor(
    readonly dir: string,
    readonly file: OpenDataFile,
  ) {
    this.stream = createWriteStream(join(dir, file.name));
    // A write error (disk full) must fail the dump, not crash the process or leave a writer waiting for 'drain'.
    this.stream.on('error', (err) => {
      this.failed = err;
      this.stream.emit('drain');
    });
    void this.put(Buffer.concat([BOM, this.encode([file.columns.map((c) => c.name)])]));
  }

  /** Text that starts like a spreadsheet formula gets a leading `'` (see schemaDocument's encoding note). */
  private encode(records: Cell[][]): Buffer {
    return Buffer.from(stringify(records, { record_delimiter: 'windows', escape_formulas: true }), 'utf8');
  }

  private put(chunk: Buffer): Promise<void> | null {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.stream.write(chunk)) return null;
    return new Promise((resolve) => this.stream.once('drain', resolve));
  }

  async add(rows: Record<string, Cell>[]): Promise<void> {
    if (this.failed) throw this.failed;
    if (rows.length === 0) return;
    this.rows += rows.length;
    const records = rows.map((row) =>
      this.file.columns.map((c) => {
        const v = row[c.name];
        if (v === null || v === undefined) return '';
        if (typeof v === 'boolean') return v ? 1 : 0;
        return v;
      }),
    );
    await this.put(this.encode(records));
    if (this.failed) throw this.failed;
  }

  async close(): Promise<ManifestFile> {
    if (this.failed) throw this.failed;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(resolve);
    });
    return { name: this.file.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  destroy(): void {
    this.stream.destroy();
  }
}

async function writeJson(dir: string, name: string, value: unknown): Promise<ManifestFile> {
  const body = Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
  await writeFile(join(dir, name), body);
  return { name, rows: null, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}

/** Writes every file of a dump into `dir` (which must exist and be empty) and returns its manifest. */
export async function writeDumpFiles(db: Db, dir: string, date: string, now = new Date()): Promise<Manifest> {
  const weights = await statsService.weights(db);
  const files = Object.fromEntries(DATA_FILES.map((f) => [f.name, new CsvFile(dir, f)])) as Record<string, CsvFile>;
  try {
    const messages = files['messages.csv']!;
    const replies = files['replies.csv']!;
    let after = 0;
    for (;;) {
      const batch = await openDataRepository.messagesAfter(db, after, BATCH);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.message_id;
      const publicIds: number[] = [];
      await messages.add(
        batch.map((m) => {
          const isPublic = m.visibility === 'public' && PUBLISHED.includes(m.status as MessageStatus);
          if (isPublic) publicIds.push(m.message_id);
          // Masked at submission already; masking again costs little and catches text edited in since.
          return {
            ...m,
            visibility: isPublic ? 'public' : 'private',
            title: isPublic ? maskPersonalData(m.title).text : null,
            body: isPublic ? maskPersonalData(m.body).text : null,
          };
        }),
      );
      await replies.add(await openDataRepository.publishedReplies(db, publicIds));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await files['regions.csv']!.add(await openDataRepository.regions(db));
    await files['units.csv']!.add(await openDataRepository.units(db));
    await files['boards.csv']!.add(await openDataRepository.boards(db));
    const written: ManifestFile[] = [];
    for (const f of DATA_FILES) written.push(await files[f.name]!.close());
    written.push(await writeJson(dir, SCHEMA_FILE, schemaDocument()));
    const manifest: Manifest = {
      dataset: '留言平台开放数据',
      version: OPEN_DATA_VERSION,
      date,
      generatedAt: now.toISOString(),
      licence: OPEN_DATA_LICENCE,
      satisfactionWeights: weights,
      minSample: MIN_SAMPLE,
      percentile: 'nearest-rank：n 个值从小到大排列，p 分位数取第 ⌈p×n⌉ 个',
      files: written,
    };
    await writeJson(dir, MANIFEST_FILE, manifest);
    return manifest;
  } catch (err) {
    for (const f of Object.values(files)) f.destroy();
    throw err;
  }
}

const DAY_DIR = /^\d{4}-\d{2}-\d{2}$/;
const TEMP_PREFIX = '.tmp-';

/**
 * Writes the dump into a temporary directory beside `target` and then moves it into place, so that readers
 * never see a half-written dump; an existing `target` (the same day dumped again) is replaced.
 */
export async function writeDump(db: Db, target: string, date: string, now = new Date()): Promise<Manifest> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const temp = join(parent, `${TEMP_PREFIX}${basename(target)}-${randomBytes(4).toString('hex')}`);
  await mkdir(temp);
  try {
    const manifest = await writeDumpFiles(db, temp, date, now);
    const old = join(parent, `${TEMP_PREFIX}old-${basename(target)}-${randomBytes(4).toString('hex')}`);
    const replacing = await rename(target, old).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
    await rename(temp, target);
    if (replacing) await rm(old, { recursive: true, force: true });
    return manifest;
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/** The dated dump directories under `root`, newest first. */
export async function listDumps(root: string): Promise<string[]> {
  const names = await readdir(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  return names
    .filter((n) => DAY_DIR.test(n))
    .sort()
    .reverse();
}

/** The newest complete dump: its directory and manifest, or null before the first one. */
export async function latestDump(root: string): Promise<{ dir: string; manifest: Manifest } | null> {
  for (const name of await listDumps(root)) {
    const dir = join(root, name);
    try {
      return { dir, manifest: JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest };
    } catch {
      // A directory without a readable manifest is not a dump; look at the one before.
    }
  }
  return null;
}

/** Keeps the newest `keep` days; also clears temporary directories left by a process that died mid-dump. */
export async function pruneDumps(root: string, keep: number, now = new Date()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of (await listDumps(root)).slice(keep)) {
    await rm(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const info = await stat(join(root, name)).catch(() => null);
    if (info && now.getTime() - info.mtimeMs > 24 * 3600_000) {
      await rm(join(root, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}
