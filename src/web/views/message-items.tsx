// A list of public messages, as every listing shows them: status, title, where it was written, when, and for an open
// message the deadline now running or that it is overdue.
import { domainLabel, statusLabel, typeLabel } from '../../messages/message-labels.ts';
import { normaliseText } from '../../messages/text-normalise.ts';
import type { ListItem } from '../../search/message-list.ts';
import type { PageContext } from '../page-context.ts';
import { Time } from './time.tsx';

/** Splits text into plain and matched pieces; positions line up because normalising keeps the length. */
export function highlight(text: string, terms: string[]): { text: string; hit: boolean }[] {
  if (terms.length === 0) return [{ text, hit: false }];
  const normalised = normaliseText(text);
  const marks = new Array<boolean>(text.length).fill(false);
  for (const term of terms) {
    for (let at = normalised.indexOf(term); at >= 0; at = normalised.indexOf(term, at + 1))
      marks.fill(true, at, at + term.length);
  }
  const out: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = out[out.length - 1];
    if (last && last.hit === marks[i]) last.text += text[i];
    else out.push({ text: text[i]!, hit: marks[i]! });
  }
  return out;
}

export function Marked({ text, terms }: { text: string; terms: string[] }): JSX.Element {
  return <>{highlight(text, terms).map((p) => (p.hit ? <mark safe>{p.text}</mark> : <span safe>{p.text}</span>))}</>;
}

/** "受理时限 12/08" or "已超期": the clock the public sees on every open message. */
export function DeadlineBadge({ ctx, deadline }: { ctx: PageContext; deadline: ListItem['deadline'] }): JSX.Element {
  if (!deadline) return '';
  const what = deadline.kind === 'accept' ? ctx.t('deadline.accept') : ctx.t('deadline.handle');
  return deadline.overdue ? (
    <span class="badge overdue" safe>
      {ctx.t(deadline.kind === 'accept' ? 'deadline.overdueAccept' : 'deadline.overdueHandle')}
    </span>
  ) : (
    <span class="badge due">
      <span safe>{`${what} `}</span>
      <Time ctx={ctx} iso={deadline.dueAt} dateOnly />
      {deadline.provisional ? <span safe>{ctx.t('deadline.provisional')}</span> : ''}
    </span>
  );
}

export function MessageItems({
  ctx,
  items,
  terms = [],
  showPlace = true,
  snippets = false,
}: {
  ctx: PageContext;
  items: ListItem[];
  /** Search terms to mark in titles and snippets. */
  terms?: string[];
  /** Name the board and region (lists that mix boards). */
  showPlace?: boolean;
  snippets?: boolean;
}): JSX.Element {
  return (
    <ul class="message-list">
      {items.map((m) => (
        <li>
          <span class={`badge status-${m.status.key}`} safe>
            {statusLabel(ctx.t, m.status.key)}
          </span>{' '}
          <a href={`/messages/${m.id}`} translate="no">
            <Marked text={m.title} terms={terms} />
          </a>
          {snippets ? (
            <p class="meta" translate="no">
              <Marked text={m.snippet} terms={terms} />
            </p>
          ) : (
            ''
          )}
          <p class="meta">
            {showPlace && m.boardTitle ? (
              <>
                <a
                  href={`/boards/${m.boardId}`}
                  safe
                >{`${ctx.names.place(m.regionName)} · ${ctx.names.post(m.boardTitle)}`}</a>
                {' · '}
              </>
            ) : (
              ''
            )}
            <span safe>{`${typeLabel(ctx.t, m.type.key)} · ${domainLabel(ctx.t, m.domain.key)} · `}</span>
            <Time ctx={ctx} iso={m.approvedAt} dateOnly /> <DeadlineBadge ctx={ctx} deadline={m.deadline} />
          </p>
        </li>
      ))}
    </ul>
  );
}
