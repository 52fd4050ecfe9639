// Simplified → Traditional Chinese as written in Hong Kong (OpenCC's `cn` → `hk`), for names the platform shows in
// the zh-HK pages (regions, boards, units) and for reading a message in Traditional characters. Never applied to what
// is stored.
import type { ConverterFunction } from 'opencc-js/core';
import OpenCC from 'opencc-js/cn2t';
import HKVariants from 'opencc-js/dict/HKVariants';
import STCharacters from 'opencc-js/dict/STCharacters';

let converter: ConverterFunction | null = null;

/** The converter, built at first use: its dictionaries take ~0.1 s to load, which start-up should not pay. */
function convert(text: string): string {
  converter ??= OpenCC.ConverterFactory(OpenCC.Locale.from.cn, OpenCC.Locale.to.hk) as ConverterFunction;
  return converter(text);
}

const names = new Map<string, string>();
const NAMES_MAX = 50_000;

/** A short text (a name, a label) in Traditional characters; remembered, since names repeat on every page. */
export function hantName(text: string): string {
  const known = names.get(text);
  if (known !== undefined) return known;
  const out = convert(text);
  if (names.size >= NAMES_MAX) names.clear();
  names.set(text, out);
  return out;
}

/** A longer text (a message, a reply) in Traditional characters, for reading only. */
export function toHant(text: string): string {
  return text ? convert(text) : text;
}

let simplifiedOnly: Set<string> | null = null;

/**
 * Characters that exist only in Simplified form: OpenCC maps them to other characters and never to themselves (们,
 * 这), leaving out the forms Hong Kong's own standard uses (户, 着). Shared characters (后, 里, 台) are not in it.
 */
function simplifiedOnlySet(): Set<string> {
  if (simplifiedOnly) return simplifiedOnly;
  const hongKong = new Set<string>();
  for (const entry of HKVariants.split('|'))
    for (const target of entry.split(' ').slice(1)) for (const c of target) hongKong.add(c);
  simplifiedOnly = new Set<string>();
  for (const entry of STCharacters.split('|')) {
    const [source, ...targets] = entry.split(' ');
    if (source && !targets.includes(source) && !hongKong.has(source)) simplifiedOnly.add(source);
  }
  return simplifiedOnly;
}

/**
 * Whether a text has characters written only in Simplified form where it stands: a character of the set above that
 * the conversion of the whole text (which reads phrases, so 皇后 keeps its 后) changes.
 */
export function hasSimplifiedOnly(text: string): boolean {
  const only = simplifiedOnlySet();
  const before = Array.from(text);
  if (!before.some((c) => only.has(c))) return false;
  const after = Array.from(convert(text));
  if (after.length !== before.length) return true;
  return before.some((c, i) => only.has(c) && after[i] !== c);
}
