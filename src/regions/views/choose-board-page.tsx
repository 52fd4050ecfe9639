// The page for choosing which leader's board to write to: search by region name or pinyin, or browse from a province.
import type { PageContext } from '../../web/page-context.ts';
import { Field, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { Sentence } from '../../web/views/names.tsx';
import type { RegionSearchResult } from '../region-search.ts';
import { REGION_QUERY_MAX_LENGTH } from '../region-search.ts';
import type { Region } from '../regions.service.ts';

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
  const { t } = ctx;
  const title = t('choose.title');
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: t('nav.home'), href: '/' }, { label: title }]}>
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('choose.intro')}
      </p>
      <form method="get" action="/boards/choose" class="stack" role="search">
        <Field
          name="q"
          type="search"
          label={t('choose.label')}
          value={query}
          hint={t('choose.hint', { max: REGION_QUERY_MAX_LENGTH })}
          errors={error ? { q: error } : undefined}
          maxlength={REGION_QUERY_MAX_LENGTH}
          idPrefix="choose"
        />
        <Submit label={t('choose.submit')} />
      </form>
      {results === null ? '' : <Results ctx={ctx} query={query} results={results} />}
      {results === null || results.length === 0 ? (
        <section aria-labelledby="browse-heading">
          <h2 id="browse-heading" safe>
            {t('choose.browse')}
          </h2>
          <p safe>{t('choose.browseIntro')}</p>
          <ul class="region-grid" id="provinces">
            {provinces.map((p) => (
              <li>
                <a href={`/regions/${p.code}`} safe>
                  {ctx.names.place(p.name)}
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
  const { t } = ctx;
  if (results.length === 0) {
    return (
      <p class="notice" role="status">
        <Sentence text={t('choose.none')} user={{ query }} />
      </p>
    );
  }
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading">
        <Sentence text={t('choose.results', { count: ctx.num.count(results.length) })} user={{ query }} />
      </h2>
      <ul class="message-list" id="results">
        {results.map((r) => (
          <li>
            <a href={`/regions/${r.code}`}>
              <strong safe>
                {r.path
                  .split(' ')
                  .map((n) => ctx.names.place(n))
                  .join(' ')}
              </strong>
            </a>
            <ul>
              {r.boards.map((b) => (
                <li>
                  <a href={`/messages/new?board=${b.id}`} safe>
                    {t('choose.write', { place: ctx.names.place(r.name), post: ctx.names.post(b.title) })}
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
