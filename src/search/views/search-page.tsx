// The search page: a query with filters, results with the matches marked, and the next page.
import { DOMAINS, MESSAGE_TYPES } from '../../messages/message-kinds.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { FormErrors } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { ListItem, ListQuery } from '../message-list.ts';
import type { RegionSearchResult } from '../../regions/region-search.ts';
import { MessageItems } from '../../web/views/message-items.tsx';
import { Sentence } from '../../web/views/names.tsx';
import { domainLabel, statusLabel, typeLabel } from '../../messages/message-labels.ts';

const SEARCHABLE_STATUSES = ['pending', 'assigned', 'replied', 'closed'];

/** "河北省 石家庄市" in the page's language. */
const placePath = (ctx: PageContext, path: string) =>
  path
    .split(' ')
    .map((n) => ctx.names.place(n))
    .join(' ');

export function SearchPage({
  ctx,
  query,
  items,
  terms,
  next,
  errors,
  count,
  countCap,
  place,
  region,
  places,
}: {
  ctx: PageContext;
  query: ListQuery;
  items: ListItem[];
  terms: string[];
  next: string | null;
  errors?: FormErrors;
  /** How many messages match (up to countCap; more shows as "more than"); null on later pages. */
  count: number | null;
  countCap: number;
  /** The place as typed, the region searched in, and other places the name could mean. */
  place: string;
  region: { code: string; path: string } | null;
  places: RegionSearchResult[];
}): JSX.Element {
  const { t } = ctx;
  const nextHref = next
    ? `/search?${new URLSearchParams({ ...(query as Record<string, string>), cursor: next }).toString()}`
    : null;
  const select = (name: keyof ListQuery, label: string, options: Record<string, string>) => (
    <div class="field">
      <label for={`f-${name}`} safe>
        {label}
      </label>
      <select id={`f-${name}`} name={name}>
        <option value="" safe>
          {t('search.all')}
        </option>
        {Object.entries(options).map(([k, l]) => (
          <option value={k} selected={query[name] === k} safe>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Layout
      ctx={ctx}
      title={t('search.title')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('search.title') }]}
    >
      <h1 safe>{t('search.title')}</h1>
      <form method="get" action="/search" class="filters search-filters" role="search">
        <div class={errors?.q ? 'field span-all has-error' : 'field span-all'}>
          <label for="f-q" safe>
            {t('search.q')}
          </label>
          <input
            id="f-q"
            name="q"
            type="search"
            value={query.q ?? ''}
            maxlength={50}
            aria-invalid={errors?.q ? 'true' : undefined}
          />
          {errors?.q ? (
            <p class="error" role="alert" safe>
              {errors.q}
            </p>
          ) : (
            ''
          )}
        </div>
        {select(
          'type',
          t('search.type'),
          Object.fromEntries(Object.keys(MESSAGE_TYPES).map((k) => [k, typeLabel(t, k)])),
        )}
        {select(
          'domain',
          t('search.domain'),
          Object.fromEntries(Object.keys(DOMAINS).map((k) => [k, domainLabel(t, k)])),
        )}
        {select(
          'status',
          t('search.status'),
          Object.fromEntries(SEARCHABLE_STATUSES.map((k) => [k, statusLabel(t, k)])),
        )}
        <div class="field span-all">
          <label for="f-place" safe>
            {t('search.place')}
          </label>
          <input
            id="f-place"
            name="place"
            value={place || region?.path || ''}
            maxlength={30}
            placeholder={t('search.placePlaceholder')}
            aria-describedby="f-place-hint"
          />
          <p class="hint" id="f-place-hint" safe>
            {t('search.placeHint')}
          </p>
        </div>
        <div class="field">
          <label for="f-from" safe>
            {t('search.from')}
          </label>
          <input id="f-from" name="from" type="date" value={query.from ?? ''} />
        </div>
        <div class="field">
          <label for="f-to" safe>
            {t('search.to')}
          </label>
          <input id="f-to" name="to" type="date" value={query.to ?? ''} />
        </div>
        <div class="check">
          <input type="checkbox" id="f-signed" name="signed" value="1" checked={query.signed === '1'} />
          <label for="f-signed" safe>
            {t('search.signed')}
          </label>
        </div>
        <button type="submit" class="primary" safe>
          {t('nav.search')}
        </button>
      </form>
      {Object.entries(errors ?? {})
        .filter(([field]) => field !== 'q')
        .map(([, message]) => (
          <p class="error" role="alert" safe>
            {message}
          </p>
        ))}
      {region ? (
        <p class="meta">
          <span safe>{t('search.inRegion', { path: placePath(ctx, region.path) })}</span>
          {places.length > 1 ? (
            <>
              <span safe>{t('search.otherPlaces')}</span>
              {places.slice(1).map((p) => (
                <>
                  <a
                    href={`/search?${new URLSearchParams({ ...(query as Record<string, string>), region: p.code, cursor: '' }).toString().replace(/&cursor=$/, '')}`}
                    safe
                  >
                    {placePath(ctx, p.path)}
                  </a>{' '}
                </>
              ))}
            </>
          ) : (
            ''
          )}
        </p>
      ) : place ? (
        <p class="error" role="alert">
          <Sentence text={t('search.noSuchPlace')} user={{ place }} />
        </p>
      ) : (
        ''
      )}
      {count !== null && !errors ? (
        <p class="result-count" role="status" safe>
          {count === 0
            ? t('search.none')
            : count > countCap
              ? t('search.countOver', { count: ctx.num.count(countCap) })
              : t('search.count', { count: ctx.num.count(count) })}
        </p>
      ) : (
        ''
      )}
      <MessageItems ctx={ctx} items={items} terms={terms} snippets />
      {nextHref ? (
        <p>
          <a href={nextHref} safe>
            {t('search.next')}
          </a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}
