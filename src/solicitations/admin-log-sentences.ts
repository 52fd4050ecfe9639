// The admin log's sentence for each editorial change to a solicitation, from the detail the change stored.
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { type Phase, PHASE_LABELS, PHASES } from './phases.ts';

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const phase = (v: unknown) => ((PHASES as readonly unknown[]).includes(v) ? PHASE_LABELS[v as Phase] : '—');
const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

export function describeSolicitationEntry(
  t: Translate,
  action: string,
  who: { actor: string; target: string },
  detail: Record<string, unknown>,
): string {
  const p = { ...who, id: str(detail.solicitationId), title: str(detail.title) };
  switch (action) {
    case 'solicitation.edit':
      return t('log.solicitation.edit', { ...p, changed: count(detail.changed) });
    case 'solicitation.advance':
      return t('log.solicitation.advance', { ...p, ended: phase(detail.ended), started: phase(detail.started) });
    case 'solicitation.entry.refuse':
      return t('log.solicitation.entry.refuse', { ...p, reason: str(detail.reason) });
    case 'solicitation.votes.void':
      return t('log.solicitation.votes.void', { ...p, n: count(detail.voteIds), reason: str(detail.reason) });
    case 'solicitation.announce':
      return t('log.solicitation.announce', { ...p, n: count(detail.winners) });
    default:
      return t(`log.${action}` as MessageKey, p);
  }
}
