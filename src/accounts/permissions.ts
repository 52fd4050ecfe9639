// The one answer to "may this person do this to this thing": every action and who may take it, in one table.
import type { Grant, Role } from './roles.ts';

/**
 * Where an action lands. Paths list the thing itself first, then what is above it, so a grant on a
 * unit or region covers everything below.
 */
export interface Target {
  /** The handling unit acted on or acted for, and its ancestors: [unit, parent, …]. */
  unitPath?: readonly number[];
  /** The region concerned and its ancestors: [county, city, province]. */
  regionPath?: readonly string[];
  boardId?: number;
  /** For grant and revoke: the role being granted. */
  role?: Role;
}

export const ACTIONS = [
  // administration
  'admin.access',
  'user.find',
  'staff.create',
  'role.grant',
  'role.revoke',
  'session.revoke',
  'adminlog.read',
  'settings.manage',
  'region.manage',
  'rules.manage',
  'evaluation.manage',
  'open311.manage',
  // editorial review
  'message.review',
  'message.link-duplicate',
  'editorial.manage',
  'article.edit',
  'sms.inbound.read',
  // editorial content: the video column
  'story.edit',
  // editorial content: public solicitations (征集)
  'solicitation.edit',
  // handling units
  'inbox.read',
  'message.accept',
  'message.assign',
  'message.return',
  'extension.request',
  'reply.draft',
  'reply.approve',
  'extension.decide',
  'templates.manage',
  'message.prioritize',
  'dashboard.read',
  // leaders and supervisors
  'reply.sign',
  'supervision.issue',
] as const;
export type Action = (typeof ACTIONS)[number];

type Rule = (grant: Grant, target: Target) => boolean;

const anywhere: Rule = () => true;
/** The grant's unit is the target unit itself. */
const ownUnit: Rule = (g, t) => g.scopeType === 'unit' && t.unitPath?.[0] === Number(g.scopeId);
/** The target unit is the grant's unit or below it, or lies in the grant's region or below. */
const unitWithin: Rule = (g, t) =>
  (g.scopeType === 'unit' && (t.unitPath ?? []).includes(Number(g.scopeId))) ||
  (g.scopeType === 'region' && (t.regionPath ?? []).includes(g.scopeId));
const ownBoard: Rule = (g, t) => g.scopeType === 'board' && t.boardId !== undefined && t.boardId === Number(g.scopeId);
/** A unit head manages the staff of their own unit, and may make someone unit staff there. */
const ownUnitStaff: Rule = (g, t) => ownUnit(g, t) && (t.role === undefined || t.role === 'unit_staff');

/** Who may take each action: role → rule over the grant and the target. Absent means never. */
export const PERMISSIONS: Record<Action, Partial<Record<Role, Rule>>> = {
  'admin.access': { admin: anywhere, unit_head: anywhere },
  'user.find': { admin: anywhere },
  'staff.create': { admin: anywhere, unit_head: ownUnit },
  'role.grant': { admin: anywhere, unit_head: ownUnitStaff },
  'role.revoke': { admin: anywhere, unit_head: ownUnitStaff },
  'session.revoke': { admin: anywhere, unit_head: ownUnit },
  'adminlog.read': { admin: anywhere },
  'settings.manage': { admin: anywhere },
  'region.manage': { admin: anywhere },
  'rules.manage': { admin: anywhere },
  'evaluation.manage': { admin: anywhere },
  'open311.manage': { admin: anywhere },
  'message.review': { editor: anywhere },
  'message.link-duplicate': { editor: anywhere, unit_staff: ownUnit, unit_head: ownUnit },
  'editorial.manage': { editor: anywhere },
  'article.edit': { editor: anywhere },
  'story.edit': { editor: anywhere },
  'solicitation.edit': { editor: anywhere },
  'sms.inbound.read': { admin: anywhere, editor: anywhere },
  'inbox.read': { unit_staff: ownUnit, unit_head: ownUnit, supervisor: unitWithin },
  'message.accept': { unit_staff: ownUnit, unit_head: ownUnit },
  'message.assign': { unit_staff: ownUnit, unit_head: ownUnit },
  'message.return': { unit_staff: ownUnit, unit_head: ownUnit },
  'extension.request': { unit_staff: ownUnit, unit_head: ownUnit },
  'reply.draft': { unit_staff: ownUnit, unit_head: ownUnit },
  'reply.approve': { unit_head: ownUnit },
  'extension.decide': { unit_head: ownUnit },
  'templates.manage': { unit_head: ownUnit },
  // Checked against the dispatching unit (the board's unit or the one that assigned it): never the handler's own say.
  'message.prioritize': { unit_staff: ownUnit, unit_head: ownUnit, supervisor: unitWithin },
  'dashboard.read': { unit_head: ownUnit, supervisor: unitWithin },
  'reply.sign': { leader: ownBoard },
  'supervision.issue': { supervisor: unitWithin },
};

/** May someone holding these grants take this action on this target? */
export function can(grants: readonly Grant[], action: Action, target: Target = {}): boolean {
  const rules = PERMISSIONS[action];
  return grants.some((grant) => rules[grant.role]?.(grant, target) ?? false);
}

/** Does someone holding these grants have this action anywhere (on some scope)? The door check of a route. */
export function holdsAction(grants: readonly Grant[], action: Action): boolean {
  const rules = PERMISSIONS[action];
  return grants.some((grant) => rules[grant.role] !== undefined);
}
