// The admin log in words: who did what to whom, one sentence per entry in the page's language, from its stored detail.
import { isRole } from '../accounts/roles.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { clock } from '../stories/story-format.ts';
import { describeSolicitationEntry } from '../solicitations/admin-log-sentences.ts';
import { ScopeNames } from './scope-label.ts';
import { type Markup, paramHtml, quote, type Quoted, sentenceHtml, type SentenceParams } from './views/sentence.ts';

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

export { ScopeNames };

function roleName(t: Translate, role: unknown): string | Quoted {
  if (isRole(role)) return t(`admin.role.${role}`);
  return str(role) ? quote(str(role)) : t('log.someRole');
}

/** What the entry did, as a sentence (HTML) with its actor and target named, what people wrote marked as theirs. */
export async function describeEntry(t: Translate, e: LogEntry, scopes: ScopeNames): Promise<Markup> {
  return { html: await describeHtml(t, e, scopes) };
}

async function describeHtml(t: Translate, e: LogEntry, scopes: ScopeNames): Promise<string> {
  let detail: Detail = {};
  try {
    const parsed: unknown = JSON.parse(e.detail);
    if (parsed && typeof parsed === 'object') detail = parsed as Detail;
  } catch {
    // A detail that is not JSON is shown as it is, below.
  }
  const person = (id: number | null, name: string | null, none: string) =>
    id === null ? none : name === null ? t('log.deletedAccount') : quote(name);
  const actor = person(e.actorId, e.actorName, t('log.commandLine'));
  const target = person(e.targetId, e.targetName, '');
  const p = { actor, target };
  const say = (key: MessageKey, params: SentenceParams = {}) => sentenceHtml(t, key, { ...p, ...params });
  switch (e.action) {
    case 'staff.login':
      return say('log.staff.login');
    case 'staff.create':
    case 'role.grant':
    case 'role.revoke':
      return say(`log.${e.action}` as MessageKey, {
        role: roleName(t, detail.role),
        scope: await scopes.of(detail.scopeType, detail.scopeId),
      });
    case 'session.revoke':
      return say('log.session.revoke', { n: str(detail.ended) || '0' });
    case 'totp.enable':
    case 'totp.disable':
    case 'account.delete':
      return say(`log.${e.action}` as MessageKey);
    case 'settings.change': {
      const weights = detail.satisfactionWeights as Detail | undefined;
      if (weights)
        return say('log.settings.weights', {
          resolution: str(weights.resolution),
          timeliness: str(weights.timeliness),
          attitude: str(weights.attitude),
        });
      if (Array.isArray(detail.totpRequiredRoles)) {
        const roles = detail.totpRequiredRoles.map((r) => roleName(t, r));
        return say('log.settings.totp', {
          roles:
            roles.length > 0 ? { html: roles.map((r) => paramHtml(r)).join(t('log.listSeparator')) } : t('log.none'),
        });
      }
      if (detail.workingRules !== undefined)
        return say('log.settings.rules', { region: await scopes.of('region', detail.workingRules) });
      return say('log.settings.other');
    }
    case 'evaluation.config':
    case 'evaluation.confirm':
    case 'evaluation.publish':
      return say(`log.${e.action}` as MessageKey, { year: str(detail.year) });
    case 'evaluation.run':
      return say('log.evaluation.run', {
        year: str(detail.year),
        units: str(detail.units),
        unitsProposed: str(detail.units_proposed),
        workersProposed: str(detail.workers_proposed),
      });
    case 'evaluation.award':
      return say(detail.action === 'remove' ? 'log.evaluation.award.remove' : 'log.evaluation.award.add', {
        year: str(detail.year),
        list: t(detail.kind === 'worker' ? 'log.list.workers' : 'log.list.units'),
        name: quote(str(detail.name)),
        reason: quote(str(detail.reason)),
      });
    case 'article.create':
    case 'article.update':
    case 'article.publish':
    case 'article.unpublish':
    case 'article.delete':
    case 'article.image':
      return say(`log.${e.action}` as MessageKey, { id: str(detail.articleId), title: quote(str(detail.title)) });
    case 'story.create':
    case 'story.update':
    case 'story.publish':
    case 'story.unpublish':
      return say(`log.${e.action}` as MessageKey, { title: quote(str(detail.title)) });
    case 'story.video':
      return say('log.story.video', {
        title: quote(str(detail.title)),
        length: clock(typeof detail.seconds === 'number' ? detail.seconds : 0),
      });
    case 'story.captions':
      return say(detail.action === 'remove' ? 'log.story.captions.remove' : 'log.story.captions.set', {
        title: quote(str(detail.title)),
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
      return say('log.other', { action: e.action });
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
