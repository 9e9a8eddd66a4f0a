// Password hashing with argon2id (@node-rs/argon2: Rust, prebuilt per platform, nothing compiled at install),
// the password policy, and generated one-time passwords.

import { randomInt } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane), the package's defaults written out so a change
 * of defaults upstream cannot weaken new hashes silently. `Algorithm` is a const enum that esbuild (vitest)
 * cannot inline from a .d.ts, hence the literal: 2 is Argon2id.
 */
const ARGON2ID = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Shortest password accepted (NIST SP 800-63B asks at least 8; 12 resists offline guessing far better). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted: bounds the work one login request can cause. */
export const MAX_PASSWORD_LENGTH = 256;

/** An argon2id hash in PHC format (`$argon2id$v=19$m=…`), salt included. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** True when `password` matches `passwordHash`; false (never throws) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one verification when the user does not exist, so response times do not tell which
 * usernames are real.
 */
export async function verifyNobody(password: string): Promise<false> {
  dummyHash ??= hashPassword('churnwatch-no-such-user');
  await verifyPassword(await dummyHash, password);
  return false;
}

/** Why `password` is not acceptable for `username`, or null when it is. */
export function passwordProblem(password: string, username: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username';
  if (new Set(password).size < 4) return 'must not repeat the same few characters';
  return null;
}

/** Letters and digits that cannot be mistaken for one another when read off a terminal (no 0/O, 1/l/I). */
const READABLE = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password: 4 groups of 5 readable characters (about 116 bits), e.g. `k7Qm2-…`. */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += READABLE[randomInt(READABLE.length)];
    groups.push(group);
  }
  return groups.join('-');
}
