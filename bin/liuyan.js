#!/usr/bin/env node
// Entry point of `npx liuyan` and `npm start`. Runs the compiled dist/ (scripts/build.js, run by `npm install`) when it
// was built from the sources as they are now; otherwise (no build, sources changed since, LIUYAN_FROM_SOURCE=1) the
// TypeScript sources through tsx, which starts several seconds slower but never runs old code.
import { distState } from '../scripts/source-stamp.js';

const state = process.env.LIUYAN_FROM_SOURCE === '1' ? 'skipped' : distState();
let runCli;
if (state === 'fresh') {
  ({ runCli } = await import('../dist/cli.js'));
} else {
  if (state !== 'skipped' && process.stderr.isTTY) {
    const why = state === 'missing' ? 'dist/ 尚未构建' : 'src/ 在上次构建后有改动';
    process.stderr.write(`${why}，直接运行 TypeScript 源码（启动较慢）；npm run build 后启动更快\n`);
  }
  const { fileURLToPath } = await import('node:url');
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  ({ runCli } = await import('../src/cli.ts'));
}
await runCli(process.argv);
