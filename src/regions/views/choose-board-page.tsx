// The page for choosing which leader's board to write to: search by region name or pinyin, or browse from a province.
import type { Locale } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Field, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { RegionSearchResult } from '../region-search.ts';
import { REGION_QUERY_MAX_LENGTH } from '../region-search.ts';
import type { Region } from '../regions.service.ts';

// Kept here until the shared catalogues take them (choose.* keys).
const TEXT: Record<
  Locale,
  {
    title: string;
    intro: string;
    label: string;
    hint: string;
    submit: string;
    results: (query: string, count: number) => string;
    none: (query: string) => string;
    write: (regionName: string, boardTitle: string) => string;
    browse: string;
    browseIntro: string;
  }
> = {
  'zh-CN': {
    title: '选择留言对象',
    intro: '请写给问题发生地的主管领导。输入地区名称、拼音全拼或首字母查找，如“正定”“zhengding”或“zd”。',
    label: '地区名称或拼音',
    hint: `最多 ${REGION_QUERY_MAX_LENGTH} 个字符`,
    submit: '查找',
    results: (query, count) => `“${query}”的查找结果（${count} 个地区）`,
    none: (query) => `没有找到与“${query}”相符的地区。可以换个写法，或从下面的省级地区逐级查找。`,
    write: (regionName, boardTitle) => `给${regionName}${boardTitle}留言`,
    browse: '按省级地区查找',
    browseIntro: '也可以从省级地区开始，逐级找到问题发生地。',
  },
  en: {
    title: 'Choose whom to write to',
    intro:
      'Write to the leaders of the place where the matter arose. Search by region name, full pinyin or initials, e.g. “正定”, “zhengding” or “zd”.',
    label: 'Region name or pinyin',
    hint: `At most ${REGION_QUERY_MAX_LENGTH} characters`,
    submit: 'Search',
    results: (query, count) => `Results for “${query}” (${count} regions)`,
    none: (query) => `No region matches “${query}”. Try another spelling, or start from a province below.`,
    write: (regionName, boardTitle) => `Write to ${regionName} ${boardTitle}`,
    browse: 'Browse by province',
    browseIntro: 'Or start from a province and go down to the place where the matter arose.',
  },
};

export interface ChooseBoardPageProps {
  ctx: PageContext;
  /** The query as typed; empty when none was given. */
  query: string;
  /** Null when there was no valid query to search for. */
  results: RegionSearchResult[] | null;
  /** Why the query could not be searched. */
  error?: string;
  provinces: Region[];
}

export function ChooseBoardPage({ ctx, query, results, error, provinces }: ChooseBoardPageProps): JSX.Element {
  const text = TEXT[ctx.locale];
  return (
    <Layout ctx={ctx} title={text.title} crumbs={[{ label: ctx.t('nav.home'), href: '/' }, { label: text.title }]}>
      <h1 safe>{text.title}</h1>
      <p class="lead" safe>
        {text.intro}
      </p>
      <form method="get" action="/boards/choose" class="stack" role="search">
        <Field
          name="q"
          type="search"
          label={text.label}
          value={query}
          hint={text.hint}
          errors={error ? { q: error } : undefined}
          maxlength={REGION_QUERY_MAX_LENGTH}
          idPrefix="choose"
        />
        <Submit label={text.submit} />
      </form>
      {results === null ? '' : <Results ctx={ctx} query={query} results={results} />}
      {results === null || results.length === 0 ? (
        <section aria-labelledby="browse-heading">
          <h2 id="browse-heading" safe>
            {text.browse}
          </h2>
          <p safe>{text.browseIntro}</p>
          <ul class="region-grid" id="provinces">
            {provinces.map((p) => (
              <li>
                <a href={`/regions/${p.code}`} safe>
                  {p.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

function Results({
  ctx,
  query,
  results,
}: {
  ctx: PageContext;
  query: string;
  results: RegionSearchResult[];
}): JSX.Element {
  const text = TEXT[ctx.locale];
  if (results.length === 0) {
    return (
      <p class="notice" role="status" safe>
        {text.none(query)}
      </p>
    );
  }
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" safe>
        {text.results(query, results.length)}
      </h2>
      <ul class="message-list" id="results">
        {results.map((r) => (
          <li>
            <a href={`/regions/${r.code}`}>
              <strong safe>{r.path}</strong>
            </a>
            <ul>
              {r.boards.map((b) => (
                <li>
                  <a href={`/messages/new?board=${b.id}`} safe>
                    {text.write(r.name, b.title)}
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
