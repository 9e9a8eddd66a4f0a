// API tokens for other systems (`Authorization: Bearer cw_…`): each holds one role, may expire, and can be
// revoked. Only the SHA-256 of the secret is stored; the secret itself is returned once, at creation.

import { randomUUID } from 'node:crypto';
import { GenerationCache, perWarehouse } from '../warehouse/generation-cache.js';
import { generationOf, type SqlCell, type SqlRunner } from '../warehouse/warehouse.js';
import { isRole, type Role } from './roles.js';
import { randomSecret, sha256Hex } from './secrets.js';
import { epochMs, isoTime, TIMESTAMP_PARAM } from './sql-time.js';

/** Marks churnwatch tokens, so secret scanners and people recognise a leaked one. */
export const TOKEN_PREFIX = 'cw_';
/** Characters of the secret kept in clear to tell tokens apart in a list: the prefix and 6 more. */
const SHOWN_CHARS = TOKEN_PREFIX.length + 6;
/** `last_used_at` is written at most this often, for the same reason sessions touch sparingly. */
const TOUCH_EVERY_MS = 60_000;

/** A token as the API lists it: never the secret nor its hash. */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  /** The secret's first characters, e.g. `cw_Ab12Cd`. */
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewToken {
  name: string;
  role: Role;
  createdBy: string | null;
  /** Epoch ms, or null for a token that does not expire. */
  expiresAt: number | null;
}

const COLUMNS = 'token_id, name, role, prefix, created_by, created_at, expires_at, last_used_at, revoked_at';

/** Creates a token at `at`; returns it with its secret, which is not stored and cannot be shown again. */
export async function insertToken(
  db: SqlRunner,
  token: NewToken,
  at: number,
): Promise<{ token: ApiToken; secret: string }> {
  const id = randomUUID();
  const secret = randomSecret(TOKEN_PREFIX);
  await db.run(
    `INSERT INTO api_tokens (token_id, token_hash, prefix, name, role, created_by, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ${TIMESTAMP_PARAM}, ${TIMESTAMP_PARAM})`,
    [
      id,
      sha256Hex(secret),
      secret.slice(0, SHOWN_CHARS),
      token.name,
      token.role,
      token.createdBy,
      at,
      token.expiresAt,
    ],
  );
  const created = await getToken(db, id);
  if (!created) throw new Error(`token ${id} vanished after insert`);
  return { token: created, secret };
}

/** The token with id `tokenId`, or null. */
export async function getToken(db: SqlRunner, tokenId: string): Promise<ApiToken | null> {
  const rows = await db.all<Record<string, SqlCell>>(`SELECT ${COLUMNS} FROM api_tokens WHERE token_id = ?`, [
    tokenId,
  ]);
  return rows.length === 0 ? null : tokenFromRow(rows[0]);
}

/** Every token, revoked ones included, newest first. */
export async function listTokens(db: SqlRunner): Promise<ApiToken[]> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at DESC, name`,
  );
  return rows.map(tokenFromRow);
}

/** Revokes a token at `at`; a token revoked before keeps its first revocation time. */
export async function revokeToken(db: SqlRunner, tokenId: string, at: number): Promise<void> {
  await db.run(
    `UPDATE api_tokens SET revoked_at = ${TIMESTAMP_PARAM} WHERE token_id = ? AND revoked_at IS NULL`,
    [at, tokenId],
  );
}

/** An unrevoked token as stored, with its times in epoch ms. */
interface StoredToken {
  token: ApiToken;
  expiresAt: number | null;
  lastUsed: number | null;
}

/**
 * Unrevoked tokens by hash, so a request does not wait in the warehouse's queue to be authenticated. Every
 * change to `api_tokens` (revocation included) advances its generation, which drops every entry at once.
 */
const storedTokens = perWarehouse(() => new GenerationCache<Promise<StoredToken | null>>(1_000));
const TOKEN_TABLES = ['api_tokens'];

/** The live token whose secret is `secret` at time `now` (not revoked, not expired), or null; notes its use. */
export async function findActiveToken(db: SqlRunner, secret: string, now: number): Promise<ApiToken | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const stored = await findStoredToken(db, sha256Hex(secret));
  if (stored === null) return null;
  const { token, expiresAt, lastUsed } = stored;
  if (expiresAt !== null && expiresAt <= now) return null;
  if (lastUsed === null || now - lastUsed >= TOUCH_EVERY_MS) {
    // Noted at once, so the requests that arrive while the UPDATE waits in the queue do not queue more.
    stored.lastUsed = now;
    await db.run(`UPDATE api_tokens SET last_used_at = ${TIMESTAMP_PARAM} WHERE token_id = ?`, [
      now,
      token.id,
    ]);
  }
  return token;
}

/**
 * The unrevoked token with hash `hash`, from the cache while `api_tokens` has not changed since it was read;
 * requests that arrive while it is read share the read.
 */
function findStoredToken(db: SqlRunner, hash: string): Promise<StoredToken | null> {
  const generation = generationOf(db, TOKEN_TABLES);
  if (generation === null) return readStoredToken(db, hash);
  const cache = storedTokens(db);
  const cached = cache.get(hash, generation);
  if (cached !== undefined) return cached;
  const reading = readStoredToken(db, hash);
  cache.set(hash, generation, reading);
  reading.catch(() => cache.delete(hash));
  return reading;
}

async function readStoredToken(db: SqlRunner, hash: string): Promise<StoredToken | null> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`,
    [hash],
  );
  if (rows.length === 0) return null;
  return {
    token: tokenFromRow(rows[0]),
    expiresAt: epochMs(rows[0].expires_at),
    lastUsed: epochMs(rows[0].last_used_at),
  };
}

function tokenFromRow(row: Record<string, SqlCell>): ApiToken {
  const role = String(row.role);
  if (!isRole(role)) throw new Error(`api token ${String(row.token_id)} has unknown role "${role}"`);
  return {
    id: String(row.token_id),
    name: String(row.name),
    role,
    prefix: String(row.prefix),
    createdBy: row.created_by as string | null,
    createdAt: isoTime(row.created_at) ?? '',
    expiresAt: isoTime(row.expires_at),
    lastUsedAt: isoTime(row.last_used_at),
    revokedAt: isoTime(row.revoked_at),
  };
}
