// The database's integer ids: how large they may be, and reading one that arrived as text.

/** The largest value of an `integer` column (PostgreSQL's int4): an id or count beyond it is no id at all. */
export const INT_MAX = 2147483647;

/** An id typed as text (a path segment, a form field, a free-form body): decimal digits within range, else null. */
export function idFromText(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= INT_MAX ? id : null;
}
