// The signed-in user's follows: the messages and boards they follow, each with its SMS choice and an unfollow button.
import { Time } from '../../web/views/time.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { boardName } from '../../web/views/names.tsx';
import { Sentence } from '../../web/views/sentence.tsx';
import type { FollowView } from '../follows.service.ts';
import { FollowButton } from './follow-button.tsx';

const MY_FOLLOWS = '/my/follows';

/** What is followed, named in the page's language: a message by its title (what people wrote), a board by its place and post. */
function FollowTitle({ ctx, f }: { ctx: PageContext; f: FollowView }): JSX.Element {
  const mine = f.kind === 'message' && f.available;
  const text = f.board ? boardName(ctx, f.board.regionName, f.board.title) : f.title;
  return f.available ? (
    <a href={f.path} translate={mine ? 'no' : undefined} safe>
      {text}
    </a>
  ) : (
    <span safe>{text}</span>
  );
}

function FollowItem({ ctx, f }: { ctx: PageContext; f: FollowView }): JSX.Element {
  const { t } = ctx;
  const id = f.messageId ?? f.boardId ?? 0;
  return (
    <li>
      <FollowTitle ctx={ctx} f={f} />
      <p class="meta">
        <Sentence text={t('follows.since')} slots={{ date: <Time ctx={ctx} iso={f.createdAt} dateOnly /> }} />
        <span safe>{` · ${t(f.sms ? 'follows.smsOn' : 'follows.smsOff')}`}</span>
      </p>
      <FollowButton ctx={ctx} kind={f.kind} id={id} following sms={f.sms} next={MY_FOLLOWS} />{' '}
      {/* Following again with the other choice changes only the SMS setting. */}
      {f.available ? (
        <form method="post" action={`${f.path}/follow`} class="inline">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={MY_FOLLOWS} />
          {f.sms ? '' : <input type="hidden" name="sms" value="1" />}
          <button type="submit" class="link" safe>
            {t(f.sms ? 'follows.smsTurnOff' : 'follows.smsTurnOn')}
          </button>
        </form>
      ) : (
        ''
      )}
    </li>
  );
}

export function MyFollowsPage({ ctx, follows }: { ctx: PageContext; follows: FollowView[] }): JSX.Element {
  const { t } = ctx;
  const messages = follows.filter((f) => f.kind === 'message');
  const boards = follows.filter((f) => f.kind === 'board');
  return (
    <Layout
      ctx={ctx}
      title={t('nav.myFollows')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('nav.myFollows') }]}
    >
      <h1 safe>{t('nav.myFollows')}</h1>
      {follows.length === 0 ? <p safe>{t('follows.empty')}</p> : ''}
      <section aria-labelledby="followed-messages">
        <h2 id="followed-messages" safe>
          {t('follows.messages')}
        </h2>
        {messages.length === 0 ? (
          <p safe>{t('follows.noMessages')}</p>
        ) : (
          <ul class="message-list">
            {messages.map((f) => (
              <FollowItem ctx={ctx} f={f} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="followed-boards">
        <h2 id="followed-boards" safe>
          {t('follows.boards')}
        </h2>
        {boards.length === 0 ? (
          <p safe>{t('follows.noBoards')}</p>
        ) : (
          <ul class="message-list">
            {boards.map((f) => (
              <FollowItem ctx={ctx} f={f} />
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
