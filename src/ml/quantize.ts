// Quantised gradients (the technique of LightGBM 4, Shi et al. 2022, "Quantized training of gradient boosting
// decision trees"): per tree, gradients and hessians become small integers by unbiased stochastic rounding,
// so histogram sums are exact integers — the same whatever the thread count or the order of the rows — and a
// row's gradient, hessian and count pack into one double, one addition per bin instead of three.

import { GradArray } from './dtypes.js';
import type { Random } from './random.js';

/**
 * Gradients are rounded to integers in [−GRAD_LEVELS, GRAD_LEVELS]. Few levels are enough with stochastic
 * rounding and refit leaves (LightGBM's default is 4); fewer levels leave room for bigger packed chunks.
 */
export const GRAD_LEVELS = 31;
/** Hessians are rounded to integers in [0, HESS_LEVELS]. */
export const HESS_LEVELS = 31;

/**
 * A row's packed value: g·2^34 + h·2^15 + 1. Summed over at most PACK_CHUNK_ROWS rows, every field stays in
 * its place and the whole stays an exact integer below 2^53:
 *
 *   bit   52 ........ 34 | 33 ........ 15 | 14 ....... 0
 *         Σg (signed)    | Σh ≤ 16384·31  | count ≤ 16384
 *         |Σg| < 2^19    |   < 2^19       |   < 2^15
 *
 * Σg is signed: the low fields are ≥ 0, so floor(p / 2^34) is Σg and the rest is Σh·2^15 + count.
 */
export const PACK_GRAD_UNIT = 2 ** 34;
export const PACK_HESS_UNIT = 2 ** 15;
/** Rows summed into one packed histogram before it is unpacked (see the bit layout above). */
export const PACK_CHUNK_ROWS = 16_384;

/** One tree's integer gradients (exact in float32) and the scales back to real units. */
export interface QuantizedGradients {
  grad: GradArray;
  hess: GradArray;
  /** Real gradient = integer · gradScale. */
  gradScale: number;
  /** Real hessian = integer · hessScale. */
  hessScale: number;
}

/** Buffers for `quantizeGradients`, reused across rounds. */
export function quantizedBuffers(n: number): QuantizedGradients {
  return { grad: new GradArray(n), hess: new GradArray(n), gradScale: 1, hessScale: 1 };
}

/**
 * Rounds `grad` and `hess` of `rows` to integers in `out`, stochastically (x ↦ ⌊x/s + u⌋, u uniform in
 * [0, 1), so the integer is x/s on average), with scales such that the largest |gradient| and hessian map
 * to GRAD_LEVELS and HESS_LEVELS. Takes one number from `random`; each row's u comes from a hash of it and
 * the row index, so a row's rounding does not depend on which other rows are drawn.
 */
export function quantizeGradients(
  grad: GradArray,
  hess: GradArray,
  rows: ArrayLike<number>,
  random: Random,
  out: QuantizedGradients,
): void {
  let gradMax = 0;
  let hessMax = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    gradMax = Math.max(gradMax, Math.abs(grad[row]));
    hessMax = Math.max(hessMax, hess[row]);
  }
  const gradScale = gradMax > 0 ? gradMax / GRAD_LEVELS : 1;
  const hessScale = hessMax > 0 ? hessMax / HESS_LEVELS : 1;
  const gradInv = 1 / gradScale;
  const hessInv = 1 / hessScale;
  const qg = out.grad;
  const qh = out.hess;
  const key = random.nextUint32();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    // Two 16-bit uniforms from one hash: one for the gradient, one for the hessian.
    const bits = mix32(row ^ key);
    const g = Math.floor(grad[row] * gradInv + (bits >>> 16) / 65536);
    const h = Math.floor(hess[row] * hessInv + (bits & 0xffff) / 65536);
    // Clamped: x/s can exceed the level by a rounding error of the division.
    qg[row] = Math.min(GRAD_LEVELS, Math.max(-GRAD_LEVELS, g));
    qh[row] = Math.min(HESS_LEVELS, Math.max(0, h));
  }
  out.gradScale = gradScale;
  out.hessScale = hessScale;
}

/** The packed value of one row (see PACK_GRAD_UNIT). */
export function packGradient(grad: number, hess: number): number {
  return grad * PACK_GRAD_UNIT + hess * PACK_HESS_UNIT + 1;
}

/** A 32-bit integer hash (the finaliser of MurmurHash3, Appleby 2011): well-mixed bits from a counter. */
function mix32(value: number): number {
  let x = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
