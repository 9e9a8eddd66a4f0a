import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { cutoffDates } from './cutoff-dates.js';

describe('cutoffDates', () => {
  it('steps back from the last midnight whose horizon has passed, oldest first', () => {
    // 2025-06-30 23:43 − 90 d = 2025-04-01 23:43 → 2025-04-01; history from 2024-01-01 01:10 + 90 d.
    const cutoffs = cutoffDates({
      dataStart: '2024-01-01 01:10:11',
      dataEnd: '2025-06-30 23:43:32',
      horizonDays: 90,
    });
    expect(cutoffs.at(-1)).toBe('2025-04-01');
    expect(cutoffs[0]).toBe('2024-04-06');
    expect(cutoffs).toHaveLength(13);
    expect(cutoffs.slice(-3)).toEqual(['2025-01-31', '2025-03-02', '2025-04-01']);
  });

  it('keeps a cutoff whose horizon ends exactly at the data end, not one a second later', () => {
    const base = { dataStart: '2025-01-01', horizonDays: 30, stepDays: 7, minHistoryDays: 0 };
    expect(cutoffDates({ ...base, dataEnd: '2025-05-31' }).at(-1)).toBe('2025-05-01');
    expect(cutoffDates({ ...base, dataEnd: '2025-05-30 23:59:59' }).at(-1)).toBe('2025-04-30');
  });

  it('needs minHistoryDays before the first cutoff, inclusive', () => {
    const base = { dataStart: '2025-01-01', dataEnd: '2025-03-02', horizonDays: 10, stepDays: 10 };
    expect(cutoffDates({ ...base, minHistoryDays: 30 })).toEqual(['2025-01-31', '2025-02-10', '2025-02-20']);
    expect(cutoffDates({ ...base, minHistoryDays: 31 })).toEqual(['2025-02-10', '2025-02-20']);
  });

  it('keeps the newest `max`, and is empty when the data is too short', () => {
    const base = { dataStart: '2024-01-01', dataEnd: '2025-06-30', horizonDays: 90 };
    expect(cutoffDates({ ...base, max: 2 })).toEqual(['2025-03-02', '2025-04-01']);
    expect(cutoffDates({ ...base, dataEnd: '2024-05-01' })).toEqual([]);
  });

  it('rejects bad parameters, naming them', () => {
    const base = { dataStart: '2024-01-01', dataEnd: '2025-06-30', horizonDays: 90 };
    expect(() => cutoffDates({ ...base, stepDays: 0 })).toThrow('stepDays=0 must be a whole number >= 1');
    expect(() => cutoffDates({ ...base, horizonDays: 1.5 })).toThrow(InputError);
    expect(() => cutoffDates({ ...base, minHistoryDays: -1 })).toThrow('minHistoryDays=-1');
    expect(() => cutoffDates({ ...base, max: 0 })).toThrow('max=0');
    expect(() => cutoffDates({ ...base, dataEnd: '2025-02-30' })).toThrow('dataEnd="2025-02-30"');
    expect(() => cutoffDates({ ...base, dataEnd: '2023-12-31' })).toThrow('is before dataStart');
  });
});
