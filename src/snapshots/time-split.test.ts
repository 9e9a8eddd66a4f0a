import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { checkTimeSplit, timeSplit } from './time-split.js';

describe('timeSplit', () => {
  it('tests on the latest cutoff and trains on those whose horizon ends by it', () => {
    const cutoffs = ['2025-03-02', '2024-12-02', '2025-04-01', '2025-01-01', '2025-01-31'];
    expect(timeSplit(cutoffs, { horizonDays: 90 })).toEqual({
      train: ['2024-12-02', '2025-01-01'], // 2025-01-01 + 90 d = 2025-04-01: ends exactly at the test cutoff
      test: '2025-04-01',
      dropped: ['2025-01-31', '2025-03-02'], // their horizons overlap [2025-04-01, 2025-06-30)
    });
    expect(timeSplit(cutoffs, { horizonDays: 30 }).train).toEqual([
      '2024-12-02',
      '2025-01-01',
      '2025-01-31',
      '2025-03-02',
    ]);
  });

  it('rejects no training cutoff, duplicates and a bad horizon', () => {
    expect(() => timeSplit(['2025-03-02', '2025-04-01'], { horizonDays: 90 })).toThrow(
      'no training cutoff: none is at least 90 days before the test cutoff 2025-04-01',
    );
    expect(() => timeSplit([], { horizonDays: 90 })).toThrow(InputError);
    expect(() => timeSplit(['2025-01-01', '2025-01-01 00:00:00'], { horizonDays: 9 })).toThrow('twice');
    expect(() => timeSplit(['2025-01-01', '2025-04-01'], { horizonDays: 0 })).toThrow('horizonDays=0');
  });

  it('checkTimeSplit names a training cutoff whose labels overlap the test period', () => {
    expect(() => checkTimeSplit({ train: ['2025-01-01'], test: '2025-04-01' }, 90)).not.toThrow();
    expect(() => checkTimeSplit({ train: ['2025-01-01', '2025-01-02'], test: '2025-04-01' }, 90)).toThrow(
      'training cutoff 2025-01-02 + 90 days reaches past the test cutoff 2025-04-01',
    );
    expect(() => checkTimeSplit({ train: ['2025-05-01'], test: '2025-04-01' }, 1)).toThrow(InputError);
  });
});
