// HTTP for board pages and the boards API.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { BoardDetailBody, BoardIdParams, errorResponses, Id } from '../api/schemas.ts';
import { idFromText } from '../db/ids.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { getBoardDetail, listBoardMessages } from './boards.service.ts';
import { BoardPage } from './views/board-page.tsx';
import { followState } from '../follows/follows.service.ts';
import { leadersService } from '../leaders/leaders.service.ts';

export const boardsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/boards/:id',
    {
      config: { access: PUBLIC, publicCache: true, regionalLocale: 'id' },
      schema: {
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ before: Type.Optional(Id()) }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const boardId = idFromText(id);
      if (boardId === null) throw new AppError('BOARD_NOT_FOUND', { id });
      const detail = await getBoardDetail(app.db, boardId);
      const board = detail.board.id;
      const before = request.query.before;
      // The board's public messages and its holders are the same for everyone; whether this visitor follows it is not.
      const [page, holders] = await app.pageCache.shared(`board ${board} ${before ?? ''}`, () =>
        Promise.all([listBoardMessages(app.db, board, before), leadersService.terms(app.db, board)]),
      );
      const follow = await followState(app.db, request.user, { kind: 'board', id: board });
      return sendPage(reply, BoardPage({ ctx: pageContext(request, reply), detail, ...page, follow, holders }));
    },
  );

  app.get(
    '/api/v1/boards/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['boards'],
        summary: '留言板详情：领导职务、现任姓名、负责办理单位',
        params: BoardIdParams,
        response: { 200: BoardDetailBody, ...errorResponses },
      },
    },
    async (request) => getBoardDetail(app.db, request.params.id),
  );
};
