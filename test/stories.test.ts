// The video column 《“帖”近现场》: an editor makes a story of a real video (made here with FFmpeg), it is converted in
// the background to H.264/AAC at 720p with a poster, published with captions, linked from its message, listed in the
// feed and served with byte ranges; bad uploads are refused with clear reasons; only editors reach the editors' side.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { convertForWeb, probeVideo, ProgressReader, summariseStderr } from '../src/stories/ffmpeg.ts';
import { storyJobsRepository } from '../src/stories/stories.repository.ts';
import { StoryVideoWorker } from '../src/stories/video-worker.ts';
import { checkWebVtt } from '../src/stories/webvtt.ts';
import type { TestApp } from './helpers.ts';
import { TEST_ENGINE } from './helpers.ts';
import { type Cast, createCast, createChannelApp, nextIp, PASSWORD } from './channel-helpers.ts';
import { makeSound, makeStill, makeVideo, multipart, SAMPLE_VTT, uploadAs } from './story-helpers.ts';
import { WebClient } from './web-client.ts';
import { unmarked } from './user-content.ts';

let t: TestApp;
let cast: Cast;
let dir: string;
let messageId: number;
let otherMessageId: number;
let privateMessageId: number;
const files: Record<string, Buffer> = {};

/** The maximum length for this file's app: the 3-second video fits, the 8-second one does not. */
const MAX_SECONDS = 5;

async function loginAs(who: string): Promise<{ web: WebClient; ip: string }> {
  const ip = nextIp();
  const web = new WebClient(t.app, ip);
  await web.get('/login');
  const res = await web.post('/login', { phone: cast.phones[who]!, password: PASSWORD });
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  return { web, ip };
}

async function publicMessage(title: string, visibility = 'public'): Promise<number> {
  const res = await cast.call('citizen', 'POST', '/api/v1/messages', {
    boardId: 1301232,
    type: 'help',
    domain: 'urban',
    title,
    body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
    visibility,
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as number;
  await cast.act('editor', id, 'approve');
  return id;
}

const storyForm = (overrides: Record<string, string> = {}) => ({
  title: '路灯亮了：一条留言的四十八小时',
  summary: '正定县一位网友留言反映小区门口路灯损坏，县城管局两天内修复并公开答复。',
  regionCode: '130123',
  messageIds: String(messageId),
  transcript: '',
  ...overrides,
});

async function createStory(web: WebClient, overrides: Record<string, string> = {}): Promise<number> {
  await web.get('/editor/stories/new');
  const res = await web.post('/editor/stories', storyForm(overrides));
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const id = Number(/\/editor\/stories\/(\d+)\?done=created/.exec(String(res.headers.location))?.[1]);
  assert.ok(id > 0);
  return id;
}

const storyRow = (id: number) => t.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function waitForVideo(web: WebClient, id: number, timeoutMs = 90_000) {
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await web.get(`/editor/stories/${id}/status.json`);
    assert.equal(res.statusCode, 200, res.body);
    const status = res.json() as { state: string; progress: number; error: string | null };
    seen.add(status.state);
    assert.ok(status.progress >= 0 && status.progress <= 1);
    if (status.state === 'ready' || status.state === 'failed') return { ...status, seen };
    assert.ok(Date.now() < deadline, `the conversion did not finish: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liuyan-stories-'));
  makeVideo(join(dir, 'story.mov'));
  makeVideo(join(dir, 'long.mov'), { seconds: 8, size: '160x120' });
  makeStill(join(dir, 'still.png'));
  makeSound(join(dir, 'sound.m4a'));
  files.video = readFileSync(join(dir, 'story.mov'));
  files.long = readFileSync(join(dir, 'long.mov'));
  files.still = readFileSync(join(dir, 'still.png'));
  files.sound = readFileSync(join(dir, 'sound.m4a'));
  t = await createChannelApp({ STORY_VIDEO_MAX_SECONDS: String(MAX_SECONDS) });
  cast = await createCast(t);
  messageId = await publicMessage('小区门口路灯坏了两个月');
  otherMessageId = await publicMessage('公交站台的顶棚漏雨');
  privateMessageId = await publicMessage('家门口的下水道堵了', 'private');
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`video stories on ${TEST_ENGINE}`, () => {
  test('only editors reach the editors’ pages and API: not anonymous, not a netizen, not a unit clerk', async () => {
    const editor = await loginAs('editor');
    const id = await createStory(editor.web);
    const pages = [
      ['GET', '/editor/stories'],
      ['GET', '/editor/stories/new'],
      ['GET', `/editor/stories/${id}`],
      ['GET', `/editor/stories/${id}/status.json`],
      ['POST', '/editor/stories'],
      ['POST', `/editor/stories/${id}`],
      ['POST', `/editor/stories/${id}/video`],
      ['POST', `/editor/stories/${id}/captions`],
      ['POST', `/editor/stories/${id}/captions/remove`],
      ['POST', `/editor/stories/${id}/publish`],
      ['POST', `/editor/stories/${id}/unpublish`],
    ] as const;
    for (const [method, url] of pages) {
      const anonymous = await t.app.inject({ method, url, remoteAddress: nextIp() });
      if (method === 'GET') {
        assert.equal(anonymous.statusCode, 303, url);
        assert.match(String(anonymous.headers.location), /^\/login\?next=/, url);
      } else assert.equal(anonymous.statusCode, 401, url);
    }
    for (const who of ['citizen', 'county']) {
      const { web } = await loginAs(who);
      for (const [method, url] of pages) {
        const res = method === 'GET' ? await web.get(url) : await web.post(url, storyForm());
        assert.equal(res.statusCode, 403, `${who} ${method} ${url}`);
      }
    }
    const api = [
      ['GET', '/api/v1/editor/stories'],
      ['GET', `/api/v1/editor/stories/${id}`],
      ['POST', '/api/v1/stories'],
      ['PATCH', `/api/v1/stories/${id}`],
      ['POST', `/api/v1/stories/${id}/video`],
      ['POST', `/api/v1/stories/${id}/captions`],
      ['DELETE', `/api/v1/stories/${id}/captions`],
      ['POST', `/api/v1/stories/${id}/publish`],
      ['POST', `/api/v1/stories/${id}/unpublish`],
    ] as const;
    for (const [method, url] of api) {
      assert.equal((await cast.call(null, method as 'GET', url)).statusCode, 401, `anonymous ${method} ${url}`);
      for (const who of ['citizen', 'county', 'countyHead', 'admin']) {
        const res = await cast.call(who, method as 'GET', url, method === 'GET' ? undefined : {});
        assert.equal(res.statusCode, 403, `${who} ${method} ${url}: ${res.body}`);
      }
    }
    // The unpublished story is not there for the public, nor for a signed-in netizen; its editor previews it.
    assert.equal((await t.app.inject(`/stories/${id}`)).statusCode, 404);
    assert.equal((await t.app.inject(`/api/v1/stories/${id}`)).statusCode, 404);
    const citizen = await loginAs('citizen');
    assert.equal((await citizen.web.get(`/stories/${id}`)).statusCode, 404);
    const preview = await editor.web.get(`/stories/${id}`);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /预览：这个故事尚未发布/);
  });

  test('forms need their CSRF token, the multipart upload included; every write is rate-limited', async () => {
    const { web, ip } = await loginAs('editor');
    await web.get('/editor/stories/new');
    assert.equal((await web.post('/editor/stories', storyForm(), { csrf: false })).statusCode, 403);
    const id = await createStory(web);
    const jobsBefore = await t.db.selectFrom('story_video_jobs').select('id').execute();
    const upload = await uploadAs(
      t.app,
      web,
      ip,
      `/editor/stories/${id}/video`,
      'video',
      { filename: 'story.mov', type: 'video/quicktime', data: files.video! },
      { csrf: false },
    );
    assert.equal(upload.statusCode, 403, upload.body.slice(0, 300));
    assert.deepEqual(await t.db.selectFrom('story_video_jobs').select('id').execute(), jobsBefore, 'nothing queued');
    for (const route of t.app.declaredRoutes()) {
      const methods = ([] as string[]).concat(route.method);
      if (!/^\/(editor\/stories|api\/v1\/stories)/.test(route.url) || methods.every((m) => m === 'GET' || m === 'HEAD'))
        continue;
      assert.ok((route.config as { rateLimit?: unknown }).rateLimit, `${methods.join()} ${route.url} has a rate limit`);
    }
  });

  test('a story’s fields are checked, every problem named at once', async () => {
    const { web } = await loginAs('editor');
    await web.get('/editor/stories/new');
    const res = await web.post(
      '/editor/stories',
      storyForm({ title: 'x', summary: '太短', regionCode: '999999', messageIds: `${privateMessageId}, abc` }),
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /标题应为 2–100 个字/);
    assert.match(res.body, /简介应为 10–1000 个字/);
    assert.match(res.body, /没有代码为“999999”的地区/);
    assert.match(res.body, /“abc”不是留言编号/);
    const closed = await web.post('/editor/stories', storyForm({ messageIds: String(privateMessageId) }));
    assert.equal(closed.statusCode, 400);
    assert.match(closed.body, new RegExp(`留言 ${privateMessageId} 不存在或没有公开，不能关联`));
    const none = await web.post('/editor/stories', storyForm({ messageIds: '' }));
    assert.match(none.body, /请至少关联一条已公开的留言/);
    assert.match(none.body, /路灯亮了/, 'the form keeps what was typed');
  });

  test('uploads that are not a usable video are refused with a clear reason, and nothing is queued', async () => {
    const { web, ip } = await loginAs('editor');
    const id = await createStory(web);
    const cases: [string, { filename: string; type: string; data: Buffer }, RegExp][] = [
      [
        'a text file renamed .mp4',
        { filename: 'notes.mp4', type: 'video/mp4', data: Buffer.from('这不是视频，只是一段文字。\n'.repeat(50)) },
        /文件“notes.mp4”不是能识别的视频/,
      ],
      [
        'six megabytes of noise (past the 5 MB limit of photos, which does not apply here)',
        { filename: 'noise.mp4', type: 'video/mp4', data: randomBytes(6 * 1024 * 1024) },
        /文件“noise.mp4”不是能识别的视频/,
      ],
      ['a picture', { filename: 'photo.mp4', type: 'video/mp4', data: files.still! }, /没有视频画面（是图片或音频）/],
      ['a sound', { filename: 'sound.mp4', type: 'video/mp4', data: files.sound! }, /没有视频画面（是图片或音频）/],
      [
        'a video cut off before its index',
        { filename: 'cut.mov', type: 'video/quicktime', data: files.video!.subarray(0, 4096) },
        /不是能识别的视频|读不出这个视频的时长/,
      ],
      [
        'a video longer than allowed',
        { filename: 'long.mov', type: 'video/quicktime', data: files.long! },
        /视频时长 0:08，超过了允许的最长 0:05/,
      ],
    ];
    for (const [what, file, reason] of cases) {
      const res = await uploadAs(t.app, web, ip, `/editor/stories/${id}/video`, 'video', file);
      assert.equal(res.statusCode, 400, what);
      assert.match(res.body, reason, what);
    }
    const empty = await uploadAs(t.app, web, ip, `/editor/stories/${id}/video`, 'video', {
      filename: '',
      type: 'application/octet-stream',
      data: Buffer.alloc(0),
    });
    assert.match(empty.body, /请选择要上传的视频文件/);
    assert.equal((await storyRow(id)).video_state, 'none');
    assert.equal(
      (await t.db.selectFrom('story_video_jobs').selectAll().where('story_id', '=', id).execute()).length,
      0,
    );
    // The API says the same with a code.
    const body = multipart([
      { name: 'video', file: { filename: 'notes.mp4', type: 'video/mp4', data: Buffer.from('hello') } },
    ]);
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stories/${id}/video`,
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${cast.tokens.editor}` },
      remoteAddress: nextIp(),
    });
    assert.equal(api.statusCode, 415);
    assert.equal(api.json().error.code, 'STORY_VIDEO_UNREADABLE');
  });

  test('a file over the size limit is refused: cut off while streaming, or at once by its Content-Length', async () => {
    const config = loadConfig({ ...t.env, STORY_VIDEO_MAX_MB: '1' });
    const small = await buildApp({ config, db: t.db, logger: false });
    try {
      await small.ready();
      const ip = nextIp();
      const web = new WebClient(small, ip);
      await web.get('/login');
      await web.post('/login', { phone: cast.phones.editor!, password: PASSWORD });
      const id = await createStory(web);
      const streamed = await uploadAs(small, web, ip, `/editor/stories/${id}/video`, 'video', {
        filename: 'big.mp4',
        type: 'video/mp4',
        data: Buffer.alloc(1.5 * 1024 * 1024, 7),
      });
      assert.equal(streamed.statusCode, 400);
      assert.match(streamed.body, /视频文件超过了 1 MB 的上限/);
      const announced = await uploadAs(small, web, ip, `/editor/stories/${id}/video`, 'video', {
        filename: 'bigger.mp4',
        type: 'video/mp4',
        data: Buffer.alloc(3 * 1024 * 1024, 7),
      });
      assert.equal(announced.statusCode, 400);
      assert.match(announced.body, /视频文件超过了 1 MB 的上限/);
      assert.equal((await storyRow(id)).video_state, 'none');
    } finally {
      await small.close();
    }
  });

  test('a failed conversion says why on the editor’s page', async () => {
    const { web, ip } = await loginAs('editor');
    const id = await createStory(web);
    const res = await uploadAs(t.app, web, ip, `/editor/stories/${id}/video`, 'video', {
      filename: 'story.mov',
      type: 'video/quicktime',
      data: files.video!,
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal((await storyRow(id)).video_state, 'uploaded', 'queued until a worker takes it');
    const waiting = await web.get(`/editor/stories/${id}`);
    assert.match(waiting.body, new RegExp(`data-story-status="/editor/stories/${id}/status.json"`));
    assert.match(waiting.body, /<progress id="story-progress-bar" max="1" value="0">/);
    assert.match(waiting.body, /<script src="\/static\/story-progress.js" defer><\/script>/);
    assert.equal((await t.app.inject('/static/story-progress.js')).statusCode, 200);
    // A worker whose FFmpeg breaks down, as a real encoder can (a full disk, a codec it lacks).
    const broken = join(dir, 'broken-ffmpeg');
    writeFileSync(broken, '#!/bin/sh\necho "Encoder libx264 failed: simulated breakdown" >&2\nexit 1\n');
    chmodSync(broken, 0o755);
    const worker = new StoryVideoWorker({
      db: t.db,
      objects: t.app.attachments.objects,
      tmpDir: join(dir, 'scratch'),
      log: t.app.log,
      programs: { ffmpeg: broken, ffprobe: 'ffprobe' },
    });
    assert.equal(await worker.runOnce(), true);
    assert.equal(await worker.runOnce(), false, 'the queue is empty');
    const row = await storyRow(id);
    assert.equal(row.video_state, 'failed');
    assert.match(row.video_error ?? '', /FFmpeg 转换失败（退出码 1）：Encoder libx264 failed: simulated breakdown/);
    const page = await web.get(`/editor/stories/${id}`);
    assert.match(page.body, /失败原因：FFmpeg 转换失败（退出码 1）：Encoder libx264 failed: simulated breakdown/);
    const publish = await web.post(`/editor/stories/${id}/publish`, {});
    assert.equal(publish.statusCode, 400);
    assert.match(publish.body, /视频还没有上传或转换完成，不能发布/);
  });

  let storyId: number;
  let editor: { web: WebClient; ip: string };

  test('an uploaded video is converted in the background to H.264/AAC at 720p, with a poster and its length', async () => {
    editor = await loginAs('editor');
    const { web, ip } = editor;
    storyId = await createStory(web, { messageIds: `${messageId} ${otherMessageId}` });
    t.app.stories.worker.start();
    const res = await uploadAs(t.app, web, ip, `/editor/stories/${storyId}/video`, 'video', {
      filename: '路灯亮了.mov',
      type: 'video/quicktime',
      data: files.video!,
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const page = await web.get(String(res.headers.location));
    assert.match(page.body, /视频已上传，正在排队转换/);
    const done = await waitForVideo(web, storyId);
    assert.equal(done.state, 'ready', done.error ?? '');
    assert.equal(done.progress, 1);
    const job = await t.db
      .selectFrom('story_video_jobs')
      .selectAll()
      .where('story_id', '=', storyId)
      .executeTakeFirstOrThrow();
    assert.equal(job.status, 'done');
    assert.equal(job.attempts, 1);

    const row = await storyRow(storyId);
    assert.ok(Math.abs(Number(row.video_seconds) - 3) < 0.3, `about 3 s: ${row.video_seconds}`);
    assert.equal(row.video_height, 720);
    assert.equal(row.video_width, 960);
    // What the public will get, read back from the store and probed.
    const read = await t.app.attachments.objects.get(row.video_key!);
    assert.ok(read && read.status === 200);
    const chunks: Buffer[] = [];
    for await (const chunk of read.body) chunks.push(chunk as Buffer);
    writeFileSync(join(dir, 'converted.mp4'), Buffer.concat(chunks));
    const probed = await probeVideo(join(dir, 'converted.mp4'));
    assert.ok(probed.ok);
    assert.equal(probed.video.videoCodec, 'h264');
    assert.equal(probed.video.audioCodec, 'aac');
    assert.ok(probed.video.height <= 720);
    assert.match(probed.video.format, /mp4/);
    // The index is at the front (+faststart): a player starts before the whole file has arrived.
    const head = Buffer.concat(chunks).subarray(0, 64 * 1024);
    assert.ok(head.indexOf('moov') >= 0 && head.indexOf('moov') < head.indexOf('mdat'), 'moov before mdat');
    // The upload itself is gone from the store once converted.
    assert.equal(await t.app.attachments.objects.head(job.source_key), null);

    const poster = await web.get(`/stories/${storyId}/poster.jpg`);
    assert.equal(poster.statusCode, 200);
    assert.equal(poster.headers['content-type'], 'image/jpeg');
    assert.equal(poster.rawPayload.subarray(0, 2).toString('hex'), 'ffd8');
    assert.equal(poster.headers['cache-control'], 'private, no-store', 'a preview is never cached');

    const edit = await web.get(`/editor/stories/${storyId}`);
    assert.match(edit.body, /时长 0:03，960×720/);
    assert.match(unmarked(edit.body), /上传的文件：路灯亮了.mov/);
  });

  test('publishing needs captions or a transcript; bad captions are refused; then it is published', async () => {
    const { web, ip } = editor;
    const refused = await web.post(`/editor/stories/${storyId}/publish`, {});
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /发布的故事需要字幕（WebVTT）或文字稿/);
    const api = await cast.call('editor', 'POST', `/api/v1/stories/${storyId}/publish`, {});
    assert.equal(api.statusCode, 409);
    assert.equal(api.json().error.code, 'STORY_TEXT_REQUIRED');

    const srt = await uploadAs(t.app, web, ip, `/editor/stories/${storyId}/captions`, 'captions', {
      filename: 'story.srt',
      type: 'application/x-subrip',
      data: Buffer.from('1\n00:00:00,000 --> 00:00:01,500\n路灯坏了\n'),
    });
    assert.equal(srt.statusCode, 400);
    assert.match(srt.body, /这是 SRT 字幕，不是 WebVTT/);
    const badTime = await uploadAs(t.app, web, ip, `/editor/stories/${storyId}/captions`, 'captions', {
      filename: 'bad.vtt',
      type: 'text/vtt',
      data: Buffer.from('WEBVTT\n\n00:02.000 --> 00:01.000\n倒过来的时间\n'),
    });
    assert.match(badTime.body, /第 3 行的结束时间应晚于开始时间/);
    const ok = await uploadAs(t.app, web, ip, `/editor/stories/${storyId}/captions`, 'captions', {
      filename: 'story.vtt',
      type: 'text/vtt',
      data: Buffer.from(`\uFEFF${SAMPLE_VTT}`),
    });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const published = await web.post(`/editor/stories/${storyId}/publish`, {});
    assert.equal(published.statusCode, 303, published.body.slice(0, 300));
    assert.notEqual((await storyRow(storyId)).published_at, null);
    // A published story keeps its video: replacing it means unpublishing first.
    const replace = await uploadAs(t.app, web, ip, `/editor/stories/${storyId}/video`, 'video', {
      filename: 'other.mov',
      type: 'video/quicktime',
      data: files.video!,
    });
    assert.equal(replace.statusCode, 400);
    assert.match(replace.body, /已发布的故事不能更换视频/);
  });

  test('the public page plays the video with its poster and captions, and lists the message threads', async () => {
    const page = await t.app.inject(`/stories/${storyId}`);
    assert.equal(page.statusCode, 200);
    const video = /<video[^>]*>/.exec(page.body)?.[0] ?? '';
    assert.match(video, /controls/);
    assert.match(video, /preload="metadata"/);
    assert.match(video, new RegExp(`poster="/stories/${storyId}/poster.jpg"`));
    assert.match(page.body, new RegExp(`<source src="/stories/${storyId}/video.mp4" type="video/mp4"`));
    assert.match(
      page.body,
      new RegExp(`<track kind="captions" srclang="zh" label="中文字幕" src="/stories/${storyId}/captions.vtt"`),
    );
    assert.match(page.body, new RegExp(`href="/messages/${messageId}"`));
    assert.match(page.body, new RegExp(`href="/messages/${otherMessageId}"`));
    assert.match(page.body, /河北省 石家庄市 正定县/);
    assert.match(page.body, /视频配有中文字幕/);
    assert.doesNotMatch(page.body, /预览/);

    const captions = await t.app.inject(`/stories/${storyId}/captions.vtt`);
    assert.equal(captions.statusCode, 200);
    assert.match(String(captions.headers['content-type']), /^text\/vtt/);
    assert.ok(captions.body.startsWith('WEBVTT'), 'the byte-order mark is gone');

    const list = await t.app.inject('/stories');
    assert.match(list.body, new RegExp(`href="/stories/${storyId}"`));
    assert.match(list.body, /路灯亮了：一条留言的四十八小时/);
    assert.match(list.body, /时长 0:03/);
    const nav = await t.app.inject('/');
    assert.match(nav.body, /<a href="\/stories"[^>]*>“帖”近现场<\/a>/);

    const apiList = await t.app.inject('/api/v1/stories');
    const listed = apiList.json().stories.find((s: { id: number }) => s.id === storyId);
    assert.ok(listed);
    assert.match(listed.videoUrl, new RegExp(`/stories/${storyId}/video.mp4$`));
    assert.deepEqual(
      listed.messages.map((m: { id: number }) => m.id),
      [messageId, otherMessageId],
    );
  });

  test('a page of the list past the last is not found, rather than an untrue “还没有发布的视频故事”', async () => {
    assert.equal((await t.app.inject('/stories?page=1')).statusCode, 200);
    const beyond = await t.app.inject('/stories?page=999');
    assert.equal(beyond.statusCode, 404);
    assert.doesNotMatch(beyond.body, /还没有发布的视频故事/);
  });

  test('each linked message’s page shows “本留言的视频故事”', async () => {
    for (const id of [messageId, otherMessageId]) {
      const page = await t.app.inject(`/messages/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /本留言的视频故事/);
      assert.match(page.body, new RegExp(`<a href="/stories/${storyId}"[^>]*>路灯亮了：一条留言的四十八小时</a>`));
    }
    const unrelated = await t.app.inject(`/messages/${privateMessageId}`);
    assert.doesNotMatch(unrelated.body, /本留言的视频故事/);
  });

  test('the Atom feed and the sitemap list the story', async () => {
    const feed = await t.app.inject('/stories/feed.xml');
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.match(feed.body, /路灯亮了：一条留言的四十八小时/);
    assert.match(feed.body, new RegExp(`<id>http://[^<]+/stories/${storyId}</id>`));
    const sitemap = await t.app.inject('/sitemap.xml');
    assert.match(sitemap.body, new RegExp(`/stories/${storyId}</loc>`));
  });

  test('video, poster and captions answer byte ranges: 206, and 416 past the end', async () => {
    const whole = await t.app.inject(`/stories/${storyId}/video.mp4`);
    assert.equal(whole.statusCode, 200);
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    assert.equal(whole.headers['content-type'], 'video/mp4');
    assert.equal(whole.headers['content-encoding'], undefined);
    const size = whole.rawPayload.length;
    assert.equal(Number(whole.headers['content-length']), size);
    const first = await t.app.inject({ url: `/stories/${storyId}/video.mp4`, headers: { range: 'bytes=0-99' } });
    assert.equal(first.statusCode, 206);
    assert.equal(first.headers['content-range'], `bytes 0-99/${size}`);
    assert.deepEqual(first.rawPayload, whole.rawPayload.subarray(0, 100));
    const tail = await t.app.inject({
      url: `/stories/${storyId}/video.mp4`,
      headers: { range: 'bytes=-500', 'accept-encoding': 'gzip, br' },
    });
    assert.equal(tail.statusCode, 206);
    assert.equal(tail.headers['content-encoding'], undefined, 'ranges are never compressed');
    assert.deepEqual(tail.rawPayload, whole.rawPayload.subarray(size - 500));
    const past = await t.app.inject({ url: `/stories/${storyId}/video.mp4`, headers: { range: `bytes=${size}-` } });
    assert.equal(past.statusCode, 416);
    assert.equal(past.headers['content-range'], `bytes */${size}`);
    const poster = await t.app.inject({ url: `/stories/${storyId}/poster.jpg`, headers: { range: 'bytes=0-1' } });
    assert.equal(poster.statusCode, 206);
    assert.equal(poster.headers['cache-control'], 'public, max-age=300');
    const again = await t.app.inject({
      url: `/stories/${storyId}/video.mp4`,
      headers: { 'if-none-match': String(whole.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
  });

  test('unpublishing takes the story, its files and its message block away from the public; the editor still sees it', async () => {
    const { web } = editor;
    const res = await web.post(`/editor/stories/${storyId}/unpublish`, {});
    assert.equal(res.statusCode, 303);
    for (const url of [
      `/stories/${storyId}`,
      `/stories/${storyId}/video.mp4`,
      `/stories/${storyId}/poster.jpg`,
      `/stories/${storyId}/captions.vtt`,
      `/api/v1/stories/${storyId}`,
    ]) {
      assert.equal((await t.app.inject(url)).statusCode, 404, url);
    }
    assert.doesNotMatch((await t.app.inject('/stories')).body, new RegExp(`/stories/${storyId}"`));
    assert.doesNotMatch((await t.app.inject('/stories/feed.xml')).body, /路灯亮了/);
    assert.doesNotMatch((await t.app.inject(`/messages/${messageId}`)).body, /本留言的视频故事/);
    assert.equal((await web.get(`/stories/${storyId}`)).statusCode, 200);
    assert.equal((await web.get(`/stories/${storyId}/video.mp4`)).statusCode, 200);
    const list = await web.get('/editor/stories');
    assert.match(list.body, /路灯亮了：一条留言的四十八小时/);
    assert.match(list.body, /已就绪/);
    assert.match(list.body, /未发布/);
  });

  test('every editorial change is in the admin log, with the editor who made it', async () => {
    const rows = await t.db
      .selectFrom('admin_log')
      .innerJoin('users', 'users.id', 'admin_log.actor_id')
      .select(['admin_log.action', 'admin_log.detail', 'users.phone'])
      .where('admin_log.action', 'like', 'story.%')
      .orderBy('admin_log.id')
      .execute();
    const ofStory = rows.filter((r) => (JSON.parse(r.detail) as { storyId: number }).storyId === storyId);
    assert.deepEqual(
      ofStory.map((r) => r.action),
      ['story.create', 'story.video', 'story.captions', 'story.publish', 'story.unpublish'],
    );
    assert.ok(ofStory.every((r) => r.phone === cast.phones.editor));
    const { web } = await loginAs('admin');
    const log = await web.get('/admin/log?action=story.');
    assert.match(unmarked(log.body), /发布了视频故事“路灯亮了：一条留言的四十八小时”/);
    assert.match(unmarked(log.body), /为视频故事“路灯亮了：一条留言的四十八小时”上传视频（0:03）/);
  });

  test('the API: an editor creates, edits, uploads, follows the conversion and publishes', async () => {
    const created = await cast.call('editor', 'POST', '/api/v1/stories', {
      title: '公交站台修好了',
      summary: '网友反映公交站台顶棚漏雨，交通部门一周内修复。',
      regionCode: '130123',
      messageIds: [otherMessageId],
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    assert.equal(created.json().video.state, 'none');
    const patched = await cast.call('editor', 'PATCH' as 'PUT', `/api/v1/stories/${id}`, {
      transcript: '网友：站台漏雨。交通局：已经修好。',
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().title, '公交站台修好了', 'fields not given stay');
    const body = multipart([
      { name: 'video', file: { filename: 'bus.mov', type: 'video/quicktime', data: files.video! } },
    ]);
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stories/${id}/video`,
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${cast.tokens.editor}` },
      remoteAddress: nextIp(),
    });
    assert.equal(upload.statusCode, 202, upload.body);
    assert.match(upload.json().state, /^(uploaded|converting|ready)$/);
    const deadline = Date.now() + 90_000;
    let state = '';
    while (Date.now() < deadline) {
      state = (await cast.call('editor', 'GET', `/api/v1/editor/stories/${id}`)).json().video.state;
      if (state === 'ready' || state === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(state, 'ready');
    const published = await cast.call('editor', 'POST', `/api/v1/stories/${id}/publish`, {});
    assert.equal(published.statusCode, 200, published.body);
    assert.equal(published.json().published, true);
    const shown = (await t.app.inject(`/api/v1/stories/${id}`)).json();
    assert.equal(shown.transcript, '网友：站台漏雨。交通局：已经修好。');
    assert.equal(shown.captionsUrl, null);
    const openapi = (await t.app.inject('/api/v1/openapi.json')).json();
    for (const path of [
      '/api/v1/stories',
      '/api/v1/stories/{id}',
      '/api/v1/stories/{id}/video',
      '/api/v1/editor/stories/{id}',
    ])
      assert.ok(openapi.paths[path], `${path} is in the OpenAPI`);
  });

  test('the queue: one claim per job across workers, and a job whose worker died is taken up again', async () => {
    const { web, ip } = await loginAs('editor');
    const id = await createStory(web);
    await t.app.stories.worker.stop();
    const res = await uploadAs(t.app, web, ip, `/editor/stories/${id}/video`, 'video', {
      filename: 'story.mov',
      type: 'video/quicktime',
      data: files.video!,
    });
    assert.equal(res.statusCode, 303);
    const now = new Date().toISOString();
    const lease = new Date(Date.now() + 60_000).toISOString();
    const first = await storyJobsRepository.claim(t.db, 'process-a', now, lease);
    assert.ok(first);
    assert.equal(await storyJobsRepository.claim(t.db, 'process-b', now, lease), undefined, 'claimed once');
    // Process A dies: its lease runs out, and a restarted process takes the job over.
    const expired = new Date(Date.now() - 1000).toISOString();
    await t.db.updateTable('story_video_jobs').set({ lease_until: expired }).where('id', '=', first.id).execute();
    const restarted = new StoryVideoWorker({
      db: t.db,
      objects: t.app.attachments.objects,
      tmpDir: join(dir, 'scratch'),
      log: t.app.log,
    });
    assert.equal(await restarted.runOnce(), true);
    const job = await storyJobsRepository.findById(t.db, first.id);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2);
    assert.equal((await storyRow(id)).video_state, 'ready');
    // Process A, back from the dead, may no longer touch it.
    assert.equal(await storyJobsRepository.heartbeat(t.db, first.id, 'process-a', lease, 0.5), false);
  });

  test('a server that stops mid-conversion puts the job back in the queue for the next start', async () => {
    const { web, ip } = await loginAs('editor');
    const id = await createStory(web);
    await uploadAs(t.app, web, ip, `/editor/stories/${id}/video`, 'video', {
      filename: 'story.mov',
      type: 'video/quicktime',
      data: files.video!,
    });
    // An FFmpeg that takes its time, so the stop comes while it works.
    const slow = join(dir, 'slow-ffmpeg');
    writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(slow, 0o755);
    const worker = new StoryVideoWorker({
      db: t.db,
      objects: t.app.attachments.objects,
      tmpDir: join(dir, 'scratch'),
      log: t.app.log,
      programs: { ffmpeg: slow, ffprobe: 'ffprobe' },
    }).start();
    const deadline = Date.now() + 10_000;
    while ((await storyRow(id)).video_state !== 'converting') {
      assert.ok(Date.now() < deadline, 'the worker took the job');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stopping = Date.now();
    await worker.stop();
    assert.ok(Date.now() - stopping < 5000, 'FFmpeg is stopped, not waited for');
    const job = await t.db
      .selectFrom('story_video_jobs')
      .selectAll()
      .where('story_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(job.status, 'queued');
    assert.equal(job.worker, null);
    assert.equal((await storyRow(id)).video_state, 'uploaded');
    assert.ok(await t.app.attachments.objects.head(job.source_key), 'the upload is kept for the next run');
  });
});

describe('the parts', () => {
  test('FFmpeg’s progress lines give the position written', () => {
    const reader = new ProgressReader();
    reader.push('frame=10\nout_time_us=1500000\nout_time=00:00:01.5');
    assert.equal(reader.seconds, 1.5);
    reader.push('00000\nout_time_ms=2500000\nprogress=continue\n');
    assert.equal(reader.seconds, 2.5);
    reader.push('out_time=00:01:02.250000\nout_time_us=N/A\n');
    assert.equal(reader.seconds, 62.25);
  });

  test('a conversion reports its progress as it goes, up to the whole length', async () => {
    const shares: number[] = [];
    await convertForWeb(join(dir, 'story.mov'), join(dir, 'progress.mp4'), {
      seconds: 3,
      onProgress: (share) => shares.push(share),
    });
    assert.ok(shares.length > 0, 'progress was reported');
    assert.ok(
      shares.every((s, i) => s >= 0 && s <= 1 && (i === 0 || s >= shares[i - 1]!)),
      'between 0 and 1, rising',
    );
    assert.ok(shares.at(-1)! > 0.9, `reaches the end: ${shares.at(-1)}`);
  });

  test('stderr is summarised to its last lines', () => {
    assert.equal(summariseStderr('a\n\nframe=1 fps=2\nb\r\nc\nd\n'), 'b / c / d');
    assert.ok(summariseStderr('x'.repeat(1000)).length <= 300);
  });

  test('WebVTT: what is accepted and what is refused, with where', () => {
    assert.deepEqual(checkWebVtt(Buffer.from(SAMPLE_VTT)), { ok: true, text: SAMPLE_VTT, cues: 2 });
    const cases: [string, RegExp][] = [
      ['', /空的/],
      ['WEBVTT\n\nNOTE 只有注释\n', /没有字幕/],
      ['1\n00:00:01,000 --> 00:00:02,000\n字幕\n', /SRT/],
      ['WEBVTT\n\n00:01.000 -> 00:02.000\n字幕\n', /第 3 行起的一段没有时间行/],
      ['WEBVTT\n\n00:61.000 --> 00:62.000\n字幕\n', /第 3 行的时间格式不对/],
      ['WEBVTT\n\n00:01.000 --> 00:02.000\n字幕\n00:03.000 --> 00:04.000\n', /两段字幕之间应空一行/],
    ];
    for (const [text, reason] of cases) {
      const checked = checkWebVtt(Buffer.from(text));
      assert.equal(checked.ok, false, text);
      if (!checked.ok) assert.match(checked.reason, reason, text);
    }
    const latin1 = checkWebVtt(Buffer.from([0x57, 0x45, 0x42, 0x56, 0x54, 0x54, 0x0a, 0xe9]));
    assert.ok(!latin1.ok && /UTF-8/.test(latin1.reason));
    assert.ok(
      checkWebVtt(
        Buffer.from(
          'WEBVTT - 标题\r\n\r\nSTYLE\r\n::cue { color: yellow }\r\n\r\nid\r\n01:00:00.000 --> 01:00:01.000 align:start\r\n<v 网友>好</v>\r\n',
        ),
      ).ok,
    );
  });
});
