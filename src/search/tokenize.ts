// One tokenizer for both engines: normalise, then every CJK character and adjacent pair, and Latin words and numbers whole.
import { normaliseText } from '../messages/text-normalise.ts';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]/u;
/** Runs of CJK characters, or of Latin letters and digits. */
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+|[a-z0-9]+/gu;

export const QUERY_MAX = 50;

/** The tokens stored for a text: each CJK character, each adjacent CJK pair, each Latin word or number. */
export function indexTokens(text: string): string[] {
  return normalisedTokens(normaliseText(text));
}

/** indexTokens of text that is already normalised (searchableText, message_search.text): the same tokens, in order. */
export function normalisedTokens(text: string): string[] {
  const out = new Set<string>();
  for (const run of text.match(RUNS) ?? []) {
    if (!CJK.test(run)) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    chars.forEach((c, i) => {
      out.add(c);
      if (i + 1 < chars.length) out.add(c + chars[i + 1]);
    });
  }
  return [...out];
}

/**
 * The tokens a query needs: pairs for CJK runs of two or more characters, the character for a run of
 * one, Latin words and numbers whole. Also the normalised pieces for the exact substring check.
 */
export function queryTokens(query: string): { tokens: string[]; pieces: string[] } {
  const tokens = new Set<string>();
  const pieces: string[] = [];
  for (const run of normaliseText(query).match(RUNS) ?? []) {
    pieces.push(run);
    if (!CJK.test(run)) {
      tokens.add(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) tokens.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
  }
  return { tokens: [...tokens], pieces };
}

/**
 * Whether a normalised query term is found exactly where its tokens are: a Latin word or number (a stored whole word
 * contains it), or one or two CJK characters (stored as a character and a pair). Longer CJK runs or mixed terms need
 * the substring check as well, since their pairs may each be found apart.
 */
export function tokensDecide(term: string): boolean {
  const runs = term.match(RUNS) ?? [];
  if (runs.length !== 1 || runs[0] !== term) return false;
  return !CJK.test(term) || [...term].length <= 2;
}

/** The text a message is searched by, normalised: title, public body and published replies. */
export function searchableText(parts: string[]): string {
  return normaliseText(parts.join('\n'));
}
