// The case history in the page's language: each kind of case event's public name, and the notes the system wrote
// (stored in Chinese as they were written) read in the page's language. Notes people wrote are shown as written.
import { staffZhCN } from '../i18n/catalog-staff.zh-CN.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';

/** The public name of a kind of case event; a kind without one is shown as it is. */
export function caseEventLabel(kind: string, t: Translate): string {
  const key = `event.${kind}`;
  return Object.hasOwn(staffZhCN, key) ? t(key as MessageKey) : kind;
}

/** The notes the scheduler and the calendar write on events without a person (their texts in workflow.caseNote.*). */
const SYSTEM_NOTES: [RegExp, (m: RegExpExecArray, t: Translate) => string][] = [
  [/^超过受理时限，自动督办$/, (_, t) => t('workflow.caseNote.acceptOverdue')],
  [/^超过办理时限，自动督办$/, (_, t) => t('workflow.caseNote.handleOverdue')],
  [/^督办后仍未办理，升级督办$/, (_, t) => t('workflow.caseNote.escalated')],
  [/^评价期结束，自动办结$/, (_, t) => t('workflow.caseNote.autoClosed')],
  [/^按国务院公布的 (\d{4}) 年放假安排重新计算时限$/, (m, t) => t('workflow.caseNote.recomputed', { year: m[1]! })],
];

export interface CaseNote {
  text: string;
  /** Written by a person (an instruction, a reason, a question): user content, shown as written and never translated. */
  own: boolean;
}

/** An event's note as the page shows it: the system's own notes in the page's language, a person's as they wrote it. */
export function caseEventNote(note: string, t: Translate): CaseNote {
  for (const [pattern, text] of SYSTEM_NOTES) {
    const m = pattern.exec(note);
    if (m) return { text: text(m, t), own: false };
  }
  return { text: note, own: true };
}
