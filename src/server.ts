// Starts the platform: prepares the database, listens, and shuts down gracefully on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace';
import { sweepExpired } from './accounts/housekeeping.ts';
import { buildApp } from './app.ts';
import { startOutboxWorker } from './notify/outbox-worker.ts';
import { startDigestSchedule } from './mail/digest.ts';
import { siteBase } from './mail/links.ts';
import { startScheduler } from './workflow/supervision.ts';
import { startOpenDataSchedule } from './open-data/open-data.service.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/kysely.ts';
import { prepareDatabase } from './db/prepare.ts';

export async function startServer(config: Config): Promise<void> {
  const db = openDatabase(config);
  const app = await buildApp({ config, db });
  app.addHook('onClose', async () => {
    await db.destroy();
    app.log.info('数据库连接已关闭');
  });
  // Responses finished during shutdown close their keep-alive connection, so close() need not wait for it to idle out.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  try {
    await prepareDatabase(db, config, app.log);
  } catch (err) {
    await app.close();
    throw err;
  }

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info(`收到 ${signal}，停止接收新请求，等待处理中的请求完成`);
    // Fastify stops accepting connections, lets in-flight requests finish, then runs onClose hooks.
    closing = true;
    await app.close();
  });

  // Hourly clean-up; safe to run in every process at once, since it only deletes what has expired.
  const sweep = () => sweepExpired(db).catch((err: unknown) => app.log.warn({ err }, 'housekeeping failed'));
  await sweep();
  const timer = setInterval(sweep, 3600_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  // Background work: SMS from the outbox, and the deadline scheduler. Both are safe in several processes.
  const outbox = startOutboxWorker(db, app.sms, app.log, undefined, {
    mailer: app.mailer,
    siteBase: siteBase(config),
    secret: config.secret,
  });
  const scheduler = startScheduler(db, app.log);
  app.addHook('onClose', async () => {
    scheduler.stop();
    await outbox.stop();
  });
  // The daily open-data dump: each process checks every minute; the first to claim the (China) day writes it.
  const openData = startOpenDataSchedule(db, config, app.log);
  app.addHook('onClose', async () => openData.stop());
  // The staff digest by e-mail, once a day across all processes (see mail/digest.ts).
  if (app.mailer) {
    const digest = startDigestSchedule(db, config, app.log);
    app.addHook('onClose', async () => digest.stop());
  }

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`留言平台已启动：http://${config.host}:${config.port}/`);
  if (!config.publicUrl) {
    app.log.warn('未设置 PUBLIC_URL：订阅和站点地图中的链接将指向监听地址；正式部署请把 PUBLIC_URL 设为站点的公开地址');
  }
}
