// The follow / unfollow button on a message or board page: a plain form, so it works without JavaScript.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField } from '../../web/views/form.tsx';
import type { FollowKind } from '../follows.repository.ts';

const HINTS: Record<FollowKind, string> = {
  message: '有新答复或办结时通知您',
  board: '该留言板的留言有新答复或办结时通知您',
};

export function FollowButton({
  ctx,
  kind,
  id,
  following,
  sms = false,
  next,
}: {
  ctx: PageContext;
  kind: FollowKind;
  id: number;
  following: boolean;
  /** Whether the current follow also sends SMS (shown, and kept as the checkbox's default). */
  sms?: boolean;
  /** Where to come back to; the current page by default. */
  next?: string;
}): JSX.Element {
  const back = next ?? ctx.path;
  const base = `/${kind === 'message' ? 'messages' : 'boards'}/${id}`;
  if (!ctx.user) {
    return (
      <p class="follow">
        <a href={`/login?next=${encodeURIComponent(back)}`} safe>
          {`登录后关注（${HINTS[kind]}）`}
        </a>
      </p>
    );
  }
  if (following) {
    return (
      <form method="post" action={`${base}/unfollow`} class="inline follow">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={back} />
        <span class="meta">{sms ? '已关注（含短信提醒）' : '已关注'}</span>{' '}
        <button type="submit" class="secondary">
          取消关注
        </button>
      </form>
    );
  }
  const boxId = `follow-sms-${kind}-${id}`;
  return (
    <form method="post" action={`${base}/follow`} class="inline follow">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="next" value={back} />
      <button type="submit" class="secondary" aria-describedby={`${boxId}-hint`}>
        关注
      </button>{' '}
      <span class="choice">
        <input type="checkbox" id={boxId} name="sms" value="1" checked={sms} /> <label for={boxId}>同时短信提醒</label>
      </span>{' '}
      <span class="hint" id={`${boxId}-hint`} safe>
        {HINTS[kind]}
      </span>
    </form>
  );
}
