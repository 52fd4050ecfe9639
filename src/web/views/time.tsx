// A time on a page: shown in the platform's time zone, with the exact instant in `datetime` for machines.
import type { PageContext } from '../page-context.ts';

export function Time({
  ctx,
  iso,
  dateOnly,
}: {
  ctx: PageContext;
  iso: string | null;
  dateOnly?: boolean;
}): JSX.Element {
  if (!iso) return '';
  const shown = dateOnly ? ctx.time.date(iso) : ctx.time.dateTime(iso);
  return (
    <time datetime={iso} safe>
      {shown}
    </time>
  );
}
