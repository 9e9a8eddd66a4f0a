// Login sessions: a random id lives in the browser's HTTP-only cookie; the table keeps only its SHA-256.
// A session ends after `idleMs` without requests or `absoluteMs` after login, whichever comes first.

import { GenerationCache, perWarehouse } from '../warehouse/generation-cache.js';
import { generationOf, type SqlCell, type SqlRunner } from '../warehouse/warehouse.js';
import { randomSecret, sha256Hex } from './secrets.js';
import { epochMs, TIMESTAMP_PARAM } from './sql-time.js';
import { USER_COLUMNS, type UserWithHash, userFromRow } from './users.js';

export interface SessionPolicy {
  /** Ends a session this long after its last request (default 30 minutes). */
  idleMs: number;
  /** Ends a session this long after login, however active (default 12 hours). */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

/**
 * `last_seen_at` is written at most this often: a write per request would put an UPDATE in the warehouse's
 * single queue for every API call, while idle expiry a minute early is of no consequence.
 */
const TOUCH_EVERY_MS = 60_000;

/** Checks a policy: both limits positive, idle not above absolute. */
export function checkSessionPolicy(policy: SessionPolicy): SessionPolicy {
  if (!(policy.idleMs > 0)) throw new Error(`session idleMs=${policy.idleMs} must be > 0`);
  if (!(policy.absoluteMs >= policy.idleMs)) {
    throw new Error(`session absoluteMs=${policy.absoluteMs} must be >= idleMs=${policy.idleMs}`);
  }
  return policy;
}

/** A new session: `id` goes in the cookie and nowhere else; `csrfToken` is echoed by unsafe requests. */
export interface NewSession {
  id: string;
  csrfToken: string;
  createdAt: number;
}

/** Where a session came from, kept for the admin's view of active sessions. */
export interface SessionOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** Starts a session for `userId` at `at` (epoch ms). */
export async function createSession(
  db: SqlRunner,
  userId: string,
  at: number,
  origin: SessionOrigin,
): Promise<NewSession> {
  const id = randomSecret();
  const csrfToken = randomSecret();
  await db.run(
    `INSERT INTO sessions (session_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
     VALUES (?, ?, ?, ${TIMESTAMP_PARAM}, ${TIMESTAMP_PARAM}, ?, ?)`,
    [sha256Hex(id), userId, csrfToken, at, at, origin.ip, origin.userAgent?.slice(0, 512) ?? null],
  );
  return { id, csrfToken, createdAt: at };
}

/** A live session and its user as of now. */
export interface ActiveSession {
  sessionHash: string;
  csrfToken: string;
  createdAt: number;
  /** When the session ends if no further request comes (epoch ms). */
  expiresAt: number;
  user: UserWithHash;
}

export type SessionLookup =
  | { status: 'active'; session: ActiveSession }
  | { status: 'expired' }
  | { status: 'unknown' };

/** Finds the session with cookie value `id` at time `now`; ends it when it has expired, else marks it seen. */
export async function lookupSession(
  db: SqlRunner,
  id: string,
  policy: SessionPolicy,
  now: number,
): Promise<SessionLookup> {
  const sessionHash = sha256Hex(id);
  const stored = await findStoredSession(db, sessionHash);
  if (stored === null) return { status: 'unknown' };
  const { row, createdAt, lastSeenAt } = stored;
  if (now - lastSeenAt >= policy.idleMs || now - createdAt >= policy.absoluteMs) {
    await db.run('DELETE FROM sessions WHERE session_hash = ?', [sessionHash]);
    return { status: 'expired' };
  }
  let seen = lastSeenAt;
  if (now - lastSeenAt >= TOUCH_EVERY_MS) {
    // Noted at once, so the requests that arrive while the UPDATE waits in the queue do not queue more.
    stored.lastSeenAt = now;
    await db.run(`UPDATE sessions SET last_seen_at = ${TIMESTAMP_PARAM} WHERE session_hash = ?`, [
      now,
      sessionHash,
    ]);
    seen = now;
  }
  return {
    status: 'active',
    session: {
      sessionHash,
      csrfToken: String(row.csrf_token),
      createdAt,
      expiresAt: Math.min(seen + policy.idleMs, createdAt + policy.absoluteMs),
      user: userFromRow(row),
    },
  };
}

/** A session's row joined with its user, as stored, with its times in epoch ms. */
interface StoredSession {
  row: Record<string, SqlCell>;
  createdAt: number;
  lastSeenAt: number;
}

/**
 * Sessions by hash, so a request does not wait in the warehouse's queue to be authenticated. Every change to
 * `sessions` or `users` (logout, expiry, password change, role change) advances their generation, which drops
 * every entry at once.
 */
const storedSessions = perWarehouse(() => new GenerationCache<Promise<StoredSession | null>>(1_000));
const SESSION_TABLES = ['sessions', 'users'];

/**
 * The session with hash `sessionHash` and its user, from the cache while neither table has changed since it
 * was read; requests that arrive while it is read share the read.
 */
function findStoredSession(db: SqlRunner, sessionHash: string): Promise<StoredSession | null> {
  const generation = generationOf(db, SESSION_TABLES);
  if (generation === null) return readStoredSession(db, sessionHash);
  const cache = storedSessions(db);
  const cached = cache.get(sessionHash, generation);
  if (cached !== undefined) return cached;
  const reading = readStoredSession(db, sessionHash);
  cache.set(sessionHash, generation, reading);
  reading.catch(() => cache.delete(sessionHash));
  return reading;
}

async function readStoredSession(db: SqlRunner, sessionHash: string): Promise<StoredSession | null> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, ${USER_COLUMNS.split(', ')
      .map((column) => `u.${column}`)
      .join(', ')}
     FROM sessions s JOIN users u ON u.user_id = s.user_id WHERE s.session_hash = ?`,
    [sessionHash],
  );
  if (rows.length === 0) return null;
  const row = rows[0];
  return { row, createdAt: epochMs(row.session_created_at) ?? 0, lastSeenAt: epochMs(row.last_seen_at) ?? 0 };
}

/** Ends the session with hash `sessionHash` (logout). */
export async function endSession(db: SqlRunner, sessionHash: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE session_hash = ?', [sessionHash]);
}

/** Ends every session of `userId` (password change or reset, deletion), optionally keeping one. */
export async function endUserSessions(db: SqlRunner, userId: string, keepHash?: string): Promise<void> {
  if (keepHash === undefined) await db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
  else {
    await db.run('DELETE FROM sessions WHERE user_id = ? AND session_hash <> ?', [userId, keepHash]);
  }
}

/** Deletes sessions that have expired by `now`, so the table does not grow with abandoned logins. */
export async function purgeExpiredSessions(
  db: SqlRunner,
  policy: SessionPolicy,
  now: number,
): Promise<number> {
  return db.run(
    `DELETE FROM sessions
     WHERE last_seen_at <= ${TIMESTAMP_PARAM} OR created_at <= ${TIMESTAMP_PARAM}`,
    [now - policy.idleMs, now - policy.absoluteMs],
  );
}
