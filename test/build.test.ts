// The build: src/ compiled to plain JavaScript that starts and serves without tsx; the stamp that tells bin/liuyan.js
// a fresh build from a stale one; route schemas compiled at first use behave as compiled at start.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp } from '../src/app.ts';
import { distState, sourceStamp, STAMP_FILE } from '../scripts/source-stamp.js';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from './helpers.ts';
import { freePort, waitFor } from './processes.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('the source stamp', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'liuyan-stamp-'));
    mkdirSync(join(root, 'src', 'web'), { recursive: true });
    writeFileSync(join(root, 'src', 'app.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src', 'web', 'style.css'), 'body {}\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  const stamp = () => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', STAMP_FILE), JSON.stringify({ sources: sourceStamp(root) }));
  };

  test('a build is fresh until any file under src/ changes, appears or goes', () => {
    assert.equal(distState(root), 'missing');
    stamp();
    assert.equal(distState(root), 'fresh');

    writeFileSync(join(root, 'src', 'app.ts'), 'export const a = 2;\n');
    assert.equal(distState(root), 'stale', 'an edited file');
    writeFileSync(join(root, 'src', 'app.ts'), 'export const a = 1;\n');
    assert.equal(distState(root), 'fresh', 'the same content again, whatever its time');

    writeFileSync(join(root, 'src', 'web', 'new.ts'), '');
    assert.equal(distState(root), 'stale', 'a new file');
    rmSync(join(root, 'src', 'web', 'new.ts'));
    assert.equal(distState(root), 'fresh');

    rmSync(join(root, 'src', 'web', 'style.css'));
    assert.equal(distState(root), 'stale', 'a removed file');
    writeFileSync(join(root, 'src', 'web', 'style.css'), 'body {}\n');

    writeFileSync(join(root, 'tsconfig.build.json'), '{}');
    assert.equal(distState(root), 'stale', 'the build settings');
    stamp();
    assert.equal(distState(root), 'fresh');

    writeFileSync(join(root, 'dist', STAMP_FILE), 'not json');
    assert.equal(distState(root), 'missing', 'an unreadable stamp');
  });
});

describe('the compiled server', () => {
  // Built beside dist/ (the compiled code finds seeds/ at ../seeds), so that the real dist/ is left alone.
  const out = join(ROOT, `.dist-test-${process.pid}`);
  let t: TestDatabase;
  let sourcesBefore: string;
  before(async () => {
    t = await createEmptyDatabase();
    sourcesBefore = sourceStamp();
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.js'), '--out-dir', out], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stdout + build.stderr);
  });
  after(async () => {
    rmSync(out, { recursive: true, force: true });
    await t.close();
  });

  test('is plain JavaScript with the files the code reads beside it, stamped with its sources', () => {
    const files = readdirSync(out, { recursive: true }).map(String);
    assert.ok(files.includes('cli.js') && files.includes('server.js'));
    assert.deepEqual(
      files.filter((f) => /\.tsx?$/.test(f)),
      [],
    );
    for (const asset of ['web/static/style.css', 'evaluation/views/certificate.css', 'db/schema-snapshot.json']) {
      assert.ok(files.includes(asset), asset);
    }
    const tsImports = files
      .filter((f) => f.endsWith('.js'))
      .filter((f) => /(from\s+|import\()["']\.{1,2}\/[^"']+\.tsx?["']/.test(readFileSync(join(out, f), 'utf8')));
    assert.deepEqual(tsImports, [], 'relative imports still naming .ts files');
    // The sources as they were when the build began (someone may be editing them while it runs).
    assert.ok([sourcesBefore, sourceStamp()].includes(JSON.parse(readFileSync(join(out, STAMP_FILE), 'utf8')).sources));
  });

  test('starts without tsx, prepares the database and serves / and /readyz', async () => {
    const port = await freePort();
    const entry = `const { runCli } = await import(${JSON.stringify(pathToFileURL(join(out, 'cli.js')).href)});
await runCli(['node', 'liuyan', ...process.argv.slice(1)]);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', entry, 'serve'], {
      env: { PATH: process.env.PATH, ...t.env, PORT: String(port), LOG_LEVEL: 'info' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(`${base}/readyz`, Date.now() + 60_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${output}`);
      });
      assert.match(output, /已导入参考数据/);

      const home = await fetch(`${base}/`);
      assert.equal(home.status, 200);
      assert.equal(new Set((await home.text()).match(/href="\/regions\/\d{2}0000"/g)).size, 33);
      const style = await fetch(`${base}/static/style.css`);
      assert.equal(style.status, 200, 'static files found from dist/');
      assert.match(style.headers.get('content-type') ?? '', /text\/css/);

      // Validation and serialisation compiled at the first request.
      const regions = await fetch(`${base}/api/v1/regions`);
      assert.equal(regions.status, 200);
      assert.equal(((await regions.json()) as { regions: unknown[] }).regions.length, 33);
      const bad = await fetch(`${base}/api/v1/regions/abc`);
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'VALIDATION');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});

describe('route schemas', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.close());

  test('every route schema compiles, and compiled at first use they answer as compiled at start', async () => {
    const eager = await buildApp({ config: t.config, db: t.db, logger: false, eagerSchemas: true });
    const lazy = await buildApp({ config: t.config, db: t.db, logger: false });
    try {
      await eager.ready();
      await lazy.ready();
      const requests = [
        '/api/v1/regions',
        '/api/v1/regions/130000',
        '/api/v1/regions/abc',
        '/api/v1/regions/search?q=zhengding',
        '/api/v1/regions/search?q=' + 'x'.repeat(500),
        '/api/v1/messages?limit=0',
        '/readyz',
      ];
      for (const url of requests) {
        const [a, b] = await Promise.all([eager.inject(url), lazy.inject(url)]);
        assert.equal(b.statusCode, a.statusCode, url);
        assert.equal(b.body, a.body, url);
      }
      const json = { 'content-type': 'application/json' };
      for (const payload of [
        { phone: [] },
        { phone: '1'.repeat(300), password: 'x' },
        { phone: '199', password: 'x' },
      ]) {
        const [a, b] = await Promise.all(
          [eager, lazy].map((app) => app.inject({ method: 'POST', url: '/api/v1/auth/token', headers: json, payload })),
        );
        assert.equal(b!.statusCode, a!.statusCode, JSON.stringify(payload));
        assert.equal(b!.body, a!.body, JSON.stringify(payload));
      }
      assert.equal(
        (await lazy.inject({ method: 'POST', url: '/api/v1/auth/token', headers: json, payload: { phone: [] } })).json()
          .error.code,
        'VALIDATION',
      );
    } finally {
      await eager.close();
      await lazy.close();
    }
  });
});
