// HTTP for the public side of the video column: the list, a story's page, its video, poster and captions (with byte
// ranges), and the Atom feed. A story that is not published is not there for the public; its editors can preview it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { can } from '../accounts/permissions.ts';
import { sendObject } from '../attachments/send-object.ts';
import { idFromText } from '../db/ids.ts';
import { buildAtomFeed } from '../feeds/atom-feed.ts';
import { ATOM_TYPE, siteAddress } from '../feeds/feeds.routes.ts';
import { getAncestors, getRegion } from '../regions/regions.service.ts';
import { PUBLIC } from '../web/access.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { type Story, storiesService } from './stories.service.ts';
import { keyVersion, STORY_CONTENT_TYPES } from './story-files.ts';
import { StoriesPage, StoryPage } from './views/story-pages.tsx';

/** Stories on one page of the list. */
export const STORIES_PAGE = 12;
export const STORIES_FEED_SIZE = 50;

const IdText = Type.Object({ id: Type.String({ maxLength: 12 }) });

export const storiesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  const mayEdit = (request: FastifyRequest) => Boolean(request.user && can(request.user.grants, 'story.edit'));

  /** The story for this request: published for anyone, any state for its editors; else STORY_NOT_FOUND. */
  async function storyFor(request: FastifyRequest, idText: string): Promise<{ story: Story; preview: boolean }> {
    const id = idFromText(idText);
    if (id === null) throw new AppError('STORY_NOT_FOUND', { id: idText.slice(0, 12) });
    if (mayEdit(request)) {
      const story = await storiesService.get(db, id).catch(() => {
        throw new AppError('STORY_NOT_FOUND', { id });
      });
      return { story, preview: !story.isPublic };
    }
    return { story: await storiesService.getPublic(db, id), preview: false };
  }

  app.get(
    '/stories',
    {
      config: { access: PUBLIC, publicCache: true },
      schema: { querystring: Type.Object({ page: Type.Optional(Type.String({ maxLength: 6 })) }) },
    },
    async (request, reply) => {
      const asked = Number(request.query.page ?? '1');
      const page = Number.isInteger(asked) && asked >= 1 ? asked : 1;
      const { stories, total } = await storiesService.listPublished(db, {
        offset: (page - 1) * STORIES_PAGE,
        limit: STORIES_PAGE,
      });
      const pages = Math.max(1, Math.ceil(total / STORIES_PAGE));
      // A page past the last has no stories: saying "no stories yet" there would be untrue.
      if (page > pages) throw new AppError('NOT_FOUND');
      return sendPage(reply, StoriesPage({ ctx: pageContext(request, reply), stories, page, pages }));
    },
  );

  app.get('/stories/feed.xml', { config: { access: PUBLIC } }, async (request, reply) => {
    const site = siteAddress(config);
    const { stories } = await storiesService.listPublished(db, { offset: 0, limit: STORIES_FEED_SIZE });
    const xml = buildAtomFeed({
      id: `${site}/stories`,
      title: request.t('stories.feedTitle'),
      subtitle: request.t('site.name'),
      link: `${site}/stories`,
      self: `${site}/stories/feed.xml`,
      author: request.t('site.name'),
      entries: stories.map((s) => ({
        id: `${site}/stories/${s.id}`,
        title: s.title,
        link: `${site}/stories/${s.id}`,
        updated: new Date(s.publishedAt!),
        text: s.summary,
        author: request.t('site.name'),
      })),
    });
    return reply.type(ATOM_TYPE).header('cache-control', 'public, max-age=300').send(xml);
  });

  app.get(
    '/stories/:id',
    { config: { access: PUBLIC, publicCache: true }, schema: { params: IdText } },
    async (request, reply) => {
      const { story } = await storyFor(request, request.params.id);
      const region = await getRegion(db, story.region.code);
      const ctx = pageContext(request, reply);
      const regionPath = [...(await getAncestors(db, region)), region].map((r) => ctx.names.place(r.name)).join(' ');
      return sendPage(reply, StoryPage({ ctx, story, regionPath, canEdit: mayEdit(request) }));
    },
  );

  /** A story's file, whole or a byte range: public once published, for its editors before (never cached then). */
  async function sendStoryFile(
    request: FastifyRequest,
    reply: FastifyReply,
    idText: string,
    pick: (story: Story) => string | null,
    contentType: string,
  ) {
    const { story, preview } = await storyFor(request, idText);
    const key = pick(story);
    if (!key) throw new AppError('NOT_FOUND');
    return sendObject(request, reply, (range) => app.attachments.objects.get(key, range), {
      etag: keyVersion(key),
      cacheControl: preview ? 'private, no-store' : 'public, max-age=300',
      contentType,
    });
  }

  // Video and poster are compressed already; captions are small. None goes through compression, which would break
  // the byte ranges a player asks for.
  const media = { config: { access: PUBLIC }, schema: { params: IdText }, compress: false as const };
  app.get('/stories/:id/video.mp4', media, (request, reply) =>
    sendStoryFile(request, reply, request.params.id, (s) => s.video.key, STORY_CONTENT_TYPES.video),
  );
  app.get('/stories/:id/poster.jpg', media, (request, reply) =>
    sendStoryFile(request, reply, request.params.id, (s) => s.video.posterKey, STORY_CONTENT_TYPES.poster),
  );
  app.get('/stories/:id/captions.vtt', media, (request, reply) =>
    sendStoryFile(request, reply, request.params.id, (s) => s.captions?.key ?? null, STORY_CONTENT_TYPES.captions),
  );
};
