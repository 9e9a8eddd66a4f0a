// Storage types of the learning core, decided in one place, each with its reason.

/** Binned feature values: at most 256 bins (255 value bins + 1 missing bin) fit a byte, 8x smaller than doubles. */
export const BinArray = Uint8Array;
export type BinArray = Uint8Array;

/** Per-row gradients and hessians: float32 halves memory traffic in the histogram loop; sums stay float64. */
export const GradArray = Float32Array;
export type GradArray = Float32Array;

/** Histogram sums, leaf values, thresholds: float64 so long sums do not lose precision. */
export const SumArray = Float64Array;
export type SumArray = Float64Array;

/** Maximum number of value bins per feature; one more bin holds missing values. */
export const MAX_BINS = 255;
