// Staff roles, the kind of scope each is granted on, and their Chinese names.

export const ROLES = ['editor', 'unit_staff', 'unit_head', 'leader', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a grant is bound to: nothing (platform-wide), a handling unit, a region (with all below it) or a board. */
export type ScopeType = 'global' | 'unit' | 'region' | 'board';

export interface Grant {
  role: Role;
  scopeType: ScopeType;
  /** Unit id, region code or board id as text; empty for global grants. */
  scopeId: string;
}

export const ROLE_LABELS: Record<Role, string> = {
  editor: '平台编辑',
  unit_staff: '办理单位工作人员',
  unit_head: '单位负责人',
  leader: '领导',
  supervisor: '督查',
  admin: '系统管理员',
};

/** The scopes each role may be granted on: editors and admins are platform-wide, never others. */
export const ROLE_SCOPES: Record<Role, readonly ScopeType[]> = {
  editor: ['global'],
  admin: ['global'],
  unit_staff: ['unit'],
  unit_head: ['unit'],
  leader: ['board'],
  supervisor: ['unit', 'region'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
