// The editors' desk (/editor): one entry in the header for the editorial columns, with what waits in each.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { reviewRepository } from '../messages/review.repository.ts';
import { permission } from '../web/access.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { EditorHubPage, type EditorDesk } from './views/editor-hub-page.tsx';

/** Everyone who edits any column of the platform. */
export const EDITORIAL = permission(['message.review', 'article.edit', 'story.edit', 'solicitation.edit']);

export const editorHubRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const count = async (query: Promise<{ n: number | string }[]>) => Number((await query)[0]?.n ?? 0);

  app.get('/editor', { config: { access: EDITORIAL } }, async (request, reply) => {
    const desk: EditorDesk = {
      review: await reviewRepository.queueSize(db, new Date().toISOString()),
      drafts: await count(
        db
          .selectFrom('articles')
          .select(sql<number>`count(*)`.as('n'))
          .where('status', '=', 'draft')
          .execute(),
      ),
      converting: await count(
        db
          .selectFrom('stories')
          .select(sql<number>`count(*)`.as('n'))
          .where('video_state', 'in', ['uploaded', 'converting'])
          .execute(),
      ),
      failed: await count(
        db
          .selectFrom('stories')
          .select(sql<number>`count(*)`.as('n'))
          .where('video_state', '=', 'failed')
          .execute(),
      ),
      entries: await count(
        db
          .selectFrom('solicitation_entries')
          .select(sql<number>`count(*)`.as('n'))
          .where('status', '=', 'submitted')
          .execute(),
      ),
    };
    return sendPage(reply, EditorHubPage({ ctx: pageContext(request, reply), desk }));
  });
};
