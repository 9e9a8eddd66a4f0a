// First start: with no users at all, an `admin` account is created so someone can log in. Its password is
// generated and shown once, or taken from CHURNWATCH_ADMIN_PASSWORD; either way it must be changed at first
// login, so no password that passed through a terminal or an environment stays in use.

import { InputError } from '../errors.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { recordAudit, SYSTEM } from './audit-log.js';
import { generatePassword, hashPassword, passwordProblem } from './passwords.js';
import { countUsers, insertUser } from './users.js';

/** The environment variable that sets the first admin's password instead of a generated one. */
export const ADMIN_PASSWORD_ENV = 'CHURNWATCH_ADMIN_PASSWORD';
/** The first admin's username. */
export const FIRST_ADMIN = 'admin';

/** The account created at first start; `password` is set only when it was generated (to print once). */
export interface FirstAdmin {
  username: string;
  password?: string;
}

/** Creates the first admin when the workspace has no users; returns it, or null when users exist. */
export async function ensureFirstAdmin(
  warehouse: Warehouse,
  options: { password?: string; now: number },
): Promise<FirstAdmin | null> {
  if (options.password !== undefined) {
    const problem = passwordProblem(options.password, FIRST_ADMIN);
    if (problem) throw new InputError(`password ${problem}`, { key: ADMIN_PASSWORD_ENV });
  }
  if ((await countUsers(warehouse)) > 0) return null;
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const created = await warehouse.transaction(async (tx) => {
    // Counted again inside the transaction: the warehouse queue makes this the only writer meanwhile.
    if ((await countUsers(tx)) > 0) return false;
    await insertUser(
      tx,
      { username: FIRST_ADMIN, role: 'admin', passwordHash, mustChangePassword: true },
      options.now,
    );
    await recordAudit(tx, options.now, SYSTEM, 'admin.bootstrap', FIRST_ADMIN, {
      password: options.password === undefined ? 'generated' : ADMIN_PASSWORD_ENV,
    });
    return true;
  });
  if (!created) return null;
  return options.password === undefined ? { username: FIRST_ADMIN, password } : { username: FIRST_ADMIN };
}
