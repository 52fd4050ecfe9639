// What a text to the platform asks for: unsubscribe, a status by tracking code, a rating or a follow-up of an
// answered message, help, or else a new message to the board it names. The words are read in Simplified and
// Traditional characters and in English (TD, HELP, TRACK, RATE, FOLLOW-UP), as the answers tell each sender.
import { isTrackingCode, normaliseTrackingCode } from '../tracking/tracking.service.ts';

export type InboundCommand =
  | { kind: 'unsubscribe' }
  | { kind: 'help' }
  | { kind: 'track'; code: string }
  | { kind: 'rate'; code: string | null; scores: [number, number, number] | null; comment: string }
  | { kind: 'follow-up'; code: string | null; question: string }
  | { kind: 'message'; text: string };

/** Read as one whole: the carriers' unsubscribe words, with any punctuation around them. */
const UNSUBSCRIBE = /^(TD|T|N|退订|退定|取消订阅|退訂|取消訂閱|STOP)$/i;
const HELP = /^(帮助|幫助|HELP|H|\?|？|说明|說明)$/i;
const TRACK = /^(?:查询?|查詢|CX|进度|進度|TRACK)\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9\s-]{6,12})$/iu;
/**
 * 满意 / 基本满意 / 不满意 stand for all-5, all-3 and all-1 unless scores follow; 评价 (and RATE) needs the three scores.
 * An English word must end there (RATED is not RATE).
 */
const RATE = /^(满意|基本满意|不满意|评价|评分|滿意|基本滿意|不滿意|評價|評分|rate(?![a-z]))(.*)$/isu;
const FOLLOW_UP = /^(?:追问|追問|follow[\s-]?up(?![a-z]))(.*)$/isu;
const CODE_AT_START = /^\s*[:：]?\s*([A-Za-z0-9]{8})(?![A-Za-z0-9])/u;

const WORD_SCORES: Record<string, number> = { 满意: 5, 基本满意: 3, 不满意: 1, 滿意: 5, 基本滿意: 3, 不滿意: 1 };

/**
 * Full-width letters, digits and spaces read as ordinary ones (a phone's Chinese keyboard types them); everything else,
 * Chinese punctuation included, stays as written. Line breaks in a long text are kept.
 */
export function clean(text: string): string {
  return text
    .replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/\r\n?/g, '\n')
    .trim();
}

/** A tracking code at the start of the text, and the rest. */
function leadingCode(rest: string): { code: string | null; rest: string } {
  const m = CODE_AT_START.exec(rest);
  if (m) {
    const code = normaliseTrackingCode(m[1]!);
    if (isTrackingCode(code)) return { code, rest: rest.slice(m[0].length) };
  }
  return { code: null, rest };
}

export function parseCommand(raw: string): InboundCommand {
  const text = clean(raw);
  const bare = text.replace(/[\s。.!！]+$/u, '');
  if (UNSUBSCRIBE.test(bare)) return { kind: 'unsubscribe' };
  if (HELP.test(bare) || bare === '') return { kind: 'help' };
  const track = TRACK.exec(bare);
  if (track) {
    const code = normaliseTrackingCode(track[1]!);
    if (isTrackingCode(code)) return { kind: 'track', code };
  }
  const alone = normaliseTrackingCode(bare);
  if (/^[A-Za-z0-9\s-]{8,12}$/.test(bare) && isTrackingCode(alone) && /[A-Z]/.test(alone)) {
    return { kind: 'track', code: alone };
  }
  const rate = RATE.exec(text);
  if (rate) {
    const word = rate[1]!;
    const { code, rest } = leadingCode(rate[2]!);
    // "5 4 5", "5,4,5", "545"
    const digits = /^[\s,，、:：]*([1-5])[\s,，、/]*([1-5])[\s,，、/]*([1-5])(?![0-9])(.*)$/su.exec(rest);
    if (digits) {
      const scores: [number, number, number] = [Number(digits[1]), Number(digits[2]), Number(digits[3])];
      return { kind: 'rate', code, scores, comment: digits[4]!.replace(/^[\s,，、:：]+/u, '').trim() };
    }
    if (/^[\s,，、:：]*[0-9]/.test(rest)) return { kind: 'rate', code, scores: null, comment: '' };
    const all = WORD_SCORES[word];
    if (all === undefined) return { kind: 'rate', code, scores: null, comment: '' };
    return { kind: 'rate', code, scores: [all, all, all], comment: rest.replace(/^[\s,，、:：]+/u, '').trim() };
  }
  const followUp = FOLLOW_UP.exec(text);
  if (followUp) {
    const { code, rest } = leadingCode(followUp[1]!);
    return { kind: 'follow-up', code, question: rest.replace(/^[\s,，、:：]+/u, '').trim() };
  }
  return { kind: 'message', text };
}

/** Characters in one SMS of Chinese text. */
export const SMS_CHARS = 70;

/** Cuts a text to `max` characters, ending with … when it was cut. */
export function fit(text: string, max = SMS_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
