// Checks an uploaded captions file against the WebVTT format (W3C WebVTT: the header, cue timings, blocks) before
// it is kept, so that the browser's <track> shows it; says where and what is wrong.

/** Captions files are small: a two-hour film's subtitles are about 100 KB. */
export const CAPTIONS_MAX_BYTES = 1024 * 1024;

export type CaptionsCheck =
  | { ok: true; text: string; cues: number }
  /** `reason` names the problem for the editor, in Chinese. */
  | { ok: false; reason: string };

const TIMESTAMP = String.raw`(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})`;
const TIMING = new RegExp(String.raw`^${TIMESTAMP}[ \t]+-->[ \t]+${TIMESTAMP}(?:[ \t]+.*)?$`);
const SRT_TIMING = /^\d{2}:\d{2}:\d{2},\d{3}\s+-->\s+\d{2}:\d{2}:\d{2},\d{3}/;

const seconds = (h: string | undefined, m: string, s: string, ms: string) =>
  Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;

/** The file's text if it is WebVTT with at least one cue, else the first problem found. */
export function checkWebVtt(data: Buffer): CaptionsCheck {
  if (data.length === 0) return { ok: false, reason: '字幕文件是空的' };
  if (data.length > CAPTIONS_MAX_BYTES) return { ok: false, reason: '字幕文件超过 1 MB' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { ok: false, reason: '字幕文件不是 UTF-8 编码（请用 UTF-8 保存后再上传）' };
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.includes('\u0000')) return { ok: false, reason: '字幕文件含有空字符（NUL），不是文本文件' };
  const lines = text.split('\n');
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    const looksSrt = lines.slice(0, 5).some((l) => SRT_TIMING.test(l.trim()));
    return {
      ok: false,
      reason: looksSrt
        ? '这是 SRT 字幕，不是 WebVTT：请转换为 .vtt 格式（第一行为 WEBVTT，时间中的逗号改为小数点）后上传'
        : '第 1 行应为 WEBVTT',
    };
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
      return { ok: false, reason: `第 ${start + 1} 行起的一段没有时间行（如 00:01.000 --> 00:04.000）` };
    }
    const m = TIMING.exec(timing);
    if (!m) {
      return {
        ok: false,
        reason: SRT_TIMING.test(timing)
          ? `第 ${lineNo} 行的时间用了逗号（SRT 写法）：WebVTT 中应为小数点，如 00:00:01.000 --> 00:00:04.000`
          : `第 ${lineNo} 行的时间格式不对：应为 00:01.000 --> 00:04.000 或 00:00:01.000 --> 00:00:04.000`,
      };
    }
    const from = seconds(m[1], m[2]!, m[3]!, m[4]!);
    const to = seconds(m[5], m[6]!, m[7]!, m[8]!);
    if (to <= from) return { ok: false, reason: `第 ${lineNo} 行的结束时间应晚于开始时间` };
    if (block.slice(timingAt + 1).some((l) => l.includes('-->'))) {
      return { ok: false, reason: `第 ${lineNo} 行之后的字幕文字中有“-->”：两段字幕之间应空一行` };
    }
    cues++;
  }
  if (cues === 0) return { ok: false, reason: '文件中没有字幕（没有任何一段带时间的字幕）' };
  return { ok: true, text, cues };
}
