// The video column as one plugin: its conversion worker (started by the server, stopped with the app), the context
// its uploads share, and its routes (public pages and files, editors' pages, the API).
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { storiesApiRoutes } from './stories-api.routes.ts';
import { storiesRoutes } from './stories.routes.ts';
import { storyEditorRoutes } from './story-editor.routes.ts';
import type { MediaContext } from './story-media.service.ts';
import { StoryVideoWorker } from './video-worker.ts';

export interface StoriesRuntime {
  /** Converts uploaded videos; `start()` it in a process that should do that work (the server does). */
  worker: StoryVideoWorker;
  media: MediaContext;
  /** Uploads and conversions in progress, under DATA_DIR. */
  tmpDir: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    stories: StoriesRuntime;
  }
}

async function storiesPlugin(app: FastifyInstance): Promise<void> {
  const tmpDir = join(app.config.dataDir, 'tmp', 'stories');
  const objects = app.attachments.objects;
  const worker = new StoryVideoWorker({ db: app.db, objects, tmpDir, log: app.log });
  const media: MediaContext = {
    db: app.db,
    objects,
    limits: app.config.stories,
    queued: () => worker.wake(),
    warn: (err, key) => app.log.warn({ err, key }, 'story file could not be removed (left for a later clean-up)'),
  };
  app.decorate('stories', { worker, media, tmpDir });
  app.addHook('onClose', async () => worker.stop());
  await app.register(storiesRoutes);
  await app.register(storyEditorRoutes);
  await app.register(storiesApiRoutes);
}

export default fp(storiesPlugin, { name: 'stories' });
