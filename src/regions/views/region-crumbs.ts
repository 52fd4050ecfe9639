// The breadcrumb from the home page down to a region.
import type { PageContext } from '../../web/page-context.ts';
import type { Crumb } from '../../web/views/layout.tsx';
import type { Region } from '../regions.service.ts';

export function regionCrumbs(ctx: PageContext, ancestors: Region[], region: Region): Crumb[] {
  return [
    { label: ctx.t('nav.home'), href: '/' },
    ...ancestors.map((a) => ({ label: ctx.names.place(a.name), href: `/regions/${a.code}` })),
    { label: ctx.names.place(region.name), href: `/regions/${region.code}` },
  ];
}
