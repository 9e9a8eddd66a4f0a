import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { AccountError, changePassword, createAccount, deleteAccount, updateAccount } from './accounts.js';
import { listAudit, SYSTEM } from './audit-log.js';
import { verifyPassword } from './passwords.js';
import { createSession, lookupSession } from './sessions.js';
import { findUserByName, getUser } from './users.js';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const policy = { idleMs: 60_000, absoluteMs: 120_000 };
let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
});
afterEach(() => warehouse.close());

async function accountError(promise: Promise<unknown>): Promise<AccountError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AccountError);
    return error as AccountError;
  }
  throw new Error('expected an AccountError');
}

describe('accounts', () => {
  it('creates users with one-time passwords that must be changed, and audits it', async () => {
    const { user, oneTimePassword } = await createAccount(
      warehouse,
      { username: ' Wang.Wu ', role: 'viewer' },
      SYSTEM,
      T0,
    );
    expect(user).toMatchObject({ username: 'wang.wu', role: 'viewer', mustChangePassword: true });
    const stored = await findUserByName(warehouse, 'WANG.WU');
    expect(await verifyPassword(stored!.passwordHash, oneTimePassword!)).toBe(true);
    const taken = await accountError(
      createAccount(warehouse, { username: 'wang.wu', role: 'admin' }, SYSTEM, T0),
    );
    expect([taken.code, taken.field]).toEqual(['username_taken', 'username']);
    const weak = await accountError(
      createAccount(warehouse, { username: 'x', role: 'admin', password: 'short' }, SYSTEM, T0),
    );
    expect([weak.code, weak.field]).toEqual(['weak_password', 'password']);
    const audit = await listAudit(warehouse, { limit: 10 });
    expect(audit.map((entry) => [entry.action, entry.target])).toEqual([['user.create', 'wang.wu']]);
  });

  it('keeps at least one admin and never lets an admin delete themselves', async () => {
    const { user: admin } = await createAccount(warehouse, { username: 'root', role: 'admin' }, SYSTEM, T0);
    const actor = { name: 'root', role: 'admin', ip: null, userId: admin.id };
    expect(
      (await accountError(updateAccount(warehouse, admin.id, { role: 'viewer' }, SYSTEM, T0))).code,
    ).toBe('last_admin');
    expect((await accountError(deleteAccount(warehouse, admin.id, actor, T0))).code).toBe(
      'cannot_delete_self',
    );
    expect((await accountError(deleteAccount(warehouse, admin.id, SYSTEM, T0))).code).toBe('last_admin');
    expect((await accountError(deleteAccount(warehouse, 'nobody', actor, T0))).code).toBe('user_not_found');

    const { user: second } = await createAccount(warehouse, { username: 'two', role: 'admin' }, SYSTEM, T0);
    const demoted = await updateAccount(warehouse, admin.id, { role: 'analyst' }, SYSTEM, T0);
    expect(demoted.user.role).toBe('analyst');
    await deleteAccount(warehouse, admin.id, { ...actor, userId: second.id }, T0);
    expect(await getUser(warehouse, admin.id)).toBeNull();
  });

  it('resets a password: a new one-time password, sessions ended', async () => {
    const { user } = await createAccount(
      warehouse,
      { username: 'zhao', role: 'operator', password: 'a-long-enough-pass' },
      SYSTEM,
      T0,
    );
    const session = await createSession(warehouse, user.id, T0, { ip: null, userAgent: null });
    const reset = await updateAccount(warehouse, user.id, { resetPassword: true }, SYSTEM, T0);
    expect(reset.oneTimePassword).toBeDefined();
    expect(reset.user.mustChangePassword).toBe(true);
    expect((await lookupSession(warehouse, session.id, policy, T0)).status).toBe('unknown');
  });

  it('changes a password only with the current one, to a different acceptable one', async () => {
    const { user, oneTimePassword } = await createAccount(
      warehouse,
      { username: 'qian', role: 'analyst' },
      SYSTEM,
      T0,
    );
    const wrong = await accountError(
      changePassword(
        warehouse,
        user.id,
        { currentPassword: 'nope', newPassword: 'brand-new-secret' },
        SYSTEM,
        T0,
      ),
    );
    expect([wrong.code, wrong.field]).toEqual(['wrong_password', 'currentPassword']);
    const same = await accountError(
      changePassword(
        warehouse,
        user.id,
        { currentPassword: oneTimePassword!, newPassword: oneTimePassword! },
        SYSTEM,
        T0,
      ),
    );
    expect([same.code, same.field]).toEqual(['weak_password', 'newPassword']);
    const changed = await changePassword(
      warehouse,
      user.id,
      { currentPassword: oneTimePassword!, newPassword: 'brand-new-secret' },
      SYSTEM,
      T0 + 5,
    );
    expect(changed.mustChangePassword).toBe(false);
    expect(changed.passwordChangedAt).toBe(new Date(T0 + 5).toISOString());
  });
});
