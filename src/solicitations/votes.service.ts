// Voting: each account votes within its allowance, once per approved entry, while voting runs; votes that look
// organised — a burst from one network, accounts registered just for the vote — are flagged to the editor.
import type { Translate } from '../i18n/i18n.ts';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import type { Db } from '../db/kysely.ts';
import { clientDigest } from '../messages/flooding.ts';
import { AppError } from '../web/app-error.ts';
import { standingAt, standingLabel } from './phases.ts';
import { loadSolicitation } from './solicitations.service.ts';
import { scheduleOf, solicitationsRepository } from './solicitations.repository.ts';

/** More than this many votes from one network (an IPv6 client counts by its /64)… */
export const BURST_VOTES = 10;
/** …within this many minutes flags all of them. */
export const BURST_MINUTES = 10;
/** Accounts registered less than this long before voting opened, or during it, are new accounts. */
export const NEW_ACCOUNT_HOURS = 48;

export interface VoteContext {
  db: Db;
  secret: string;
  /** The voter's address: kept only as a keyed digest of its network. */
  clientAddress?: string;
  now?: Date;
  /** The voter's language, for the words inside errors. */
  t?: Translate;
}

export interface VoteOutcome {
  voteId: number;
  votesUsed: number;
  votesLeft: number;
  /** Why the vote was flagged to the editor (it still counts until the editor voids it). */
  flags: ('burst' | 'new-account')[];
}

export async function castVote(
  ctx: VoteContext,
  voter: CurrentUser,
  solicitationId: number,
  entryId: number,
): Promise<VoteOutcome> {
  const { db } = ctx;
  const now = ctx.now ?? new Date();
  const row = await loadSolicitation(db, solicitationId);
  const schedule = scheduleOf(row);
  const standing = standingAt(schedule, now);
  if (standing.stage !== 'voting' || !standing.running)
    throw new AppError('VOTING_CLOSED', { stage: standingLabel(standing, ctx.t) });
  const entry = await solicitationsRepository.findEntry(db, entryId);
  if (!entry || entry.solicitation_id !== solicitationId || entry.status !== 'approved')
    throw new AppError('ENTRY_NOT_FOUND', { id: entryId });
  if (entry.author_id === voter.id) throw new AppError('OWN_ENTRY_VOTE');
  const registered = await solicitationsRepository.userCreatedAt(db, voter.id);
  const newAccount =
    registered !== null && Date.parse(registered) > Date.parse(schedule.voting.startAt) - NEW_ACCOUNT_HOURS * 3600_000;
  const clientKey = ctx.clientAddress ? clientDigest(ctx.secret, ctx.clientAddress) : null;
  const at = now.toISOString();

  return db.transaction().execute(async (trx) => {
    // The first statement writes, so SQLite takes its write lock at once; everything after is decided under it.
    await solicitationsRepository.ensureParticipant(trx, solicitationId, voter.id);
    const voteId = await solicitationsRepository.insertVote(trx, {
      solicitationId,
      entryId,
      userId: voter.id,
      clientKey,
      newAccount,
      at,
    });
    if (voteId === undefined) throw new AppError('ALREADY_VOTED');
    // Inside the transaction: two votes at once cannot both take the last one.
    if (!(await solicitationsRepository.take(trx, solicitationId, voter.id, 'votes_used', row.votes_per_user)))
      throw new AppError('VOTE_ALLOWANCE_USED', { max: row.votes_per_user });
    let burst = false;
    if (clientKey) {
      const since = new Date(now.getTime() - BURST_MINUTES * 60_000).toISOString();
      const recent = await solicitationsRepository.fromNetworkSince(trx, solicitationId, clientKey, since);
      if (recent.length > BURST_VOTES) {
        await solicitationsRepository.flagBurst(trx, recent);
        burst = true;
      }
    }
    const used = await solicitationsRepository.participant(trx, solicitationId, voter.id);
    return {
      voteId,
      votesUsed: used.votesUsed,
      votesLeft: Math.max(0, row.votes_per_user - used.votesUsed),
      flags: [...(burst ? (['burst'] as const) : []), ...(newAccount ? (['new-account'] as const) : [])],
    };
  });
}
