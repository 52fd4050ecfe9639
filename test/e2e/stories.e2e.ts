/// <reference lib="dom" />
// In a real Chromium: an editor makes a video story through the pages (upload, conversion progress, captions,
// publishing), and a visitor on a phone plays it, the server answering the player's byte ranges with 206.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createCast } from '../channel-helpers.ts';
import type { TestApp } from '../helpers.ts';
import { makeVideo, SAMPLE_VTT } from '../story-helpers.ts';
import { type BrowserRig, expectAccessible, startBrowserRig } from './browser.ts';
import { layoutProblems } from './site.ts';

let rig: BrowserRig;
let t: TestApp;
let browser: Browser;
let base: string;
let dir: string;
let phones: Record<string, string>;
let messageId: number;
const PASSWORD = 'Channel-Pass-2026!';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liuyan-stories-e2e-'));
  makeVideo(join(dir, 'story.mov'));
  writeFileSync(join(dir, 'story.vtt'), SAMPLE_VTT);
  rig = await startBrowserRig();
  ({ t, browser, base } = rig);
  const cast = await createCast(t);
  phones = cast.phones;
  const res = await cast.call('citizen', 'POST', '/api/v1/messages', {
    boardId: 1301232,
    type: 'help',
    domain: 'urban',
    title: '小区门口路灯坏了两个月',
    body: '小区门口的路灯坏了两个月，晚上出行很不方便，希望有关部门尽快维修。',
  });
  messageId = res.json().id as number;
  await cast.act('editor', messageId, 'approve');
});
after(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function person(viewport: { width: number; height: number }, phone?: string): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  if (phone) {
    await page.goto(`${base}/login`);
    const form = page.locator('form[action="/login"]');
    await form.getByLabel('手机号').fill(phone);
    await form.getByLabel('密码').fill(PASSWORD);
    await form.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/`);
  }
  return page;
}

test('an editor uploads a video, watches it convert, adds captions and publishes; a phone plays it with ranges', async () => {
  const editor = await person({ width: 1280, height: 900 }, phones.editor);
  await editor.goto(`${base}/editor/stories`);
  await editor.getByRole('link', { name: '新建故事' }).click();
  await editor.getByLabel('标题').fill('路灯亮了：一条留言的四十八小时');
  await editor.getByLabel('简介').fill('正定县一位网友留言反映小区门口路灯损坏，县城管局两天内修复并公开答复。');
  await editor.getByLabel('地区代码').fill('130123');
  await editor.getByLabel('关联留言编号').fill(String(messageId));
  await editor.getByRole('button', { name: '创建故事' }).click();
  await editor.waitForURL('**/editor/stories/*?done=created');
  const storyUrl = editor.url().split('?')[0]!;
  const storyId = Number(storyUrl.split('/').pop());

  await editor.getByLabel('视频文件').setInputFiles(join(dir, 'story.mov'));
  await editor.getByRole('button', { name: '上传视频' }).click();
  await editor.waitForURL('**?done=video');
  // Queued: the page shows the progress bar; once a worker takes the job, the page follows the conversion by itself
  // and shows the player when the video is ready.
  assert.match(await editor.locator('main').innerText(), /已上传，等待转换/);
  await editor.locator('progress#story-progress-bar').waitFor();
  t.app.stories.worker.start();
  await editor.locator('.story-video video').waitFor({ timeout: 90_000 });
  assert.match(await editor.locator('main').innerText(), /已就绪/);
  await expectAccessible(editor);

  await editor.getByLabel('字幕文件（WebVTT，.vtt）').setInputFiles(join(dir, 'story.vtt'));
  await editor.getByRole('button', { name: '上传字幕' }).click();
  await editor.waitForURL('**?done=captions');
  await editor.getByRole('button', { name: '发布', exact: true }).click();
  await editor.waitForURL('**?done=published');

  // A visitor on a phone.
  const phone = await person({ width: 375, height: 812 });
  const statuses: number[] = [];
  phone.on('response', (response) => {
    if (response.url().endsWith(`/stories/${storyId}/video.mp4`)) statuses.push(response.status());
  });
  await phone.goto(`${base}/messages/${messageId}`);
  await phone.getByRole('link', { name: '路灯亮了：一条留言的四十八小时' }).click();
  await phone.waitForURL(`${base}/stories/${storyId}`);
  assert.deepEqual(await layoutProblems(phone), [], 'the story page fits a 375 px phone');
  await expectAccessible(phone);
  const played = await phone.evaluate(async () => {
    const video = document.querySelector('video')!;
    video.muted = true;
    await video.play();
    const started = Date.now();
    while (video.currentTime < 0.5 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 100));
    const track = video.textTracks[0];
    return {
      currentTime: video.currentTime,
      readyState: video.readyState,
      error: video.error?.message ?? null,
      width: video.videoWidth,
      height: video.videoHeight,
      track: track ? { kind: track.kind, language: track.language, cues: track.cues?.length ?? 0 } : null,
    };
  });
  assert.equal(played.error, null);
  assert.ok(played.currentTime >= 0.5, `the video plays: ${JSON.stringify(played)}`);
  assert.ok(played.readyState >= 2);
  assert.deepEqual([played.width, played.height], [960, 720]);
  assert.deepEqual(played.track, { kind: 'captions', language: 'zh', cues: 2 });
  assert.ok(statuses.includes(206), `the player's range requests were answered 206: ${statuses.join(', ')}`);
  const box = await phone.locator('video').boundingBox();
  assert.ok(box && box.width <= 375 && box.width > 300, `the player fills the phone's width: ${box?.width}`);
});
