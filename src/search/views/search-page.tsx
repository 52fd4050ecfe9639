// The search page: a query with filters, results with the matches marked, and the next page.
import { DOMAINS, MESSAGE_TYPES } from '../../messages/message-kinds.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { FormErrors } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { ListItem, ListQuery } from '../message-list.ts';
import type { RegionSearchResult } from '../../regions/region-search.ts';
import { MessageItems } from '../../web/views/message-items.tsx';

const STATUS_OPTIONS = { pending: '待回复', assigned: '办理中', replied: '已办理', closed: '已办结' };

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
  const nextHref = next
    ? `/search?${new URLSearchParams({ ...(query as Record<string, string>), cursor: next }).toString()}`
    : null;
  const select = (name: keyof ListQuery, label: string, options: Record<string, string>) => (
    <div class="field">
      <label for={`f-${name}`} safe>
        {label}
      </label>
      <select id={`f-${name}`} name={name}>
        <option value="">全部</option>
        {Object.entries(options).map(([k, l]) => (
          <option value={k} selected={query[name] === k} safe>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Layout ctx={ctx} title="搜索留言" crumbs={[{ label: '首页', href: '/' }, { label: '搜索留言' }]}>
      <h1>搜索留言</h1>
      <form method="get" action="/search" class="filters search-filters" role="search">
        <div class={errors?.q ? 'field span-all has-error' : 'field span-all'}>
          <label for="f-q">关键词</label>
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
        {select('type', '类型', MESSAGE_TYPES)}
        {select('domain', '领域', Object.fromEntries(Object.entries(DOMAINS).map(([k, d]) => [k, d.label])))}
        {select('status', '状态', STATUS_OPTIONS)}
        <div class="field span-all">
          <label for="f-place">地区</label>
          <input
            id="f-place"
            name="place"
            value={place || region?.path || ''}
            maxlength={30}
            placeholder="如：正定、石家庄、zhengding"
            aria-describedby="f-place-hint"
          />
          <p class="hint" id="f-place-hint">
            按名称或拼音查找，含下级地区
          </p>
        </div>
        <div class="field">
          <label for="f-from">审核通过日期从</label>
          <input id="f-from" name="from" type="date" value={query.from ?? ''} />
        </div>
        <div class="field">
          <label for="f-to">到</label>
          <input id="f-to" name="to" type="date" value={query.to ?? ''} />
        </div>
        <div class="check">
          <input type="checkbox" id="f-signed" name="signed" value="1" checked={query.signed === '1'} />
          <label for="f-signed">领导签发</label>
        </div>
        <button type="submit" class="primary">
          搜索
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
          <span safe>{`地区：${region.path}`}</span>
          {places.length > 1 ? (
            <>
              {' · 也可能是：'}
              {places.slice(1).map((p) => (
                <>
                  <a
                    href={`/search?${new URLSearchParams({ ...(query as Record<string, string>), region: p.code, cursor: '' }).toString().replace(/&cursor=$/, '')}`}
                    safe
                  >
                    {p.path}
                  </a>{' '}
                </>
              ))}
            </>
          ) : (
            ''
          )}
        </p>
      ) : place ? (
        <p class="error" role="alert" safe>{`没有找到名为“${place}”的地区，已在全部地区中搜索。`}</p>
      ) : (
        ''
      )}
      {count !== null && !errors ? (
        <p class="result-count" role="status" safe>
          {count === 0
            ? '没有找到相关留言。'
            : count > countCap
              ? `找到 ${countCap} 条以上留言`
              : `找到 ${count} 条留言`}
        </p>
      ) : (
        ''
      )}
      <MessageItems ctx={ctx} items={items} terms={terms} snippets />
      {nextHref ? (
        <p>
          <a href={nextHref}>下一页</a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}
