// Personal data typed into a public title or body (DESIGN §4): phone numbers, resident ID numbers
// and bank card numbers are found so they can be masked on publication and flagged to the editor.
//
// What counts (positions are UTF-16 offsets into the text as given; `end` is exclusive):
// - phone, mobile: 11 digits 1[3-9]xxxxxxxxx, contiguous or grouped 3-4-4 with one kind of
//   separator (138 1234 5678, 138-1234-5678), optionally after +86, 0086 or (+86). The hit covers
//   the prefix too; the mask keeps the prefix, the first 3 and the last 4 digits: 138****5678.
// - phone, landline: area code 010 or 02x followed by an 8-digit local number, or a 4-digit area
//   code 03xx–09xx followed by a 7- or 8-digit local number (not starting with 0). Written
//   010-12345678, 0571-8888 8888, (010)12345678, 0571 88888888 or contiguous. The mask keeps the
//   area code as written and the last 4 digits: 010-****5678, 0571-****8888. Extensions (-801)
//   stay. A local number without an area code, 400/800 and 95xxx service numbers are not masked:
//   they are either too ambiguous or not personal.
// - id_card: an 18-character resident ID (GB 11643 shape: a known province code and a real birth
//   date in 18xx–20xx, ending in a digit or X), contiguous or grouped 6-8-4 / 6-4-4-4; or an old
//   15-digit one (province code and a real 19xx birth date). The check character is not required to
//   be right: a mistyped ID number is still someone's ID number. The mask keeps the first 6 and the
//   last 4: 110101********123X.
// - bank_card: any other 16–19 digits, contiguous or grouped in fours (6222 0212 3456 7890 123) or
//   6-13, whether or not they pass the Luhn check (a card number with one wrong digit still gives most
//   of it away). The mask keeps the first 4 and the last 4: 6222***********0123.
//
// Digits are the ASCII and full-width ones (０-９); the mask writes half-width digits. A candidate
// always starts and ends at the edge of a whole run of digits, so digits inside a longer run (a
// 25-digit order number, 3.13812345678) never match part-way. Grouped runs may be matched in part
// when the whole does not fit a shape (2026 138 1234 5678 → the phone is found); the leftmost,
// then longest, candidate wins and hits never overlap. Dates (2026-01-15), prices, years and other
// numbers do not fit any shape. Digits followed by X are read as an ID number; without the X they
// may still be a phone (13812345678X先生) but not a card. Circled or superscript digits are not
// digits here.

export type PersonalDataKind = 'phone' | 'id_card' | 'bank_card';
export interface PersonalDataHit {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

interface Candidate extends PersonalDataHit {
  mask: string;
}

/** Folds full-width digits, signs and separators to ASCII, one code unit per code unit. */
function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff10 && c <= 0xff19) out += String.fromCharCode(c - 0xff10 + 0x30);
    else if (c === 0x3000 || c === 0x00a0) out += ' ';
    else if (c === 0xff0d || (c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe63) out += '-';
    else if (c === 0xff0b) out += '+';
    else if (c === 0xff08) out += '(';
    else if (c === 0xff09) out += ')';
    else if (c === 0xff38) out += 'X';
    else if (c === 0xff58) out += 'x';
    else out += text[i];
  }
  return out;
}

const MOBILE = /^((?:\+86|0086|\(\+?86\))[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\3(\d{4})$/;
const LANDLINE = /^(\((0(?:10|2\d|[3-9]\d\d))\)[ -]?|(0(?:10|2\d|[3-9]\d\d))[ -]?)([1-9]\d{2,3})[ -]?(\d{4})$/;
const ID18 = /^(\d{6})[ -]?(\d{4})[ -]?(\d{4})[ -]?(\d{3}[\dXx])$/;
const ID15 = /^\d{15}$/;
const BANK = [/^\d{16,19}$/, /^\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?$/, /^\d{6}([ -])\d{13}$/];

const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);

function realDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** GB 11643-1999 shape: province code and birth date of an 18-character ID number (any check character). */
function isId18Shape(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id) || !PROVINCES.has(Number(id.slice(0, 2)))) return false;
  const year = Number(id.slice(6, 10));
  return year >= 1800 && year <= 2099 && realDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

/** The 15-digit ID numbers issued before 1999: province code and a 19xx birth date. */
function isValidId15(id: string): boolean {
  return (
    /^[1-9]\d{14}$/.test(id) &&
    PROVINCES.has(Number(id.slice(0, 2))) &&
    realDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)))
  );
}

const stars = (n: number) => '*'.repeat(n);

/** Classifies one candidate (folded text, from the edge of a digit run to the edge of another). */
function classify(s: string): Omit<Candidate, 'start' | 'end'> | null {
  let m = MOBILE.exec(s);
  if (m) return { kind: 'phone', mask: `${m[1] ?? ''}${m[2]}****${m[5]}` };

  m = LANDLINE.exec(s);
  if (m) {
    const area = (m[2] ?? m[3])!;
    const local = m[4]! + m[5]!;
    if (area.length === 3 && local.length !== 8) return null;
    return { kind: 'phone', mask: `${m[1]}${stars(local.length - 4)}${m[5]}` };
  }

  m = ID18.exec(s);
  if (m) {
    const id = m.slice(1, 5).join('');
    if (isId18Shape(id)) return { kind: 'id_card', mask: `${id.slice(0, 6)}${stars(8)}${id.slice(14).toUpperCase()}` };
  }

  if (ID15.test(s) && isValidId15(s)) return { kind: 'id_card', mask: `${s.slice(0, 6)}${stars(5)}${s.slice(11)}` };

  if (BANK.some((re) => re.test(s))) {
    const digits = s.replace(/[ -]/g, '');
    return { kind: 'bank_card', mask: `${digits.slice(0, 4)}${stars(digits.length - 8)}${digits.slice(-4)}` };
  }
  return null;
}

/** The longest candidate, in characters, worth testing (a grouped 19-digit card with a prefix). */
const MAX_CANDIDATE = 32;
/** What may stand between two digit runs of one number: a separator, or a closing parenthesis. */
const JOINER = /^(?:[ -]|\)[ -]?)$/;

function candidates(text: string): Candidate[] {
  const s = fold(text);
  const runs: { start: number; end: number }[] = [];
  for (const m of s.matchAll(/\d+/g)) runs.push({ start: m.index, end: m.index + m[0].length });

  const found: Candidate[] = [];
  let i = 0;
  while (i < runs.length) {
    const first = runs[i]!;
    // A run after "1." is the fraction of a decimal number, not the start of one.
    if (/\d\.$/.test(s.slice(Math.max(0, first.start - 2), first.start))) {
      i++;
      continue;
    }
    const prefix = /(?:\(\+?|\+)$/.exec(s.slice(Math.max(0, first.start - 2), first.start));
    const starts = prefix ? [first.start - prefix[0].length, first.start] : [first.start];

    // The runs that can continue this number, then each candidate end, longest first.
    let last = i;
    while (
      last + 1 < runs.length &&
      runs[last + 1]!.end - first.start <= MAX_CANDIDATE &&
      JOINER.test(s.slice(runs[last]!.end, runs[last + 1]!.start))
    ) {
      last++;
    }
    let hit: Candidate | null = null;
    for (let j = last; j >= i && !hit; j--) {
      const end = runs[j]!.end;
      if (/^\.\d/.test(s.slice(end, end + 2))) continue;
      // Digits followed by X are read as an ID number first; without the X they may only be a phone.
      const x = /^[Xx](?![A-Za-z\d])/.test(s.slice(end, end + 2));
      const ends = x ? [end + 1, end] : [end];
      for (const start of starts) {
        for (const e of ends) {
          const c = classify(s.slice(start, e));
          if (c && !(x && e === end && c.kind !== 'phone')) {
            hit = { ...c, start, end: e };
            break;
          }
        }
        if (hit) break;
      }
      if (hit) i = j + 1;
    }
    if (hit) found.push(hit);
    else i++;
  }
  return found;
}

export function findPersonalData(text: string): PersonalDataHit[] {
  return candidates(text).map(({ kind, start, end }) => ({ kind, start, end }));
}

export function maskPersonalData(text: string): { text: string; hits: PersonalDataHit[] } {
  const found = candidates(text);
  let out = '';
  let at = 0;
  for (const c of found) {
    out += text.slice(at, c.start) + c.mask;
    at = c.end;
  }
  out += text.slice(at);
  return { text: out, hits: found.map(({ kind, start, end }) => ({ kind, start, end })) };
}
