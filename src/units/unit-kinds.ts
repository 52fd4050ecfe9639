// Kinds of handling unit, as stored and as shown.
export const UNIT_KINDS = {
  dispatch: '督查/交办单位',
  petition: '信访部门',
  government_office: '党委政府办公厅（室）',
  department: '职能部门',
  other: '其他单位',
} as const;

export type UnitKind = keyof typeof UNIT_KINDS;

export function isUnitKind(value: string): value is UnitKind {
  return Object.hasOwn(UNIT_KINDS, value);
}
