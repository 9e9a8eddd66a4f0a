// Test helper: the InputError a call throws, so a test can check its message and where.

import { expect } from 'vitest';
import { InputError } from '../errors.js';

/** Runs `fn`, expects it to throw an InputError, and returns that error. */
export function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

/** Awaits `fn`, expects it to reject with an InputError, and returns that error. */
export async function rejected(fn: () => Promise<unknown>): Promise<InputError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}
