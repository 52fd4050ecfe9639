// What pages and the API show of a solicitation: its phases and standing, its entries and their authors as the public
// may see them, an account's own part in it, and the editor's fuller view.
import { DEFAULT_LOCALE, translator, type Translate } from '../i18n/i18n.ts';
import { authorTag } from '../messages/message-view.ts';
import { maskPersonalData } from '../messages/personal-data.ts';
import {
  groupOf,
  type Group,
  type Phase,
  PHASE_LABELS,
  PHASES,
  scheduleDates,
  spanDates,
  type Stage,
  type Standing,
  standingAt,
  standingKey,
  standingLabel,
  type DateField,
} from './phases.ts';
import { type EntryListing, scheduleOf, type SolicitationRow } from './solicitations.repository.ts';

/** An entry's states (their names are in the catalogue: sol.entryStatus.*). */
export const ENTRY_STATUSES = { submitted: 'submitted', approved: 'approved', refused: 'refused' } as const;
export type EntryStatus = keyof typeof ENTRY_STATUSES;

export interface PhaseView {
  key: Phase;
  label: string;
  /** First and last day in Beijing time, YYYY-MM-DD. */
  start: string;
  end: string;
  startAt: string;
  endAt: string;
  /** The phase the solicitation is in (running or just ended). */
  current: boolean;
}

export interface SolicitationSummary {
  id: number;
  title: string;
  stage: Stage;
  running: boolean;
  group: Group;
  /** Where it stands, in Chinese ("投票中", "投票已截止，等待公布结果" …). */
  stageLabel: string;
  stageKey: ReturnType<typeof standingKey>;
  phases: PhaseView[];
  entriesPerUser: number;
  votesPerUser: number;
  announcedAt: string | null;
}

export interface PublicEntry {
  id: number;
  title: string;
  body: string;
  /** The nickname (personal data masked), or "网友" and a stable tag if the author asked for it. */
  author: string;
  /** Valid votes; null while voting runs (counts are published when it ends). */
  votes: number | null;
  rank: number | null;
  prize: string | null;
}

export interface SolicitationDetail extends SolicitationSummary {
  rules: string;
  announcement: string | null;
  /** Approved entries: the winners first by rank once announced, then by votes once counted, else as they came. */
  entries: PublicEntry[];
  winners: PublicEntry[];
  countsVisible: boolean;
  acceptingEntries: boolean;
  votingOpen: boolean;
}

export interface MyEntry {
  id: number;
  solicitationId: number;
  solicitationTitle: string;
  title: string;
  body: string;
  status: EntryStatus;
  statusLabel: string;
  refuseReason: string | null;
  submittedAt: string;
  reviewedAt: string | null;
  rank: number | null;
  prize: string | null;
}

/** A signed-in account's part in one solicitation. */
export interface Participation {
  entries: MyEntry[];
  entriesUsed: number;
  votesUsed: number;
  votesLeft: number;
  votedEntryIds: number[];
  /** Entries are being taken and the account has room for another. */
  canSubmit: boolean;
}

export interface EntryFlags {
  personalData: string[];
  sensitiveWords: string[];
}

export interface EditorEntry extends PublicEntry {
  status: EntryStatus;
  statusLabel: string;
  authorId: number;
  flags: EntryFlags;
  refuseReason: string | null;
  submittedAt: string;
  /** Valid votes, whatever the phase. */
  validVotes: number;
  flaggedVotes: number;
  voidedVotes: number;
}

export interface FlaggedVote {
  id: number;
  entryId: number;
  entryTitle: string;
  voterId: number;
  voterNickname: string;
  voterRegisteredAt: string;
  /** The first characters of the network's keyed digest: enough to see which votes came from one place. */
  network: string | null;
  burst: boolean;
  newAccount: boolean;
  votedAt: string;
  voidedAt: string | null;
  voidReason: string | null;
}

export interface EditorDetail {
  solicitation: SolicitationDetail;
  /** The form's dates, as the editor gave them (Beijing days). */
  dates: Record<DateField, string>;
  waiting: EditorEntry[];
  entries: EditorEntry[];
  flagged: FlaggedVote[];
  /** Voting has ended: the results may be announced (again). */
  canAnnounce: boolean;
  /** There is a next phase the editor may start now (the solicitation has not closed). */
  canAdvance: boolean;
}

export function summaryOf(row: SolicitationRow, now: Date): SolicitationSummary {
  const schedule = scheduleOf(row);
  const standing = standingAt(schedule, now);
  const current = standing.stage === 'upcoming' || standing.stage === 'closed' ? null : standing.stage;
  return {
    id: row.id,
    title: row.title,
    stage: standing.stage,
    running: standing.running,
    group: groupOf(standing.stage),
    stageLabel: standingLabel(standing),
    stageKey: standingKey(standing),
    phases: PHASES.map((key) => ({
      key,
      label: PHASE_LABELS[key],
      ...spanDates(schedule[key]),
      startAt: schedule[key].startAt,
      endAt: schedule[key].endAt,
      current: key === current,
    })),
    entriesPerUser: row.entries_per_user,
    votesPerUser: row.votes_per_user,
    announcedAt: row.announced_at,
  };
}

/** Counts are public once voting no longer runs. */
export function countsVisible(standing: Standing): boolean {
  return (
    standing.stage === 'results' || standing.stage === 'closed' || (standing.stage === 'voting' && !standing.running)
  );
}

export function authorName(secret: string, entry: EntryListing): string {
  if (entry.credit === 'tag') return authorTag(secret, entry.author_id);
  if (entry.author_deleted) return '已注销用户';
  return maskPersonalData(entry.author_nickname).text;
}

/** Winners by rank, then the rest by votes (when counted), then in the order they came. */
export function orderEntries<T extends PublicEntry & { id: number }>(
  entries: T[],
  announced: boolean,
  counted: boolean,
): T[] {
  return [...entries].sort((a, b) => {
    if (announced) {
      const ra = a.rank ?? Number.MAX_SAFE_INTEGER;
      const rb = b.rank ?? Number.MAX_SAFE_INTEGER;
      if (ra !== rb) return ra - rb;
    }
    if (counted && (a.votes ?? 0) !== (b.votes ?? 0)) return (b.votes ?? 0) - (a.votes ?? 0);
    return a.id - b.id;
  });
}

export function parseFlags(text: string): EntryFlags {
  try {
    const parsed = JSON.parse(text) as Partial<EntryFlags>;
    return { personalData: parsed.personalData ?? [], sensitiveWords: parsed.sensitiveWords ?? [] };
  } catch {
    return { personalData: [], sensitiveWords: [] };
  }
}

/** An entry's state in words: in the default language (the API's labels), or in `t`'s for an error a page shows. */
export function entryStatusLabel(status: string, t: Translate = translator(DEFAULT_LOCALE)): string {
  return Object.hasOwn(ENTRY_STATUSES, status) ? t(`sol.entryStatus.${status as EntryStatus}`) : status;
}

export function datesOf(row: SolicitationRow): Record<DateField, string> {
  return scheduleDates(scheduleOf(row));
}
