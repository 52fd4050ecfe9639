// The demo's leaders: the boards the demo leader accounts sign for get a holder through the ordinary board import,
// which opens their terms, so the replies they sign show on their pages. The names are made up and say so.
import { importBoards } from '../boards/import-boards.ts';
import type { Db } from '../db/kysely.ts';

export const DEMO_HOLDERS: readonly { boardId: number; name: string }[] = [
  { boardId: 1301232, name: '陈立新（演示）' },
  { boardId: 1100002, name: '李明远（演示）' },
  { boardId: 4403002, name: '王建华（演示）' },
];

export async function seedDemoHolders(db: Db, log: (line: string) => void = () => {}): Promise<void> {
  const csv = ['board_id,holder_name', ...DEMO_HOLDERS.map((h) => `${h.boardId},${h.name}`)].join('\n');
  const outcome = await importBoards(db, csv);
  if (!outcome.ok) throw new Error(`无法设置演示领导：${outcome.errors.map((e) => e.message).join('；')}`);
  // A demo leader has held the post for a while (two years), so the term's figures cover the demo's messages.
  const since = new Date(Date.now() - 2 * 365 * 86400_000).toISOString();
  await db
    .updateTable('board_holders')
    .set({ since })
    .where(
      'board_id',
      'in',
      DEMO_HOLDERS.map((h) => h.boardId),
    )
    .where('until', 'is', null)
    .execute();
  log(`领导：${DEMO_HOLDERS.map((h) => h.name).join('、')}`);
}
