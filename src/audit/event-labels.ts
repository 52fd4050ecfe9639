// The public name of each kind of case event, in the page's language; a kind without one is shown as it is.
import { staffZhCN } from '../i18n/catalog-staff.zh-CN.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';

export function eventLabel(t: Translate, kind: string): string {
  const key = `event.${kind}`;
  return Object.hasOwn(staffZhCN, key) ? t(key as MessageKey) : kind;
}
