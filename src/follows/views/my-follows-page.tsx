// The signed-in user's follows: the messages and boards they follow, each with its SMS choice and an unfollow button.
import { Time } from '../../web/views/time.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { FollowView } from '../follows.service.ts';
import { FollowButton } from './follow-button.tsx';

const MY_FOLLOWS = '/my/follows';

function FollowItem({ ctx, f }: { ctx: PageContext; f: FollowView }): JSX.Element {
  const id = f.messageId ?? f.boardId ?? 0;
  return (
    <li>
      {f.available ? (
        <a href={f.path} safe>
          {f.title}
        </a>
      ) : (
        <span safe>{f.title}</span>
      )}
      <p class="meta">
        关注于 <Time ctx={ctx} iso={f.createdAt} dateOnly />
        <span safe>{` · 短信提醒${f.sms ? '已开启' : '未开启'}`}</span>
      </p>
      <FollowButton ctx={ctx} kind={f.kind} id={id} following sms={f.sms} next={MY_FOLLOWS} />{' '}
      {/* Following again with the other choice changes only the SMS setting. */}
      {f.available ? (
        <form method="post" action={`${f.path}/follow`} class="inline">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={MY_FOLLOWS} />
          {f.sms ? '' : <input type="hidden" name="sms" value="1" />}
          <button type="submit" class="link">
            {f.sms ? '关闭短信提醒' : '开启短信提醒'}
          </button>
        </form>
      ) : (
        ''
      )}
    </li>
  );
}

export function MyFollowsPage({ ctx, follows }: { ctx: PageContext; follows: FollowView[] }): JSX.Element {
  const messages = follows.filter((f) => f.kind === 'message');
  const boards = follows.filter((f) => f.kind === 'board');
  return (
    <Layout ctx={ctx} title="我的关注" crumbs={[{ label: '首页', href: '/' }, { label: '我的关注' }]}>
      <h1>我的关注</h1>
      {follows.length === 0 ? (
        <p>还没有关注。在留言或领导留言板页面点击“关注”，有新答复或办结时会在“我的通知”里告诉您。</p>
      ) : (
        ''
      )}
      <section aria-labelledby="followed-messages">
        <h2 id="followed-messages">关注的留言</h2>
        {messages.length === 0 ? (
          <p>没有关注的留言。</p>
        ) : (
          <ul class="message-list">
            {messages.map((f) => (
              <FollowItem ctx={ctx} f={f} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="followed-boards">
        <h2 id="followed-boards">关注的留言板</h2>
        {boards.length === 0 ? (
          <p>没有关注的留言板。</p>
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
