// Validation by time: train on older cutoffs, test on the latest matured one.
//
// The rule: a training cutoff c needs c + H ≤ test cutoff. A training row's label looks at [c, c + H);
// if c + H were later than the test cutoff T, that window would overlap the test period [T, T + H) and
// the model would be trained on outcomes from the very period it is tested on (e.g. a customer's quiet
// month after T would shape both a training label and the test label). Cutoffs between T − H and T are
// therefore left out of both sides.
//
//   time ───────────────────────────────────────────────────────────────▶
//   c1 [──── H ────)                            train (c1 + H ≤ T)
//            c2 [──── H ────)                   train (c2 + H = T: allowed, the window ends at T)
//                      c3 [──── H ────)         dropped (c3 + H > T)
//                           T [──── H ────)     test

import { InputError } from '../errors.js';
import { normalizeCutoff } from '../features/cutoff.js';

const DAY_MS = 86_400_000;

export interface TimeSplit {
  /** Cutoffs to train on, oldest first; each c has c + H ≤ test. */
  train: string[];
  /** The latest cutoff. */
  test: string;
  /** Older cutoffs whose horizon reaches past the test cutoff, oldest first: used for neither. */
  dropped: string[];
}

/**
 * Splits matured cutoffs (e.g. from `cutoffDates`) by time: the latest is the test cutoff, the older ones
 * with c + horizonDays ≤ test are training cutoffs. Cutoffs are `YYYY-MM-DD[ HH:MM:SS]` and come back
 * as given. InputError when there are duplicates or no training cutoff is left.
 */
export function timeSplit(cutoffs: readonly string[], options: { horizonDays: number }): TimeSplit {
  const { horizonDays } = options;
  if (!(Number.isInteger(horizonDays) && horizonDays >= 1)) {
    throw new InputError(`horizonDays=${horizonDays} must be a whole number >= 1`, { key: 'horizonDays' });
  }
  const sorted = cutoffs.map((cutoff) => ({ cutoff, ms: toMs(cutoff) })).sort((a, b) => a.ms - b.ms);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.ms === sorted[i - 1]!.ms) {
      throw new InputError(`cutoff ${sorted[i]!.cutoff} is given twice`, { key: 'cutoffs' });
    }
  }
  const last = sorted.pop();
  if (!last) throw new InputError('timeSplit needs at least two cutoffs, got none', { key: 'cutoffs' });
  const reachesTest = (ms: number) => ms + horizonDays * DAY_MS > last.ms;
  const train = sorted.filter((c) => !reachesTest(c.ms)).map((c) => c.cutoff);
  const dropped = sorted.filter((c) => reachesTest(c.ms)).map((c) => c.cutoff);
  if (train.length === 0) {
    throw new InputError(
      `no training cutoff: none is at least ${horizonDays} days before the test cutoff ${last.cutoff}`,
      { key: 'cutoffs' },
    );
  }
  const split = { train, test: last.cutoff, dropped };
  checkTimeSplit(split, horizonDays);
  return split;
}

/**
 * Checks a split made elsewhere: every training cutoff c is before the test cutoff and c + horizonDays ≤
 * test, so no training label looks at the test period. Throws InputError naming the first that does.
 */
export function checkTimeSplit(split: Pick<TimeSplit, 'train' | 'test'>, horizonDays: number): void {
  const test = toMs(split.test);
  for (const cutoff of split.train) {
    if (toMs(cutoff) + horizonDays * DAY_MS > test) {
      throw new InputError(
        `training cutoff ${cutoff} + ${horizonDays} days reaches past the test cutoff ${split.test}: ` +
          'its labels would overlap the test period',
        { key: 'cutoffs' },
      );
    }
  }
}

function toMs(cutoff: string): number {
  return Date.parse(`${normalizeCutoff(cutoff).replace(' ', 'T')}Z`);
}
