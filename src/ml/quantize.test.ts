import { describe, expect, it } from 'vitest';
import {
  GRAD_LEVELS,
  HESS_LEVELS,
  PACK_CHUNK_ROWS,
  PACK_GRAD_UNIT,
  PACK_HESS_UNIT,
  packGradient,
  quantizedBuffers,
  quantizeGradients,
} from './quantize.js';
import { Random } from './random.js';

function gradients(n: number): [Float32Array, Float32Array] {
  const random = new Random(11);
  const grad = Float32Array.from({ length: n }, () => random.next() * 2 - 1);
  const hess = Float32Array.from({ length: n }, () => random.next() * 0.25);
  return [grad, hess];
}

describe('quantizeGradients', () => {
  const n = 20_000;
  const [grad, hess] = gradients(n);
  const rows = Uint32Array.from({ length: n }, (_, i) => i);

  it('rounds to integers within the levels, the largest magnitudes to the end levels', () => {
    const out = quantizedBuffers(n);
    quantizeGradients(grad, hess, rows, new Random(1), out);
    let gradMax = 0;
    let hessMax = 0;
    for (let i = 0; i < n; i++) {
      gradMax = Math.max(gradMax, Math.abs(grad[i]));
      hessMax = Math.max(hessMax, hess[i]);
    }
    expect(out.gradScale).toBeCloseTo(gradMax / GRAD_LEVELS, 12);
    expect(out.hessScale).toBeCloseTo(hessMax / HESS_LEVELS, 12);
    for (let i = 0; i < n; i++) {
      expect(Number.isInteger(out.grad[i]) && Math.abs(out.grad[i]) <= GRAD_LEVELS).toBe(true);
      expect(Number.isInteger(out.hess[i]) && out.hess[i] >= 0 && out.hess[i] <= HESS_LEVELS).toBe(true);
      // Stochastic rounding goes to one of the two neighbouring integers.
      expect(Math.abs(out.grad[i] - grad[i] / out.gradScale)).toBeLessThan(1);
      expect(Math.abs(out.hess[i] - hess[i] / out.hessScale)).toBeLessThan(1);
    }
  });

  it('is unbiased: sums of the rounded values match the real sums', () => {
    const out = quantizedBuffers(n);
    quantizeGradients(grad, hess, rows, new Random(2), out);
    let realGrad = 0;
    let roundedGrad = 0;
    let realHess = 0;
    let roundedHess = 0;
    for (let i = 0; i < n; i++) {
      realGrad += grad[i];
      roundedGrad += out.grad[i] * out.gradScale;
      realHess += hess[i];
      roundedHess += out.hess[i] * out.hessScale;
    }
    // Each rounding error has mean 0 and variance at most s²/4: the sum's s.d. is below s·√n / 2.
    expect(Math.abs(roundedGrad - realGrad)).toBeLessThan(4 * out.gradScale * Math.sqrt(n) * 0.5);
    expect(Math.abs(roundedHess - realHess)).toBeLessThan(4 * out.hessScale * Math.sqrt(n) * 0.5);
  });

  it('gives the same integers for the same generator, whatever other rows are quantised', () => {
    const a = quantizedBuffers(n);
    const b = quantizedBuffers(n);
    quantizeGradients(grad, hess, rows, new Random(3), a);
    quantizeGradients(grad, hess, rows, new Random(3), b);
    expect(b.grad).toEqual(a.grad);
    expect(b.hess).toEqual(a.hess);
    // With the largest gradient and hessian in row 1, every odd-rows subset has the same scales.
    const g = grad.slice();
    const h = hess.slice();
    g[1] = -2;
    h[1] = 0.5;
    const all = quantizedBuffers(n);
    const some = quantizedBuffers(n);
    const odd = rows.filter((row) => row % 2 === 1);
    quantizeGradients(g, h, rows, new Random(3), all);
    quantizeGradients(g, h, odd, new Random(3), some);
    expect(some.gradScale).toBe(all.gradScale);
    for (const row of odd) {
      expect(some.grad[row]).toBe(all.grad[row]);
      expect(some.hess[row]).toBe(all.hess[row]);
    }
  });
});

describe('packGradient', () => {
  it('keeps gradient, hessian and count apart in sums of up to PACK_CHUNK_ROWS extreme rows', () => {
    for (const [g, h] of [
      [-GRAD_LEVELS, HESS_LEVELS],
      [GRAD_LEVELS, HESS_LEVELS],
      [-1, 0],
      [0, 0],
    ]) {
      let sum = 0;
      for (let i = 0; i < PACK_CHUNK_ROWS; i++) sum += packGradient(g, h);
      expect(Math.abs(sum)).toBeLessThan(2 ** 53);
      const gradSum = Math.floor(sum / PACK_GRAD_UNIT);
      const low = sum - gradSum * PACK_GRAD_UNIT;
      const hessSum = Math.floor(low / PACK_HESS_UNIT);
      const n = PACK_CHUNK_ROWS;
      expect([gradSum, hessSum, low - hessSum * PACK_HESS_UNIT]).toEqual([n * g, n * h, n]);
    }
  });
});
