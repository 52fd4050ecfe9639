// Earlier public messages like a workbench item, for linking it to the one it repeats: read from the newest messages of
// its region and the regions above it, not from the search index, so the cost stays the same at any size.
//
// `similarMessages` (similar.ts) asks the search index for every shingle of the title over the region's whole history:
// at a million messages that read hundreds of thousands of index entries, 0.4–2 s for each workbench page. A message
// repeats one written shortly before it, so here the candidates are the newest EARLIER_WINDOW public messages before it
// in each region of its path, ranked by their titles, and the best of them by the whole text, with the same overlap
// measure and floor.
import { scopeRepository } from '../accounts/scope.repository.ts';
import type { Db } from '../db/kysely.ts';
import { jaccard, mostSimilar, shingles, SIMILAR_MAX, type SimilarMessage } from './similar.ts';

/** How many of the newest earlier public messages of each region on the path are looked at. */
export const EARLIER_WINDOW = 400;
/** How many of them, the closest by title, are compared by their whole text. */
const BY_TEXT = 40;
const LISTED = ['pending', 'assigned', 'replied', 'closed'];

/**
 * A quick likeness of two titles to pick the candidates: their adjacent character pairs, taken as typed (no
 * normalising, which costs ten times as much; the text comparison that decides normalises).
 */
function titlePairs(title: string): Set<string> {
  const pairs = new Set<string>();
  const text = title.toLowerCase();
  for (let i = 0; i + 1 < text.length; i++) pairs.add(text.slice(i, i + 2));
  return pairs;
}

export async function earlierSimilarMessages(
  db: Db,
  message: { id: number; title: string; body: string; regionCode: string },
  limit = SIMILAR_MAX,
): Promise<SimilarMessage[]> {
  const mine = shingles(`${message.title}\n${message.body}`);
  const titled = titlePairs(message.title);
  if (mine.size === 0 || titled.size === 0) return [];
  const regions = await scopeRepository.regionPath(db, message.regionCode);
  // One index range per region (region_code, id), read newest first: never more than the window.
  const windows = await Promise.all(
    regions.map((code) =>
      db
        .selectFrom('messages')
        .select(['id', 'title'])
        .where('region_code', '=', code)
        .where('id', '<', message.id)
        .where('visibility', '=', 'public')
        .where('status', 'in', LISTED)
        .orderBy('id', 'desc')
        .limit(EARLIER_WINDOW)
        .execute(),
    ),
  );
  const byTitle = windows
    .flat()
    .map((m) => ({ id: m.id, overlap: jaccard(titled, titlePairs(m.title)) }))
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
  return mostSimilar(mine, rows, (r) => shingles(`${r.title}\n${r.body}`), limit);
}
