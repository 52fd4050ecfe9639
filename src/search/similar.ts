// Similar messages: shingle overlap (Jaccard over CJK pairs and Latin words) among public messages of the same region and above.
import type { Db } from '../db/kysely.ts';
import { matchesAllTokens } from '../db/dialect.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { indexTokens, normalisedTokens } from './tokenize.ts';

export const SIMILAR_MAX = 5;
/** Below this share of common shingles two messages are about different things. */
export const SIMILARITY_FLOOR = 0.25;
const CANDIDATES_PER_SHINGLE = 200;

/** The shingles of a text: adjacent CJK pairs and whole Latin words (single characters say too little). */
export function shingles(text: string): Set<string> {
  return new Set(indexTokens(text).filter((t) => [...t].length >= 2));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const s of a) if (b.has(s)) common += 1;
  return common / (a.size + b.size - common);
}

export interface SimilarMessage {
  id: number;
  title: string;
  status: string;
  score: number;
}

/**
 * Messages like this text, from its region and the regions above it. Candidates come from the search
 * index through the title's shingles; they are then ranked by overlap of the whole text.
 */
export async function similarMessages(
  db: Db,
  input: { title: string; body: string; regionCode: string; excludeId?: number },
  limit = SIMILAR_MAX,
): Promise<SimilarMessage[]> {
  const mine = shingles(`${input.title}\n${input.body}`);
  const probes = [...shingles(input.title)].slice(0, 8);
  if (mine.size === 0 || probes.length === 0) return [];
  const regions = await scopeRepository.regionPath(db, input.regionCode);
  const candidates = new Set<number>();
  for (const probe of probes) {
    const rows = await db
      .selectFrom('message_search')
      .innerJoin('messages', 'messages.id', 'message_search.message_id')
      .select('messages.id')
      .where(matchesAllTokens(db, [probe]))
      .where('messages.region_code', 'in', regions)
      .where('messages.visibility', '=', 'public')
      .where('messages.status', 'in', ['pending', 'assigned', 'replied', 'closed'])
      .orderBy('messages.id', 'desc')
      .limit(CANDIDATES_PER_SHINGLE)
      .execute();
    for (const r of rows) if (r.id !== input.excludeId) candidates.add(r.id);
  }
  if (candidates.size === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .innerJoin('message_search', 'message_search.message_id', 'messages.id')
    .select(['messages.id', 'messages.title', 'messages.status', 'message_search.text'])
    .where('messages.id', 'in', [...candidates])
    .execute();
  return mostSimilar(mine, rows, (r) => new Set(normalisedTokens(r.text).filter((t) => [...t].length >= 2)), limit);
}

/**
 * The candidates as similar messages, scored by how much of `mine` their shingles (`theirs`) share: those at the floor
 * or above, the closest first (the newest of equals), at most `limit`.
 */
export function mostSimilar<Row extends { id: number; title: string; status: string }>(
  mine: Set<string>,
  rows: Row[],
  theirs: (row: Row) => Set<string>,
  limit: number,
): SimilarMessage[] {
  return rows
    .map((r) => ({ id: r.id, title: r.title, status: r.status, score: jaccard(mine, theirs(r)) }))
    .filter((r) => r.score >= SIMILARITY_FLOOR)
    .sort((a, b) => b.score - a.score || b.id - a.id)
    .slice(0, limit);
}
