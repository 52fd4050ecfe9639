// HTTP for the editors of the video column (/editor/stories): the list with states, creating and editing a story,
// uploading its video and captions, the conversion's progress as JSON, publishing and unpublishing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { requirePermission } from '../accounts/auth.plugin.ts';
import { IdParams } from '../api/schemas.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { permission } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { errorsOf } from '../web/form-state.ts';
import { pageContext, sendPage } from '../web/render.ts';
import type { FormErrors } from '../web/views/form.tsx';
import { type Editor, storiesService } from './stories.service.ts';
import { receiveCaptions, receiveVideo, removeCaptions } from './story-media.service.ts';
import { discardUpload, readUpload, type UploadedFile } from './story-upload.ts';
import { CAPTIONS_MAX_BYTES } from './webvtt.ts';
import { NewStoryPage, StoryEditorListPage, StoryEditPage } from './views/story-editor-pages.tsx';
import { failureIn } from './video-worker.ts';

const EDIT = permission('story.edit');
const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 60_000 }));
/** Notices after a redirect: only these keys, so a link cannot make the page say anything. */
const DONE = ['created', 'saved', 'video', 'captions', 'captionsRemoved', 'published', 'unpublished'] as const;
const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
/** The editors' list shows this many stories, the newest first. */
const LIST_SIZE = 200;
/** Room for the form's other fields around a video at the size limit. */
const FORM_OVERHEAD = 1024 * 1024;

export const storyEditorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;
  const media = app.stories.media;
  const limits = {
    maxMb: Math.round(config.stories.videoMaxBytes / 1024 / 1024),
    maxSeconds: config.stories.videoMaxSeconds,
  };

  const editor = (request: FastifyRequest): Editor & { user: CurrentUser } => {
    const user = requirePermission(request, 'story.edit');
    return { id: user.id, ip: request.ip, user, t: request.t };
  };
  const notice = (request: FastifyRequest) => {
    const done = (request.query as { done?: string }).done;
    return done && (DONE as readonly string[]).includes(done)
      ? request.t(`stories.done.${done}` as MessageKey)
      : undefined;
  };

  async function editPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: { values?: Record<string, string>; errors?: FormErrors } = {},
    status = 200,
  ) {
    const story = await storiesService.get(db, id);
    const ctx = pageContext(request, reply);
    return sendPage(reply, StoryEditPage({ ctx, story, limits, notice: notice(request), ...state }), status);
  }

  /** The details form as sent, long fields included (keptValues cuts at 200 characters). */
  const fullValues = (body: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of ['title', 'summary', 'regionCode', 'messageIds', 'transcript']) {
      const value = (body as Record<string, unknown> | undefined)?.[name];
      if (typeof value === 'string') out[name] = value;
    }
    return out;
  };

  /**
   * A refused change comes back on the story's page, with the reason beside the part it concerns; the details form
   * keeps what was typed (an upload's multipart body has nothing worth keeping).
   */
  async function refused(request: FastifyRequest, reply: FastifyReply, id: number, err: unknown, keep = false) {
    if (err instanceof AppError && err.code === 'STORY_NOT_FOUND') throw err;
    const errors = errorsOf(request, err);
    return editPage(request, reply, id, { errors, ...(keep ? { values: fullValues(request.body) } : {}) }, 400);
  }

  /** Checks the CSRF token of a multipart form, which arrives as one of its fields (before the file). */
  const csrfFrom = (request: FastifyRequest, reply: FastifyReply) => async (fields: Record<string, string>) => {
    request.body = fields;
    await new Promise<void>((resolve, reject) =>
      app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())),
    );
  };

  app.get(
    '/editor/stories',
    { config: { access: EDIT }, schema: { querystring: DoneQuery } },
    async (request, reply) => {
      editor(request);
      const { stories } = await storiesService.listAll(db, { offset: 0, limit: LIST_SIZE });
      return sendPage(
        reply,
        StoryEditorListPage({ ctx: pageContext(request, reply), stories, notice: notice(request) }),
      );
    },
  );

  app.get('/editor/stories/new', { config: { access: EDIT } }, async (request, reply) => {
    editor(request);
    return sendPage(reply, NewStoryPage({ ctx: pageContext(request, reply) }));
  });

  app.post('/editor/stories', { config: { access: EDIT }, schema: { body: FormBody } }, async (request, reply) => {
    const who = editor(request);
    try {
      const id = await storiesService.create(db, who, request.body);
      return reply.redirect(`/editor/stories/${id}?done=created`, 303);
    } catch (err) {
      const errors = errorsOf(request, err);
      return sendPage(
        reply,
        NewStoryPage({ ctx: pageContext(request, reply), values: fullValues(request.body), errors }),
        400,
      );
    }
  });

  app.get(
    '/editor/stories/:id',
    { config: { access: EDIT }, schema: { params: IdParams, querystring: DoneQuery } },
    async (request, reply) => {
      editor(request);
      return editPage(request, reply, request.params.id);
    },
  );

  app.get(
    '/editor/stories/:id/status.json',
    {
      config: { access: EDIT },
      schema: {
        params: IdParams,
        response: {
          200: Type.Object({
            state: Type.String(),
            progress: Type.Number(),
            error: Type.Union([Type.String(), Type.Null()]),
            seconds: Type.Union([Type.Number(), Type.Null()]),
          }),
        },
      },
    },
    async (request, reply) => {
      editor(request);
      const { video } = await storiesService.get(db, request.params.id);
      reply.header('cache-control', 'no-store');
      const error = video.error === null ? null : failureIn(request.t, video.error);
      return { state: video.state, progress: video.progress, error, seconds: video.seconds };
    },
  );

  app.post(
    '/editor/stories/:id',
    { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } },
    async (request, reply) => {
      const who = editor(request);
      try {
        await storiesService.update(db, who, request.params.id, request.body);
        return reply.redirect(`/editor/stories/${request.params.id}?done=saved`, 303);
      } catch (err) {
        return refused(request, reply, request.params.id, err, true);
      }
    },
  );

  // The uploads post multipart: the CSRF token is checked from the form's first field, before the file is read.
  app.post(
    '/editor/stories/:id/video',
    { config: { access: EDIT, csrf: false }, schema: { params: IdParams } },
    async (request, reply) => {
      const who = editor(request);
      const id = request.params.id;
      await storiesService.get(db, id);
      let file: UploadedFile | null = null;
      try {
        if (Number(request.headers['content-length'] ?? 0) > config.stories.videoMaxBytes + FORM_OVERHEAD)
          throw new AppError('STORY_VIDEO_TOO_LARGE', { max: limits.maxMb }, 'video');
        ({ file } = await readUpload(request, {
          field: 'video',
          maxBytes: config.stories.videoMaxBytes,
          tmpDir: app.stories.tmpDir,
          beforeFile: csrfFrom(request, reply),
        }));
        await receiveVideo(media, who, id, file);
        return reply.redirect(`/editor/stories/${id}?done=video`, 303);
      } catch (err) {
        return refused(request, reply, id, err);
      } finally {
        await discardUpload(file);
      }
    },
  );

  app.post(
    '/editor/stories/:id/captions',
    { config: { access: EDIT, csrf: false }, schema: { params: IdParams } },
    async (request, reply) => {
      const who = editor(request);
      const id = request.params.id;
      await storiesService.get(db, id);
      let file: UploadedFile | null = null;
      try {
        ({ file } = await readUpload(request, {
          field: 'captions',
          maxBytes: CAPTIONS_MAX_BYTES,
          tmpDir: app.stories.tmpDir,
          beforeFile: csrfFrom(request, reply),
        }));
        await receiveCaptions(media, who, id, file);
        return reply.redirect(`/editor/stories/${id}?done=captions`, 303);
      } catch (err) {
        return refused(request, reply, id, err);
      } finally {
        await discardUpload(file);
      }
    },
  );

  const action = (run: (who: Editor, id: number) => Promise<void>, done: (typeof DONE)[number]) =>
    async function (request: FastifyRequest<{ Params: { id: number } }>, reply: FastifyReply) {
      const who = editor(request);
      try {
        await run(who, request.params.id);
        return reply.redirect(`/editor/stories/${request.params.id}?done=${done}`, 303);
      } catch (err) {
        return refused(request, reply, request.params.id, err);
      }
    };
  const plain = { config: { access: EDIT }, schema: { params: IdParams, body: FormBody } };
  app.post(
    '/editor/stories/:id/captions/remove',
    plain,
    action((who, id) => removeCaptions(media, who, id), 'captionsRemoved'),
  );
  app.post(
    '/editor/stories/:id/publish',
    plain,
    action((who, id) => storiesService.publish(db, who, id), 'published'),
  );
  app.post(
    '/editor/stories/:id/unpublish',
    plain,
    action((who, id) => storiesService.unpublish(db, who, id), 'unpublished'),
  );
};
