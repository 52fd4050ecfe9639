// The search page: a query with filters, results with the matches marked, and the next page.
import { DOMAINS, MESSAGE_TYPES } from '../../messages/message-kinds.ts';
import { normaliseText } from '../../messages/text-normalise.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { FormErrors } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { ListItem, ListQuery } from '../message-list.ts';

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

function Marked({ text, terms }: { text: string; terms: string[] }): JSX.Element {
  return <>{highlight(text, terms).map((p) => (p.hit ? <mark safe>{p.text}</mark> : <span safe>{p.text}</span>))}</>;
}

const STATUS_OPTIONS = { pending: '待回复', assigned: '办理中', replied: '已办理', closed: '已办结' };

export function SearchPage({
  ctx,
  query,
  items,
  terms,
  next,
  errors,
}: {
  ctx: PageContext;
  query: ListQuery;
  items: ListItem[];
  terms: string[];
  next: string | null;
  errors?: FormErrors;
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
      <form method="get" action="/search" class="filters" role="search">
        <div class={errors?.q ? 'field has-error' : 'field'}>
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
        <div class="field">
          <label for="f-region">地区代码</label>
          <input id="f-region" name="region" inputmode="numeric" maxlength={6} value={query.region ?? ''} />
        </div>
        <div class="choice">
          <input type="checkbox" id="f-signed" name="signed" value="1" checked={query.signed === '1'} />{' '}
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
      {!errors && query.q !== undefined && items.length === 0 ? <p>没有找到相关留言。</p> : ''}
      <ul class="message-list">
        {items.map((m) => (
          <li>
            <span class={`badge status-${m.status.key}`} safe>
              {m.status.label}
            </span>{' '}
            <a href={`/messages/${m.id}`}>
              <Marked text={m.title} terms={terms} />
            </a>
            <p class="meta">
              <Marked text={m.snippet} terms={terms} />
            </p>
            <p class="meta" safe>{`${m.type.label} · ${m.domain.label} · ${(m.approvedAt ?? '').slice(0, 10)}`}</p>
          </li>
        ))}
      </ul>
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
