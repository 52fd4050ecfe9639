// The editors' article pages: the list in every state, the form to write or change one with its images and its
// publication, and the confirmation before a deletion.
import { escapeHtml } from '@kitajs/html';
import { quote, sentence } from '../../admin/views/sentence.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import {
  ARTICLE_STATUSES,
  type ArticleStatus,
  BODY_MAX,
  CATEGORY_KEYS,
  CONFERENCE_YEAR_MAX,
  CONFERENCE_YEAR_MIN,
  SUMMARY_MAX,
  TITLE_MAX,
} from '../article-kinds.ts';
import type { Article, ArticleImage } from '../articles.service.ts';
import { categoryLabel } from './news-pages.tsx';
import { Pager } from './pager.tsx';

const statusLabel = (ctx: PageContext, status: ArticleStatus) => ctx.t(`editor.status.${status}` as MessageKey);
const STATUS_KEYS = Object.keys(ARTICLE_STATUSES) as ArticleStatus[];

const crumbs = (ctx: PageContext, label?: string, own?: boolean) => [
  { label: ctx.t('nav.home'), href: '/' },
  { label: ctx.t('editor.articles'), href: '/editor/articles' },
  ...(label ? [{ label, own }] : []),
];

const listHref = (status: ArticleStatus | undefined, page = 1) => {
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/editor/articles?${text}` : '/editor/articles';
};

export function EditorListPage({
  ctx,
  articles,
  status,
  page,
  pageSize,
  total,
  notice,
}: {
  ctx: PageContext;
  articles: Article[];
  status?: ArticleStatus;
  page: number;
  pageSize: number;
  total: number;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('editor.articles')} crumbs={crumbs(ctx)}>
      <h1 safe>{t('editor.articles')}</h1>
      <Notice text={notice} />
      <p class="lead" safe>
        {t('editor.intro')}
      </p>
      <p>
        <a class="button primary-link" href="/editor/articles/new" safe>
          {t('editor.new')}
        </a>
      </p>
      <nav class="quick-filters" aria-label={t('editor.filterStatus')}>
        <ul>
          <li>
            <a href="/editor/articles" aria-current={status ? undefined : 'page'} safe>
              {t('news.all')}
            </a>
          </li>
          {STATUS_KEYS.map((key) => (
            <li>
              <a href={listHref(key)} aria-current={status === key ? 'page' : undefined} safe>
                {statusLabel(ctx, key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {articles.length === 0 ? (
        <p safe>{t('editor.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data article-table">
            <caption class="visually-hidden" safe>
              {t('editor.articles')}
            </caption>
            <thead>
              <tr>
                <th scope="col" safe>
                  {t('editor.col.title')}
                </th>
                <th scope="col" safe>
                  {t('editor.field.category')}
                </th>
                <th scope="col" safe>
                  {t('editor.col.status')}
                </th>
                <th scope="col" safe>
                  {t('editor.col.published')}
                </th>
                <th scope="col" safe>
                  {t('editor.col.updated')}
                </th>
              </tr>
            </thead>
            <tbody>
              {articles.map((a) => (
                <tr>
                  <td>
                    <a href={`/editor/articles/${a.id}/edit`} translate="no" safe>
                      {a.title}
                    </a>
                  </td>
                  <td safe>{categoryLabel(ctx, a.category)}</td>
                  <td>
                    <span class={`badge article-${a.status}`} safe>
                      {statusLabel(ctx, a.status)}
                    </span>
                  </td>
                  <td>{a.publishedAt ? <Time ctx={ctx} iso={a.publishedAt} dateOnly /> : '—'}</td>
                  <td>
                    <Time ctx={ctx} iso={a.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager ctx={ctx} page={page} pageSize={pageSize} total={total} href={(n) => listHref(status, n)} />
    </Layout>
  );
}

/** The values a form shows: the article's, or what the editor typed when the form came back with errors. */
export interface ArticleForm {
  category: string;
  conferenceYear: string;
  title: string;
  summary: string;
  body: string;
}

export function formOf(article: Article): ArticleForm {
  return {
    category: article.category,
    conferenceYear: article.conferenceYear === null ? '' : String(article.conferenceYear),
    title: article.title,
    // The editor's own summary only: an empty one keeps following the text.
    summary: article.ownSummary,
    body: article.body,
  };
}

function TextArea({
  name,
  label,
  value,
  rows,
  maxlength,
  hint,
  errors,
  required,
}: {
  name: string;
  label: string;
  value: string;
  rows: number;
  maxlength: number;
  hint?: string;
  errors?: FormErrors;
  required?: boolean;
}): JSX.Element {
  const id = `f-${name}`;
  // What the editor writes is the article's own text: translation tools leave it alone.
  const error = errors?.[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id} safe>
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={String(rows)}
        maxlength={maxlength}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
        translate="no"
        safe
      >
        {value}
      </textarea>
      {hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {hint}
        </p>
      ) : (
        ''
      )}
      {error ? (
        <p class="error" id={`${id}-error`} role="alert" safe>
          {error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

export function ArticleFormPage({
  ctx,
  article,
  values,
  images = [],
  errors,
  notice,
}: {
  ctx: PageContext;
  /** Absent for a new article. */
  article?: Article;
  values: ArticleForm;
  images?: ArticleImage[];
  errors?: FormErrors;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  const title = article ? t('editor.editTitle', { title: article.title }) : t('editor.new');
  const action = article ? `/editor/articles/${article.id}` : '/editor/articles';
  const yearError = errors?.conferenceYear;
  const categoryError = errors?.category;
  return (
    <Layout
      ctx={ctx}
      title={title}
      ownTitle={Boolean(article)}
      crumbs={crumbs(ctx, article ? article.title : t('editor.new'), Boolean(article))}
    >
      <h1>{article ? sentence(t, 'editor.editTitle', { title: quote(article.title) }) : escapeHtml(title)}</h1>
      <Notice text={notice} />
      {article ? (
        <p class="meta">
          <span class={`badge article-${article.status}`} safe>
            {statusLabel(ctx, article.status)}
          </span>{' '}
          {article.publishedAt ? (
            <>
              <span safe>{t('news.publishedAt')}</span> <Time ctx={ctx} iso={article.publishedAt} dateOnly />
            </>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      <form method="post" action={action} class="stack wide article-form">
        <CsrfField ctx={ctx} />
        <FormError errors={errors} />
        <div class={categoryError ? 'field has-error' : 'field'}>
          <label for="f-category" safe>
            {t('editor.field.category')}
          </label>
          <select id="f-category" name="category" aria-invalid={categoryError ? 'true' : undefined}>
            {CATEGORY_KEYS.map((key) => (
              <option value={key} selected={values.category === key} safe>
                {categoryLabel(ctx, key)}
              </option>
            ))}
          </select>
          {categoryError ? (
            <p class="error" role="alert" safe>
              {categoryError}
            </p>
          ) : (
            ''
          )}
        </div>
        <Field
          name="conferenceYear"
          label={t('editor.field.conferenceYear')}
          value={values.conferenceYear}
          inputmode="numeric"
          maxlength={4}
          hint={t('editor.hint.conferenceYear', { min: CONFERENCE_YEAR_MIN, max: CONFERENCE_YEAR_MAX })}
          errors={yearError ? { conferenceYear: yearError } : undefined}
        />
        <Field
          name="title"
          label={t('editor.field.title')}
          value={values.title}
          maxlength={TITLE_MAX}
          required
          errors={errors}
        />
        <TextArea
          name="summary"
          label={t('editor.field.summary')}
          value={values.summary}
          rows={2}
          maxlength={SUMMARY_MAX}
          hint={t('editor.hint.summary', { max: SUMMARY_MAX })}
          errors={errors}
        />
        <TextArea
          name="body"
          label={t('editor.field.body')}
          value={values.body}
          rows={18}
          maxlength={BODY_MAX}
          hint={t('editor.hint.body')}
          errors={errors}
          required
        />
        <div class="actions">
          <button type="submit" class="primary" name="then" value="edit" safe>
            {t('editor.save')}
          </button>
          <button type="submit" class="secondary" name="then" value="preview" safe>
            {t('editor.saveAndPreview')}
          </button>
        </div>
      </form>
      {article ? <ArticleActions ctx={ctx} article={article} images={images} errors={errors} /> : ''}
    </Layout>
  );
}

function ArticleActions({
  ctx,
  article,
  images,
  errors,
}: {
  ctx: PageContext;
  article: Article;
  images: ArticleImage[];
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  const imageError = errors?.image;
  return (
    <>
      <section aria-labelledby="images-heading">
        <h2 id="images-heading" safe>
          {t('editor.images')}
        </h2>
        <p class="hint" safe>
          {t('editor.imagesHint')}
        </p>
        <form
          method="post"
          action={`/editor/articles/${article.id}/images`}
          enctype="multipart/form-data"
          class="stack wide"
        >
          <CsrfField ctx={ctx} />
          <div class={imageError ? 'field has-error' : 'field'}>
            <label for="f-image" safe>
              {t('editor.field.image')}
            </label>
            <input
              id="f-image"
              name="image"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              aria-invalid={imageError ? 'true' : undefined}
              aria-describedby={imageError ? 'f-image-error' : undefined}
            />
            {imageError ? (
              <p class="error" id="f-image-error" role="alert" safe>
                {imageError}
              </p>
            ) : (
              ''
            )}
          </div>
          <div class="actions">
            <button type="submit" class="secondary" safe>
              {t('editor.upload')}
            </button>
          </div>
        </form>
        {images.length > 0 ? (
          <ul class="article-images">
            {images.map((image) => (
              <li>
                <img src={`${image.url}?w=360`} alt="" width="120" loading="lazy" />
                <label for={`md-${image.id}`} safe>
                  {t('editor.imageCode')}
                </label>
                <input id={`md-${image.id}`} readonly value={`![${t('editor.imageAlt')}](${image.url})`} />
              </li>
            ))}
          </ul>
        ) : (
          ''
        )}
      </section>
      <section aria-labelledby="publish-heading">
        <h2 id="publish-heading" safe>
          {t('editor.publication')}
        </h2>
        <p>
          <a href={`/editor/articles/${article.id}/preview`} safe>
            {t('editor.preview')}
          </a>
          {article.status === 'published' ? (
            <>
              {' · '}
              <a href={`/news/${article.id}`} safe>
                {t('editor.view')}
              </a>
            </>
          ) : (
            ''
          )}
        </p>
        {article.status === 'published' ? (
          <form method="post" action={`/editor/articles/${article.id}/unpublish`} class="inline">
            <CsrfField ctx={ctx} />
            <button type="submit" class="secondary" safe>
              {t('editor.unpublish')}
            </button>
          </form>
        ) : (
          <form method="post" action={`/editor/articles/${article.id}/publish`} class="inline">
            <CsrfField ctx={ctx} />
            <button type="submit" class="primary" safe>
              {t('editor.publish')}
            </button>
          </form>
        )}{' '}
        <a class="danger-link" href={`/editor/articles/${article.id}/delete`} safe>
          {t('editor.delete')}
        </a>
      </section>
    </>
  );
}

export function DeleteArticlePage({ ctx, article }: { ctx: PageContext; article: Article }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('editor.deleteTitle')} crumbs={crumbs(ctx, t('editor.deleteTitle'))}>
      <h1 safe>{t('editor.deleteTitle')}</h1>
      <p>{sentence(t, 'editor.deleteQuestion', { title: quote(article.title) })}</p>
      {article.status === 'published' ? (
        <p class="notice" safe>
          {t('editor.deletePublished')}
        </p>
      ) : (
        ''
      )}
      <form method="post" action={`/editor/articles/${article.id}/delete`} class="stack">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class="danger" safe>
            {t('editor.deleteConfirm')}
          </button>
          <a href={`/editor/articles/${article.id}/edit`} safe>
            {t('editor.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}
