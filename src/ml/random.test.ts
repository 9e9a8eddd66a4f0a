import { describe, expect, it } from 'vitest';
import { bootstrapCounts, Random, sampleWithoutReplacement, shuffle } from './random.js';

describe('Random', () => {
  it('matches the xoshiro128** reference outputs from state {1, 2, 3, 4}', () => {
    // Computed with an independent Python transcription of prng.di.unimi.it/xoshiro128starstar.c.
    const random = Random.fromState(1, 2, 3, 4);
    const outputs = Array.from({ length: 6 }, () => random.nextUint32());
    expect(outputs).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('repeats for the same seed and stream, and differs across seeds and streams', () => {
    const draw = (seed: number, stream: number) => {
      const random = new Random(seed, stream);
      return Array.from({ length: 8 }, () => random.nextUint32());
    };
    expect(draw(42, 0)).toEqual(draw(42, 0));
    expect(draw(42, 0)).not.toEqual(draw(43, 0));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
    expect(draw(-5, 0)).not.toEqual(draw(5, 0));
  });

  it('draws doubles in [0, 1) with a mean near one half', () => {
    const random = new Random(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = random.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Random(1.5)).toThrow('seed=1.5 must be a safe integer');
  });
});

describe('shuffle', () => {
  it('permutes', () => {
    const values = Int32Array.from({ length: 100 }, (_, i) => i);
    shuffle(values, new Random(1));
    expect(Array.from(values)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(values).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('sampleWithoutReplacement', () => {
  it('returns k distinct ascending indices, each index about equally often', () => {
    const random = new Random(3);
    const hits = new Float64Array(10);
    let ordered = true;
    for (let t = 0; t < 20_000; t++) {
      const sample = sampleWithoutReplacement(10, 3, random);
      ordered &&= sample.length === 3 && sample[0] < sample[1] && sample[1] < sample[2];
      for (const i of sample) hits[i]++;
    }
    expect(ordered).toBe(true);
    for (const h of hits) expect(Math.abs(h / 20_000 - 0.3)).toBeLessThan(0.015);
  });

  it('handles k = 0 and k = n, and rejects k > n', () => {
    expect(sampleWithoutReplacement(5, 0, new Random(1)).length).toBe(0);
    expect(Array.from(sampleWithoutReplacement(5, 5, new Random(1)))).toEqual([0, 1, 2, 3, 4]);
    expect(() => sampleWithoutReplacement(5, 6, new Random(1))).toThrow('k=6 must be between 0 and n=5');
  });
});

describe('bootstrapCounts', () => {
  it('draws n times; about 1 - 1/e of the items are drawn at least once', () => {
    const counts = bootstrapCounts(50_000, new Random(9));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(50_000);
    const drawn = counts.filter((c) => c > 0).length / 50_000;
    expect(Math.abs(drawn - (1 - Math.exp(-1)))).toBeLessThan(0.01);
  });
});
