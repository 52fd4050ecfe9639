// Sets leaders' names (and whether a board is open) from a CSV file; all rows or none. A changed name closes the
// holder's term and opens the next one, dated now.
import type { Db } from '../db/kysely.ts';
import { boardsRepository } from './boards.repository.ts';
import { holdersRepository } from '../leaders/holders.repository.ts';
import { parseFlag, readCsv, type RowError } from '../reference/csv-rows.ts';

export const BOARD_COLUMNS = { required: ['holder_name'], optional: ['board_id', 'region_code', 'post', 'active'] };
export const HOLDER_NAME_MAX = 32;

export type ImportOutcome = { ok: true; updated: number; unchanged: number } | { ok: false; errors: RowError[] };

interface BoardChange {
  id: number;
  holderName: string | null;
  active: boolean | undefined;
}

export async function importBoards(db: Db, text: string): Promise<ImportOutcome> {
  const csv = readCsv(text, BOARD_COLUMNS.required, BOARD_COLUMNS.optional);
  if (!csv.ok) return csv;

  const boards = await boardsRepository.listAll(db);
  const byId = new Map(boards.map((b) => [b.id, b]));
  const byRegion = new Map<string, typeof boards>();
  for (const b of boards) byRegion.set(b.region_code, [...(byRegion.get(b.region_code) ?? []), b]);

  const errors: RowError[] = [];
  const changes: BoardChange[] = [];
  const seenAt = new Map<number, number>();
  for (const { line, values } of csv.rows) {
    const fail = (message: string) => errors.push({ line, message });
    let board: (typeof boards)[number] | undefined;
    if (values.board_id) {
      if (!/^\d+$/.test(values.board_id)) {
        fail(`留言板编号 "${values.board_id}" 应为数字`);
        continue;
      }
      board = byId.get(Number(values.board_id));
      if (!board) {
        fail(`没有编号为 ${values.board_id} 的留言板`);
        continue;
      }
    } else {
      const code = values.region_code ?? '';
      const post = values.post ?? '';
      if (!code || !post) {
        fail('需要 board_id，或者 region_code 和 post');
        continue;
      }
      const inRegion = byRegion.get(code);
      if (!inRegion) {
        fail(`地区代码 ${code} 不存在或没有领导留言板`);
        continue;
      }
      board = inRegion.find((b) => b.post === post || b.title === post);
      if (!board) {
        const offered = inRegion.map((b) => `${b.post}（${b.title}）`).join('、');
        fail(`地区 ${code} 没有职务为 "${post}" 的留言板，可选：${offered}`);
        continue;
      }
    }
    const holderName = (values.holder_name ?? '').trim();
    if ([...holderName].length > HOLDER_NAME_MAX) {
      fail(`领导姓名过长（最多 ${HOLDER_NAME_MAX} 个字符）`);
      continue;
    }
    if (/[<>{}\u0000-\u001f]/.test(holderName)) {
      fail('领导姓名含有不允许的字符');
      continue;
    }
    let active: boolean | undefined;
    if (values.active) {
      active = parseFlag(values.active);
      if (active === undefined) {
        fail(`active 的值 "${values.active}" 无法识别，应为 是/否 或 1/0`);
        continue;
      }
    }
    const earlier = seenAt.get(board.id);
    if (earlier) {
      fail(`与第 ${earlier} 行是同一个留言板`);
      continue;
    }
    seenAt.set(board.id, line);
    changes.push({ id: board.id, holderName: holderName || null, active });
  }
  if (errors.length > 0) return { ok: false, errors };

  const effective = changes.filter((c) => {
    const b = byId.get(c.id)!;
    return b.holder_name !== c.holderName || (c.active !== undefined && Boolean(b.active) !== c.active);
  });
  const at = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const c of effective) {
      await boardsRepository.updateHolder(trx, c.id, c.holderName, c.active);
      // A new holder ends the term of the one before, whose signed replies stay theirs (see src/leaders).
      const board = byId.get(c.id)!;
      if (board.holder_name !== c.holderName)
        await holdersRepository.changeHolder(trx, { boardId: c.id, name: c.holderName, post: board.title, at });
    }
  });
  return { ok: true, updated: effective.length, unchanged: changes.length - effective.length };
}
