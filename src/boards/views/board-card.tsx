// A board as it appears in a region's list: post, holder and a link to the board.
import type { PageContext } from '../../web/page-context.ts';
import type { Board } from '../boards.service.ts';
import { boardName } from '../../web/views/names.tsx';

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
      <strong safe>{boardName(ctx, regionName, board.title)}</strong>
      <span class="meta">
        <span safe>{ctx.t('board.holderLabel')}</span>
        {board.holderName ? (
          <span translate="no" safe>
            {board.holderName}
          </span>
        ) : (
          <span safe>{ctx.t('board.holderUnknown')}</span>
        )}
      </span>
    </a>
  );
}
