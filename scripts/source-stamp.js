// Tells a fresh dist/ from a stale one: a hash of everything the build reads (every file under src/, the tsconfig
// files and the build script), written into dist/ by scripts/build.js and compared by bin/liuyan.js at every start.
// Plain JavaScript, so that the entry point can run it before deciding between dist/ and the TypeScript sources.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where `npm run build` writes the compiled JavaScript; `npm start` runs it while it matches the sources. */
export const DIST = join(ROOT, 'dist');
/** The stamp inside a build directory. */
export const STAMP_FILE = 'build-stamp.json';

const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.js', 'scripts/source-stamp.js'];

/**
 * sha256 over the path and content of every file under `src/` and of the build's own inputs (about 15 ms for the
 * whole tree). Content rather than modification times: a `git pull`, a checkout or a copy that keeps old times cannot
 * make a stale build look fresh, and a file added or removed changes the list.
 */
export function sourceStamp(root = ROOT) {
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).replaceAll('\\', '/'))
    .concat(INPUTS)
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(join(root, file)));
    } catch {
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** 'fresh' (built from the sources as they are now), 'stale' (the sources changed since) or 'missing'. */
export function distState(root = ROOT, dist = join(root, 'dist')) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dist, STAMP_FILE), 'utf8'));
  } catch {
    return 'missing';
  }
  return stamp?.sources === sourceStamp(root) ? 'fresh' : 'stale';
}
