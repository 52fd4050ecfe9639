// The bulk generator's thread: makes batches of rows (demo/bulk-generator.ts) while the main thread writes them,
// a few batches ahead of it and no more (the main thread sends a credit for each batch it has taken).
import { parentPort, workerData } from 'node:worker_threads';
import { bulkEncoder } from '../db/bulk-rows.ts';
import { useOfficialSchedule } from '../deadlines/working-days.ts';
import { BulkGenerator } from './bulk-generator.ts';
import type { WorkerInput, WorkerMessage } from './bulk-messages.ts';

const port = parentPort!;
const input = workerData as WorkerInput;
let credit = 0;
let wake: (() => void) | null = null;
port.on('message', (message: { credit: number }) => {
  credit += message.credit;
  wake?.();
  wake = null;
});
const send = (message: WorkerMessage) => port.postMessage(message);

try {
  // The same working-day calendar as the main thread: the package's, and the years an admin loaded.
  useOfficialSchedule(input.schedule);
  const rows = bulkEncoder(input.format);
  const generator = new BulkGenerator(input.setup, rows);
  for (;;) {
    while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    if (!generator.next()) break;
    send({ kind: 'batch', done: generator.done, payload: rows.take() });
  }
  send({ kind: 'done', nextIds: generator.nextIds, months: [...generator.months] });
} catch (err) {
  send({ kind: 'error', message: (err as Error).message, stack: (err as Error).stack });
}
port.close();
