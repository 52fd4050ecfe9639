// End to end through the real server (`liuyan serve`, no browser): a gateway pushes a text over HTTP, the server's
// own outbox worker answers with the tracking code, and the code texted back is answered with the status.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, sentSms, TEST_ENGINE, type TestDatabase } from './helpers.ts';
import { startServer } from './processes.ts';

const TOKEN = 'e2e-inbound-token-0123456789ab';
let t: TestDatabase;
let server: Awaited<ReturnType<typeof startServer>>;

before(async () => {
  t = await createTestDatabase();
  server = await startServer({
    ...t.env,
    SMS_INBOUND_PROVIDERS: 'aliyun,tencent',
    SMS_INBOUND_TOKEN: TOKEN,
  });
});
after(async () => {
  await server?.stop();
  await t.close();
});

/** Waits for the server's worker to send an SMS to this number matching the pattern. */
async function waitForSms(phone: string, pattern: RegExp, deadline = Date.now() + 20_000): Promise<string> {
  while (Date.now() < deadline) {
    const found = sentSms(t.config).find((s) => s.to === phone && pattern.test(s.text));
    if (found) return found.text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS to ${phone} matching ${pattern}: ${JSON.stringify(sentSms(t.config))}\n${server.output()}`);
}

describe(`inbound SMS through the real HTTP server on ${TEST_ENGINE}`, () => {
  test('a pushed text becomes a message, the reply carries its code, and the code returns the status', async () => {
    const phone = '13912345678';
    const push = (path: string, body: unknown) =>
      fetch(`${server.base}/sms/inbound/${path}/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      });
    const first = await push('aliyun', [
      {
        phone_number: phone,
        content: '正定县长 小区门口的下水道堵了一个星期，污水横流',
        send_time: '2026-05-01 09:30:00',
        dest_code: '01',
        sequence_id: 987654321,
      },
    ]);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { code: 0, msg: '接收成功' });
    assert.equal(first.headers.get('set-cookie'), null);
    const reply = await waitForSms(phone, /查询码[A-Z2-9]{8}/);
    const code = /查询码([A-Z2-9]{8})/.exec(reply)![1]!;

    // The gateway did not see our answer in time and pushes again: nothing new happens.
    const again = await push('aliyun', [
      { phone_number: phone, content: '正定县长 小区门口的下水道堵了一个星期，污水横流', sequence_id: 987654321 },
    ]);
    assert.equal(again.status, 200);

    const asked = await push('tencent', {
      mobile: phone,
      nationcode: '86',
      text: `查 ${code}`,
      sign: '',
      time: 1777000001,
      extend: '',
    });
    assert.equal(asked.status, 200);
    assert.deepEqual(await asked.json(), { result: 0, errmsg: 'OK' });
    assert.match(await waitForSms(phone, new RegExp(`^留言${code}：`)), /待审核/);

    const messages = await t.db
      .selectFrom('messages')
      .select(['status', 'channel'])
      .where('tracking_code', '=', code)
      .execute();
    assert.deepEqual(messages, [{ status: 'submitted', channel: 'sms' }]);
    assert.equal(sentSms(t.config).filter((s) => s.to === phone && /查询码/.test(s.text)).length, 1, 'one reply only');
  });
});
