// Closeness assertions for tests against reference outputs, with the golden README's rule:
// |actual − expected| <= rel·max(|actual|, |expected|) + abs (the absolute floor lets zeros compare).

import { expect } from 'vitest';
import { Random } from '../random.js';

/** Asserts that two numbers are close; the message names `what` and both numbers. */
export function expectClose(actual: number, expected: number, rel: number, abs = 1e-15, what = ''): void {
  const bound = rel * Math.max(Math.abs(actual), Math.abs(expected)) + abs;
  const diff = Math.abs(actual - expected);
  expect(diff <= bound, `${what}: ${actual} vs ${expected} (diff ${diff} > ${bound})`).toBe(true);
}

/** `expectClose` on every entry, after checking that the lengths agree. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rel: number,
  abs = 1e-15,
  what = '',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], rel, abs, `${what}[${i}]`);
}

/** Uniform draws in [0, 1) from a seeded generator, for test data. */
export function uniform(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
