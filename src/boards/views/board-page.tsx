// A leader's board: the post, its holder, the responsible unit and the board's messages.
import type { PageContext } from '../../web/page-context.ts';
import { regionCrumbs } from '../../regions/views/region-crumbs.ts';
import { Layout } from '../../web/views/layout.tsx';
import { MessageItems } from '../../web/views/message-items.tsx';
import type { ListItem } from '../../search/message-list.ts';
import type { BoardDetail } from '../boards.service.ts';
import { boardName, Sentence, UnitName } from '../../web/views/names.tsx';
import type { FollowState } from '../../follows/follows.service.ts';
import { FollowButton } from '../../follows/views/follow-button.tsx';
import type { Term } from '../../leaders/leaders.service.ts';
import { BoardHolders } from '../../leaders/views/leaders-pages.tsx';

export function BoardPage({
  ctx,
  detail,
  messages,
  older,
  follow = { following: false, sms: false },
  holders = [],
}: {
  ctx: PageContext;
  detail: BoardDetail;
  messages: ListItem[];
  /** The id to page on from, when there are older messages. */
  older?: number;
  follow?: FollowState;
  /** The board's holders on record, the current one first: each links to their leader's page. */
  holders?: Term[];
}): JSX.Element {
  const { t } = ctx;
  const { board, region } = detail;
  const name = boardName(ctx, region.name, board.title);
  const crumbs = [...regionCrumbs(ctx, detail.ancestors, region), { label: ctx.names.post(board.title) }];
  return (
    <Layout ctx={ctx} title={name} crumbs={crumbs}>
      <h1 safe>{name}</h1>
      {board.active ? (
        ''
      ) : (
        <p class="notice" safe>
          {t('board.inactive')}
        </p>
      )}
      <dl class="facts">
        <BoardHolders ctx={ctx} holderName={board.holderName} terms={holders} />
        <div>
          <dt safe>{t('board.unit')}</dt>
          <dd>
            <UnitName ctx={ctx} name={board.unit.name} />
          </dd>
        </div>
        <div>
          <dt safe>{t('board.smsCode')}</dt>
          <dd>
            <strong safe>{String(board.id)}</strong>{' '}
            <span class="hint">
              <Sentence text={t('board.smsCodeHint', { code: board.id })} zh={{ track: '查' }} />
            </span>
          </dd>
        </div>
        {board.unit.responsibilities ? (
          <div>
            <dt safe>{t('board.responsibilities')}</dt>
            <dd translate="no" safe>
              {board.unit.responsibilities}
            </dd>
          </div>
        ) : (
          ''
        )}
      </dl>
      <FollowButton ctx={ctx} kind="board" id={board.id} following={follow.following} sms={follow.sms} />
      <p>
        <a href={`/boards/${board.id}/feed.atom`} type="application/atom+xml" safe>
          {t('board.feed')}
        </a>
      </p>
      <section aria-labelledby="messages-heading">
        <h2 id="messages-heading" safe>
          {t('board.messages')}
        </h2>
        {board.active ? (
          <p>
            <a class="button" href={`/messages/new?board=${board.id}`} safe>
              {t('board.write')}
            </a>
          </p>
        ) : (
          ''
        )}
        {messages.length === 0 ? (
          <p safe>{t('board.noMessages')}</p>
        ) : (
          <MessageItems ctx={ctx} items={messages} showPlace={false} />
        )}
        {older ? (
          <p>
            <a href={`/boards/${board.id}?before=${older}`} safe>
              {t('board.older')}
            </a>
          </p>
        ) : (
          ''
        )}
      </section>
    </Layout>
  );
}
