// The open-data page: the latest dump's files with row counts and checksums, the data dictionary, the formulas and the
// licence. The files are written once a day for everyone (ASCII column names, values as stored, schema.json in
// Chinese); this page describes them in the reader's language.
import { Time } from '../../web/views/time.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Link, Sentence } from '../../web/views/sentence.tsx';
import type { Manifest } from '../dump-writer.ts';
import {
  columnDescription,
  DATA_FILES,
  fileDescription,
  MANIFEST_FILE,
  OPEN_DATA_LICENCE,
  recomputeNotes,
  SCHEMA_FILE,
} from '../open-data.schema.ts';

/** What a file of the dump holds, in the page's language. */
function description(ctx: PageContext, name: string): string {
  if (name === SCHEMA_FILE) return ctx.t('openData.file.schema');
  if (name === MANIFEST_FILE) return ctx.t('openData.file.manifest');
  return DATA_FILES.some((f) => f.name === name) ? fileDescription(name, ctx.t) : '';
}

function size(ctx: PageContext, bytes: number): string {
  if (bytes < 1024) return ctx.t('openData.bytes', { n: ctx.num.count(bytes) });
  if (bytes < 1024 * 1024) return `${ctx.num.decimal(bytes / 1024, 1)} KB`;
  return `${ctx.num.decimal(bytes / 1024 / 1024, 1)} MB`;
}

const anchor = (name: string) => `file-${name.replace(/[^a-z0-9]+/gi, '-')}`;

export function OpenDataPage({ ctx, manifest }: { ctx: PageContext; manifest: Manifest | null }): JSX.Element {
  const { t } = ctx;
  const title = t('openData.title');
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: t('nav.home'), href: '/' }, { label: title }]}>
      <h1 safe>{title}</h1>
      <p safe>{t('openData.intro')}</p>
      {manifest ? (
        <section aria-labelledby="files-heading">
          <h2 id="files-heading" safe>
            {t('openData.latest', { date: manifest.date })}
          </h2>
          <p class="meta">
            <Sentence
              text={t('openData.generated', { ...manifest.satisfactionWeights })}
              slots={{ time: <Time ctx={ctx} iso={manifest.generatedAt} /> }}
            />
          </p>
          <div class="table-scroll" tabindex="0" role="region" aria-labelledby="files-heading">
            <table class="data" id="files">
              <thead>
                <tr>
                  <th scope="col" safe>
                    {t('openData.col.file')}
                  </th>
                  <th scope="col" safe>
                    {t('openData.col.content')}
                  </th>
                  <th scope="col" safe>
                    {t('openData.col.rows')}
                  </th>
                  <th scope="col" safe>
                    {t('openData.col.size')}
                  </th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {[...manifest.files, { name: MANIFEST_FILE, rows: null, bytes: null, sha256: '' }].map((f) => (
                  <tr>
                    <th scope="row">
                      <a href={`/open-data/latest/${encodeURIComponent(f.name)}`} safe>
                        {f.name}
                      </a>
                    </th>
                    <td safe>{description(ctx, f.name)}</td>
                    <td safe>{f.rows === null ? '—' : ctx.num.count(f.rows)}</td>
                    <td safe>{f.bytes === null ? '—' : size(ctx, f.bytes)}</td>
                    <td>
                      <code safe>{f.sha256}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : (
        <p>
          <Sentence text={t('openData.none')} slots={{ command: <code>liuyan opendata dump</code> }} />
        </p>
      )}
      <section aria-labelledby="schema-heading">
        <h2 id="schema-heading" safe>
          {t('openData.schema')}
        </h2>
        <p safe>{t('openData.dictionary')}</p>
        <p safe>{t('openData.encoding')}</p>
        {DATA_FILES.map((file) => (
          <>
            <h3 id={anchor(file.name)} safe>
              {file.name}
            </h3>
            <p safe>{fileDescription(file.name, t)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby={anchor(file.name)}>
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col" safe>
                      {t('openData.col.column')}
                    </th>
                    <th scope="col" safe>
                      {t('openData.col.type')}
                    </th>
                    <th scope="col" safe>
                      {t('openData.col.description')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {file.columns.map((c) => (
                    <tr>
                      <th scope="row">
                        <code safe>{c.name}</code>
                      </th>
                      <td>
                        <code safe>{t(`openData.type.${c.type}`)}</code>
                      </td>
                      <td safe>{columnDescription(file.name, c.name, t)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ))}
      </section>
      <section aria-labelledby="recompute-heading">
        <h2 id="recompute-heading" safe>
          {t('openData.recomputeHeading')}
        </h2>
        <ul>
          {recomputeNotes(t).map((note) => (
            <li safe>{note}</li>
          ))}
        </ul>
        <p>
          <Sentence
            text={t('openData.seeAlso')}
            slots={{
              indicators: <Link href="/stats/indicators" text={t('indicators.crumb')} />,
              stats: <Link href="/stats" text={t('nav.stats')} />,
            }}
          />
        </p>
      </section>
      <section aria-labelledby="licence-heading">
        <h2 id="licence-heading" safe>
          {t('openData.licence')}
        </h2>
        <p safe>{t('openData.licence.note')}</p>
        <p>
          <a href={t('openData.licence.url')} rel="license" safe>
            {OPEN_DATA_LICENCE.name}
          </a>
        </p>
      </section>
    </Layout>
  );
}
