// The rules for user accounts, each change committed together with its audit entry: unique usernames, a
// password policy, one-time passwords for new and reset accounts, and at least one admin at all times.

import type { Warehouse } from '../warehouse/warehouse.js';
import { type Actor, recordAudit } from './audit-log.js';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import type { Role } from './roles.js';
import { endUserSessions } from './sessions.js';
import {
  countUsers,
  deleteUserRow,
  findUserByName,
  getUser,
  insertUser,
  normalizeUsername,
  type User,
  updateUserPassword,
  updateUserRole,
  withoutHash,
} from './users.js';

export type AccountErrorCode =
  | 'username_taken'
  | 'user_not_found'
  | 'last_admin'
  | 'cannot_delete_self'
  | 'weak_password'
  | 'wrong_password';

/** A request that breaks an account rule; `field` names the input at fault, when one is. */
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A user and, when one was generated, the one-time password to hand over (shown once). */
export interface AccountResult {
  user: User;
  oneTimePassword?: string;
}

/** Creates a user; without `password` a one-time password is generated. Either way it must be changed. */
export async function createAccount(
  warehouse: Warehouse,
  input: { username: string; role: Role; password?: string },
  actor: Actor,
  now: number,
): Promise<AccountResult> {
  const username = normalizeUsername(input.username);
  const oneTimePassword = input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? (oneTimePassword as string);
  const problem = passwordProblem(password, username);
  if (problem) throw new AccountError('weak_password', `password ${problem}`, 'password');
  const passwordHash = await hashPassword(password);
  const user = await warehouse.transaction(async (tx) => {
    if (await findUserByName(tx, username)) {
      throw new AccountError('username_taken', `username "${username}" is taken`, 'username');
    }
    const created = await insertUser(
      tx,
      { username, role: input.role, passwordHash, mustChangePassword: true },
      now,
    );
    await recordAudit(tx, now, actor, 'user.create', username, { role: input.role });
    return created;
  });
  return oneTimePassword === undefined ? { user } : { user, oneTimePassword };
}

/** Changes a user's role and/or resets their password to a generated one-time password. */
export async function updateAccount(
  warehouse: Warehouse,
  userId: string,
  change: { role?: Role; resetPassword?: boolean },
  actor: Actor,
  now: number,
): Promise<AccountResult> {
  const oneTimePassword = change.resetPassword ? generatePassword() : undefined;
  const passwordHash = oneTimePassword === undefined ? undefined : await hashPassword(oneTimePassword);
  const user = await warehouse.transaction(async (tx) => {
    const before = await getUser(tx, userId);
    if (!before) throw new AccountError('user_not_found', `no user with id "${userId}"`);
    if (change.role !== undefined && change.role !== before.role) {
      if (before.role === 'admin' && (await countUsers(tx, 'admin')) === 1) {
        throw new AccountError('last_admin', `"${before.username}" is the last admin`, 'role');
      }
      await updateUserRole(tx, userId, change.role);
    }
    if (passwordHash !== undefined) {
      await updateUserPassword(tx, userId, passwordHash, true, now);
      await endUserSessions(tx, userId);
    }
    const detail: Record<string, unknown> = {};
    if (change.role !== undefined) detail.role = { from: before.role, to: change.role };
    if (passwordHash !== undefined) detail.passwordReset = true;
    await recordAudit(tx, now, actor, 'user.update', before.username, detail);
    const after = await getUser(tx, userId);
    return withoutHash(after ?? before);
  });
  return oneTimePassword === undefined ? { user } : { user, oneTimePassword };
}

/** Deletes a user and their sessions; an admin cannot delete themselves or the last admin. */
export async function deleteAccount(
  warehouse: Warehouse,
  userId: string,
  actor: Actor,
  now: number,
): Promise<void> {
  if (actor.userId === userId) {
    throw new AccountError('cannot_delete_self', 'you cannot delete your own account');
  }
  await warehouse.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (!user) throw new AccountError('user_not_found', `no user with id "${userId}"`);
    if (user.role === 'admin' && (await countUsers(tx, 'admin')) === 1) {
      throw new AccountError('last_admin', `"${user.username}" is the last admin`);
    }
    await endUserSessions(tx, userId);
    await deleteUserRow(tx, userId);
    await recordAudit(tx, now, actor, 'user.delete', user.username, { role: user.role });
  });
}

/**
 * Replaces the user's own password after checking the current one; clears the one-time flag and ends the
 * user's other sessions (the caller starts a fresh one, so a stolen session id dies with the old password).
 */
export async function changePassword(
  warehouse: Warehouse,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  actor: Actor,
  now: number,
): Promise<User> {
  const user = await getUser(warehouse, userId);
  if (!user) throw new AccountError('user_not_found', `no user with id "${userId}"`);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AccountError('wrong_password', 'the current password is wrong', 'currentPassword');
  }
  const problem = passwordProblem(input.newPassword, user.username);
  if (problem) throw new AccountError('weak_password', `new password ${problem}`, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    throw new AccountError('weak_password', 'new password must differ from the current one', 'newPassword');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await warehouse.transaction(async (tx) => {
    await updateUserPassword(tx, userId, passwordHash, false, now);
    await endUserSessions(tx, userId);
    await recordAudit(tx, now, actor, 'password.change', user.username);
  });
  return withoutHash((await getUser(warehouse, userId)) ?? user);
}
