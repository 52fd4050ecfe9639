// Small parts the staff pages share: their stylesheet, badges, a deadline in words, a pager.
import type { PageContext } from '../../web/page-context.ts';

/**
 * The staff pages' own styles (compact tables and panels). A stylesheet link in the body is valid HTML; it stays
 * here until the layout links /static/staff.css for every page.
 */
export function StaffStyles(): JSX.Element {
  return <link rel="stylesheet" href="/static/staff.css" />;
}

export function Badge({ kind, text }: { kind: string; text: string }): JSX.Element {
  return (
    <span class={`badge ${kind}`} safe>
      {text}
    </span>
  );
}

/** "2026/03/04，剩 2 个工作日" or "已超期（2026/03/04）". */
export function dueText(ctx: PageContext, dueAt: string, overdue: boolean, daysLeft: number | null): string {
  const date = ctx.time.date(dueAt);
  return overdue ? ctx.t('wb.due.overdue', { date }) : ctx.t('wb.due.left', { date, n: daysLeft ?? 0 });
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
