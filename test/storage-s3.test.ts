// Attachments on S3-compatible storage: a real S3 server (s3rver, in a child process) behind two app instances
// sharing one database and one STORAGE_URL, as two hosts would. Photos go in through the form and the API and come
// out whole, by byte range and as display copies from either instance; deleting removes the objects; an endpoint that
// is down, or refuses the key, gives a Chinese 503 and the app recovers once it is back. The object-store contract
// runs on both stores, disk and S3.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { DiskObjectStore } from '../src/attachments/disk-store.ts';
import {
  type ObjectRead,
  type ObjectStore,
  ObjectKeyError,
  parseRangeHeader,
  StorageUnavailableError,
} from '../src/attachments/object-store.ts';
import { S3ObjectStore } from '../src/attachments/s3-store.ts';
import { buildApp } from '../src/app.ts';
import { type Config, ConfigError, loadConfig } from '../src/config.ts';
import { type Db, openDatabase } from '../src/db/kysely.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';
import { freePort } from './processes.ts';
import { WebClient } from './web-client.ts';

const S3RVER_BIN = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
const BUCKET = 'liuyan-attachments';
const PREFIX = 'site-a/photos';
/** s3rver's one account. */
const KEY_ID = 'S3RVER';
const SECRET = 'S3RVER';
const PASSWORD = 'Storage-S3-2026!';
const EDITOR = '13300000001';

/** An S3-compatible server in a child process, on a port of its own, keeping its objects in a temporary folder. */
class S3Server {
  readonly dir = mkdtempSync(join(tmpdir(), 'liuyan-s3rver-'));
  port = 0;
  private child: ChildProcess | null = null;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const child = spawn(process.execPath, [S3RVER_BIN, '-d', this.dir, '-a', '127.0.0.1', '-p', String(port), '-s'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Not left running if this test process ends early.
    process.once('exit', () => child.kill());
    let output = '';
    this.port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${output}`)), 20_000);
      const seen = (data: Buffer) => {
        output += String(data);
        const match = /listening on [^:]+:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', seen);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`s3rver exited (${code}): ${output}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const s3 = new S3Server();
let admin: S3Client;
let database: TestDatabase;
/** Two hosts: A with the key in STORAGE_URL, B with it in the environment, each with its own DATA_DIR. */
let appA: FastifyInstance;
let appB: FastifyInstance;
let dbB: Db;
let dataDirB: string;
let token = '';
const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

const storageUrl = (endpoint: string, credentials = true) =>
  `s3://${credentials ? `${KEY_ID}:${SECRET}@` : ''}${BUCKET}/${PREFIX}?endpoint=${endpoint}&region=us-east-1&forcePathStyle=true`;

function adminClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Every object key in the bucket under a prefix, as the S3 server lists them. */
async function bucketKeys(prefix = `${PREFIX}/`): Promise<string[]> {
  const listed = await admin.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((c) => c.Key!).sort();
}

async function bucketObject(key: string): Promise<Buffer> {
  const object = await admin.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

const objectKeyOf = (key: string) => `${PREFIX}/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;

/** A photo with detail in it, as a phone camera takes one (a flat colour would compress to nothing). */
async function photo(width: number, height: number, seed = 7919): Promise<Buffer> {
  const small = Buffer.alloc((width / 5) * (height / 5) * 3);
  for (let i = 0; i < small.length; i++) small[i] = (i * seed + ((i / 3) | 0) * 104729) % 251;
  return sharp(small, { raw: { width: width / 5, height: height / 5, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** A multipart body as a browser sends it: text fields and files. */
function multipart(
  fields: Record<string, string>,
  files: { field: string; name: string; type: string; data: Buffer }[],
) {
  const boundary = `----liuyan${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
    );
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const MESSAGE = {
  boardId: 1301232,
  type: 'help',
  domain: 'urban',
  title: '小区门口路灯坏了两个月',
  body: '正定县某小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
};

let ip = 0;
const nextIp = () => `10.61.${Math.floor(++ip / 200)}.${ip % 200}`;

const api = (app: FastifyInstance, method: string, url: string, body?: object) =>
  app.inject({
    method: method as 'POST',
    url,
    remoteAddress: nextIp(),
    ...(body ? { payload: body } : {}),
    headers: { authorization: `Bearer ${token}` },
  });

/** Sends a message with photos through the JSON API of one host and publishes it; its attachments, in order. */
async function sendWithPhotos(app: FastifyInstance, photos: Buffer[]): Promise<{ id: number; key: string }[]> {
  const res = await api(app, 'POST', '/api/v1/messages', {
    ...MESSAGE,
    images: photos.map((p) => ({ data: p.toString('base64') })),
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as number;
  assert.equal((await api(app, 'POST', `/api/v1/messages/${id}/actions/approve`, {})).statusCode, 200);
  return attachmentsOf(id);
}

async function attachmentsOf(messageId: number): Promise<{ id: number; key: string }[]> {
  const rows = await database.db
    .selectFrom('message_attachments')
    .select(['id', 'storage_key'])
    .where('message_id', '=', messageId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), key: r.storage_key }));
}

async function appWith(env: Record<string, string>, db: Db): Promise<{ app: FastifyInstance; config: Config }> {
  const config = loadConfig({ ...database.env, ...env });
  const app = await buildApp({ config, db, logger: false });
  await app.ready();
  return { app, config };
}

const messageCount = async () =>
  Number(
    (
      await database.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

before(async () => {
  await s3.start();
  admin = adminClient(s3.endpoint);
  await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  database = await createTestDatabase();
  ({ app: appA } = await appWith({ STORAGE_URL: storageUrl(s3.endpoint) }, database.db));
  // Host B: its own DATA_DIR and database connection, the key from the standard AWS variables.
  process.env.AWS_ACCESS_KEY_ID = KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET;
  dataDirB = mkdtempSync(join(tmpdir(), 'liuyan-host-b-'));
  const configB = loadConfig({ ...database.env, DATA_DIR: dataDirB, STORAGE_URL: storageUrl(s3.endpoint, false) });
  dbB = openDatabase(configB);
  appB = await buildApp({ config: configB, db: dbB, logger: false });
  await appB.ready();
  await createStaff(database.db, COMMAND_LINE, { phone: EDITOR, nickname: '编辑', password: PASSWORD, role: 'editor' });
  const res = await appA.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { phone: EDITOR, password: PASSWORD },
    remoteAddress: nextIp(),
  });
  token = res.json().token as string;
  assert.ok(token, res.body);
});

after(async () => {
  try {
    await appA?.close();
    await appB?.close();
    await dbB?.destroy();
    await database?.close();
    admin?.destroy();
  } finally {
    await s3.close();
    if (dataDirB) rmSync(dataDirB, { recursive: true, force: true });
    if (savedEnv.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = savedEnv.id;
    if (savedEnv.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = savedEnv.secret;
  }
});

describe('two hosts on one bucket', () => {
  let original: Buffer;
  let attachment: { id: number; key: string };

  test('a photo sent with the form on host A is stored in the bucket with its display copies, not on A’s disk', async () => {
    original = await photo(1600, 1000);
    const web = new WebClient(appA, '10.62.0.1');
    await web.get('/login');
    assert.equal((await web.post('/login', { phone: EDITOR, password: PASSWORD })).statusCode, 303);
    const page = await web.get('/messages/new?board=1301232');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const idempotencyKey = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)![1]!;
    const { boardId, ...text } = MESSAGE;
    const body = multipart({ _csrf: csrf, idempotencyKey, boardId: String(boardId), ...text, visibility: 'public' }, [
      { field: 'images', name: 'lamp.jpg', type: 'image/jpeg', data: original },
    ]);
    const res = await appA.inject({
      method: 'POST',
      url: '/messages?board=1301232',
      ...body,
      cookies: Object.fromEntries(web.cookies),
      remoteAddress: '10.62.0.1',
    });
    assert.equal(res.statusCode, 303, res.body);
    const id = Number(/\/messages\/(\d+)/.exec(String(res.headers.location))![1]);
    assert.equal((await api(appA, 'POST', `/api/v1/messages/${id}/actions/approve`, {})).statusCode, 200);
    [attachment] = (await attachmentsOf(id)) as [{ id: number; key: string }];
    const { key } = attachment;
    const sha = key.slice(0, 64);

    assert.deepEqual(await bucketKeys(), [
      objectKeyOf(`${sha}-1280.webp`),
      objectKeyOf(`${sha}-360.webp`),
      objectKeyOf(key),
    ]);
    const stored = await bucketObject(objectKeyOf(key));
    assert.ok((await sharp(stored).metadata()).width === 1600, 'the cleaned original');
    assert.equal(existsSync(join(database.config.dataDir, 'attachments')), false, 'nothing on host A’s disk');
    assert.equal(existsSync(join(dataDirB, 'attachments')), false, 'nor on host B’s');
    original = stored;
  });

  test('host B serves it whole, with its type, length, ETag and Accept-Ranges; a repeat with the ETag is 304', async () => {
    const res = await appB.inject(`/attachments/${attachment.id}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    assert.equal(Number(res.headers['content-length']), original.length);
    assert.equal(res.headers['accept-ranges'], 'bytes');
    assert.equal(res.headers['cache-control'], 'public, max-age=86400');
    assert.ok(res.rawPayload.equals(original), 'byte-identical to the object in the bucket');
    const etag = String(res.headers.etag);
    assert.equal(etag, `"${attachment.key}"`);
    const again = await appB.inject({ url: `/attachments/${attachment.id}`, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
  });

  test('byte ranges: first bytes, an open end, a suffix; past the end is 416 with the size', async () => {
    const size = original.length;
    const get = (range: string, headers: Record<string, string> = {}) =>
      appB.inject({ url: `/attachments/${attachment.id}`, headers: { range, ...headers } });

    const first = await get('bytes=0-99');
    assert.equal(first.statusCode, 206);
    assert.equal(first.headers['content-range'], `bytes 0-99/${size}`);
    assert.equal(Number(first.headers['content-length']), 100);
    assert.ok(first.rawPayload.equals(original.subarray(0, 100)));

    const rest = await get('bytes=1000-');
    assert.equal(rest.statusCode, 206);
    assert.equal(rest.headers['content-range'], `bytes 1000-${size - 1}/${size}`);
    assert.ok(rest.rawPayload.equals(original.subarray(1000)));

    const last = await get('bytes=-50');
    assert.equal(last.statusCode, 206);
    assert.equal(last.headers['content-range'], `bytes ${size - 50}-${size - 1}/${size}`);
    assert.ok(last.rawPayload.equals(original.subarray(size - 50)));

    const beyondEnd = await get(`bytes=${size - 10}-${size + 500}`);
    assert.equal(beyondEnd.statusCode, 206, 'an end past the last byte is cut to it');
    assert.equal(beyondEnd.headers['content-range'], `bytes ${size - 10}-${size - 1}/${size}`);

    const past = await get(`bytes=${size}-`);
    assert.equal(past.statusCode, 416);
    assert.equal(past.headers['content-range'], `bytes */${size}`);
    assert.match(past.body, /范围/);

    const several = await get('bytes=0-1,5-6');
    assert.equal(several.statusCode, 200, 'several ranges: the whole file');
    assert.ok(several.rawPayload.equals(original));
    const stale = await get('bytes=0-9', { 'if-range': '"another-version"' });
    assert.equal(stale.statusCode, 200, 'If-Range naming another version: the whole file');
    const current = await get('bytes=0-9', { 'if-range': `"${attachment.key}"` });
    assert.equal(current.statusCode, 206);
  });

  test('display copies come from the bucket at 360 and 1280 wide, and are made again if one is missing', async () => {
    for (const width of [360, 1280]) {
      const res = await appB.inject(`/attachments/${attachment.id}?w=${width}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/webp');
      const meta = await sharp(res.rawPayload).metadata();
      assert.equal(meta.format, 'webp');
      assert.equal(meta.width, width);
      const ranged = await appA.inject({
        url: `/attachments/${attachment.id}?w=${width}`,
        headers: { range: 'bytes=0-11' },
      });
      assert.equal(ranged.statusCode, 206);
      assert.equal(ranged.rawPayload.subarray(8, 12).toString('latin1'), 'WEBP');
    }
    const thumb = objectKeyOf(`${attachment.key.slice(0, 64)}-360.webp`);
    await admin.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: thumb }));
    assert.ok(!(await bucketKeys()).includes(thumb));
    const res = await appA.inject(`/attachments/${attachment.id}?w=360`);
    assert.equal(res.statusCode, 200);
    assert.equal((await sharp(res.rawPayload).metadata()).width, 360);
    assert.ok((await bucketKeys()).includes(thumb), 'stored again in the bucket');
  });

  test('a photo sent through the API of host B is served by host A', async () => {
    const other = await photo(800, 600, 6007);
    const [sent] = (await sendWithPhotos(appB, [other])) as [{ id: number; key: string }];
    const res = await appA.inject(`/attachments/${sent.id}`);
    assert.equal(res.statusCode, 200);
    assert.ok(res.rawPayload.equals(await bucketObject(objectKeyOf(sent.key))));
    assert.equal((await sharp(res.rawPayload).metadata()).width, 800);
    assert.equal(existsSync(join(dataDirB, 'attachments')), false);
  });

  test('deleting a photo removes it and its display copies from the bucket; its address then answers 404', async () => {
    const [gone] = (await sendWithPhotos(appA, [await photo(400, 300, 4441)])) as [{ id: number; key: string }];
    const sha = gone.key.slice(0, 64);
    const mine = async () => (await bucketKeys()).filter((k) => k.includes(sha));
    assert.equal((await mine()).length, 3);
    await appB.attachments.delete(gone.key);
    assert.deepEqual(await mine(), []);
    await appB.attachments.delete(gone.key); // again: nothing to remove, no error
    for (const url of [`/attachments/${gone.id}`, `/attachments/${gone.id}?w=360`]) {
      const res = await appA.inject(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(res.body, /找不到|不存在/);
    }
    assert.equal((await appA.inject(`/attachments/${attachment.id}`)).statusCode, 200, 'other photos stay');
  });

  test('the S3 server stopping gives a Chinese 503, and the same app serves again once it is back', async () => {
    const port = s3.port;
    await s3.stop();
    const down = await appA.inject(`/attachments/${attachment.id}`);
    assert.equal(down.statusCode, 503);
    assert.equal(down.headers['retry-after'], '10');
    assert.equal(down.headers.etag, undefined, 'an error is not cached as the photo');
    assert.doesNotMatch(String(down.headers['cache-control'] ?? ''), /public/);
    assert.match(down.headers['content-type'] as string, /text\/html/);
    assert.match(down.body, /附件存储暂时无法访问/);
    const ranged = await appA.inject({ url: `/attachments/${attachment.id}`, headers: { range: 'bytes=0-9' } });
    assert.equal(ranged.statusCode, 503);
    const before = await messageCount();
    const send = await api(appA, 'POST', '/api/v1/messages', {
      ...MESSAGE,
      images: [{ data: (await photo(200, 100)).toString('base64') }],
    });
    assert.equal(send.statusCode, 503, send.body);
    assert.equal(send.headers['retry-after'], '10');
    assert.equal(send.json().error.code, 'STORAGE_UNAVAILABLE');
    assert.match(send.json().error.message, /附件存储暂时无法访问/);
    assert.equal(await messageCount(), before, 'no message without its photo');

    await s3.start(port);
    const back = await appA.inject(`/attachments/${attachment.id}`);
    assert.equal(back.statusCode, 200);
    assert.ok(back.rawPayload.equals(original));
  });
});

describe('a store that cannot be used', () => {
  test('an unreachable endpoint: attachments and photo uploads answer 503 in Chinese; messages without photos go through', async () => {
    const closed = await freePort();
    const { app } = await appWith({ STORAGE_URL: storageUrl(`http://127.0.0.1:${closed}`) }, database.db);
    try {
      const [one] = (await sendWithPhotos(appA, [await photo(300, 200, 3331)])) as [{ id: number; key: string }];
      const started = Date.now();
      const res = await app.inject(`/attachments/${one.id}`);
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /附件存储暂时无法访问/);
      assert.ok(Date.now() - started < 5000, 'refused at once, not after a long wait');
      const before = await messageCount();
      const withPhoto = await api(app, 'POST', '/api/v1/messages', {
        ...MESSAGE,
        images: [{ data: (await photo(200, 100, 17)).toString('base64') }],
      });
      assert.equal(withPhoto.statusCode, 503);
      assert.deepEqual(Object.keys(withPhoto.json().error), ['code', 'message']);
      assert.equal(withPhoto.json().error.code, 'STORAGE_UNAVAILABLE');
      assert.equal(await messageCount(), before);
      const withoutPhoto = await api(app, 'POST', '/api/v1/messages', MESSAGE);
      assert.equal(withoutPhoto.statusCode, 201, withoutPhoto.body);
    } finally {
      await app.close();
    }
  });

  test('an endpoint that accepts connections and never answers is given up, not waited on for ever', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const store = new S3ObjectStore({
      bucket: BUCKET,
      prefix: PREFIX,
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
      requestTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      await assert.rejects(store.get('ab/cd/x.jpg'), StorageUnavailableError);
      await assert.rejects(
        store.put('ab/cd/x.jpg', Buffer.from('x'), { contentType: 'image/jpeg' }),
        StorageUnavailableError,
      );
      assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  test('a key the S3 server refuses is a 503 too, never a 500', async () => {
    const wrongKey = storageUrl(s3.endpoint).replace(`${KEY_ID}:${SECRET}@`, 'nobody:wrong-secret@');
    const { app } = await appWith({ STORAGE_URL: wrongKey }, database.db);
    try {
      const [one] = (await sendWithPhotos(appA, [await photo(300, 200, 2221)])) as [{ id: number; key: string }];
      const res = await app.inject(`/attachments/${one.id}`);
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /附件存储暂时无法访问/);
      await assert.rejects(app.attachments.objects.check(), StorageUnavailableError);
    } finally {
      await app.close();
    }
  });

  test('a bucket that does not exist is a 503, and check() says so', async () => {
    const missing = storageUrl(s3.endpoint).replace(`@${BUCKET}/`, '@no-such-bucket/');
    const { app } = await appWith({ STORAGE_URL: missing }, database.db);
    try {
      const [one] = (await sendWithPhotos(appA, [await photo(300, 200, 1117)])) as [{ id: number; key: string }];
      assert.equal((await app.inject(`/attachments/${one.id}`)).statusCode, 503);
      await assert.rejects(app.attachments.objects.check(), StorageUnavailableError);
      await appA.attachments.objects.check();
    } finally {
      await app.close();
    }
  });
});

describe('the default disk store', () => {
  test('serves ranges the same way and writes under DATA_DIR/attachments', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'liuyan-disk-host-'));
    const config = loadConfig({ ...database.env, DATA_DIR: dataDir });
    assert.deepEqual(config.storage, { kind: 'disk', root: join(dataDir, 'attachments') });
    const app = await buildApp({ config, db: database.db, logger: false });
    try {
      const [one] = (await sendWithPhotos(app, [await photo(500, 400, 919)])) as [{ id: number; key: string }];
      const folder = join(dataDir, 'attachments', one.key.slice(0, 2), one.key.slice(2, 4));
      assert.deepEqual(readdirSync(folder).sort(), [
        `${one.key.slice(0, 64)}-1280.webp`,
        `${one.key.slice(0, 64)}-360.webp`,
        one.key,
      ]);
      const whole = await app.inject(`/attachments/${one.id}`);
      assert.equal(whole.statusCode, 200);
      const size = whole.rawPayload.length;
      const part = await app.inject({ url: `/attachments/${one.id}`, headers: { range: 'bytes=10-19' } });
      assert.equal(part.statusCode, 206);
      assert.equal(part.headers['content-range'], `bytes 10-19/${size}`);
      assert.ok(part.rawPayload.equals(whole.rawPayload.subarray(10, 20)));
      const past = await app.inject({ url: `/attachments/${one.id}`, headers: { range: `bytes=${size + 1}-` } });
      assert.equal(past.statusCode, 416);
      assert.equal(past.headers['content-range'], `bytes */${size}`);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** The same contract, on disk and on the S3 server. */
function storeContract(
  name: string,
  open: () => ObjectStore,
  list: () => Promise<string[]>,
  /** s3rver, unlike S3, keeps what arrived of an aborted upload: only the refusal can be checked there. */
  keepsAbortedUploads = false,
) {
  describe(`object store contract: ${name}`, () => {
    let store: ObjectStore;
    before(() => {
      store = open();
    });
    after(() => store.close());

    const text = async (read: ObjectRead | null) => {
      assert.ok(read && read.status !== 416);
      const chunks: Buffer[] = [];
      for await (const chunk of read.body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));

    test('put a buffer, a stream of known size and one of unknown size; read back whole and by range', async () => {
      await store.put('videos/a.mp4', bytes, { contentType: 'video/mp4' });
      await store.put('videos/b.mp4', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), {
        contentType: 'video/mp4',
        size: bytes.length,
      });
      // Unknown size: in parts on S3 (64 KiB parts in this test), one chunk at a time on disk.
      const chunks = Array.from({ length: 30 }, (_, i) => bytes.subarray(i * 10_000, (i + 1) * 10_000));
      await store.put('videos/c.mp4', Readable.from(chunks), { contentType: 'video/mp4' });
      await store.put('videos/small.mp4', Readable.from([Buffer.from('tiny')]), { contentType: 'video/mp4' });
      for (const key of ['videos/a.mp4', 'videos/b.mp4', 'videos/c.mp4']) {
        assert.deepEqual(await store.head(key), { size: bytes.length, contentType: 'video/mp4' }, key);
        const whole = await store.get(key);
        assert.equal(whole?.status, 200);
        assert.ok((await text(whole)).equals(bytes), key);
      }
      assert.equal((await text(await store.get('videos/small.mp4'))).toString(), 'tiny');

      const part = await store.get('videos/c.mp4', { start: 70_000, end: 200_000 });
      assert.equal(part?.status, 206);
      assert.deepEqual(part.status === 206 && part.range, { start: 70_000, end: 200_000 });
      assert.equal(part.status === 206 && part.size, bytes.length);
      assert.ok((await text(part)).equals(bytes.subarray(70_000, 200_001)));
      const suffix = await store.get('videos/a.mp4', { suffix: 10 });
      assert.ok((await text(suffix)).equals(bytes.subarray(bytes.length - 10)));
      const open = await store.get('videos/a.mp4', { start: bytes.length - 1 });
      assert.ok((await text(open)).equals(bytes.subarray(bytes.length - 1)));
      assert.deepEqual(await store.get('videos/a.mp4', { start: bytes.length }), {
        status: 416,
        size: bytes.length,
        contentType: 'video/mp4',
      });
      assert.equal((await store.get('videos/a.mp4', { suffix: 0 }))?.status, 416);
    });

    test('missing keys read as null; delete is idempotent; a put replaces', async () => {
      assert.equal(await store.get('videos/none.mp4'), null);
      assert.equal(await store.get('videos/none.mp4', { start: 0, end: 1 }), null);
      assert.equal(await store.head('videos/none.mp4'), null);
      await store.put('videos/d.mp4', Buffer.from('first'), { contentType: 'video/mp4' });
      await store.put('videos/d.mp4', Buffer.from('second'), { contentType: 'video/mp4' });
      assert.equal((await text(await store.get('videos/d.mp4'))).toString(), 'second');
      await store.delete('videos/d.mp4');
      await store.delete('videos/d.mp4');
      assert.equal(await store.head('videos/d.mp4'), null);
      assert.ok(!(await list()).some((k) => k.endsWith('videos/d.mp4')));
    });

    test('a stream that ends short of or runs past its announced size is refused at once', async () => {
      const started = Date.now();
      await assert.rejects(
        store.put('videos/short.mp4', Readable.from([Buffer.from('only a few bytes')]), {
          contentType: 'video/mp4',
          size: 1000,
        }),
        /16 bytes arrived, 1000 were announced/,
      );
      await assert.rejects(
        store.put('videos/long.mp4', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), {
          contentType: 'video/mp4',
          size: 1000,
        }),
      );
      assert.ok(Date.now() - started < 5000, 'not after a request timeout');
      if (keepsAbortedUploads) return;
      assert.equal(await store.head('videos/short.mp4'), null);
      assert.equal(await store.head('videos/long.mp4'), null);
      assert.ok(!(await list()).some((k) => /short\.mp4|long\.mp4|\.tmp$/.test(k)), (await list()).join());
    });

    test('a stream that fails half-way (a client gone) fails the put with its own error, not as an outage', async () => {
      const failing = () =>
        new Readable({
          read() {
            if (this.readableLength > 0 || this.destroyed) return;
            this.push(Buffer.alloc(100 * 1024, 1));
            setImmediate(() => this.destroy(new Error('client went away')));
          },
        });
      await assert.rejects(store.put('videos/broken.mp4', failing(), { contentType: 'video/mp4' }), /client went away/);
      await assert.rejects(
        store.put('videos/broken.mp4', failing(), { contentType: 'video/mp4', size: 500 * 1024 }),
        /client went away/,
      );
      if (keepsAbortedUploads) return;
      assert.equal(await store.head('videos/broken.mp4'), null);
    });

    test('keys that could leave the store are refused before any path or request is made', async () => {
      for (const key of ['', '../x', 'a/../../x', '/etc/passwd', 'a//b', '.hidden', 'a/.tmp', 'a\\b', 'a b', 'x\0']) {
        await assert.rejects(store.get(key), ObjectKeyError, JSON.stringify(key));
        await assert.rejects(store.put(key, Buffer.from('x'), { contentType: 'text/plain' }), ObjectKeyError);
        await assert.rejects(store.delete(key), ObjectKeyError);
      }
    });
  });
}

const diskRoot = mkdtempSync(join(tmpdir(), 'liuyan-disk-store-'));
after(() => rmSync(diskRoot, { recursive: true, force: true }));
const listDisk = async () =>
  readdirSync(diskRoot, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
storeContract('disk', () => new DiskObjectStore(diskRoot), listDisk);
storeContract(
  'S3',
  () =>
    new S3ObjectStore({
      bucket: BUCKET,
      prefix: 'contract',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
      partSize: 64 * 1024,
    }),
  () => bucketKeys('contract/'),
  true,
);

describe('photos through AttachmentStore on S3', () => {
  test('the same photo saved twice is one object; read returns the bytes; bad keys are refused', async () => {
    const store = new AttachmentStore(
      new S3ObjectStore({
        bucket: BUCKET,
        prefix: 'photo-layer',
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
      }),
    );
    try {
      const { cleanImage } = await import('../src/attachments/images.ts');
      const result = await cleanImage(await photo(200, 100, 97));
      assert.ok(result.ok);
      const first = await store.save(result.image);
      const second = await store.save(result.image);
      assert.deepEqual(first, second);
      assert.deepEqual(await bucketKeys('photo-layer/'), [
        `photo-layer/${first.key.slice(0, 2)}/${first.key.slice(2, 4)}/${first.key}`,
      ]);
      assert.ok((await store.read(first.key))?.equals(result.image.data));
      assert.equal(await store.read(`${'0'.repeat(64)}.jpg`), null);
      await assert.rejects(store.read('../../etc/passwd'), /Invalid attachment key/);
    } finally {
      await store.objects.close();
    }
  });
});

describe('STORAGE_URL', () => {
  const base = { LIUYAN_SECRET: 'test-secret-0123456789abcdef0123456789', DATA_DIR: '/srv/liuyan' };

  test('unset: the disk under DATA_DIR; file: another folder (a shared mount)', () => {
    assert.deepEqual(loadConfig(base, '/srv').storage, { kind: 'disk', root: '/srv/liuyan/attachments' });
    assert.deepEqual(loadConfig({ ...base, STORAGE_URL: 'file:./shared' }, '/srv').storage, {
      kind: 'disk',
      root: '/srv/shared',
    });
    assert.deepEqual(loadConfig({ ...base, STORAGE_URL: 'file:///mnt/nfs/liuyan' }, '/srv').storage, {
      kind: 'disk',
      root: '/mnt/nfs/liuyan',
    });
  });

  test('s3://: bucket, prefix, endpoint, region, path style, and a key in the URL or none', () => {
    const full = loadConfig({
      ...base,
      STORAGE_URL:
        's3://AKID%2Fx:s%40cret@liuyan-prod/site/photos/?endpoint=http://10.0.0.5:9000/&region=cn-hangzhou&forcePathStyle=true',
    }).storage;
    assert.deepEqual(full, {
      kind: 's3',
      bucket: 'liuyan-prod',
      prefix: 'site/photos',
      endpoint: 'http://10.0.0.5:9000',
      region: 'cn-hangzhou',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKID/x', secretAccessKey: 's@cret' },
    });
    assert.deepEqual(loadConfig({ ...base, STORAGE_URL: 's3://liuyan-prod' }).storage, {
      kind: 's3',
      bucket: 'liuyan-prod',
      prefix: '',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: undefined,
    });
  });

  test('mistakes stop the start with a Chinese line naming STORAGE_URL, never quoting the secret key', () => {
    const bad = [
      ['http://bucket/prefix', /格式不对/],
      ['s3://Bad_Bucket/x', /存储桶名/],
      ['s3://bucket:9000/x', /端口/],
      ['s3://liuyan/x?endpoint=10.0.0.5:9000', /endpoint/],
      ['s3://liuyan/x?forcePathStyle=yes', /forcePathStyle/],
      ['s3://liuyan/x?bucket=other', /不认识的参数 "bucket"/],
      ['s3://onlykey@liuyan/x', /密钥ID:密钥/],
      ['s3://liuyan/a/.hidden', /前缀/],
      ['s3://AKID:TOPSECRET@liuyan/x?region=Not A Region', /region/],
    ] as const;
    for (const [value, why] of bad) {
      assert.throws(
        () => loadConfig({ ...base, STORAGE_URL: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, value);
          assert.match(error.message, /^配置错误：STORAGE_URL /);
          assert.match(error.message, why, value);
          assert.doesNotMatch(error.message, /TOPSECRET/);
          return true;
        },
      );
    }
  });

  test('parseRangeHeader reads one range and nothing else', () => {
    assert.deepEqual(parseRangeHeader('bytes=0-99'), { start: 0, end: 99 });
    assert.deepEqual(parseRangeHeader('bytes=100-'), { start: 100 });
    assert.deepEqual(parseRangeHeader('bytes=-5'), { suffix: 5 });
    for (const header of [undefined, '', 'bytes=', 'bytes=-', 'bytes=5-1', 'bytes=0-1,3-4', 'items=0-1', 'bytes=a-b']) {
      assert.equal(parseRangeHeader(header), null, String(header));
    }
  });
});
