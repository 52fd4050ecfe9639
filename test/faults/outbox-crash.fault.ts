// kill -9 of server processes in the middle of sending SMS: every queued text reaches the gateway, none is lost.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { notify } from '../../src/notify/notify.ts';
import { createTestDatabase, type TestDatabase } from '../helpers.ts';
import { freePort, serve } from '../processes.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.close());

/** What the gateway does with one text: accept it, or die with the sender before accepting it (nothing recorded). */
type Fate = 'accept' | 'accept-then-kill' | 'kill-before-accept';

/** A local SMS gateway that records the texts it accepted and kills the sending process at chosen moments. */
class Gateway {
  readonly received: string[] = [];
  /** The process sending right now: the one a kill hits. */
  sender: ChildProcess | undefined;
  /** What happens at the n-th request (counted from 1); every other request is accepted. */
  fates = new Map<number, Fate>();
  private requests = 0;
  private server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const fate = this.fates.get(++this.requests) ?? 'accept';
      if (fate !== 'kill-before-accept') this.received.push((JSON.parse(body) as { text: string }).text);
      if (fate !== 'accept') {
        this.sender?.kill('SIGKILL');
        res.destroy();
        return;
      }
      // A gateway takes a moment: the claimed batch is still being worked through when a kill comes.
      setTimeout(() => res.end('{"ok":true}'), 10);
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/send`;
  }

  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

test('kill -9 twice while SMS notices go out: none lost, one sent twice (accepted by the gateway just before the kill)', async () => {
  const COUNT = 60;
  const user = await t.db
    .insertInto('users')
    .values({ phone: '13712340000', nickname: '收短信', is_staff: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const texts = Array.from({ length: COUNT }, (_, i) => `通知 ${String(i).padStart(2, '0')}`);
  for (const text of texts) await notify(t.db, { userId: user.id, text, sms: true, dedupeKey: text });

  const gateway = new Gateway();
  // The first process dies with the gateway holding its 15th text; the second dies before the gateway takes its 40th.
  gateway.fates.set(15, 'accept-then-kill');
  gateway.fates.set(40, 'kill-before-accept');
  const env = {
    ...t.env,
    LOG_LEVEL: 'warn',
    SMS_DRIVER: 'http',
    SMS_HTTP_URL: await gateway.start(),
    SMS_HTTP_SECRET: 'gateway-secret-0123456789',
    OUTBOX_CLAIM_SECONDS: '2',
  };
  const outputs: string[] = [];
  try {
    for (let run = 1; run <= 3; run++) {
      const server = serve({ ...env, PORT: String(await freePort()) });
      gateway.sender = server.child;
      const exited = once(server.child, 'exit');
      if (run < 3) {
        const [, signal] = await Promise.race([
          exited,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`run ${run} was not killed:\n${server.output()}`)), 60_000),
          ),
        ]);
        assert.equal(signal, 'SIGKILL');
        outputs.push(server.output());
        continue;
      }
      // The last process sends what the killed ones left claimed, once their 2-second claims have run out.
      const deadline = Date.now() + 60_000;
      let unsent = COUNT;
      while (Date.now() < deadline) {
        const row = await t.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '!=', 'sent')
          .where('channel', '=', 'sms')
          .executeTakeFirstOrThrow();
        unsent = Number(row.n);
        if (unsent === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      server.child.kill('SIGTERM');
      await exited;
      outputs.push(server.output());
      assert.equal(unsent, 0, `rows never sent:\n${outputs.join('\n')}`);
    }
  } finally {
    gateway.close();
  }

  const counts = new Map<string, number>();
  for (const text of gateway.received) counts.set(text, (counts.get(text) ?? 0) + 1);
  const lost = texts.filter((text) => !counts.has(text));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([text]) => text);
  console.log(
    `outbox kill -9 (${t.config.engine}): ${COUNT} queued, ${counts.size} delivered, ` +
      `${lost.length} lost, ${duplicated.length} duplicated, ${gateway.received.length} gateway requests accepted`,
  );
  assert.deepEqual(lost, [], 'no text lost');
  // Only the text the gateway accepted just before the first kill goes twice; the 40th was never accepted, so once.
  assert.deepEqual(duplicated, [gateway.received[14]]);
  const rows = await t.db.selectFrom('outbox').select(['status', 'attempts']).where('channel', '=', 'sms').execute();
  assert.equal(rows.length, COUNT);
  assert.ok(rows.every((r) => r.status === 'sent'));
  assert.ok(
    rows.every((r) => r.attempts >= 1 && r.attempts <= 3),
    'a taken-back row counts the claim that died',
  );
});
