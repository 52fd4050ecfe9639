// A board as it appears in a region's list: post, holder and a link to the board.
import type { PageContext } from '../../web/page-context.ts';
import type { Board } from '../boards.service.ts';

export function BoardCard({
  ctx,
  board,
  regionName,
}: {
  ctx: PageContext;
  board: Board;
  regionName: string;
}): JSX.Element {
  return (
    <a class="board-card" href={`/boards/${board.id}`}>
      <strong safe>{`${regionName} · ${board.title}`}</strong>
      <span class="meta">
        <span safe>{`${ctx.t('board.holder')}：`}</span>
        <span safe>{board.holderName ?? ctx.t('board.holderUnknown')}</span>
      </span>
    </a>
  );
}
