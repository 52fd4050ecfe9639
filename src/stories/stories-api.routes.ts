// The JSON API of the video column: published stories for anyone; for editors (bearer token with story.edit) every
// story with its state, and the same changes as the editors' pages (create, edit, upload video and captions, publish).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type, { type TSchema } from 'typebox';
import { requirePermission } from '../accounts/auth.plugin.ts';
import { ErrorBody, Id, IdParams, Limit } from '../api/schemas.ts';
import { siteAddress } from '../feeds/feeds.routes.ts';
import { permission, PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { type Editor, MESSAGES_MAX, type Story, storiesService } from './stories.service.ts';
import { receiveCaptions, receiveVideo, removeCaptions } from './story-media.service.ts';
import { discardUpload, readUpload, type UploadedFile } from './story-upload.ts';
import { CAPTIONS_MAX_BYTES } from './webvtt.ts';

const EDIT = permission('story.edit');
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const StoryBody = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  summary: Type.String(),
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  publishedAt: Nullable(Type.String({ description: 'ISO 8601；未发布为 null' })),
  seconds: Nullable(Type.Number({ description: '视频时长（秒）' })),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  url: Type.String({ description: '故事页面' }),
  videoUrl: Nullable(Type.String({ description: 'H.264/AAC MP4，支持 Range 请求' })),
  posterUrl: Nullable(Type.String({ description: 'JPEG 封面' })),
  captionsUrl: Nullable(Type.String({ description: 'WebVTT 中文字幕' })),
  transcript: Type.String({ description: '文字稿（可能为空，此时有字幕）' }),
  messages: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() }), {
    description: '故事讲述的公开留言',
  }),
});

const EditorStoryBody = Type.Object({
  ...StoryBody.properties,
  published: Type.Boolean(),
  video: Type.Object({
    state: Type.String({ description: 'none | uploaded | converting | ready | failed' }),
    progress: Type.Number({ description: '转换进度 0–1' }),
    error: Nullable(Type.String({ description: '转换失败的原因' })),
    name: Nullable(Type.String({ description: '上传的文件名' })),
    bytes: Nullable(Type.Integer()),
  }),
  captionsName: Nullable(Type.String()),
  allMessages: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), isPublic: Type.Boolean() }), {
    description: '关联的全部留言，含目前不公开的',
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const StoryFieldsBody = Type.Object({
  title: Type.String({ maxLength: 400, description: '2–100 个字' }),
  summary: Type.String({ maxLength: 4000, description: '10–1000 个字' }),
  regionCode: Type.String({ maxLength: 12, description: 'GB/T 2260 六位地区代码' }),
  messageIds: Type.Array(Id(), { minItems: 1, maxItems: MESSAGES_MAX, description: '故事讲述的公开留言编号' }),
  transcript: Type.Optional(Type.String({ maxLength: 200_000, description: '文字稿；没有字幕时发布前必填' })),
});

const StoryState = Type.Object({
  id: Type.Integer(),
  state: Type.String(),
  published: Type.Boolean(),
});

export const storiesApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const media = app.stories.media;

  const editor = (request: FastifyRequest): Editor => ({
    id: requirePermission(request, 'story.edit').id,
    ip: request.ip,
    t: request.t,
  });

  function toJson(story: Story) {
    const site = siteAddress(config);
    const base = `${site}/stories/${story.id}`;
    return {
      id: story.id,
      title: story.title,
      summary: story.summary,
      region: story.region,
      publishedAt: story.publishedAt,
      seconds: story.video.seconds,
      width: story.video.width,
      height: story.video.height,
      url: base,
      videoUrl: story.video.key ? `${base}/video.mp4` : null,
      posterUrl: story.video.posterKey ? `${base}/poster.jpg` : null,
      captionsUrl: story.captions ? `${base}/captions.vtt` : null,
      transcript: story.transcript,
      messages: story.messages.filter((m) => m.isPublic).map(({ id, title }) => ({ id, title })),
    };
  }

  function toEditorJson(story: Story) {
    return {
      ...toJson(story),
      published: story.publishedAt !== null,
      video: {
        state: story.video.state,
        progress: story.video.progress,
        error: story.video.error,
        name: story.video.name,
        bytes: story.video.bytes,
      },
      captionsName: story.captions?.name ?? null,
      allMessages: story.messages,
      createdAt: story.createdAt,
      updatedAt: story.updatedAt,
    };
  }

  const stateOf = async (id: number) => {
    const story = await storiesService.get(db, id);
    return { id, state: story.video.state, published: story.publishedAt !== null };
  };

  app.get(
    '/api/v1/stories',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['stories'],
        summary: '《“帖”近现场》已发布的视频故事，最新发布的在前',
        querystring: Type.Object({
          limit: Limit(50, 20),
          offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0, description: '跳过的条数' }),
        }),
        response: { 200: Type.Object({ stories: Type.Array(StoryBody), total: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const { stories, total } = await storiesService.listPublished(db, request.query);
      return { stories: stories.map(toJson), total };
    },
  );

  app.get(
    '/api/v1/stories/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['stories'],
        summary: '一个已发布的视频故事',
        params: IdParams,
        response: { 200: StoryBody, ...errors },
      },
    },
    async (request) => toJson(await storiesService.getPublic(db, request.params.id)),
  );

  app.get(
    '/api/v1/editor/stories',
    {
      config: { access: EDIT },
      schema: {
        tags: ['stories'],
        summary: '编辑：全部视频故事及其状态（含未发布的），最新的在前',
        security: [{ bearerAuth: [] }],
        querystring: Type.Object({
          limit: Limit(200, 50),
          offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
        }),
        response: { 200: Type.Object({ stories: Type.Array(EditorStoryBody), total: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      editor(request);
      const { stories, total } = await storiesService.listAll(db, request.query);
      return { stories: stories.map(toEditorJson), total };
    },
  );

  app.get(
    '/api/v1/editor/stories/:id',
    {
      config: { access: EDIT },
      schema: {
        tags: ['stories'],
        summary: '编辑：一个视频故事及其视频转换状态和进度',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 200: EditorStoryBody, ...errors },
      },
    },
    async (request) => {
      editor(request);
      return toEditorJson(await storiesService.get(db, request.params.id));
    },
  );

  app.post(
    '/api/v1/stories',
    {
      config: { access: EDIT },
      schema: {
        tags: ['stories'],
        summary: '编辑：新建视频故事（之后上传视频和字幕，再发布）',
        security: [{ bearerAuth: [] }],
        body: StoryFieldsBody,
        response: { 201: EditorStoryBody, ...errors },
      },
    },
    async (request, reply) => {
      const id = await storiesService.create(db, editor(request), request.body);
      return reply.status(201).send(toEditorJson(await storiesService.get(db, id)));
    },
  );

  app.patch(
    '/api/v1/stories/:id',
    {
      config: { access: EDIT },
      schema: {
        tags: ['stories'],
        summary: '编辑：修改视频故事的文字、地区、关联留言或文字稿（只改给出的字段）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        body: Type.Partial(StoryFieldsBody),
        response: { 200: EditorStoryBody, ...errors },
      },
    },
    async (request) => {
      await storiesService.update(db, editor(request), request.params.id, request.body, true);
      return toEditorJson(await storiesService.get(db, request.params.id));
    },
  );

  app.post(
    '/api/v1/stories/:id/video',
    {
      config: { access: EDIT },
      schema: {
        tags: ['stories'],
        summary: `编辑：上传视频（multipart/form-data，字段 video；不超过 STORY_VIDEO_MAX_MB，默认 500 MB，时长不超过 STORY_VIDEO_MAX_SECONDS，默认 30 分钟）。返回 202，随后在后台转换为 H.264/AAC MP4（不超过 720p）并截取封面，进度见 GET /api/v1/editor/stories/{id}`,
        consumes: ['multipart/form-data'],
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 202: StoryState, ...errors, 413: ErrorBody, 415: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const who = editor(request);
      const id = request.params.id;
      await storiesService.get(db, id);
      if (Number(request.headers['content-length'] ?? 0) > config.stories.videoMaxBytes + 1024 * 1024)
        throw new AppError('STORY_VIDEO_TOO_LARGE', { max: Math.round(config.stories.videoMaxBytes / 1024 / 1024) });
      let file: UploadedFile | null = null;
      try {
        ({ file } = await readUpload(request, {
          field: 'video',
          maxBytes: config.stories.videoMaxBytes,
          tmpDir: app.stories.tmpDir,
        }));
        await receiveVideo(media, who, id, file);
      } finally {
        await discardUpload(file);
      }
      return reply.status(202).send(await stateOf(id));
    },
  );

  app.post(
    '/api/v1/stories/:id/captions',
    {
      config: { access: EDIT },
      schema: {
        tags: ['stories'],
        summary: '编辑：上传字幕（multipart/form-data，字段 captions；WebVTT，UTF-8，不超过 1 MB）',
        consumes: ['multipart/form-data'],
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 200: Type.Object({ id: Type.Integer(), cues: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const who = editor(request);
      const id = request.params.id;
      await storiesService.get(db, id);
      let file: UploadedFile | null = null;
      try {
        ({ file } = await readUpload(request, {
          field: 'captions',
          maxBytes: CAPTIONS_MAX_BYTES,
          tmpDir: app.stories.tmpDir,
        }));
        const { cues } = await receiveCaptions(media, who, id, file);
        return { id, cues };
      } finally {
        await discardUpload(file);
      }
    },
  );

  app.delete(
    '/api/v1/stories/:id/captions',
    {
      config: { access: EDIT },
      schema: {
        tags: ['stories'],
        summary: '编辑：删除字幕（已发布且没有文字稿的故事不能删除字幕）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 200: StoryState, ...errors },
      },
    },
    async (request) => {
      await removeCaptions(media, editor(request), request.params.id);
      return stateOf(request.params.id);
    },
  );

  for (const [path, summary, run] of [
    [
      'publish',
      '编辑：发布（视频已转换完成，有字幕或文字稿，关联了公开的留言）',
      (who: Editor, id: number) => storiesService.publish(db, who, id),
    ],
    ['unpublish', '编辑：撤下已发布的故事', (who: Editor, id: number) => storiesService.unpublish(db, who, id)],
  ] as const) {
    app.post(
      `/api/v1/stories/:id/${path}`,
      {
        config: { access: EDIT },
        schema: {
          tags: ['stories'],
          summary,
          security: [{ bearerAuth: [] }],
          params: IdParams,
          response: { 200: StoryState, ...errors },
        },
      },
      async (request) => {
        await run(editor(request), request.params.id);
        return stateOf(request.params.id);
      },
    );
  }
};
