import { describe, expect, it } from 'vitest';
import { assignTiers } from './tiers.js';

describe('assignTiers', () => {
  it('uses fixed thresholds as they are', () => {
    expect(assignTiers({ high: 0.7, medium: 0.4 }, [0.1, 0.9, 0.5])).toEqual({
      tiers: ['low', 'high', 'medium'],
      thresholds: { high: 0.7, medium: 0.4 },
    });
  });

  it('puts exactly the top k percent in each tier, by rank', () => {
    const p = Array.from({ length: 100 }, (_, i) => i / 100);
    const { tiers, thresholds } = assignTiers({ topKPercent: { high: 5, medium: 20 } }, p);
    expect(thresholds).toEqual({ high: 0.95, medium: 0.8 });
    expect(tiers.filter((t) => t === 'high')).toHaveLength(5);
    expect(tiers.filter((t) => t === 'medium')).toHaveLength(15);
  });

  it('breaks ties by position, so many equal scores do not flood the high tier', () => {
    const { tiers } = assignTiers({ topKPercent: { high: 10, medium: 50 } }, new Array(20).fill(0.3));
    expect(tiers.slice(0, 3)).toEqual(['high', 'high', 'medium']);
    expect(tiers.filter((t) => t === 'high')).toHaveLength(2);
    expect(tiers.filter((t) => t === 'low')).toHaveLength(10);
  });

  it('puts nobody in a tier when there is nobody to score', () => {
    expect(assignTiers({ topKPercent: { high: 5, medium: 20 } }, []).thresholds.high).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
