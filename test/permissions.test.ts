import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CurrentUser, loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { type Action, ACTIONS, can, PERMISSIONS, type Target } from '../src/accounts/permissions.ts';
import { ROLE_SCOPES, ROLES, type Role } from '../src/accounts/roles.ts';
import { scopeRepository } from '../src/accounts/scope.repository.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

/**
 * The role × action × scope matrix. Each role is granted on 石家庄市 (its unit 130100001, its board
 * 1301001) or, for supervisors, on 河北省; targets inside that scope and outside it (北京市) are built
 * from the database, and every combination is checked against the expectation written out below.
 */
let t: TestDatabase;
const people = new Map<string, CurrentUser>();

const HEBEI_UNIT = 130000001;
const SHIJIAZHUANG_UNIT = 130100001;
const BEIJING_UNIT = 110000001;

let inScope: Record<'unit' | 'subunit' | 'board', Target>;
let outOfScope: Target;

before(async () => {
  t = await createTestDatabase();
  const grants: [string, Role, Record<string, string>][] = [
    ['admin', 'admin', {}],
    ['editor', 'editor', {}],
    ['unit_staff', 'unit_staff', { scopeType: 'unit', scopeId: String(SHIJIAZHUANG_UNIT) }],
    ['unit_head', 'unit_head', { scopeType: 'unit', scopeId: String(SHIJIAZHUANG_UNIT) }],
    ['leader', 'leader', { scopeType: 'board', scopeId: '1301001' }],
    ['supervisor_unit', 'supervisor', { scopeType: 'unit', scopeId: String(HEBEI_UNIT) }],
    ['supervisor_region', 'supervisor', { scopeType: 'region', scopeId: '130000' }],
  ];
  let n = 0;
  for (const [name, role, scope] of grants) {
    const phone = `1360000${String(++n).padStart(4, '0')}`;
    const id = await createStaff(t.db, COMMAND_LINE, {
      phone,
      nickname: `测试${name}`,
      password: 'Matrix-Pass-2026!',
      role,
      ...scope,
    });
    people.set(name, (await loadCurrentUser(t.db, id))!);
  }
  people.set('netizen', {
    id: 0,
    phone: '13600009999',
    nickname: '网友',
    isStaff: false,
    totpEnabled: false,
    totpPending: false,
    grants: [],
  });

  const unitTarget = async (unitId: number, regionCode: string): Promise<Target> => ({
    unitPath: await scopeRepository.unitPath(t.db, unitId),
    regionPath: await scopeRepository.regionPath(t.db, regionCode),
  });
  inScope = {
    unit: await unitTarget(SHIJIAZHUANG_UNIT, '130100'),
    // A county unit below 石家庄: inside the supervisors' scope, not the city unit's own.
    subunit: await unitTarget(130102001, '130102'),
    board: { boardId: 1301001 },
  };
  outOfScope = { ...(await unitTarget(BEIJING_UNIT, '110000')), boardId: 1100001 };
});
after(() => t.close());

/** Who may act, written out independently of PERMISSIONS: person → where they may do it. */
type Reach = 'anywhere' | 'own-unit' | 'within' | 'own-board';
const SUPERVISORS = { supervisor_unit: 'within', supervisor_region: 'within' } as const;
const UNIT_WORK = { unit_staff: 'own-unit', unit_head: 'own-unit' } as const;
const EXPECTED: Record<Action, Partial<Record<string, Reach>>> = {
  'admin.access': { admin: 'anywhere', unit_head: 'anywhere' },
  'user.find': { admin: 'anywhere' },
  'staff.create': { admin: 'anywhere', unit_head: 'own-unit' },
  'role.grant': { admin: 'anywhere', unit_head: 'own-unit' },
  'role.revoke': { admin: 'anywhere', unit_head: 'own-unit' },
  'session.revoke': { admin: 'anywhere', unit_head: 'own-unit' },
  'adminlog.read': { admin: 'anywhere' },
  'settings.manage': { admin: 'anywhere' },
  'region.manage': { admin: 'anywhere' },
  'rules.manage': { admin: 'anywhere' },
  'evaluation.manage': { admin: 'anywhere' },
  'open311.manage': { admin: 'anywhere' },
  'message.review': { editor: 'anywhere' },
  'message.link-duplicate': { editor: 'anywhere', ...UNIT_WORK },
  'editorial.manage': { editor: 'anywhere' },
  'article.edit': { editor: 'anywhere' },
  'story.edit': { editor: 'anywhere' },
  'solicitation.edit': { editor: 'anywhere' },
  'sms.inbound.read': { admin: 'anywhere', editor: 'anywhere' },
  'inbox.read': { ...UNIT_WORK, ...SUPERVISORS },
  'message.accept': UNIT_WORK,
  'message.assign': UNIT_WORK,
  'message.return': UNIT_WORK,
  'extension.request': UNIT_WORK,
  'reply.draft': UNIT_WORK,
  'reply.approve': { unit_head: 'own-unit' },
  'extension.decide': { unit_head: 'own-unit' },
  'templates.manage': { unit_head: 'own-unit' },
  'message.prioritize': { ...UNIT_WORK, ...SUPERVISORS },
  'dashboard.read': { unit_head: 'own-unit', ...SUPERVISORS },
  'reply.sign': { leader: 'own-board' },
  'supervision.issue': SUPERVISORS,
};

describe('the permission matrix', () => {
  test('covers every action and every role', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), [...ACTIONS].sort());
    const rolesInTable = new Set(Object.values(PERMISSIONS).flatMap((rules) => Object.keys(rules)));
    for (const role of rolesInTable) assert.ok(ROLES.includes(role as Role));
    const peopleRoles = new Set([...people.values()].flatMap((p) => p.grants.map((g) => g.role)));
    assert.deepEqual([...peopleRoles].sort(), [...ROLES].sort(), 'someone holds each role');
  });

  for (const action of ACTIONS) {
    test(`${action}: allowed exactly where expected, for every role, in and out of scope`, () => {
      for (const [name, person] of people) {
        const reach = EXPECTED[action][name];
        const expect = {
          unit: reach === 'anywhere' || reach === 'own-unit' || reach === 'within',
          subunit: reach === 'anywhere' || reach === 'within',
          board: reach === 'anywhere' || reach === 'own-board',
          outside: reach === 'anywhere',
        };
        assert.equal(can(person.grants, action, inScope.unit), expect.unit, `${name} ${action} on its own unit`);
        assert.equal(can(person.grants, action, inScope.subunit), expect.subunit, `${name} ${action} on a unit below`);
        assert.equal(can(person.grants, action, inScope.board), expect.board, `${name} ${action} on its board`);
        assert.equal(can(person.grants, action, outOfScope), expect.outside, `${name} ${action} out of scope`);
        assert.equal(can(person.grants, action, {}), reach === 'anywhere', `${name} ${action} with no target`);
      }
    });
  }

  test('a unit head may make unit staff in their unit but not a unit head or an admin', () => {
    const head = people.get('unit_head')!;
    assert.equal(can(head.grants, 'role.grant', { ...inScope.unit, role: 'unit_staff' }), true);
    assert.equal(can(head.grants, 'role.grant', { ...inScope.unit, role: 'unit_head' }), false);
    assert.equal(can(head.grants, 'role.grant', { ...inScope.unit, role: 'admin' }), false);
    assert.equal(can(head.grants, 'role.grant', { ...outOfScope, role: 'unit_staff' }), false);
  });

  test('grants carry only the scopes their role allows', () => {
    for (const person of people.values()) {
      for (const grant of person.grants)
        assert.ok(ROLE_SCOPES[grant.role].includes(grant.scopeType), JSON.stringify(grant));
    }
  });
});
