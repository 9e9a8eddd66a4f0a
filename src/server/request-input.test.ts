import { describe, expect, it } from 'vitest';
import { fieldPath } from './request-input.js';

describe('fieldPath', () => {
  it('writes a zod issue path as a client would', () => {
    expect(fieldPath('body', [])).toBe('body');
    expect(fieldPath('body', ['role'])).toBe('body.role');
    expect(fieldPath('body', ['items', 3, 'amount'])).toBe('body.items[3].amount');
    expect(fieldPath('query', ['limit'])).toBe('query.limit');
  });
});
