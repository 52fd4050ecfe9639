// Leaders' boards as pages and the API see them.
import type { Db } from '../db/kysely.ts';
import { getAncestors, getRegion, type Region } from '../regions/regions.service.ts';
import { AppError } from '../web/app-error.ts';
import { boardsRepository } from './boards.repository.ts';
import { cursorAfter, listMessages } from '../search/message-list.ts';

export interface Board {
  id: number;
  regionCode: string;
  post: string;
  title: string;
  holderName: string | null;
  active: boolean;
  unit: { id: number; name: string; responsibilities: string };
}

export interface BoardDetail {
  board: Board;
  region: Region;
  ancestors: Region[];
}

type BoardRow = NonNullable<Awaited<ReturnType<typeof boardsRepository.findById>>>;

export function toBoard(row: BoardRow): Board {
  return {
    id: row.id,
    regionCode: row.region_code,
    post: row.post,
    title: row.title,
    holderName: row.holder_name,
    active: Boolean(row.active),
    unit: { id: row.unit_id, name: row.unit_name, responsibilities: row.unit_responsibilities },
  };
}

export async function getBoardDetail(db: Db, id: number): Promise<BoardDetail> {
  const row = await boardsRepository.findById(db, id);
  if (!row) throw new AppError('BOARD_NOT_FOUND', { id });
  const region = await getRegion(db, row.region_code);
  return { board: toBoard(row), region, ancestors: await getAncestors(db, region) };
}

export const BOARD_PAGE_SIZE = 20;

/** A page of the board's public messages, newest first, and where the next page starts: the shared listing. */
export async function listBoardMessages(db: Db, boardId: number, before?: number) {
  const page = await listMessages(db, {
    board: String(boardId),
    limit: BOARD_PAGE_SIZE,
    ...(before ? { cursor: cursorAfter(before) } : {}),
  });
  const last = page.items[page.items.length - 1];
  return {
    messages: page.items,
    older: page.next && last ? last.id : undefined,
  };
}
