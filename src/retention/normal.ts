// The standard normal distribution for the experiment statistics: density, CDF, upper tail and quantile,
// accurate to about 1e-15 relative in the tails, so small p-values keep their digits.

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Standard normal CDF Φ(x) = P(Z ≤ x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x <= 0 ? lowerTail(x) : 1 - lowerTail(-x);
}

/** Upper tail Q(x) = P(Z > x) = 1 − Φ(x), without the cancellation of `1 − normalCdf(x)` for large x. */
export function normalSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x >= 0 ? lowerTail(-x) : 1 - lowerTail(x);
}

/** Φ(x) for x ≤ 0: the Taylor series near 0, the continued fraction in the tail. */
function lowerTail(x: number): number {
  if (x === Number.NEGATIVE_INFINITY) return 0;
  if (x > -2.5) return 0.5 + seriesPart(x);
  return millsContinuedFraction(-x) * normalPdf(x);
}

/**
 * Φ(x) − 1/2 = φ(x) · Σ x^(2n+1) / (1·3·5···(2n+1)) (Marsaglia 2004, "Evaluating the normal
 * distribution", J. Stat. Software 11(4), eq. 2). All terms share a sign, so no cancellation; used for
 * |x| < 2.5 where it converges in under 60 terms.
 */
function seriesPart(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let k = 3; k < 400; k += 2) {
    term *= x2 / k;
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return sum * normalPdf(x);
}

/**
 * Mills ratio Q(x)/φ(x) for x ≥ 2.5 from Laplace's continued fraction
 * 1/(x + 1/(x + 2/(x + 3/(x + …)))), evaluated with the modified Lentz method
 * (Press et al., Numerical Recipes 3rd ed., §5.2).
 */
function millsContinuedFraction(x: number): number {
  const tiny = 1e-300;
  // f = b0 + a1/(b1 + a2/(b2 + …)) with b_k = x, a_1 = 1, a_k = k − 1; the Mills ratio is 1/f.
  let f = x;
  let c = f;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

// Acklam's rational approximation of the normal quantile (P. J. Acklam, "An algorithm for computing the
// inverse normal cumulative distribution function", 2003; relative error below 1.15e-9), refined below
// by one Halley step against `normalCdf`, which brings it to full double precision.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Standard normal quantile Φ⁻¹(p) for p in [0, 1] (±Infinity at the ends). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p=${p} must be between 0 and 1`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Work in the lower half, where Φ is computed without cancellation, and reflect.
  if (p > 0.5) return -lowerQuantile(1 - p);
  return lowerQuantile(p);
}

/** Φ⁻¹(p) for 0 < p ≤ 1/2. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  // One Halley step on Φ(x) − p = 0: u = (Φ(x) − p)/φ(x), x ← x − u/(1 + x·u/2).
  const pdf = normalPdf(x);
  if (pdf > 0) {
    const u = (normalCdf(x) - p) / pdf;
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}
