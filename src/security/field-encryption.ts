// Personal fields encrypted at rest (R23): AES-256-GCM with a random 96-bit IV per value, so the warehouse
// file — and every copy or backup of it — holds no readable name, phone or e-mail. A stored value reads
//   enc:v1:<base64url(IV ‖ ciphertext ‖ 16-byte tag)>
// and anything without the prefix is plaintext (data from before encryption was on), so reading works
// during a migration. The tag authenticates the value: a changed byte or a wrong key fails loudly, never
// decrypts to garbage.
//
// The key: CHURNWATCH_DATA_KEY (32 bytes as base64 or 64 hex digits) when set — keep it in a secret store —
// else the workspace's keys/data.key, made on first use with owner-only permissions (0600), so a copy of the
// warehouse file alone reveals nothing.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** The environment variable that holds the data key. */
export const DATA_KEY_ENV = 'CHURNWATCH_DATA_KEY';
/** The key file inside a workspace when the environment does not give one. */
export const DATA_KEY_FILE = join('keys', 'data.key');

/** Encrypts and decrypts personal field values with one key. */
export interface FieldCipher {
  encrypt(plaintext: string): string;
  /** The plaintext of a stored value; a value without the prefix is returned as it is. */
  decrypt(stored: string): string;
}

/** True when `stored` is an encrypted value (else plaintext). */
export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** A cipher over a 32-byte key. */
export function createFieldCipher(key: Uint8Array): FieldCipher {
  if (key.length !== KEY_BYTES)
    throw new Error(`the data key has ${key.length} bytes, expected ${KEY_BYTES}`);
  const secret = Buffer.from(key);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    decrypt(stored) {
      if (!isEncrypted(stored)) return stored;
      const bytes = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('an encrypted field is truncated');
      const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new Error('an encrypted field does not decrypt: wrong data key or a changed value', {
          cause: error,
        });
      }
    },
  };
}

/**
 * The workspace's data key: from CHURNWATCH_DATA_KEY, else from keys/data.key, made (0600) when `create` and
 * missing. InputError naming the variable or file when the key is malformed.
 */
export function loadDataKey(
  workspace: string,
  options: { env?: NodeJS.ProcessEnv; create?: boolean } = {},
): Uint8Array | null {
  const env = options.env ?? process.env;
  const fromEnv = env[DATA_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parseKey(fromEnv, { key: DATA_KEY_ENV });
  const file = join(workspace, DATA_KEY_FILE);
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8').trim(), { file });
  if (!options.create) return null;
  mkdirSync(join(workspace, 'keys'), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

function parseKey(text: string, where: { key?: string; file?: string }): Uint8Array {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (bytes.length !== KEY_BYTES || (!/^[0-9a-fA-F]{64}$/.test(text) && bytes.toString('base64') !== text)) {
    throw new InputError(
      `the data key must be ${KEY_BYTES} bytes as base64 (44 characters) or 64 hex digits`,
      where,
    );
  }
  return bytes;
}
