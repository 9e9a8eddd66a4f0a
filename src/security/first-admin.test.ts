import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejected } from '../testing/thrown.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { listAudit } from './audit-log.js';
import { ADMIN_PASSWORD_ENV, ensureFirstAdmin } from './first-admin.js';
import { verifyPassword } from './passwords.js';
import { countUsers, findUserByName } from './users.js';

let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
});
afterEach(() => warehouse.close());

describe('ensureFirstAdmin', () => {
  it('creates an admin with a generated password once, which must be changed', async () => {
    const first = await ensureFirstAdmin(warehouse, { now: 0 });
    expect(first?.username).toBe('admin');
    const admin = await findUserByName(warehouse, 'admin');
    expect(admin).toMatchObject({ role: 'admin', mustChangePassword: true });
    expect(await verifyPassword(admin!.passwordHash, first!.password!)).toBe(true);
    expect(await ensureFirstAdmin(warehouse, { now: 1 })).toBeNull();
    expect(await countUsers(warehouse)).toBe(1);
    const [entry] = await listAudit(warehouse, { limit: 5 });
    expect(entry).toMatchObject({
      action: 'admin.bootstrap',
      actor: null,
      detail: { password: 'generated' },
    });
    expect(JSON.stringify(entry)).not.toContain(first!.password!);
  });

  it('takes the password from the environment variable, checked against the policy', async () => {
    const weak = await rejected(() => ensureFirstAdmin(warehouse, { password: 'admin123', now: 0 }));
    expect(weak.where.key).toBe(ADMIN_PASSWORD_ENV);
    expect(await countUsers(warehouse)).toBe(0);
    const first = await ensureFirstAdmin(warehouse, { password: 'a sturdy passphrase', now: 0 });
    expect(first).toEqual({ username: 'admin' });
    const admin = await findUserByName(warehouse, 'admin');
    expect(await verifyPassword(admin!.passwordHash, 'a sturdy passphrase')).toBe(true);
    expect(admin!.mustChangePassword).toBe(true);
  });
});
