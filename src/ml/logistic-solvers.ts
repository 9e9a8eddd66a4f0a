// The numerical core of logistic regression: objective, gradient, Hessian, Cholesky, and the two solvers
// (Newton with a line search to the exact optimum; L-BFGS for wide designs). Pure functions on typed arrays.

import { sigmoid } from './ensemble.js';

/**
 * The training problem: minimise Σᵢ wᵢ·logloss(yᵢ, σ(β·zᵢ + b)) + ||β||²/(2C) over θ = [β₀ … β_{d−1}, b].
 * `z` is the row-major n × d design.
 */
export interface LogisticProblem {
  z: Float64Array;
  nRows: number;
  nCols: number;
  y: Float64Array;
  w: Float64Array;
  invC: number;
}

export interface SolverResult {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
}

// ---------------------------------------------------------------------------------------------- objective

/** log(1 + eˣ) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** out = Z·β + b for θ = [β, b]. */
export function computeMargins(problem: LogisticProblem, theta: Float64Array, out: Float64Array): void {
  const { z, nRows, nCols: d } = problem;
  const b = theta[d];
  for (let i = 0; i < nRows; i++) {
    let sum = b;
    const base = i * d;
    for (let k = 0; k < d; k++) sum += theta[k] * z[base + k];
    out[i] = sum;
  }
}

/** The objective at θ given its margins: Σ wᵢ (softplus(mᵢ) − yᵢ·mᵢ) + ||β||²/(2C). */
export function objectiveAt(problem: LogisticProblem, theta: Float64Array, margins: Float64Array): number {
  const { y, w, nRows, nCols } = problem;
  let loss = 0;
  for (let i = 0; i < nRows; i++) loss += w[i] * (softplus(margins[i]) - y[i] * margins[i]);
  let norm = 0;
  for (let k = 0; k < nCols; k++) norm += theta[k] * theta[k];
  return loss + 0.5 * problem.invC * norm;
}

/**
 * The gradient Σ wᵢ (pᵢ − yᵢ) [zᵢ, 1] + [β/C, 0] into `grad`; when `hessianWeights` is given, also
 * hᵢ = wᵢ pᵢ (1 − pᵢ), the row weights of the Hessian Zᵀ H Z.
 */
export function gradientAt(
  problem: LogisticProblem,
  theta: Float64Array,
  margins: Float64Array,
  grad: Float64Array,
  hessianWeights?: Float64Array,
): void {
  const { z, y, w, nRows, nCols: d } = problem;
  grad.fill(0);
  let interceptGrad = 0;
  for (let i = 0; i < nRows; i++) {
    const p = sigmoid(margins[i]);
    if (hessianWeights) hessianWeights[i] = w[i] * p * (1 - p);
    const r = w[i] * (p - y[i]);
    if (r === 0) continue;
    interceptGrad += r;
    const base = i * d;
    for (let k = 0; k < d; k++) grad[k] += r * z[base + k];
  }
  for (let k = 0; k < d; k++) grad[k] += problem.invC * theta[k];
  grad[d] = interceptGrad;
}

/**
 * The data part of the Hessian, Σᵢ hᵢ [zᵢ, 1][zᵢ, 1]ᵀ, into the upper triangle of the (d+1)² row-major `H`
 * (the intercept is index d). Four rows at a time, so each H entry is loaded and stored once per four rows.
 */
export function accumulateHessian(problem: LogisticProblem, h: Float64Array, H: Float64Array): void {
  const { z, nRows, nCols: d } = problem;
  const p = d + 1;
  H.fill(0);
  let i = 0;
  let hSum = 0;
  for (; i + 4 <= nRows; i += 4) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    const h0 = h[i];
    const h1 = h[i + 1];
    const h2 = h[i + 2];
    const h3 = h[i + 3];
    hSum += h0 + h1 + h2 + h3;
    // Two H rows (a, a + 1) at a time: each z value loaded feeds two H entries.
    let a = 0;
    for (; a + 2 <= d; a += 2) {
      const c0 = h0 * z[o0 + a];
      const c1 = h1 * z[o1 + a];
      const c2 = h2 * z[o2 + a];
      const c3 = h3 * z[o3 + a];
      const e0 = h0 * z[o0 + a + 1];
      const e1 = h1 * z[o1 + a + 1];
      const e2 = h2 * z[o2 + a + 1];
      const e3 = h3 * z[o3 + a + 1];
      const row = a * p;
      const next = row + p;
      H[row + a] += c0 * z[o0 + a] + c1 * z[o1 + a] + c2 * z[o2 + a] + c3 * z[o3 + a];
      for (let b = a + 1; b < d; b++) {
        const z0 = z[o0 + b];
        const z1 = z[o1 + b];
        const z2 = z[o2 + b];
        const z3 = z[o3 + b];
        H[row + b] += c0 * z0 + c1 * z1 + c2 * z2 + c3 * z3;
        H[next + b] += e0 * z0 + e1 * z1 + e2 * z2 + e3 * z3;
      }
      H[row + d] += c0 + c1 + c2 + c3;
      H[next + d] += e0 + e1 + e2 + e3;
    }
    if (a < d) {
      const c0 = h0 * z[o0 + a];
      const c1 = h1 * z[o1 + a];
      const c2 = h2 * z[o2 + a];
      const c3 = h3 * z[o3 + a];
      H[a * p + a] += c0 * z[o0 + a] + c1 * z[o1 + a] + c2 * z[o2 + a] + c3 * z[o3 + a];
      H[a * p + d] += c0 + c1 + c2 + c3;
    }
  }
  for (; i < nRows; i++) {
    const o = i * d;
    const hi = h[i];
    hSum += hi;
    for (let a = 0; a < d; a++) {
      const c = hi * z[o + a];
      const row = a * p;
      for (let b = a; b < d; b++) H[row + b] += c * z[o + b];
      H[row + d] += c;
    }
  }
  H[d * p + d] = hSum;
}

/**
 * Solves H x = g for symmetric positive definite H given by its upper triangle (p × p row-major), by the
 * Cholesky factorisation H = UᵀU written over that triangle. Returns false if a pivot is not positive.
 */
export function choleskySolve(H: Float64Array, p: number, g: Float64Array, x: Float64Array): boolean {
  for (let j = 0; j < p; j++) {
    let pivot = H[j * p + j];
    for (let k = 0; k < j; k++) pivot -= H[k * p + j] * H[k * p + j];
    if (!(pivot > 0)) return false;
    const ujj = Math.sqrt(pivot);
    H[j * p + j] = ujj;
    for (let i = j + 1; i < p; i++) {
      let sum = H[j * p + i];
      for (let k = 0; k < j; k++) sum -= H[k * p + j] * H[k * p + i];
      H[j * p + i] = sum / ujj;
    }
  }
  // Uᵀ t = g, then U x = t.
  for (let i = 0; i < p; i++) {
    let sum = g[i];
    for (let k = 0; k < i; k++) sum -= H[k * p + i] * x[k];
    x[i] = sum / H[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < p; k++) sum -= H[i * p + k] * x[k];
    x[i] = sum / H[i * p + i];
  }
  return true;
}

function maxAbs(v: Float64Array): number {
  let max = 0;
  for (let k = 0; k < v.length; k++) max = Math.max(max, Math.abs(v[k]));
  return max;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
  return sum;
}

// ----------------------------------------------------------------------------------------------- solvers

/** Armijo's sufficient-decrease constant of both line searches. */
const ARMIJO = 1e-4;
/** Relative slack for rounding in the objective (a sum of n terms): near the optimum steps may not show. */
const ROUNDING_SLACK = 1e-13;

/**
 * Backtracking line search along θ − t·step, t = 1, ½, ¼, …: trial margins are m − t·u with u = Z·step
 * precomputed. On success `theta` and `margins` hold the accepted point; returns its objective or NaN.
 */
function lineSearch(
  problem: LogisticProblem,
  theta: Float64Array,
  margins: Float64Array,
  f: number,
  step: Float64Array,
  slope: number,
  scratch: { trialTheta: Float64Array; trialMargins: Float64Array; u: Float64Array },
): number {
  const { trialTheta, trialMargins, u } = scratch;
  const d = problem.nCols;
  const s = step[d];
  step[d] = 0;
  computeMargins(problem, step, u);
  step[d] = s;
  for (let i = 0; i < problem.nRows; i++) u[i] += s;
  let t = 1;
  for (let attempt = 0; attempt < 60; attempt++, t /= 2) {
    for (let k = 0; k < theta.length; k++) trialTheta[k] = theta[k] - t * step[k];
    for (let i = 0; i < problem.nRows; i++) trialMargins[i] = margins[i] - t * u[i];
    const trial = objectiveAt(problem, trialTheta, trialMargins);
    if (trial <= f - ARMIJO * t * slope + ROUNDING_SLACK * Math.abs(f)) {
      theta.set(trialTheta);
      margins.set(trialMargins);
      return trial;
    }
  }
  return Number.NaN;
}

function sumOf(v: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  return sum;
}

/**
 * Newton's method from θ = 0: step H⁻¹g by Cholesky (a growing ridge if H is numerically singular), damped
 * by the line search; stops when max |g| <= tol·Σw. Quadratic convergence: ~5–10 iterations.
 */
export function solveNewton(problem: LogisticProblem, maxIter: number, tol: number): SolverResult {
  const { nRows, nCols: d } = problem;
  const p = d + 1;
  const theta = new Float64Array(p);
  const margins = new Float64Array(nRows);
  const grad = new Float64Array(p);
  const step = new Float64Array(p);
  const h = new Float64Array(nRows);
  const H = new Float64Array(p * p);
  const factor = new Float64Array(p * p);
  const scratch = {
    trialTheta: new Float64Array(p),
    trialMargins: new Float64Array(nRows),
    u: new Float64Array(nRows),
  };
  const threshold = tol * sumOf(problem.w);
  computeMargins(problem, theta, margins);
  let f = objectiveAt(problem, theta, margins);
  for (let iteration = 0; ; iteration++) {
    gradientAt(problem, theta, margins, grad, h);
    if (maxAbs(grad) <= threshold) return { theta, iterations: iteration, converged: true };
    if (iteration === maxIter) return { theta, iterations: iteration, converged: false };
    accumulateHessian(problem, h, H);
    for (let k = 0; k < d; k++) H[k * p + k] += problem.invC;
    if (!newtonStep(H, p, grad, step, factor)) return { theta, iterations: iteration, converged: false };
    f = lineSearch(problem, theta, margins, f, step, dot(grad, step), scratch);
    if (Number.isNaN(f)) return { theta, iterations: iteration, converged: false };
    // Fresh margins from θ, so rounding from m − t·u does not build up.
    computeMargins(problem, theta, margins);
  }
}

/** H⁻¹g into `step`, adding a growing ridge while H is numerically singular; false if that does not help. */
function newtonStep(
  H: Float64Array,
  p: number,
  grad: Float64Array,
  step: Float64Array,
  factor: Float64Array,
): boolean {
  let ridge = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    factor.set(H);
    for (let k = 0; k < p; k++) factor[k * p + k] += ridge;
    if (choleskySolve(factor, p, grad, step)) return true;
    ridge = ridge === 0 ? 1e-12 * Math.max(1, maxAbs(H)) : ridge * 100;
  }
  return false;
}

/**
 * L-BFGS (Nocedal & Wright 2006, Alg. 7.4, two-loop recursion) with `memory` pairs, from θ = 0, with the
 * same line search and stopping rule as Newton. Pairs with sᵀy <= 0 are skipped (cannot happen on this
 * strictly convex objective except by rounding).
 */
export function solveLbfgs(
  problem: LogisticProblem,
  maxIter: number,
  tol: number,
  memory = 10,
): SolverResult {
  const { nRows, nCols: d } = problem;
  const p = d + 1;
  const theta = new Float64Array(p);
  const margins = new Float64Array(nRows);
  const grad = new Float64Array(p);
  // θ_k and g_k before a step, then the pair s_k = θ_{k+1} − θ_k, y_k = g_{k+1} − g_k.
  const sPair = new Float64Array(p);
  const yPair = new Float64Array(p);
  const direction = new Float64Array(p);
  const S = Array.from({ length: memory }, () => new Float64Array(p));
  const Y = Array.from({ length: memory }, () => new Float64Array(p));
  const rho = new Float64Array(memory);
  const alpha = new Float64Array(memory);
  const scratch = {
    trialTheta: new Float64Array(p),
    trialMargins: new Float64Array(nRows),
    u: new Float64Array(nRows),
  };
  const sumW = sumOf(problem.w);
  const threshold = tol * sumW;
  // Initial inverse-Hessian scale: 1 / (an upper bound of the Hessian's diagonal on standardised columns).
  let gamma = 1 / (0.25 * sumW + problem.invC);
  let stored = 0;
  let newest = -1;
  computeMargins(problem, theta, margins);
  let f = objectiveAt(problem, theta, margins);
  gradientAt(problem, theta, margins, grad);
  for (let iteration = 0; ; iteration++) {
    if (maxAbs(grad) <= threshold) return { theta, iterations: iteration, converged: true };
    if (iteration === maxIter) return { theta, iterations: iteration, converged: false };
    // Two-loop recursion: direction = H_k g (the step is θ − t·direction).
    direction.set(grad);
    for (let m = 0; m < stored; m++) {
      const j = (newest - m + memory) % memory;
      alpha[j] = rho[j] * dot(S[j], direction);
      for (let k = 0; k < p; k++) direction[k] -= alpha[j] * Y[j][k];
    }
    for (let k = 0; k < p; k++) direction[k] *= gamma;
    for (let m = stored - 1; m >= 0; m--) {
      const j = (newest - m + memory) % memory;
      const beta = rho[j] * dot(Y[j], direction);
      for (let k = 0; k < p; k++) direction[k] += (alpha[j] - beta) * S[j][k];
    }
    sPair.set(theta);
    yPair.set(grad);
    f = lineSearch(problem, theta, margins, f, direction, dot(grad, direction), scratch);
    if (Number.isNaN(f)) return { theta, iterations: iteration, converged: false };
    // Margins are updated as m − t·u; refresh them from θ now and then so rounding cannot build up.
    if (iteration % 10 === 9) computeMargins(problem, theta, margins);
    gradientAt(problem, theta, margins, grad);
    // The newest pair overwrites the oldest only once accepted.
    for (let k = 0; k < p; k++) {
      sPair[k] = theta[k] - sPair[k];
      yPair[k] = grad[k] - yPair[k];
    }
    const sy = dot(sPair, yPair);
    const yy = dot(yPair, yPair);
    if (sy > 0 && yy > 0) {
      const next = (newest + 1) % memory;
      S[next].set(sPair);
      Y[next].set(yPair);
      rho[next] = 1 / sy;
      gamma = sy / yy;
      newest = next;
      stored = Math.min(stored + 1, memory);
    }
  }
}
