import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { Random } from '../ml/random.js';
import { qiniCurve, qiniWinShare, upliftAtK } from './uplift-metrics.js';

/** The slow twin's ranking: each row's rank counted pairwise (higher score first, ties by row), O(n²). */
function slowRanks(score: ArrayLike<number>): number[] {
  return Array.from({ length: score.length }, (_, i) => {
    let rank = 0;
    for (let j = 0; j < score.length; j++)
      if (score[j] > score[i] || (score[j] === score[i] && j < i)) rank++;
    return rank;
  });
}

/** The slow twin's counts among the rows ranked below `rows`, recounted from scratch. */
function slowCounts(ranks: number[], rows: number, treated: ArrayLike<number>, churned: ArrayLike<number>) {
  let nT = 0;
  let nC = 0;
  let eT = 0;
  let eC = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (ranks[i] >= rows) continue;
    if (treated[i] === 1) {
      nT++;
      eT += churned[i];
    } else {
      nC++;
      eC += churned[i];
    }
  }
  return { nT, nC, eT, eC };
}

function slowUpliftAtK(
  score: ArrayLike<number>,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  k: number,
) {
  const c = slowCounts(slowRanks(score), Math.max(1, Math.round(k * score.length)), treated, churned);
  return c.nT > 0 && c.nC > 0 ? c.eC / c.nC - c.eT / c.nT : null;
}

/** Qini points and area straight from the definitions, each point recounted and the area by trapezoids. */
function slowQini(
  score: ArrayLike<number>,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  bins: number,
) {
  const n = score.length;
  const ranks = slowRanks(score);
  const allTreated = Array.from(treated).reduce((a, b) => a + b, 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const rows = Math.round((i * n) / bins);
    const c = slowCounts(ranks, rows, treated, churned);
    xs.push(rows / n);
    ys.push(c.nT > 0 && c.nC > 0 ? (c.eC * c.nT) / c.nC - c.eT : 0);
  }
  const gains = ys.map((y) => y / allTreated);
  const final = gains[bins];
  let area = 0;
  for (let i = 1; i <= bins; i++) {
    const above = (x: number, y: number) => y - final * x;
    area += ((above(xs[i - 1], gains[i - 1]) + above(xs[i], gains[i])) / 2) * (xs[i] - xs[i - 1]);
  }
  return { xs, gains, area };
}

describe('uplift metrics', () => {
  it('work a small example by hand', () => {
    const score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const treated = [1, 0, 1, 0, 1, 0];
    const churned = [0, 1, 0, 1, 1, 0];
    // Top half: treated rows 0 and 2 stayed (rate 0), control row 1 churned (rate 1).
    expect(upliftAtK(score, treated, churned, 0.5)).toEqual({
      fraction: 0.5,
      rows: 3,
      treatedRows: 2,
      controlRows: 1,
      treatedRate: 0,
      controlRate: 1,
      uplift: 1,
    });
    // g(3) = 1·2/1 − 0 = 2 and g(6) = 2·3/3 − 1 = 1, over 3 treated customers: gains 2/3 and 1/3.
    // Above the line y = x/3: 0, 1/2, 0 → two trapezoids of (0 + 1/2)/2 · 1/2 = 1/8.
    const qini = qiniCurve(score, treated, churned, 2);
    expect(qini.points.map((p) => p.rows)).toEqual([0, 3, 6]);
    expect(qini.points[1].gain).toBeCloseTo(2 / 3, 15);
    expect(qini.points[2].gain).toBeCloseTo(1 / 3, 15);
    expect(qini.coefficient).toBeCloseTo(0.25, 15);
  });

  it('match the brute-force slow twin, ties included', () => {
    const random = new Random(17);
    const n = 503;
    // One decimal: many tied scores, so the tie rule is exercised.
    const score = Float64Array.from({ length: n }, () => Math.round(random.next() * 10) / 10);
    const treated = Uint8Array.from({ length: n }, () => (random.next() < 0.4 ? 1 : 0));
    const churned = Uint8Array.from(score, (s, i) =>
      random.next() < 0.3 + (treated[i] ? -0.2 * s : 0) ? 1 : 0,
    );
    for (const k of [0.001, 0.1, 0.25, 0.3, 0.5, 0.77, 1]) {
      const fast = upliftAtK(score, treated, churned, k).uplift;
      const slow = slowUpliftAtK(score, treated, churned, k);
      if (slow === null) expect(fast).toBeNull();
      else expect(fast).toBeCloseTo(slow, 12);
    }
    // The top row alone has one group empty: no uplift.
    expect(upliftAtK(score, treated, churned, 0.001).uplift).toBeNull();
    for (const bins of [1, 7, 10, 100, n]) {
      const fast = qiniCurve(score, treated, churned, bins);
      const slow = slowQini(score, treated, churned, bins);
      expect(fast.points.map((p) => p.fraction)).toEqual(slow.xs);
      fast.points.forEach((p, i) => {
        expect(p.gain).toBeCloseTo(slow.gains[i], 12);
      });
      expect(fast.coefficient).toBeCloseTo(slow.area, 12);
    }
  });

  it('end the Qini curve at the overall uplift and rank a good score above its reverse', () => {
    const random = new Random(4);
    const n = 4000;
    // The action helps only when `helps` is high; the true effect is the best possible score.
    const helps = Float64Array.from({ length: n }, () => random.next());
    const treated = Uint8Array.from({ length: n }, () => (random.next() < 0.5 ? 1 : 0));
    const churned = Uint8Array.from(helps, (h, i) =>
      random.next() < 0.4 - (treated[i] && h > 0.5 ? 0.3 : 0) ? 1 : 0,
    );
    const good = qiniCurve(helps, treated, churned);
    const reversed = qiniCurve(
      helps.map((h) => -h),
      treated,
      churned,
    );
    const overall = upliftAtK(helps, treated, churned, 1).uplift!;
    expect(good.points[10].gain).toBeCloseTo(overall, 12);
    expect(reversed.points[10].gain).toBeCloseTo(overall, 12);
    expect(good.coefficient).toBeGreaterThan(0.02); // about 0.0375 in expectation
    expect(reversed.coefficient).toBeLessThan(-0.02);
  });

  it('give null rates when a group is missing from the top k', () => {
    const result = upliftAtK([3, 2, 1], [1, 1, 0], [0, 1, 1], 0.5);
    expect(result).toMatchObject({
      rows: 2,
      treatedRows: 2,
      controlRows: 0,
      controlRate: null,
      uplift: null,
    });
    expect(result.treatedRate).toBe(0.5);
  });

  it('reject bad input, naming the field', () => {
    const expectKey = (call: () => unknown, key: string) => {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).where.key).toBe(key);
    };
    expectKey(() => upliftAtK([1, 2], [1, 0], [0, 1], 0), 'fraction');
    expectKey(() => upliftAtK([1, 2], [1, 0], [0, 1], 1.5), 'fraction');
    expectKey(() => upliftAtK([1, 2], [1], [0, 1], 0.5), 'treated');
    expectKey(() => upliftAtK([1, 2], [1, 0], [0, 2], 0.5), 'churned');
    expectKey(() => upliftAtK([1, Number.NaN], [1, 0], [0, 1], 0.5), 'score');
    expectKey(() => upliftAtK([], [], [], 0.5), 'score');
    expectKey(() => qiniCurve([1, 2], [1, 0], [0, 1], 0), 'bins');
  });
});

describe('qiniWinShare', () => {
  /** 4,000 members, half treated; the action lowers churn from 0.3 to 0.1 for odd rows only. */
  const n = 4000;
  const random = new Random(9);
  const treated = Uint8Array.from({ length: n }, () => (random.next() < 0.5 ? 1 : 0));
  const churned = Uint8Array.from({ length: n }, (_, i) =>
    random.next() < (i % 2 === 1 && treated[i] === 1 ? 0.1 : 0.3) ? 1 : 0,
  );
  const knowing = Float64Array.from({ length: n }, (_, i) => i % 2);
  const guessing = Float64Array.from({ length: n }, () => random.next());

  it('is near 1 when the challenger ranks much better, near 0 when much worse, and repeatable', () => {
    expect(qiniWinShare(guessing, knowing, treated, churned, { seed: 1 })).toBeGreaterThan(0.99);
    expect(qiniWinShare(knowing, guessing, treated, churned, { seed: 1 })).toBeLessThan(0.01);
    const a = qiniWinShare(guessing, knowing, treated, churned, { seed: 2, resamples: 50 });
    expect(qiniWinShare(guessing, knowing, treated, churned, { seed: 2, resamples: 50 })).toBe(a);
  });

  it('never counts a tie as a win: the same ranking against itself wins no resample', () => {
    expect(qiniWinShare(knowing, knowing, treated, churned)).toBe(0);
  });

  it('checks both scores against the outcomes', () => {
    expect(() => qiniWinShare([1, 2], [1], [1, 0], [0, 1])).toThrow(InputError);
  });
});
