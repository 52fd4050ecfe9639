// Demo data: the 2009 slogan solicitation as a closed solicitation, run through the real services on its own dates —
// entries sent and reviewed, votes cast (two from accounts made during the vote, flagged and voided), winners announced.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import type { Db } from '../db/kysely.ts';
import type { SensitiveWords } from '../messages/sensitive-words.ts';
import { approveEntry, refuseEntry, submitEntry } from './entries.service.ts';
import { announceResults, createSolicitation, editorDetail, voidVotes } from './solicitations.service.ts';
import { castVote } from './votes.service.ts';

export const DEMO_SOLICITATION_TITLE = '领导留言板口号征集（2009 年）';
export const WINNING_SLOGAN = '社情民意的集散地，亲民爱民的回音壁';

const RULES = `为《地方领导留言板》征集一句栏目口号，体现网民留言、领导回复、部门办理的特点，简洁上口，便于传播。

投稿：每个账号最多 2 件，口号写在标题中，可附简要说明。作品须为原创，经平台编辑审核后公开。
投票：每个账号 3 票，每件作品限投一票。
评选：编辑部参考网友投票评出一、二、三等奖，一等奖作品采用为栏目口号。

（演示数据：获奖口号及其作者赵逢班据公开报道；其余作品、网友、日期和票数为演示所设。）`;

/** Beijing time on a day of 2009. */
const at = (day: string, time = '10:00') => new Date(`2009-${day}T${time}:00+08:00`);

interface DemoEntry {
  author: string;
  title: string;
  body: string;
  anonymous?: boolean;
  /** Refused with this reason; otherwise approved. */
  refused?: string;
}

const ENTRIES: DemoEntry[] = [
  {
    author: '赵逢班',
    title: WINNING_SLOGAN,
    body: '留言板汇集各地网友反映的问题和建议，是社情民意的集散地；领导和部门在这里公开回应、认真办理，是亲民爱民的回音壁。',
  },
  {
    author: '燕赵老兵',
    title: '网民有所呼，领导有所应',
    body: '八个字说清留言板的作用：网友说话有人听，反映问题有回音。',
  },
  { author: '江南小雨', title: '一条留言一份情，件件回复暖民心', body: '' },
  { author: '老许说事', title: '听民声、察民情、解民忧', body: '三个动作，对应留言、办理、答复。' },
  { author: '春风化雨', title: '网上有民意，线下见行动', body: '', anonymous: true },
  { author: '江南小雨', title: '顶一个，支持留言板！', body: '', refused: '与征集主题无关：请提交口号作品。' },
];

/** Who votes for which entries (by their place in ENTRIES), three votes each. */
const BALLOTS: [string, number[]][] = [
  ['山城棒棒', [0, 1, 3]],
  ['黄河岸边', [0, 2, 4]],
  ['草原牧歌', [0, 1, 2]],
  ['椰风海韵', [0, 3, 4]],
  ['天山雪莲', [0, 1, 3]],
  ['巴蜀布衣', [0, 2, 3]],
  ['塞北老农', [0, 1, 4]],
  ['闽南阿伯', [1, 3]],
  ['岭南书生', [0, 4]],
  ['燕赵老兵', [0, 3]],
  ['老许说事', [0, 1]],
  ['赵逢班', [1, 3]],
];

/** Registered during the vote and voting for one entry only: flagged to the editor, who voided them. */
const LATE_VOTERS = ['投票新号一', '投票新号二'];

export interface SolicitationDemoDeps {
  secret: string;
  sensitiveWords: SensitiveWords;
  editor: CurrentUser;
  log?: (line: string) => void;
}

/** A 2009 netizen: no phone or password (they cannot sign in), registered on the given day. */
async function demoNetizen(db: Db, nickname: string, registered: Date): Promise<CurrentUser> {
  const row = await db
    .insertInto('users')
    .values({ phone: null, password_hash: null, nickname, is_staff: 0, created_at: registered.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, phone: '', nickname, isStaff: false, totpEnabled: false, totpPending: false, grants: [] };
}

/** Adds the 2009 slogan solicitation, closed, with its winner; does nothing if it is already there. */
export async function seedSolicitationDemo(db: Db, deps: SolicitationDemoDeps): Promise<number> {
  const log = deps.log ?? (() => {});
  const existing = await db
    .selectFrom('solicitations')
    .select('id')
    .where('title', '=', DEMO_SOLICITATION_TITLE)
    .executeTakeFirst();
  if (existing) return existing.id;
  const editor = { user: deps.editor, ip: null };
  const id = await createSolicitation(
    db,
    editor,
    {
      title: DEMO_SOLICITATION_TITLE,
      rules: RULES,
      entriesPerUser: 2,
      votesPerUser: 3,
      entriesStart: '2009-06-01',
      entriesEnd: '2009-06-30',
      reviewStart: '2009-07-01',
      reviewEnd: '2009-07-10',
      votingStart: '2009-07-11',
      votingEnd: '2009-07-25',
      resultsStart: '2009-07-28',
      resultsEnd: '2009-08-31',
    },
    at('05-20'),
  );

  const people = new Map<string, CurrentUser>();
  const person = async (nickname: string, registered = at('01-15')) => {
    let found = people.get(nickname);
    if (!found) {
      found = await demoNetizen(db, nickname, registered);
      people.set(nickname, found);
    }
    return found;
  };
  const entryIds: number[] = [];
  for (const [i, e] of ENTRIES.entries()) {
    const author = await person(e.author);
    const sent = await submitEntry(
      {
        db,
        secret: deps.secret,
        sensitiveWords: deps.sensitiveWords,
        now: at(`06-${String(3 + i * 4).padStart(2, '0')}`),
      },
      author,
      id,
      { title: e.title, body: e.body, anonymous: e.anonymous ?? false },
    );
    entryIds.push(sent.id);
  }
  for (const [i, e] of ENTRIES.entries()) {
    const when = at('07-02', `1${i}:00`);
    if (e.refused) await refuseEntry(db, editor, id, entryIds[i]!, { reason: e.refused }, when);
    else await approveEntry(db, editor, id, entryIds[i]!, when);
  }

  let n = 0;
  for (const [nickname, picks] of BALLOTS) {
    const voter = await person(nickname);
    for (const pick of picks) {
      n++;
      await castVote(
        {
          db,
          secret: deps.secret,
          clientAddress: `198.51.100.${n}`,
          now: at(`07-${String(11 + (n % 14)).padStart(2, '0')}`, '20:15'),
        },
        voter,
        id,
        entryIds[pick]!,
      );
    }
  }
  for (const [i, nickname] of LATE_VOTERS.entries()) {
    const voter = await person(nickname, at('07-20', '08:00'));
    await castVote(
      { db, secret: deps.secret, clientAddress: `203.0.113.${i + 1}`, now: at('07-20', `08:0${i + 1}`) },
      voter,
      id,
      entryIds[4]!,
    );
  }
  const desk = await editorDetail(db, deps.secret, id, at('07-26'));
  const flagged = desk.flagged.filter((v) => v.newAccount && !v.voidedAt).map((v) => v.id);
  if (flagged.length > 0)
    await voidVotes(
      db,
      editor,
      id,
      { voteIds: flagged, reason: '投票期间新注册的账号只投同一件作品，不予计票。' },
      at('07-26'),
    );

  await announceResults(
    db,
    editor,
    id,
    {
      winners: [
        { entryId: entryIds[0], rank: 1, prize: '一等奖（采用为栏目口号）' },
        { entryId: entryIds[1], rank: 2, prize: '二等奖' },
        { entryId: entryIds[3], rank: 3, prize: '三等奖' },
      ],
      note: `经网友投票和编辑部评审，网友赵逢班的“${WINNING_SLOGAN}”获一等奖，采用为《地方领导留言板》的栏目口号。感谢各位网友的参与！`,
    },
    at('07-28'),
  );
  log(`征集：${DEMO_SOLICITATION_TITLE}（${ENTRIES.length} 件作品，${n + LATE_VOTERS.length} 票，已公布结果）`);
  return id;
}
