// Flooding (刷屏): near-identical messages sent from one account or one network in a short time, flagged to the editors.
import { createHmac } from 'node:crypto';
import type { Db } from '../db/kysely.ts';
import { jaccard, shingles } from '../search/similar.ts';
import { clientKey } from '../security/client-address.ts';
import { reviewRepository } from './review.repository.ts';

/** Two texts sharing at least this share of their shingles say the same thing. */
export const NEAR_IDENTICAL = 0.8;
/** How far back the queue looks for the same sender's other messages. */
export const FLOODING_DAYS = 7;
const CANDIDATES_MAX = 2000;

/**
 * A keyed digest of the network a message came from (an IPv6 client counts by its /64): enough to see that several
 * messages came from one place, without keeping the address.
 */
export function clientDigest(secret: string, ip: string): string {
  return createHmac('sha256', secret)
    .update(`client:${clientKey(ip)}`)
    .digest('hex')
    .slice(0, 32);
}

export interface Flooding {
  /** Other near-identical messages from the same account. */
  sameAccount: number[];
  /** From the same network, another account. */
  sameNetwork: number[];
}

/** For each listed message, the near-identical messages its sender (account or network) sent lately. */
export async function floodingOf(db: Db, ids: number[], now = new Date()): Promise<Map<number, Flooding>> {
  const senders = await reviewRepository.senders(db, ids);
  const since = new Date(now.getTime() - FLOODING_DAYS * 24 * 3600_000).toISOString();
  const candidates = await reviewRepository.recentFrom(
    db,
    [...new Set(senders.map((s) => s.author_id))],
    [...new Set(senders.map((s) => s.client_key).filter((k): k is string => k !== null))],
    since,
    CANDIDATES_MAX,
  );
  const text = new Map(candidates.map((c) => [c.id, shingles(`${c.title}\n${c.body}`)]));
  const out = new Map<number, Flooding>();
  for (const s of senders) {
    const own = text.get(s.id);
    if (!own) continue;
    const found: Flooding = { sameAccount: [], sameNetwork: [] };
    for (const c of candidates) {
      if (c.id === s.id) continue;
      const account = c.author_id === s.author_id;
      const network = s.client_key !== null && c.client_key === s.client_key;
      if (!account && !network) continue;
      if (jaccard(own, text.get(c.id)!) < NEAR_IDENTICAL) continue;
      (account ? found.sameAccount : found.sameNetwork).push(c.id);
    }
    if (found.sameAccount.length > 0 || found.sameNetwork.length > 0) out.set(s.id, found);
  }
  return out;
}
