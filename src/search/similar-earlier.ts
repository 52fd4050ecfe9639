// Earlier public messages like a workbench item, for linking it to the one it repeats: read from the newest messages of
// its region and the regions above it, not from the search index, so the cost stays the same at any size.
//
// `similarMessages` (similar.ts) asks the search index for every shingle of the title over the region's whole history:
// at a million messages that read hundreds of thousands of index entries, 0.4–2 s for each workbench page. A message
// repeats one written shortly before it, so here the candidates are the newest EARLIER_WINDOW public messages before it
// in each region of its path, ranked by their titles, and the best of them by the whole text, with the same overlap
// measure and floor.
//
// With the page cache on, each region's newest KEPT public messages and their title pairs are read once and shared
// (`PageCache.memo`, forgotten at a write like the public lists); a message's shingles are kept beside its text.
import { LRUCache } from 'lru-cache';
import { scopeRepository } from '../accounts/scope.repository.ts';
import type { Db } from '../db/kysely.ts';
import type { SharedMemo } from '../web/page-cache.ts';
import { mostSimilar, shingles, SIMILAR_MAX, type SimilarMessage } from './similar.ts';

/** How many of the newest earlier public messages of each region on the path are looked at. */
export const EARLIER_WINDOW = 400;
/** How many of them, the closest by title, are compared by their whole text. */
const BY_TEXT = 40;
const LISTED = ['pending', 'assigned', 'replied', 'closed'];
/** How many of a region's newest public messages a shared window keeps: the window of any message among them. */
export const KEPT = 1000;

interface Candidate {
  id: number;
  pairs: Uint32Array;
}
/** A region's newest public messages, newest first; `whole` when they are all it has. */
export interface RegionWindow {
  newest: Candidate[];
  whole: boolean;
}

/** Shingles of the texts compared lately, by message id, with the text they were made of (used only while it matches). */
const shinglesKept = new LRUCache<number, { text: string; shingles: Set<string> }>({ max: 5000 });

function textShingles(id: number, text: string): Set<string> {
  const kept = shinglesKept.get(id);
  if (kept?.text === text) return kept.shingles;
  const made = shingles(text);
  shinglesKept.set(id, { text, shingles: made });
  return made;
}

/**
 * A quick likeness of two titles to pick the candidates: their adjacent character pairs, taken as typed (no
 * normalising, which costs ten times as much; the text comparison that decides normalises), each pair as one number
 * (two UTF-16 code units), sorted and without repeats.
 */
function titlePairs(title: string): Uint32Array {
  const text = title.toLowerCase();
  const pairs = new Uint32Array(Math.max(text.length - 1, 0));
  for (let i = 0; i + 1 < text.length; i++) pairs[i] = ((text.charCodeAt(i) << 16) | text.charCodeAt(i + 1)) >>> 0;
  pairs.sort();
  let n = 0;
  for (let i = 0; i < pairs.length; i++) if (n === 0 || pairs[i] !== pairs[n - 1]) pairs[n++] = pairs[i]!;
  return pairs.subarray(0, n);
}

/** The Jaccard overlap of two sorted sets of pairs, by one merge. */
function pairOverlap(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let common = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

/** The newest public messages of a region before `before` (all when undefined), newest first: one index range. */
async function newestOf(db: Db, region: string, before: number | undefined, limit: number): Promise<Candidate[]> {
  let query = db
    .selectFrom('messages')
    .select(['id', 'title'])
    .where('region_code', '=', region)
    .where('visibility', '=', 'public')
    .where('status', 'in', LISTED);
  if (before !== undefined) query = query.where('id', '<', before);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, pairs: titlePairs(r.title) }));
}

/** The window of a message in one region: its EARLIER_WINDOW newest earlier public messages. */
async function windowOf(
  db: Db,
  region: string,
  before: number,
  shared: SharedMemo<RegionWindow> | undefined,
  keep: number,
): Promise<Candidate[]> {
  if (shared) {
    const kept = await shared.get(region, async () => {
      const newest = await newestOf(db, region, undefined, keep);
      return { newest, whole: newest.length < keep };
    });
    const earlier = kept.newest.filter((c) => c.id < before).slice(0, EARLIER_WINDOW);
    // The kept ones below the message are the newest before it; too few only when older ones were not kept.
    if (earlier.length === EARLIER_WINDOW || kept.whole) return earlier;
  }
  return newestOf(db, region, before, EARLIER_WINDOW);
}

export async function earlierSimilarMessages(
  db: Db,
  message: { id: number; title: string; body: string; regionCode: string },
  options: { windows?: SharedMemo<RegionWindow>; limit?: number; keep?: number } = {},
): Promise<SimilarMessage[]> {
  const mine = shingles(`${message.title}\n${message.body}`);
  const titled = titlePairs(message.title);
  if (mine.size === 0 || titled.length === 0) return [];
  const regions = await scopeRepository.regionPath(db, message.regionCode);
  const windows = await Promise.all(
    regions.map((code) => windowOf(db, code, message.id, options.windows, options.keep ?? KEPT)),
  );
  const byTitle = windows
    .flat()
    .map((m) => ({ id: m.id, overlap: pairOverlap(titled, m.pairs) }))
    .filter((m) => m.overlap > 0)
    .sort((a, b) => b.overlap - a.overlap || b.id - a.id)
    .slice(0, BY_TEXT);
  if (byTitle.length === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'title', 'body', 'status'])
    .where(
      'id',
      'in',
      byTitle.map((m) => m.id),
    )
    .execute();
  return mostSimilar(mine, rows, (r) => textShingles(r.id, `${r.title}\n${r.body}`), options.limit ?? SIMILAR_MAX);
}
