// The users table: one query per function, no rules (those live in accounts.ts). Usernames are stored
// normalised (NFC, trimmed, lower case), so lookups are case-insensitive.

import { randomUUID } from 'node:crypto';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { isRole, type Role } from './roles.js';
import { isoTime, TIMESTAMP_PARAM } from './sql-time.js';

/** A user as the API shows it: never the password hash. */
export interface User {
  id: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
  lastLoginAt: string | null;
}

/** A user with the hash, for verifying a password. */
export interface UserWithHash extends User {
  passwordHash: string;
}

/** The stored form of a username: NFC, trimmed, lower case. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFC').trim().toLowerCase();
}

/** The users table's columns, for selects here and joins elsewhere. */
export const USER_COLUMNS =
  'user_id, username, role, password_hash, must_change_password, created_at, password_changed_at, last_login_at';

/** Number of users; 0 means first start. */
export async function countUsers(db: SqlRunner, role?: Role): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    role === undefined ? 'SELECT count(*) AS n FROM users' : 'SELECT count(*) AS n FROM users WHERE role = ?',
    role === undefined ? [] : [role],
  );
  return Number(row.n);
}

/** The user named `username` (any case), with the hash, or null. */
export async function findUserByName(db: SqlRunner, username: string): Promise<UserWithHash | null> {
  const rows = await db.all<Record<string, SqlCell>>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, [
    normalizeUsername(username),
  ]);
  return rows.length === 0 ? null : userFromRow(rows[0]);
}

/** The user with id `userId`, with the hash, or null. */
export async function getUser(db: SqlRunner, userId: string): Promise<UserWithHash | null> {
  const rows = await db.all<Record<string, SqlCell>>(`SELECT ${USER_COLUMNS} FROM users WHERE user_id = ?`, [
    userId,
  ]);
  return rows.length === 0 ? null : userFromRow(rows[0]);
}

/** Every user, by username. */
export async function listUsers(db: SqlRunner): Promise<User[]> {
  const rows = await db.all<Record<string, SqlCell>>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
  return rows.map((row) => withoutHash(userFromRow(row)));
}

export interface NewUser {
  username: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** Inserts a user created at `at` (epoch ms) and returns it. */
export async function insertUser(db: SqlRunner, user: NewUser, at: number): Promise<User> {
  const id = randomUUID();
  await db.run(
    `INSERT INTO users (user_id, username, role, password_hash, must_change_password, created_at)
     VALUES (?, ?, ?, ?, ?, ${TIMESTAMP_PARAM})`,
    [id, normalizeUsername(user.username), user.role, user.passwordHash, user.mustChangePassword, at],
  );
  const created = await getUser(db, id);
  if (!created) throw new Error(`user ${id} vanished after insert`);
  return withoutHash(created);
}

/** Changes a user's role. */
export async function updateUserRole(db: SqlRunner, userId: string, role: Role): Promise<void> {
  await db.run('UPDATE users SET role = ? WHERE user_id = ?', [role, userId]);
}

/** Replaces a user's password hash at `at`; `mustChange` marks it one-time. */
export async function updateUserPassword(
  db: SqlRunner,
  userId: string,
  passwordHash: string,
  mustChange: boolean,
  at: number,
): Promise<void> {
  await db.run(
    `UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ${TIMESTAMP_PARAM}
     WHERE user_id = ?`,
    [passwordHash, mustChange, at, userId],
  );
}

/** Notes a successful login at `at`. */
export async function updateUserLastLogin(db: SqlRunner, userId: string, at: number): Promise<void> {
  await db.run(`UPDATE users SET last_login_at = ${TIMESTAMP_PARAM} WHERE user_id = ?`, [at, userId]);
}

/** Deletes a user; returns whether one was deleted. Their sessions go with them (sessions.ts). */
export async function deleteUserRow(db: SqlRunner, userId: string): Promise<boolean> {
  return (await db.run('DELETE FROM users WHERE user_id = ?', [userId])) > 0;
}

/** The public part of a user. */
export function withoutHash(user: UserWithHash): User {
  const { passwordHash: _, ...rest } = user;
  return rest;
}

/** A user from a row holding the users table's columns (also as joined by sessions.ts). */
export function userFromRow(row: Record<string, SqlCell>): UserWithHash {
  const role = String(row.role);
  if (!isRole(role)) throw new Error(`user ${String(row.user_id)} has unknown role "${role}"`);
  return {
    id: String(row.user_id),
    username: String(row.username),
    role,
    mustChangePassword: row.must_change_password === true,
    createdAt: isoTime(row.created_at) ?? '',
    passwordChangedAt: isoTime(row.password_changed_at),
    lastLoginAt: isoTime(row.last_login_at),
    passwordHash: String(row.password_hash),
  };
}
