// HTTP for the editors' article pages (/editor/articles) and the editors' article API: write, preview, publish,
// unpublish, delete with confirmation, upload images. Every route needs `article.edit`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { requireUser } from '../accounts/auth.plugin.ts';
import { ErrorBody, Id, IdParams } from '../api/schemas.ts';
import { IMAGE_MAX_BYTES } from '../attachments/images.ts';
import { permission } from '../web/access.ts';
import type { Translate } from '../i18n/i18n.ts';
import { AppError } from '../web/app-error.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import type { FormErrors } from '../web/views/form.tsx';
import { type ArticleStatus, ARTICLE_STATUSES, CATEGORIES } from './article-kinds.ts';
import { type Article, articleHtml, articlesService, type Editor } from './articles.service.ts';
import { honoursLinkOf } from './news.routes.ts';
import { type ArticleForm, ArticleFormPage, DeleteArticlePage, EditorListPage, formOf } from './views/editor-pages.tsx';
import { ArticlePage } from './views/news-pages.tsx';

const EDIT = permission('article.edit');
/** The body may be long: 50,000 characters of Chinese, percent-encoded, is under 1 MB. */
const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 60_000 }));
/** An image and the CSRF field, with room for the multipart framing. */
const UPLOAD_LIMIT = IMAGE_MAX_BYTES + 64 * 1024;

/** Notices after a redirect: only these, so a link cannot make the page say anything. */
const DONE = ['created', 'saved', 'published', 'unpublished', 'deleted', 'image'] as const;
type Done = (typeof DONE)[number];

const StatusQuery = Type.Object({
  status: Type.Optional(
    Type.String({ maxLength: 16, description: 'draft（草稿）、published（已发布）或 withdrawn（已撤回）' }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  done: Type.Optional(Type.String({ maxLength: 16 })),
});

function statusOf(value: string | undefined, t: Translate): ArticleStatus | undefined {
  if (value === undefined || value === '') return undefined;
  if (!Object.hasOwn(ARTICLE_STATUSES, value))
    throw new AppError('VALIDATION', { detail: t('editor.error.status') }, 'status');
  return value as ArticleStatus;
}

const editorOf = (request: FastifyRequest): Editor => ({ id: requireUser(request).id, ip: request.ip, t: request.t });

/** The form's own mistakes (shown beside the fields); anything else goes to the error page. */
function formErrors(request: FastifyRequest, err: unknown): FormErrors {
  if (!(err instanceof AppError) || err.statusCode !== 400) throw err;
  return errorsOf(request, err);
}

const formValues = (body: Record<string, string>): ArticleForm => ({
  category: body.category ?? '',
  conferenceYear: body.conferenceYear ?? '',
  title: body.title ?? '',
  summary: body.summary ?? '',
  body: body.body ?? '',
});

/** Reads a multipart upload of one image (`image`) and the other fields; an oversize file is reported, not thrown. */
async function readImageUpload(
  request: FastifyRequest,
): Promise<{ fields: Record<string, string>; data: Buffer | null }> {
  if (!request.isMultipart()) throw new AppError('MULTIPART_REQUIRED');
  const fields: Record<string, string> = {};
  let data: Buffer | null = null;
  let tooLarge = false;
  try {
    for await (const part of request.parts({
      limits: { fileSize: IMAGE_MAX_BYTES, files: 1, fields: 5 },
      ...({ throwFileSizeLimit: false } as object),
    })) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (part.file.truncated) tooLarge = true;
        else if (part.fieldname === 'image' && buffer.length > 0) data = buffer;
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value.slice(0, 200);
      }
    }
  } catch (err) {
    if (typeof (err as { statusCode?: unknown }).statusCode === 'number') throw err;
    throw new AppError('MULTIPART_INVALID');
  }
  if (tooLarge) throw new AppError('ARTICLE_IMAGE_INVALID', { reason: request.t('editor.image.TOO_LARGE') }, 'image');
  return { fields, data };
}

// JSON shapes of the editors' API.
const EditorArticle = Type.Object({
  id: Type.Integer(),
  category: Type.String({ description: 'news、announcement 或 conference' }),
  categoryLabel: Type.String(),
  title: Type.String(),
  summary: Type.String({ description: '编辑填写的摘要；为空时页面取正文开头' }),
  body: Type.String({ description: 'Markdown 原文' }),
  conferenceYear: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String({ description: 'draft、published 或 withdrawn' }),
  statusLabel: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()], { description: '首次发布时间；撤回后再发布不变' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  url: Type.String(),
});
const ArticleInput = Type.Object(
  {
    category: Type.String({ maxLength: 20, description: 'news、announcement、conference，或中文名 新闻、公告、会议' }),
    title: Type.String({ maxLength: 200 }),
    summary: Type.Optional(Type.String({ maxLength: 1000 })),
    body: Type.String({ maxLength: 60_000, description: 'Markdown；发布时经白名单清理' }),
    conferenceYear: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: '会议类必填：会议年度' })),
  },
  { additionalProperties: false },
);
const ImageBody = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  markdown: Type.String({ description: '贴到正文中显示该图片的 Markdown' }),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
});
const apiErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

function editorArticle(a: Article) {
  return {
    id: a.id,
    category: a.category,
    categoryLabel: CATEGORIES[a.category],
    title: a.title,
    summary: a.ownSummary,
    body: a.body,
    conferenceYear: a.conferenceYear,
    status: a.status,
    statusLabel: ARTICLE_STATUSES[a.status],
    publishedAt: a.publishedAt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    url: `/news/${a.id}`,
  };
}

export const editorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  async function editPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: { values?: ArticleForm; errors?: FormErrors; notice?: string } = {},
    status = 200,
  ) {
    const [article, images] = await Promise.all([articlesService.get(db, id), articlesService.images(db, id)]);
    return sendPage(
      reply,
      ArticleFormPage({
        ctx: pageContext(request, reply),
        article,
        values: state.values ?? formOf(article),
        images,
        errors: state.errors,
        notice: state.notice,
      }),
      status,
    );
  }

  const notice = (request: FastifyRequest, done: string | undefined) =>
    done && (DONE as readonly string[]).includes(done) ? request.t(`editor.done.${done as Done}`) : undefined;

  app.get(
    '/editor/articles',
    { config: { access: EDIT }, schema: { querystring: StatusQuery } },
    async (request, reply) => {
      const status = statusOf(request.query.status, request.t);
      const list = await articlesService.listAll(db, { status, page: request.query.page ?? 1 });
      return sendPage(
        reply,
        EditorListPage({
          ctx: pageContext(request, reply),
          status,
          notice: notice(request, request.query.done),
          ...list,
        }),
      );
    },
  );

  app.get('/editor/articles/new', { config: { access: EDIT } }, async (request, reply) =>
    sendPage(
      reply,
      ArticleFormPage({
        ctx: pageContext(request, reply),
        values: { category: 'news', conferenceYear: '', title: '', summary: '', body: '' },
      }),
    ),
  );

  app.post('/editor/articles', { config: { access: EDIT }, schema: { body: FormBody } }, async (request, reply) => {
    try {
      const id = await articlesService.create(db, editorOf(request), request.body);
      const then = request.body.then === 'preview' ? 'preview' : 'edit?done=created';
      return reply.redirect(`/editor/articles/${id}/${then}`, 303);
    } catch (err) {
      const errors = formErrors(request, err);
      return sendPage(
        reply,
        ArticleFormPage({ ctx: pageContext(request, reply), values: formValues(request.body), errors }),
        400,
      );
    }
  });

  app.get(
    '/editor/articles/:id/edit',
    {
      config: { access: EDIT },
      schema: { params: IdParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 16 })) }) },
    },
    async (request, reply) =>
      editPage(request, reply, request.params.id, { notice: notice(request, request.query.done) }),
  );

  app.post(
    '/editor/articles/:id',
    { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await articlesService.update(db, editorOf(request), id, request.body);
        const then = request.body.then === 'preview' ? 'preview' : 'edit?done=saved';
        return reply.redirect(`/editor/articles/${id}/${then}`, 303);
      } catch (err) {
        const errors = formErrors(request, err);
        return editPage(request, reply, id, { values: formValues(request.body), errors }, 400);
      }
    },
  );

  app.get(
    '/editor/articles/:id/preview',
    { config: { access: EDIT }, schema: { params: IdParams } },
    async (request, reply) => {
      const article = await articlesService.get(db, request.params.id);
      const honours = await honoursLinkOf(db, article);
      return sendPage(
        reply,
        ArticlePage({ ctx: pageContext(request, reply), article, html: articleHtml(article), honours, preview: true }),
      );
    },
  );

  for (const step of ['publish', 'unpublish'] as const) {
    app.post(
      `/editor/articles/:id/${step}`,
      { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } },
      async (request, reply) => {
        const { id } = request.params;
        try {
          await articlesService[step](db, editorOf(request), id);
          return reply.redirect(
            `/editor/articles/${id}/edit?done=${step === 'publish' ? 'published' : 'unpublished'}`,
            303,
          );
        } catch (err) {
          if (!(err instanceof AppError) || err.statusCode !== 409) throw err;
          return editPage(request, reply, id, { errors: errorsOf(request, err) }, 409);
        }
      },
    );
  }

  app.get(
    '/editor/articles/:id/delete',
    { config: { access: EDIT }, schema: { params: IdParams } },
    async (request, reply) =>
      sendPage(
        reply,
        DeleteArticlePage({
          ctx: pageContext(request, reply),
          article: await articlesService.get(db, request.params.id),
        }),
      ),
  );

  app.post(
    '/editor/articles/:id/delete',
    { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } },
    async (request, reply) => {
      const { id } = request.params;
      // Only the confirmation page's button deletes: a bare post is sent to be confirmed.
      if (request.body.confirm !== 'yes') return reply.redirect(`/editor/articles/${id}/delete`, 303);
      await articlesService.delete(db, editorOf(request), id);
      return reply.redirect('/editor/articles?done=deleted', 303);
    },
  );

  // Multipart: the CSRF token is one of the fields, checked once they are read.
  app.post(
    '/editor/articles/:id/images',
    { config: { access: EDIT, csrf: false }, bodyLimit: UPLOAD_LIMIT, schema: { params: IdParams } },
    async (request, reply) => {
      const { id } = request.params;
      let upload: Awaited<ReturnType<typeof readImageUpload>>;
      try {
        upload = await readImageUpload(request);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ARTICLE_IMAGE_INVALID') throw err;
        return editPage(request, reply, id, { errors: errorsOf(request, err) }, 400);
      }
      request.body = upload.fields;
      await new Promise<void>((resolve, reject) =>
        app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())),
      );
      try {
        await articlesService.addImage(db, app.attachments, editorOf(request), id, upload.data);
        return reply.redirect(`/editor/articles/${id}/edit?done=image#images-heading`, 303);
      } catch (err) {
        return editPage(request, reply, id, { errors: formErrors(request, err) }, 400);
      }
    },
  );

  // The API: the same rules, with an app's bearer token.

  app.get(
    '/api/v1/editor/articles',
    {
      config: { access: EDIT },
      schema: {
        tags: ['news'],
        summary: '编辑：全部文章（草稿、已发布、已撤回），最近修改的在前，可按状态筛选，按页码分页',
        security: [{ bearerAuth: [] }],
        querystring: StatusQuery,
        response: {
          200: Type.Object({
            articles: Type.Array(EditorArticle),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...apiErrors,
        },
      },
    },
    async (request) => {
      const list = await articlesService.listAll(db, {
        status: statusOf(request.query.status, request.t),
        page: request.query.page ?? 1,
      });
      return { ...list, articles: list.articles.map(editorArticle) };
    },
  );

  app.get(
    '/api/v1/editor/articles/:id',
    {
      config: { access: EDIT },
      schema: {
        tags: ['news'],
        summary: '编辑：一篇文章（任何状态），含 Markdown 原文和已上传的图片',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: {
          200: Type.Intersect([EditorArticle, Type.Object({ images: Type.Array(ImageBody) })]),
          ...apiErrors,
        },
      },
    },
    async (request) => {
      const [article, images] = await Promise.all([
        articlesService.get(db, request.params.id),
        articlesService.images(db, request.params.id),
      ]);
      return { ...editorArticle(article), images };
    },
  );

  app.post(
    '/api/v1/editor/articles',
    {
      config: { access: EDIT },
      schema: {
        tags: ['news'],
        summary: '编辑：新建文章（草稿）',
        security: [{ bearerAuth: [] }],
        body: ArticleInput,
        response: { 201: EditorArticle, ...apiErrors },
      },
    },
    async (request, reply) => {
      const id = await articlesService.create(db, editorOf(request), request.body);
      return reply.code(201).send(editorArticle(await articlesService.get(db, id)));
    },
  );

  app.put(
    '/api/v1/editor/articles/:id',
    {
      config: { access: EDIT },
      schema: {
        tags: ['news'],
        summary: '编辑：修改文章（已发布的文章修改后即时生效）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        body: ArticleInput,
        response: { 200: EditorArticle, ...apiErrors },
      },
    },
    async (request) => {
      await articlesService.update(db, editorOf(request), request.params.id, request.body);
      return editorArticle(await articlesService.get(db, request.params.id));
    },
  );

  for (const step of ['publish', 'unpublish'] as const) {
    app.post(
      `/api/v1/editor/articles/:id/${step}`,
      {
        config: { access: EDIT },
        schema: {
          tags: ['news'],
          summary: step === 'publish' ? '编辑：发布文章（首次发布时间保留）' : '编辑：撤回已发布的文章',
          security: [{ bearerAuth: [] }],
          params: IdParams,
          response: { 200: EditorArticle, ...apiErrors },
        },
      },
      async (request) => {
        await articlesService[step](db, editorOf(request), request.params.id);
        return editorArticle(await articlesService.get(db, request.params.id));
      },
    );
  }

  app.delete(
    '/api/v1/editor/articles/:id',
    {
      config: { access: EDIT },
      schema: {
        tags: ['news'],
        summary: '编辑：删除文章（不可恢复，记入管理日志）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 200: Type.Object({ id: Id(), deleted: Type.Boolean() }), ...apiErrors },
      },
    },
    async (request) => {
      await articlesService.delete(db, editorOf(request), request.params.id);
      return { id: request.params.id, deleted: true };
    },
  );

  app.post(
    '/api/v1/editor/articles/:id/images',
    {
      config: { access: EDIT },
      bodyLimit: UPLOAD_LIMIT,
      schema: {
        tags: ['news'],
        summary: '编辑：为文章上传图片（multipart，文件字段 image；JPEG、PNG 或 WebP，不超过 5 MB，元数据会被清除）',
        security: [{ bearerAuth: [] }],
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: ImageBody, ...apiErrors },
      },
    },
    async (request, reply) => {
      const { data } = await readImageUpload(request);
      const image = await articlesService.addImage(db, app.attachments, editorOf(request), request.params.id, data);
      return reply.code(201).send(image);
    },
  );
};
