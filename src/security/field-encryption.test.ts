import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import {
  createFieldCipher,
  DATA_KEY_ENV,
  DATA_KEY_FILE,
  isEncrypted,
  loadDataKey,
} from './field-encryption.js';

const key = Buffer.alloc(32, 7);

describe('createFieldCipher', () => {
  it('round-trips names, phones and e-mails, with a fresh IV each time', () => {
    const cipher = createFieldCipher(key);
    for (const text of ['王芳', '13812345678', 'wang.fang@example.com', '', 'x'.repeat(5000)]) {
      const stored = cipher.encrypt(text);
      expect(isEncrypted(stored)).toBe(true);
      expect(stored).not.toContain(text || '\u0000');
      expect(cipher.decrypt(stored)).toBe(text);
    }
    expect(cipher.encrypt('13812345678')).not.toBe(cipher.encrypt('13812345678'));
  });

  it('is AES-256-GCM as Node computes it, laid out as IV ‖ ciphertext ‖ tag', () => {
    const iv = randomBytes(12);
    const gcm = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([gcm.update('李伟', 'utf8'), gcm.final()]);
    const stored = `enc:v1:${Buffer.concat([iv, body, gcm.getAuthTag()]).toString('base64url')}`;
    expect(createFieldCipher(key).decrypt(stored)).toBe('李伟');
  });

  it('passes plaintext from before encryption through, and refuses a changed value or a wrong key', () => {
    const cipher = createFieldCipher(key);
    expect(cipher.decrypt('13987654321')).toBe('13987654321');
    const stored = cipher.encrypt('chen.jing@qq.com');
    const flipped = `${stored.slice(0, 20)}${stored[20] === 'A' ? 'B' : 'A'}${stored.slice(21)}`;
    expect(() => cipher.decrypt(flipped)).toThrow(/does not decrypt/);
    expect(() => createFieldCipher(Buffer.alloc(32, 8)).decrypt(stored)).toThrow(/wrong data key/);
    expect(() => cipher.decrypt('enc:v1:AAAA')).toThrow(/truncated/);
    expect(() => createFieldCipher(Buffer.alloc(16))).toThrow(/16 bytes, expected 32/);
  });
});

describe('loadDataKey', () => {
  const workspace = () => mkdtempSync(join(tmpdir(), 'churnwatch-key-'));

  it('prefers the environment (base64 or hex) over the key file', () => {
    const dir = workspace();
    const base64 = loadDataKey(dir, { env: { [DATA_KEY_ENV]: key.toString('base64') } });
    const hex = loadDataKey(dir, { env: { [DATA_KEY_ENV]: key.toString('hex') }, create: true });
    expect(Buffer.from(base64!).equals(key)).toBe(true);
    expect(Buffer.from(hex!).equals(key)).toBe(true);
    expect(existsSync(join(dir, DATA_KEY_FILE))).toBe(false);
  });

  it('makes an owner-only key file on first use and reads the same key back', () => {
    const dir = workspace();
    expect(loadDataKey(dir, { env: {} })).toBeNull();
    const made = loadDataKey(dir, { env: {}, create: true });
    expect(statSync(join(dir, DATA_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadDataKey(dir, { env: {} })!).equals(Buffer.from(made!))).toBe(true);
    expect(readFileSync(join(dir, DATA_KEY_FILE), 'utf8').trim()).toHaveLength(44);
  });

  it('names the variable or the file when the key is malformed', () => {
    const dir = workspace();
    expect(() => loadDataKey(dir, { env: { [DATA_KEY_ENV]: 'too short' } })).toThrow(InputError);
    expect(() => loadDataKey(dir, { env: { [DATA_KEY_ENV]: 'abc' } })).toThrow(
      expect.objectContaining({ where: { key: DATA_KEY_ENV } }),
    );
    const bad = workspace();
    loadDataKey(bad, { env: {}, create: true });
    writeFileSync(join(bad, DATA_KEY_FILE), 'not a key\n');
    expect(() => loadDataKey(bad, { env: {} })).toThrow(/32 bytes/);
  });
});
