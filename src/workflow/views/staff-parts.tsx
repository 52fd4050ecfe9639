// Small parts the staff pages share: badges, a deadline in words, a pager.
import type { PageContext } from '../../web/page-context.ts';
import { Time } from '../../web/views/time.tsx';

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
