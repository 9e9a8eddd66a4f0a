import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../ml/matrix.js';
import { describeValue, formatDriver, topDrivers } from './drivers.js';

const X: FeatureMatrix = {
  nRows: 2,
  names: ['plan', 'signup', 'auto_renew', 'fee'],
  kinds: ['categorical', 'numeric', 'numeric', 'numeric'],
  categories: [['Basic', 'Premium'], [], [], []],
  columns: [
    Float64Array.from([1, Number.NaN]),
    Float64Array.from([18549, 0]),
    Float64Array.from([1, 0]),
    Float64Array.from([59.123456789, 30]),
  ],
};

describe('describeValue', () => {
  it('writes values as the file did: categories, dates, booleans, rounded numbers, missing', () => {
    expect(describeValue(X, 0, 0)).toBe('Premium');
    expect(describeValue(X, 0, 1)).toBe('missing');
    expect(describeValue(X, 0, 1, 'zh-CN')).toBe('缺失');
    expect(describeValue(X, 1, 0, 'en', 'date')).toBe('2020-10-14');
    expect(describeValue(X, 1, 1, 'en', 'date')).toBe('1970-01-01');
    expect(describeValue(X, 2, 0, 'en', 'boolean')).toBe('true');
    expect(describeValue(X, 2, 1, 'en', 'boolean')).toBe('false');
    expect(describeValue(X, 3, 0)).toBe('59.1235');
    expect(describeValue(X, 3, 1)).toBe('30');
  });
});

describe('topDrivers', () => {
  it('ranks by |contribution|, skips zeros, and formats with the sign', () => {
    // Row-major contributions: 4 features + bias per row.
    const contributions = {
      values: Float64Array.from([0.21, -0.5, 0, 0.1, -1, 0, 0, 0, 0, 0]),
      nFeatures: 4,
      space: 'margin' as const,
    };
    const drivers = topDrivers(X, contributions, 0, 3, 'en', ['categorical', 'date', 'boolean', 'numeric']);
    expect(drivers.map(formatDriver)).toEqual([
      'signup = 2020-10-14 (-0.50)',
      'plan = Premium (+0.21)',
      'fee = 59.1235 (+0.10)',
    ]);
  });
});
