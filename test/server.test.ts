import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { createEmptyDatabase, type TestDatabase } from './helpers.ts';
import { freePort, serve, waitFor } from './processes.ts';

let t: TestDatabase;
before(async () => {
  t = await createEmptyDatabase();
});
after(() => t.close());

describe('liuyan serve', () => {
  test('sets up an empty database on first start, serves the platform and shuts down gracefully', async () => {
    const port = await freePort();
    const { child, output } = serve({ ...t.env, PORT: String(port), LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`);
    const home = await (await fetch(`${base}/`)).text();
    assert.equal(new Set(home.match(/href="\/regions\/\d{2}0000"/g)).size, 33);
    assert.match(output(), /已执行迁移：0001-foundation/);
    assert.match(output(), /已导入参考数据/);

    // Requests sent before SIGTERM are answered in full; then the process exits cleanly.
    const inFlight = Array.from({ length: 20 }, () => fetch(`${base}/regions/130000`).then((r) => r.status));
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const statuses = await Promise.allSettled(inFlight);
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output());
    for (const s of statuses) if (s.status === 'fulfilled') assert.ok([200, 503].includes(s.value));
    assert.ok(statuses.some((s) => s.status === 'fulfilled' && s.value === 200));
    assert.match(output(), /收到 SIGTERM/);
    assert.match(output(), /数据库连接已关闭/);
  });

  test('a second start finds everything in place and does not seed again', async () => {
    const port = await freePort();
    const { child, output } = serve({ ...t.env, PORT: String(port), LOG_LEVEL: 'info' });
    await waitFor(`http://127.0.0.1:${port}/readyz`);
    child.kill('SIGTERM');
    await once(child, 'exit');
    assert.doesNotMatch(output(), /已导入参考数据/);
    assert.doesNotMatch(output(), /已执行迁移/);
  });

  test('a malformed variable stops the start with one line and exit code 1', async () => {
    const { child, output } = serve({ ...t.env, PORT: '99999' });
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.equal(output().trim(), '配置错误：PORT 应为 1–65535 之间的整数，当前值为 "99999"');
  });
});
