import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with argon2id and a fresh salt, and verifies', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword(first, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(first, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('generates readable one-time passwords that pass the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
      expect(passwordProblem(password, 'admin')).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });

  it('names what is wrong with a weak password', () => {
    expect(passwordProblem('short', 'bob')).toBe('must be at least 12 characters');
    expect(passwordProblem('密码密码密码密码密码密码', 'bob')).toBe(
      'must not repeat the same few characters',
    );
    expect(passwordProblem('my name is Alice!!', 'alice')).toBe('must not contain the username');
    expect(passwordProblem('x'.repeat(300), 'bob')).toBe('must be at most 256 characters');
    expect(passwordProblem('长城长城长城万里长城永不倒', 'bob')).toBeNull();
  });
});
