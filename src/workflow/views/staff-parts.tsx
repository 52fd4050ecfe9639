// Small parts the staff pages share: badges, a deadline in words, a pager, names and what people wrote inside the
// catalogue's sentences.
import type { Translate } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Time } from '../../web/views/time.tsx';

/** What a person wrote (a title, a note, a nickname): shown as written, and marked so no translation tool changes it. */
export function Own({ text }: { text: string }): JSX.Element {
  return (
    <span translate="no" safe>
      {text}
    </span>
  );
}

/** A writer's public tag ("网友" and a stable handle, see messages/message-view.ts) in the page's language. */
export const authorName = (t: Translate, tag: string): string =>
  t('message.author', { handle: tag.replace(/^网友/, '') });

/** Whether an element holding a unit's name must be marked translate="no" (see UnitName in web/views/names.tsx). */
export const keptAsWritten = (ctx: PageContext, name: string): 'no' | undefined =>
  ctx.names.unitKeptAsWritten(name) ? 'no' : undefined;

/** Stands for the `i`th part in a catalogue sentence given to Filled. */
export const slot = (i: number): string => `\u0001${i}\u0002`;

/**
 * A catalogue sentence with markup in the places of its parameters (`slot(0)`, `slot(1)`…): each language orders its
 * words, and names and what people wrote sit in elements of their own (see Own, UnitName).
 */
export function Filled({ text, parts }: { text: string; parts: JSX.Element[] }): JSX.Element {
  const pieces = text.split(/\u0001(\d+)\u0002/);
  return (
    <>
      {pieces.map((piece, i) => (i % 2 === 1 ? (parts[Number(piece)] ?? '') : piece ? <span safe>{piece}</span> : ''))}
    </>
  );
}

export function Badge({ kind, text }: { kind: string; text: string }): JSX.Element {
  return (
    <span class={`badge ${kind}`} safe>
      {text}
    </span>
  );
}

/** "2026/03/04，剩 2 个工作日" or "已超期（2026/03/04）", the date in a `<time>` of its own. */
export function Due({
  ctx,
  dueAt,
  overdue,
  daysLeft,
}: {
  ctx: PageContext;
  dueAt: string;
  overdue: boolean;
  daysLeft: number | null;
}): JSX.Element {
  // The sentence comes from the catalogue with a marker where the date goes, so each language places it.
  const marker = '\u0001';
  const text = overdue
    ? ctx.t('wb.due.overdue', { date: marker })
    : ctx.t('wb.due.left', { date: marker, n: daysLeft ?? 0 });
  const [before = '', after = ''] = text.split(marker);
  return (
    <>
      <span safe>{before}</span>
      <Time ctx={ctx} iso={dueAt} dateOnly />
      <span safe>{after}</span>
    </>
  );
}

/** Previous and next page links that keep the rest of the query. */
export function Pager({
  ctx,
  base,
  query,
  page,
  pages,
  total,
}: {
  ctx: PageContext;
  base: string;
  query: Record<string, string | undefined>;
  page: number;
  pages: number;
  total: number;
}): JSX.Element {
  if (pages <= 1) return '';
  const href = (p: number) => {
    const params = new URLSearchParams(
      Object.entries({ ...query, page: p > 1 ? String(p) : undefined }).filter(
        (e): e is [string, string] => e[1] !== undefined,
      ),
    ).toString();
    return params ? `${base}?${params}` : base;
  };
  return (
    <nav class="pager" aria-label={ctx.t('wb.pager.label')}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev" safe>
          {ctx.t('wb.pager.prev')}
        </a>
      ) : (
        ''
      )}{' '}
      <span safe>{ctx.t('wb.pager.status', { page, pages, total })}</span>{' '}
      {page < pages ? (
        <a href={href(page + 1)} rel="next" safe>
          {ctx.t('wb.pager.next')}
        </a>
      ) : (
        ''
      )}
    </nav>
  );
}
