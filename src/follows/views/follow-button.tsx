// The follow / unfollow button on a message or board page: a plain form, so it works without JavaScript.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField } from '../../web/views/form.tsx';
import type { FollowKind } from '../follows.repository.ts';

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
  const { t } = ctx;
  const hint = t(kind === 'message' ? 'follow.hint.message' : 'follow.hint.board');
  const back = next ?? ctx.path;
  const base = `/${kind === 'message' ? 'messages' : 'boards'}/${id}`;
  if (!ctx.user) {
    return (
      <p class="follow">
        <a href={`/login?next=${encodeURIComponent(back)}`} safe>
          {t('follow.signIn', { hint })}
        </a>
      </p>
    );
  }
  if (following) {
    return (
      <form method="post" action={`${base}/unfollow`} class="inline follow">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={back} />
        <span class="meta" safe>
          {t(sms ? 'follow.followingSms' : 'follow.following')}
        </span>{' '}
        <button type="submit" class="secondary" safe>
          {t('follow.unfollow')}
        </button>
      </form>
    );
  }
  const boxId = `follow-sms-${kind}-${id}`;
  return (
    <form method="post" action={`${base}/follow`} class="inline follow">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="next" value={back} />
      <button type="submit" class="secondary" aria-describedby={`${boxId}-hint`} safe>
        {t('follow.follow')}
      </button>{' '}
      <span class="choice">
        <input type="checkbox" id={boxId} name="sms" value="1" checked={sms} />{' '}
        <label for={boxId} safe>
          {t('follow.alsoSms')}
        </label>
      </span>{' '}
      <span class="hint" id={`${boxId}-hint`} safe>
        {hint}
      </span>
    </form>
  );
}
