// The admin log's sentence for each editorial change to a solicitation, from the detail the change stored.
import { quote, type Quoted, sentenceHtml, type SentenceParams } from '../admin/views/sentence.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { PHASES } from './phases.ts';

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** The sentence as HTML: titles, names and reasons are what people wrote, marked so. */
export function describeSolicitationEntry(
  t: Translate,
  action: string,
  who: { actor: string | Quoted; target: string | Quoted },
  detail: Record<string, unknown>,
): string {
  const phase = (v: unknown) => ((PHASES as readonly unknown[]).includes(v) ? t(`sol.phase.${v as 'entries'}`) : '—');
  const p: SentenceParams = { ...who, id: str(detail.solicitationId), title: quote(str(detail.title)) };
  const say = (key: MessageKey, params: SentenceParams = {}) => sentenceHtml(t, key, { ...p, ...params });
  switch (action) {
    case 'solicitation.edit':
      return say('log.solicitation.edit', { changed: count(detail.changed) });
    case 'solicitation.advance':
      return say('log.solicitation.advance', { ended: phase(detail.ended), started: phase(detail.started) });
    case 'solicitation.entry.refuse':
      return say('log.solicitation.entry.refuse', { reason: quote(str(detail.reason)) });
    case 'solicitation.votes.void':
      return say('log.solicitation.votes.void', { n: count(detail.voteIds), reason: quote(str(detail.reason)) });
    case 'solicitation.announce':
      return say('log.solicitation.announce', { n: count(detail.winners) });
    default:
      return say(`log.${action}` as MessageKey);
  }
}
