// Leaders as the public sees them: each board's holders over time, the replies each signed in their term, their
// figures, and the platform's list of the leaders who replied in public, by level.
import type { Db } from '../db/kysely.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { REGION_LEVELS, type RegionLevel } from '../regions/region-kinds.ts';
import { statsService } from '../stats/stats.service.ts';
import type { Figures } from '../stats/figures.ts';
import { AppError } from '../web/app-error.ts';
import { holdersRepository } from './holders.repository.ts';

export const LEVEL_LABELS: Record<RegionLevel, string> = { province: '省级', city: '市级', county: '县级' };

/** Where terms begin when their start was not recorded: the boards opened in 2006. */
const FIRST_DAY = '2006-01-01';

export interface Leader {
  id: number;
  name: string;
  post: string;
  boardId: number;
  boardTitle: string;
  regionCode: string;
  regionName: string;
  level: RegionLevel;
  levelLabel: string;
  since: string | null;
  until: string | null;
  current: boolean;
}

export interface LeaderWhoReplied extends Leader {
  signed: number;
  lastSignedAt: string | null;
}

export interface SignedReply {
  replyId: number;
  messageId: number;
  title: string;
  excerpt: string;
  resolved: boolean;
  signedAt: string;
  signerName: string | null;
}

export interface Term {
  id: number;
  name: string;
  post: string;
  since: string | null;
  until: string | null;
}

type HolderRow = NonNullable<Awaited<ReturnType<typeof holdersRepository.findById>>>;

function toLeader(row: HolderRow): Leader {
  const level = (REGION_LEVELS.includes(row.level) ? row.level : 'county') as RegionLevel;
  return {
    id: row.id,
    name: row.name,
    post: row.post,
    boardId: row.board_id,
    boardTitle: row.board_title,
    regionCode: row.region_code,
    regionName: row.region_name,
    level,
    levelLabel: LEVEL_LABELS[level],
    since: row.since,
    until: row.until,
    current: row.until === null,
  };
}

const toTerm = (r: Term): Term => ({ id: r.id, name: r.name, post: r.post, since: r.since, until: r.until });

export interface LeadersOverview {
  /** Leaders who replied in public, by the level of their region. */
  counts: Record<RegionLevel, number>;
  byLevel: Record<RegionLevel, LeaderWhoReplied[]>;
}

export const leadersService = {
  /** Every leader who signed a public reply in their term, most replies first, grouped by level; counts from them. */
  async overview(db: Db): Promise<LeadersOverview> {
    const rows = await holdersRepository.whoReplied(db);
    const byLevel: Record<RegionLevel, LeaderWhoReplied[]> = { province: [], city: [], county: [] };
    for (const row of rows) {
      const leader = toLeader(row);
      byLevel[leader.level].push({ ...leader, signed: Number(row.signed), lastSignedAt: row.last_signed_at ?? null });
    }
    const counts = {
      province: byLevel.province.length,
      city: byLevel.city.length,
      county: byLevel.county.length,
    };
    return { counts, byLevel };
  },

  async leader(db: Db, id: number): Promise<Leader> {
    const row = await holdersRepository.findById(db, id);
    if (!row) throw new AppError('LEADER_NOT_FOUND', { id });
    return toLeader(row);
  },

  /** One page of the replies the leader signed in their term, newest first, with how many there are in all. */
  async signedReplies(
    db: Db,
    leader: Leader,
    page: number,
    pageSize: number,
  ): Promise<{ replies: SignedReply[]; total: number }> {
    const term = { boardId: leader.boardId, since: leader.since, until: leader.until };
    const [rows, total] = await Promise.all([
      holdersRepository.signedReplies(db, term, { limit: pageSize, offset: (page - 1) * pageSize }),
      holdersRepository.countSigned(db, term),
    ]);
    return {
      total,
      replies: rows.map((r) => ({
        replyId: r.id,
        messageId: r.message_id,
        title: r.title,
        excerpt: [...r.body].length > 80 ? `${[...r.body].slice(0, 80).join('')}…` : r.body,
        resolved: Boolean(r.resolved),
        signedAt: r.published_at ?? '',
        signerName: r.signer_name,
      })),
    };
  },

  /**
   * The board's published figures over the leader's term, counted by day (the first and last day of a term are shared
   * with the holders before and after): messages received, replied, satisfaction.
   */
  async figures(db: Db, leader: Leader, now = new Date()): Promise<{ from: string; to: string; figures: Figures }> {
    const from = leader.since ? chinaDate(new Date(leader.since)) : FIRST_DAY;
    const to = chinaDate(leader.until ? new Date(leader.until) : now);
    const figures = await statsService.figures(
      db,
      { kind: 'board', id: leader.boardId },
      { kind: 'custom', from, to, label: `${from} 至 ${to}` },
    );
    return { from, to, figures };
  },

  /** The board's holders, the current one first. */
  async terms(db: Db, boardId: number): Promise<Term[]> {
    return (await holdersRepository.forBoard(db, boardId)).map(toTerm);
  },
};
