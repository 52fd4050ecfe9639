#!/usr/bin/env node
// Compiles src/ into dist/: the plain JavaScript that `npm start` and `liuyan` run, so nothing is compiled at start-up.
//
//   node scripts/build.js                what `npm run build` runs, and `npm install` / `npm ci` (the prepare script)
//   node scripts/build.js --out-dir D    builds into D instead; D must sit directly in the repository root, as dist/
//                                        does, because the compiled code finds seeds/ at ../seeds (test/build.test.ts)
//   --prepare                            TypeScript not installed (`npm ci --omit=dev`): say so and skip, so that the
//                                        install still succeeds and `npm start` runs the sources
//
// tsc only strips the types and rewrites the `.ts` imports to `.js` (tsconfig.build.json: noCheck, noResolve, so it
// neither reads the dependencies' typings nor checks anything; `npm run typecheck` does that). Every other file under
// src/ (styles, static files, JSON) is copied beside the compiled code, which reads it relative to itself. The build
// goes to a temporary directory that replaces dist/ only when complete, stamped with a hash of the sources it was
// built from (scripts/source-stamp.js), which bin/liuyan.js compares with the sources at every start.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, ROOT, STAMP_FILE, sourceStamp } from './source-stamp.js';

const { values } = parseArgs({ options: { 'out-dir': { type: 'string' }, prepare: { type: 'boolean' } } });
const root = resolve(ROOT);
const outDir = values['out-dir'] ? resolve(values['out-dir']) : DIST;

function fail(message) {
  process.stderr.write(`构建失败：${message}\n`);
  process.exit(1);
}

if (dirname(outDir) !== root) fail(`输出目录 ${outDir} 应直接位于仓库根目录 ${root} 下（与 dist/ 同级）`);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  const message = '未安装 typescript（开发依赖），无法构建 dist/';
  if (!values.prepare) fail(message);
  process.stderr.write(`${message}；npm start 将直接运行 TypeScript 源码（启动较慢）\n`);
  process.exit(0);
}

const started = Date.now();
const sources = sourceStamp(root);
const building = join(root, `.dist-building-${process.pid}`);
rmSync(building, { recursive: true, force: true });
let compiled;
try {
  compiled = spawnSync(process.execPath, [tsc, '--project', join(root, 'tsconfig.build.json'), '--outDir', building], {
    stdio: 'inherit',
  });
  if (compiled.status === 0) {
    cpSync(join(root, 'src'), building, { recursive: true, filter: (from) => !/\.tsx?$/.test(from) });
    writeFileSync(join(building, STAMP_FILE), JSON.stringify({ sources, builtAt: new Date().toISOString() }) + '\n');
    replace(outDir, building);
  }
} finally {
  rmSync(building, { recursive: true, force: true });
}
if (compiled.status !== 0) fail(`tsc 退出码 ${compiled.status ?? compiled.signal}`);
const files = readdirSync(outDir, { recursive: true }).length;
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(`已构建 ${relative(root, outDir)}/（${files} 个文件，${seconds} 秒）\n`);

/** Puts the finished build in place of the old one; a start in between finds no build and runs the sources. */
function replace(target, built) {
  const moved = [];
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        if (existsSync(target)) {
          const old = join(root, `.dist-old-${process.pid}-${attempt}`);
          renameSync(target, old);
          moved.push(old);
        }
        renameSync(built, target);
        return;
      } catch (err) {
        // Another build put its output there at the same moment: move that aside too.
        if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(err.code)) throw err;
      }
    }
  } finally {
    for (const old of moved) rmSync(old, { recursive: true, force: true });
  }
}
