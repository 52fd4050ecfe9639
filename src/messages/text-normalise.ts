// Text normalisation for matching and search (DESIGN §7 "Search", §4): full-width → half-width,
// Traditional → Simplified (mainland), lower case.
//
// Position contract: the output has exactly one UTF-16 code unit per input code unit, so
// `normaliseText(s).length === s.length` and a match at [start, end) in the output is the same
// range [start, end) in the input. Each step works per code point and only accepts a replacement
// that has the same UTF-16 length as what it replaces; anything else is kept as it was:
// - width/compatibility folding is NFKC per code point: Ｆｕｌｌ-width letters and digits, the
//   ideographic space (U+3000 → ' '), full-width punctuation (，→ ,  ：→ :  （→ (  ！→ !), half-width
//   katakana, Kangxi radicals and CJK compatibility ideographs fold to their usual forms. Folds
//   that would change the length are skipped (… stays …, ㈠ stays ㈠, ™ stays ™, 𝟏 stays 𝟏), and
//   CJK punctuation with no compatibility mapping (。、「」《》) is left alone. Combining marks
//   are not composed with their base letters (that would change the length).
// - Traditional → Simplified uses OpenCC (opencc-js) with phrase-level segmentation: Hong Kong and
//   Taiwan variant characters are first brought to the OpenCC standard form, then converted to
//   mainland Simplified (HKVariantsRev + TWVariantsRev, then TSPhrases + TSCharacters; so 衞 → 卫,
//   臺灣 → 台湾, 乾燥 → 干燥 but 乾隆 stays). OpenCC maps code point for code point; the few
//   characters whose Simplified form lies in another Unicode plane (one code unit ↔ a surrogate
//   pair) are kept as written.
// - lower case per code point (İ, whose lower case is two code units, stays İ).
import type { ConverterFunction } from 'opencc-js/core';
import OpenCC from 'opencc-js/t2cn';

/**
 * Traditional (Hong Kong, Taiwan or OpenCC standard) → mainland Simplified; built once. The
 * 'opencc-js/t2cn' bundle holds only the Traditional → Simplified dictionaries. Its declaration
 * file imports './core' without an extension, which NodeNext cannot resolve, so the members come
 * through as `any`; the converter is typed from 'opencc-js/core' instead.
 */
const toSimplified: ConverterFunction = OpenCC.ConverterFactory(
  OpenCC.Locale.from.hk,
  OpenCC.Locale.from.tw,
  OpenCC.Locale.to.cn,
);

const HAN = /\p{Script=Han}/u;

/** NFKC and lower case of one code point, kept as written when that would change its length. */
function foldCodePoint(cp: string): string {
  // CJK Unified Ideographs (most of any message) have no compatibility or case mapping: nothing to fold.
  const unit = cp.charCodeAt(0);
  if (cp.length === 1 && unit >= 0x4e00 && unit <= 0x9fff) return cp;
  let out = cp;
  const nfkc = out.normalize('NFKC');
  if (nfkc.length === out.length) out = nfkc;
  const lower = out.toLowerCase();
  if (lower.length === out.length) out = lower;
  return out;
}

/** Replaces `from` by `to` code point for code point where their UTF-16 lengths agree. */
function alignCodePoints(from: string[], to: string[]): string[] {
  return from.map((cp, i) => {
    const next = to[i];
    return next !== undefined && next.length === cp.length ? next : cp;
  });
}

export function normaliseText(text: string): string {
  if (text.length === 0) return text;
  const folded = Array.from(text, foldCodePoint);
  if (!folded.some((cp) => HAN.test(cp))) return folded.join('');

  const joined = folded.join('');
  const converted = Array.from(toSimplified(joined));
  let simplified: string[];
  if (converted.length === folded.length) {
    simplified = alignCodePoints(folded, converted);
  } else {
    // OpenCC's dictionaries map code point for code point, so this is a safety net only:
    // convert character by character (without phrase context) to keep positions exact.
    simplified = folded.map((cp) =>
      HAN.test(cp) ? (alignCodePoints([cp], Array.from(toSimplified(cp)))[0] ?? cp) : cp,
    );
  }
  return simplified.join('');
}
