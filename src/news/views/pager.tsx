// "Page 2 of 5" with links to the pages before and after, for any numbered listing.
import type { PageContext } from '../../web/page-context.ts';

/** `href(n)` gives the address of page n. */
export function Pager({
  ctx,
  page,
  pageSize,
  total,
  href,
}: {
  ctx: PageContext;
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
}): JSX.Element {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return '';
  return (
    <nav class="pager" aria-label={ctx.t('pager.label')}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev" safe>
          {ctx.t('pager.previous')}
        </a>
      ) : (
        ''
      )}
      <span safe>{ctx.t('pager.position', { page, pages })}</span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next" safe>
          {ctx.t('pager.next')}
        </a>
      ) : (
        ''
      )}
    </nav>
  );
}
