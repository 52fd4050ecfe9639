#!/usr/bin/env node
// Entry point of `npx liuyan`: runs the TypeScript sources through tsx, no build step needed.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { runCli } = await import('../src/cli.ts');
await runCli(process.argv);
