// The admin log in words: who did what to whom, one sentence per entry in the page's language, from its stored detail.
import { ROLE_LABELS, isRole } from '../accounts/roles.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import type { Db } from '../db/kysely.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { clock } from '../stories/story-format.ts';
import { describeSolicitationEntry } from '../solicitations/admin-log-sentences.ts';

export interface LogEntry {
  id: number;
  action: string;
  detail: string;
  ip: string | null;
  createdAt: string;
  actorId: number | null;
  actorName: string | null;
  targetId: number | null;
  targetName: string | null;
}

/** The actions the log knows, by family, for the filter. */
export const LOG_ACTIONS = [
  'staff.login',
  'staff.create',
  'role.grant',
  'role.revoke',
  'session.revoke',
  'totp.enable',
  'totp.disable',
  'settings.change',
  'account.delete',
  'evaluation.config',
  'evaluation.run',
  'evaluation.award',
  'evaluation.confirm',
  'evaluation.publish',
  'story.create',
  'story.update',
  'story.video',
  'story.captions',
  'story.publish',
  'story.unpublish',
  'article.create',
  'article.update',
  'article.publish',
  'article.unpublish',
  'article.delete',
  'article.image',
  'solicitation.create',
  'solicitation.edit',
  'solicitation.advance',
  'solicitation.entry.approve',
  'solicitation.entry.refuse',
  'solicitation.votes.void',
  'solicitation.announce',
] as const;

type Detail = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** A grant's scope as people read it, looked up once per page. */
export class ScopeNames {
  private readonly cache = new Map<string, Promise<string>>();
  constructor(private readonly db: Db) {}
  of(type: unknown, id: unknown): Promise<string> {
    const key = `${str(type)}:${str(id)}`;
    let name = this.cache.get(key);
    if (!name) {
      name = scopeRepository.describe(this.db, str(type), str(id));
      this.cache.set(key, name);
    }
    return name;
  }
}

function roleName(t: Translate, role: unknown): string {
  return isRole(role) ? ROLE_LABELS[role] : str(role) || t('log.someRole');
}

/** What the entry did, as a sentence with its actor and target named. */
export async function describeEntry(t: Translate, e: LogEntry, scopes: ScopeNames): Promise<string> {
  let detail: Detail = {};
  try {
    const parsed: unknown = JSON.parse(e.detail);
    if (parsed && typeof parsed === 'object') detail = parsed as Detail;
  } catch {
    // A detail that is not JSON is shown as it is, below.
  }
  const actor = e.actorId === null ? t('log.commandLine') : (e.actorName ?? t('log.deletedAccount'));
  const target = e.targetId === null ? '' : (e.targetName ?? t('log.deletedAccount'));
  const p = { actor, target };
  switch (e.action) {
    case 'staff.login':
      return t('log.staff.login', p);
    case 'staff.create':
    case 'role.grant':
    case 'role.revoke':
      return t(`log.${e.action}` as MessageKey, {
        ...p,
        role: roleName(t, detail.role),
        scope: await scopes.of(detail.scopeType, detail.scopeId),
      });
    case 'session.revoke':
      return t('log.session.revoke', { ...p, n: str(detail.ended) || '0' });
    case 'totp.enable':
    case 'totp.disable':
    case 'account.delete':
      return t(`log.${e.action}` as MessageKey, p);
    case 'settings.change': {
      const weights = detail.satisfactionWeights as Detail | undefined;
      if (weights)
        return t('log.settings.weights', {
          ...p,
          resolution: str(weights.resolution),
          timeliness: str(weights.timeliness),
          attitude: str(weights.attitude),
        });
      if (Array.isArray(detail.totpRequiredRoles)) {
        const roles = detail.totpRequiredRoles.map((r) => roleName(t, r));
        return t('log.settings.totp', { ...p, roles: roles.length > 0 ? roles.join('、') : t('log.none') });
      }
      if (detail.workingRules !== undefined)
        return t('log.settings.rules', { ...p, region: await scopes.of('region', detail.workingRules) });
      return t('log.settings.other', p);
    }
    case 'evaluation.config':
    case 'evaluation.confirm':
    case 'evaluation.publish':
      return t(`log.${e.action}` as MessageKey, { ...p, year: str(detail.year) });
    case 'evaluation.run':
      return t('log.evaluation.run', {
        ...p,
        year: str(detail.year),
        units: str(detail.units),
        unitsProposed: str(detail.units_proposed),
        workersProposed: str(detail.workers_proposed),
      });
    case 'evaluation.award':
      return t(detail.action === 'remove' ? 'log.evaluation.award.remove' : 'log.evaluation.award.add', {
        ...p,
        year: str(detail.year),
        list: t(detail.kind === 'worker' ? 'log.list.workers' : 'log.list.units'),
        name: str(detail.name),
        reason: str(detail.reason),
      });
    case 'article.create':
    case 'article.update':
    case 'article.publish':
    case 'article.unpublish':
    case 'article.delete':
    case 'article.image':
      return t(`log.${e.action}` as MessageKey, { ...p, id: str(detail.articleId), title: str(detail.title) });
    case 'story.create':
    case 'story.update':
    case 'story.publish':
    case 'story.unpublish':
      return t(`log.${e.action}` as MessageKey, { ...p, title: str(detail.title) });
    case 'story.video':
      return t('log.story.video', {
        ...p,
        title: str(detail.title),
        length: clock(typeof detail.seconds === 'number' ? detail.seconds : 0),
      });
    case 'story.captions':
      return t(detail.action === 'remove' ? 'log.story.captions.remove' : 'log.story.captions.set', {
        ...p,
        title: str(detail.title),
      });
    case 'solicitation.create':
    case 'solicitation.edit':
    case 'solicitation.advance':
    case 'solicitation.entry.approve':
    case 'solicitation.entry.refuse':
    case 'solicitation.votes.void':
    case 'solicitation.announce':
      return describeSolicitationEntry(t, e.action, p, detail);
    default:
      return t('log.other', { ...p, action: e.action });
  }
}

/** The detail shown under the sentence when the sentence cannot carry all of it. */
export function extraDetail(e: LogEntry): string {
  if (LOG_ACTIONS.includes(e.action as (typeof LOG_ACTIONS)[number]) && e.action !== 'settings.change') return '';
  if (e.detail === '{}' || e.detail === '') return '';
  if (e.action === 'settings.change') {
    try {
      const detail = JSON.parse(e.detail) as Detail;
      if (detail.workingRules !== undefined) return JSON.stringify(detail.override ?? {});
    } catch {
      return e.detail;
    }
    return '';
  }
  return e.detail;
}
