// Liveness and readiness probes for load balancers and orchestrators.
import { PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import Type from 'typebox';
import { faultLog } from '../db/faults.ts';

const Status = Type.Object({ status: Type.String() });

/** How long the readiness probe waits for the database: well inside a load balancer's usual 2 s probe timeout. */
const READY_TIMEOUT_MS = 1000;

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Probes come every few seconds: an outage is logged once, not at every probe.
  const faults = faultLog(app.log, '数据库（就绪检查）', 60_000);
  app.get(
    '/healthz',
    { config: { access: PUBLIC }, schema: { tags: ['health'], summary: '进程存活', response: { 200: Status } } },
    async () => ({
      status: 'ok',
    }),
  );

  app.get(
    '/readyz',
    {
      config: { access: PUBLIC },
      schema: { tags: ['health'], summary: '数据库可达时就绪', response: { 200: Status, 503: Status } },
    },
    async (_request, reply) => {
      // A database that hangs must not hang the probe: it answers within READY_TIMEOUT_MS whatever the query does.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_resolve, reject) => {
        const error = Object.assign(new Error(`no answer from the database in ${READY_TIMEOUT_MS} ms`), {
          code: 'ETIMEDOUT',
        });
        timer = setTimeout(() => reject(error), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([sql`select 1`.execute(app.db), late]);
        faults.ok();
        return { status: 'ok' };
      } catch (err) {
        faults.failed(err, 'database not reachable');
        return reply.header('retry-after', '5').status(503).send({ status: 'unavailable' });
      } finally {
        clearTimeout(timer);
      }
    },
  );
};
