// Rendered statistics content kept by the data it shows: the same figures, names, choices and language give the same
// HTML, so a page drawn for one visitor serves the next until a figure moves (the figures are read fresh, by the
// counters of their months, for every request). Only the public part of a page is kept, never the layout around it.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Keeps at most `maxChars` of HTML (UTF-16 code units), the least recently used out first.
 */
export function contentMemo(maxChars: number) {
  const kept = new LRUCache<string, string>({ maxSize: maxChars, sizeCalculation: (html) => Math.max(1, html.length) });
  let renders = 0;
  return {
    /**
     * The HTML `render` gives for `input`, rendered only when no HTML is kept for the same input. `input` must hold
     * everything the HTML depends on (JSON-serialisable); `render` must depend on nothing else.
     */
    get(input: unknown, render: () => JSX.Element): JSX.Element {
      const key = createHash('sha256').update(JSON.stringify(input)).digest('base64url');
      const html = kept.get(key);
      if (html !== undefined) return html;
      const fresh = render();
      renders += 1;
      // Components here render synchronously; anything else is passed on without being kept.
      if (typeof fresh === 'string') kept.set(key, fresh);
      return fresh;
    },
    /** How many contents are kept, their size, and how many were rendered (for tests and the bench). */
    stats(): { entries: number; chars: number; renders: number } {
      return { entries: kept.size, chars: kept.calculatedSize, renders };
    },
  };
}

/** A statistics page's content is 30–60 KB. */
export const MAX_CONTENT_CHARS = 32 * 1024 * 1024;
const contents = contentMemo(MAX_CONTENT_CHARS);

/** The content for `input` from the process's kept contents (see contentMemo). */
export function keptContent(input: unknown, render: () => JSX.Element): JSX.Element {
  return contents.get(input, render);
}

export const contentMemoStats = () => contents.stats();

const digests = new WeakMap<object, string>();

/**
 * A digest of an object that is never changed once made (figures and trends as statsService keeps them), worked out
 * once per object: a key over tens of kilobytes of figures costs a lookup per object instead.
 */
export function frozenDigest(value: object): string {
  let digest = digests.get(value);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(value)).digest('base64url');
    digests.set(value, digest);
  }
  return digest;
}
