// Starts the platform: prepares the database, listens, and shuts down gracefully on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { faultLog } from './db/faults.ts';
import { prepareDatabase } from './db/prepare.ts';

/**
 * After SIGTERM, how long the connections already open may still bring a request (answered, with `Connection: close`)
 * before those left idle are closed; the wait ends as soon as every connection has closed.
 */
const LAST_REQUESTS_MS = 500;

/**
 * Stops accepting connections, then gives the open ones a moment to deliver what a client may already have sent on
 * them. Node's http `close()` would destroy idle keep-alive connections at once, and with them a request that has
 * reached the socket but was not read yet: the client gets ECONNRESET for a request it sent before the server closed.
 */
async function stopAccepting(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  NetServer.prototype.close.call(server);
  const openConnections = () =>
    new Promise<number>((resolve) => server.getConnections((err, count) => resolve(err ? 0 : count)));
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (await openConnections()) > 0) await sleep(20);
  // One more turn of the event loop reads what clients sent meanwhile (a busy process may not have yet), so that a
  // connection with a request under way counts as active, not idle, when the idle ones are closed.
  await new Promise((resolve) => setImmediate(resolve));
}

export async function startServer(config: Config): Promise<void> {
  // SQLite's checkpoints run beside the requests rather than inside one of them (db/checkpoints.ts).
  const db = openDatabase(config, { backgroundCheckpoints: true });
  const app = await buildApp({ config, db });
  app.addHook('onClose', async () => {
    await db.destroy();
    app.log.info('数据库连接已关闭');
  });
  // Responses during shutdown close their keep-alive connection: the client opens no further request on it.
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
    closing = true;
    await stopAccepting(app.server, LAST_REQUESTS_MS);
    // Fastify closes the connections still idle, lets requests in flight finish, then runs the onClose hooks.
    await app.close();
  });

  // Hourly clean-up; safe to run in every process at once, since it only deletes what has expired.
  const sweepFaults = faultLog(app.log, '清理任务的数据库连接');
  const sweep = () =>
    sweepExpired(db)
      .then(() => sweepFaults.ok())
      .catch((err: unknown) => sweepFaults.failed(err, 'housekeeping failed'));
  await sweep();
  const timer = setInterval(sweep, 3600_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  // Background work: SMS from the outbox, and the deadline scheduler. Both are safe in several processes.
  const outbox = startOutboxWorker(
    db,
    app.sms,
    app.log,
    undefined,
    { mailer: app.mailer, siteBase: siteBase(config), secret: config.secret },
    config.outboxClaimSeconds * 1000,
  );
  const scheduler = startScheduler(db, app.log);
  app.addHook('onClose', async () => {
    await Promise.all([scheduler.stop(), outbox.stop()]);
  });
  // The daily open-data dump: each process checks every minute; the first to claim the (China) day writes it.
  const openData = startOpenDataSchedule(db, config, app.log);
  app.addHook('onClose', async () => openData.stop());
  // Video stories: uploads are converted with FFmpeg, one at a time per process, claimed from a queue in the database.
  // Stopped before the database closes (onClose hooks run last-added first): a conversion cut short goes back to the queue.
  const storyWorker = app.stories.worker.start();
  app.addHook('onClose', async () => storyWorker.stop());
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
