// HTTP for the open data: the page that lists the latest dump with its schema and licence, and its files.
import { PUBLIC } from '../web/access.ts';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { latestDump } from './dump-writer.ts';
import { openDataRoot } from './open-data.service.ts';
import { isOpenDataFile } from './open-data.schema.ts';
import { OpenDataPage } from './views/open-data-page.tsx';

const MEDIA_TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export const openDataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const root = openDataRoot(app.config);

  app.get('/open-data', { config: { access: PUBLIC } }, async (request, reply) => {
    const latest = await latestDump(root);
    return sendPage(reply, OpenDataPage({ ctx: pageContext(request, reply), manifest: latest?.manifest ?? null }));
  });

  app.get(
    '/open-data/latest/:file',
    { config: { access: PUBLIC }, schema: { params: Type.Object({ file: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      const { file } = request.params;
      // Only the names a dump is made of: nothing else under DATA_DIR can be asked for.
      if (!isOpenDataFile(file)) throw new AppError('NOT_FOUND');
      const latest = await latestDump(root);
      if (!latest) throw new AppError('NOT_FOUND');
      // Opened before answering, so a dump pruned a moment ago is a 404 rather than a broken response.
      const handle = await open(join(latest.dir, file)).catch(() => null);
      if (!handle) throw new AppError('NOT_FOUND');
      const extension = file.slice(file.lastIndexOf('.') + 1);
      return reply
        .header('content-type', MEDIA_TYPES[extension] ?? 'application/octet-stream')
        .header(
          'content-disposition',
          `${extension === 'csv' ? 'attachment' : 'inline'}; filename="${latest.manifest.date}-${file}"`,
        )
        .header('cache-control', 'public, max-age=600')
        .send(handle.createReadStream());
    },
  );
};
