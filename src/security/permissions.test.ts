import { describe, expect, it } from 'vitest';
import { ACTIONS, actionsOf, can, isAction, PERMISSIONS, permissionTable } from './permissions.js';
import { ROLES } from './roles.js';

describe('the permission matrix', () => {
  it('gives the admin every action', () => {
    expect(actionsOf('admin')).toEqual(ACTIONS);
  });

  it('nests the roles: each role may do at most what the one above it may, except unmasked reads', () => {
    // Operators see names and phones (they call customers) though analysts, above them, do not.
    // Likewise running campaigns: operators act on customers; analysts shape the strategy library instead.
    const operatorOnly: readonly string[] = [
      'customers:read-unmasked',
      'alerts:ack',
      'campaigns:run',
      'campaigns:callback',
    ];
    const nested = ACTIONS.filter((action) => !operatorOnly.includes(action));
    for (let i = 1; i < ROLES.length; i++) {
      for (const action of nested) {
        if (can(ROLES[i], action)) expect(can(ROLES[i - 1], action), `${ROLES[i - 1]} ${action}`).toBe(true);
      }
    }
  });

  it('keeps personal data, accounts and the audit log away from viewers', () => {
    expect(actionsOf('viewer')).toEqual([
      'customers:read',
      'scores:read',
      'models:read',
      'alerts:read',
      'strategies:read',
      'campaigns:read',
    ]);
    expect(can('analyst', 'customers:read-unmasked')).toBe(false);
    expect(can('operator', 'customers:read-unmasked')).toBe(true);
    expect(can('operator', 'models:train')).toBe(false);
  });

  it('names only known roles and lists every action in the table', () => {
    for (const roles of Object.values(PERMISSIONS)) {
      for (const role of roles) expect(ROLES).toContain(role);
    }
    expect(permissionTable().map((row) => row.action)).toEqual(ACTIONS);
    expect(isAction('users:manage')).toBe(true);
    expect(isAction('toString')).toBe(false);
  });
});
