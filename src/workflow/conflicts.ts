// When two people act on one message at once: exactly one step takes effect, and the other is told so with
// 409 CONFLICT ("该留言刚被他人处理，请刷新后再试"), never a 500 or a 403 it did not deserve.
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import { WorkflowInputError } from './workflow-errors.ts';

export const conflict = (): AppError => new AppError('CONFLICT');

/**
 * A unique rule broken by a write that raced another (one pending extension, one open reply per round, one case
 * event per sequence number): SQLite's SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY, PostgreSQL's 23505.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** PostgreSQL gave one of two waiting transactions up (deadlock, serialization failure): it lost the race. */
function isAbortedRace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs one step's transaction. A write that lost a race to another step on the same message ends as 409 CONFLICT:
 * the transaction is rolled back, so nothing of it (case event, notifications) remains.
 */
export async function stepTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (err) {
    if (isUniqueViolation(err) || isAbortedRace(err)) throw conflict();
    throw err;
  }
}

/**
 * The version a form or an API call says its writer saw, when it says one (`version`, `draftVersion`): an older one
 * means someone else acted since, and the step is refused before anything else is checked against the new state.
 */
export function expectVersion(current: number, sent: unknown, field = 'version'): void {
  if (sent === undefined || sent === null || sent === '') return;
  const version = typeof sent === 'number' ? sent : typeof sent === 'string' ? Number(sent) : Number.NaN;
  if (!Number.isInteger(version) || version < 0)
    throw new WorkflowInputError('workflow.error.version', { field }, field);
  if (version !== current) throw conflict();
}
