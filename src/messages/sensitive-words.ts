// A configurable sensitive-word matcher (DESIGN §7 "Chinese text"): an Aho–Corasick automaton
// (modern-ahocorasick) over the normalised words, run on the normalised text, so a listed word
// also matches its Traditional and full-width spellings and any letter case ('拆迁' finds '拆遷',
// 'abc' finds 'ＡＢＣ'). normaliseText keeps one code unit per code unit, so positions in the
// normalised text are positions in the original text.
//
// Matching is by substring (Chinese has no word boundaries), so 'abc' also matches in 'abcd'.
// find() reports every occurrence of every word, overlapping ones included, ordered by start and
// then longest first; `word` is the word as it was given to the constructor.
import { readFileSync } from 'node:fs';
import AhoCorasick from 'modern-ahocorasick';
import { normaliseText } from './text-normalise.ts';

export interface SensitiveHit {
  word: string;
  start: number;
  end: number;
}

export class SensitiveWords {
  readonly #words: string[];
  readonly #matcher: AhoCorasick<string>;

  /** Words are normalised and de-duplicated; blank ones are ignored. */
  constructor(words: string[]) {
    const byForm = new Map<string, string>();
    for (const word of words) {
      const form = normaliseText(word.trim());
      if (form.length > 0 && !byForm.has(form)) byForm.set(form, word.trim());
    }
    this.#words = [...byForm.values()];
    this.#matcher = new AhoCorasick([...byForm].map(([pattern, data]) => ({ pattern, data })));
  }

  get size(): number {
    return this.#words.length;
  }

  find(text: string): SensitiveHit[] {
    if (this.#words.length === 0 || text.length === 0) return [];
    return this.#matcher
      .search(normaliseText(text))
      .map((m) => ({ word: m.data!, start: m.start, end: m.end }))
      .sort((a, b) => a.start - b.start || b.end - a.end);
  }
}

/**
 * Reads a word list: UTF-8, one word per line; blank lines and lines starting with '#' are
 * ignored, surrounding white space is trimmed. Returns the words normalised with normaliseText,
 * de-duplicated, in file order.
 */
export function loadSensitiveWords(file: string): string[] {
  const words = new Set<string>();
  for (const line of readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)) {
    const word = line.trim();
    if (word.length === 0 || word.startsWith('#')) continue;
    const form = normaliseText(word);
    if (form.length > 0) words.add(form);
  }
  return [...words];
}
