// Checks an uploaded captions file against the WebVTT format (W3C WebVTT: the header, cue timings, blocks) before
// it is kept, so that the browser's <track> shows it; says where and what is wrong.

import { DEFAULT_LOCALE, type MessageKey, translator, type Translate } from '../i18n/i18n.ts';

/** Captions files are small: a two-hour film's subtitles are about 100 KB. */
export const CAPTIONS_MAX_BYTES = 1024 * 1024;

export type CaptionsCheck =
  | { ok: true; text: string; cues: number }
  /** `reason` names the problem for the editor, in `t`'s language (the default language without one). */
  | { ok: false; reason: string };

const TIMESTAMP = String.raw`(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})`;
const TIMING = new RegExp(String.raw`^${TIMESTAMP}[ \t]+-->[ \t]+${TIMESTAMP}(?:[ \t]+.*)?$`);
const SRT_TIMING = /^\d{2}:\d{2}:\d{2},\d{3}\s+-->\s+\d{2}:\d{2}:\d{2},\d{3}/;

const seconds = (h: string | undefined, m: string, s: string, ms: string) =>
  Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;

/** The file's text if it is WebVTT with at least one cue, else the first problem found. */
export function checkWebVtt(data: Buffer, t: Translate = translator(DEFAULT_LOCALE)): CaptionsCheck {
  const fail = (key: MessageKey, line?: number): CaptionsCheck => ({
    ok: false,
    reason: t(key, line === undefined ? undefined : { line }),
  });
  if (data.length === 0) return fail('stories.vtt.empty');
  if (data.length > CAPTIONS_MAX_BYTES) return fail('stories.vtt.tooLarge');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return fail('stories.vtt.notUtf8');
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.includes('\u0000')) return fail('stories.vtt.nul');
  const lines = text.split('\n');
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    const looksSrt = lines.slice(0, 5).some((l) => SRT_TIMING.test(l.trim()));
    return fail(looksSrt ? 'stories.vtt.srt' : 'stories.vtt.header');
  }
  let cues = 0;
  let i = 1;
  // The header may go on until the first blank line.
  while (i < lines.length && lines[i] !== '') i++;
  while (i < lines.length) {
    while (i < lines.length && lines[i] === '') i++;
    if (i >= lines.length) break;
    const start = i;
    const block: string[] = [];
    while (i < lines.length && lines[i] !== '') block.push(lines[i++]!);
    const first = block[0]!;
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first) && !first.includes('-->')) continue;
    // A cue: an optional identifier line, then its timing line, then its text.
    const timingAt = first.includes('-->') ? 0 : 1;
    const timing = block[timingAt];
    const lineNo = start + timingAt + 1;
    if (timing === undefined || !timing.includes('-->')) {
      return fail('stories.vtt.noTiming', start + 1);
    }
    const m = TIMING.exec(timing);
    if (!m) {
      return fail(SRT_TIMING.test(timing) ? 'stories.vtt.comma' : 'stories.vtt.timing', lineNo);
    }
    const from = seconds(m[1], m[2]!, m[3]!, m[4]!);
    const to = seconds(m[5], m[6]!, m[7]!, m[8]!);
    if (to <= from) return fail('stories.vtt.order', lineNo);
    if (block.slice(timingAt + 1).some((l) => l.includes('-->'))) {
      return fail('stories.vtt.arrow', lineNo);
    }
    cues++;
  }
  if (cues === 0) return fail('stories.vtt.noCues');
  return { ok: true, text, cues };
}
