// Sorting doubles by their bits: an LSD radix sort, several times faster than the comparison sort for the
// hundreds of thousands of sample values the binning sorts per feature.

/**
 * Sorts `values` ascending in place (NaN must not occur; −0 sorts before +0). Each double's bits become an
 * unsigned key with the same order — negative numbers get every bit flipped, others only the sign bit —
 * and the (high, low) word pairs are sorted by four stable 16-bit counting passes, low digits first.
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 2) return values;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const high = words[2 * i + 1];
    const negative = high >>> 31;
    lo[i] = negative ? ~words[2 * i] >>> 0 : words[2 * i];
    hi[i] = negative ? ~high >>> 0 : (high | 0x80000000) >>> 0;
  }
  let loOut = new Uint32Array(n);
  let hiOut = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const keys = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & 0xffff]++;
    // A pass where every key has the same digit would move nothing: skip it.
    if (counts[(keys[0] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(keys[i] >>> shift) & 0xffff]++;
      loOut[at] = lo[i];
      hiOut[at] = hi[i];
    }
    [lo, loOut] = [loOut, lo];
    [hi, hiOut] = [hiOut, hi];
  }
  for (let i = 0; i < n; i++) {
    const high = hi[i];
    const wasNegative = high >>> 31 === 0;
    words[2 * i] = wasNegative ? ~lo[i] >>> 0 : lo[i];
    words[2 * i + 1] = wasNegative ? ~high >>> 0 : (high & 0x7fffffff) >>> 0;
  }
  return values;
}
