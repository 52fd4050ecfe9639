// Checkpoints SQLite's write-ahead log from a worker thread, so that a server's requests never wait for a checkpoint.
//
// In WAL mode a commit appends to the log; a checkpoint copies the log back into the database file and flushes both
// to disk. SQLite runs one inside whichever commit fills the log past `wal_autocheckpoint` pages, so that request's
// event loop stops for the copy and two flushes (milliseconds each on a virtual disk). Here a worker thread with its
// own connection checkpoints every quarter second instead (PASSIVE: it never waits for, nor blocks, a writer), and
// the server's own connection keeps a much higher automatic threshold as a fallback should the worker fall behind.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteSynchronous } from '../config.ts';

/** How often the worker checkpoints; with nothing new in the log a checkpoint does nothing, not even a flush. */
export const CHECKPOINT_EVERY_MS = 250;
/** The log size (pages) at which the server's own connection checkpoints anyway, if the worker has fallen behind. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Plain CommonJS, evaluated in the worker (a worker does not get the TypeScript loader). A busy checkpoint (another
 * process checkpointing, a long reader) is simply tried again at the next tick.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or briefly unable: the next tick tries again; the server's own fallback bounds the log meanwhile
  }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoints {
  /** Stops the worker after its current checkpoint; the connection it holds is closed. */
  stop(): void;
}

/**
 * Starts checkpointing `file` (an SQLite database in WAL mode, already open) in a worker thread. Each flush the
 * checkpoint makes follows the same `synchronous` level as the server's connection.
 */
export function startBackgroundCheckpoints(file: string, synchronous: SqliteSynchronous): BackgroundCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver, file, synchronous, everyMs: CHECKPOINT_EVERY_MS },
  });
  // The worker never keeps the process alive, and a failure in it leaves the server's own checkpoints to do the work.
  worker.unref();
  worker.on('error', (err) => process.emitWarning(`SQLite 后台检查点线程出错：${err.message}`, 'DatabaseWarning'));
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
    },
  };
}
