// Acting on several messages at once (batch approve, accept, assign): each is its own transition in its own
// transaction, so one that changed meanwhile does not stop the rest; the ones refused are named.
import { idFromText } from '../db/ids.ts';
import { AppError } from '../web/app-error.ts';

/** The distinct message ids a batch form posted (one or several `ids` fields); BATCH_EMPTY when there are none. */
export function batchIds(input: string | string[] | undefined): number[] {
  const ids = [
    ...new Set(
      ([] as string[])
        .concat(input ?? [])
        .map((id) => idFromText(id))
        .filter((id): id is number => id !== null),
    ),
  ];
  if (ids.length === 0) throw new AppError('BATCH_EMPTY', {}, 'ids');
  return ids;
}

/**
 * Runs the action on each id; a refusal (an AppError: a message someone else handled first is a 409 CONFLICT) is
 * counted as failed, anything else stops the batch.
 */
export async function runBatch(
  ids: number[],
  act: (id: number) => Promise<unknown>,
): Promise<{ ok: number; failed: number[] }> {
  let ok = 0;
  const failed: number[] = [];
  for (const id of ids) {
    try {
      await act(id);
      ok += 1;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      failed.push(id);
    }
  }
  return { ok, failed };
}

/** The `&failed=…` part of the redirect after a batch (at most 30 ids). */
export function failedQuery(failed: number[]): string {
  return failed.length > 0 ? `&failed=${failed.slice(0, 30).join('.')}` : '';
}

/** The ids named by `failed=…` on the page after a batch. */
export function failedIds(text: string | undefined): number[] {
  return (text ?? '')
    .split('.')
    .map((id) => idFromText(id))
    .filter((id): id is number => id !== null);
}
