import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { Random } from '../ml/random.js';
import { drawSplit, fitRows, readSplit, writeSplit } from './row-split.js';

const goldenSplit = new URL('../../../shared/golden/split.json', import.meta.url).pathname;
const toyLabels = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0));

describe('readSplit', () => {
  it('reads the reference split file', () => {
    const split = readSplit(goldenSplit, 100);
    expect(split.test.length).toBe(20);
    expect(split.valid.length).toBe(8);
    expect(fitRows(split).length).toBe(split.train.length - 8);
    expect(Array.from(split.test).filter((row) => toyLabels[row] === 1).length).toBe(5);
  });

  it('refuses a split for another row count, naming the file and the key', () => {
    expect(() => readSplit(goldenSplit, 99)).toThrow(InputError);
    try {
      readSplit(goldenSplit, 99);
    } catch (error) {
      expect((error as InputError).message).toBe('split is for 100 rows, the data has 99');
      expect((error as InputError).where).toEqual({ file: goldenSplit, key: 'n_rows' });
    }
  });

  it('refuses overlapping parts and bad indices', () => {
    const dir = mkdtempSync(join(tmpdir(), 'split-'));
    const path = join(dir, 's.json');
    const base = { format: 'ref_gbdt.split.v1', n_rows: 4, valid: [] };
    writeFileSync(path, JSON.stringify({ ...base, train: [0, 1, 2], test: [2, 3] }));
    expect(() => readSplit(path, 4)).toThrow('train and test overlap');
    writeFileSync(path, JSON.stringify({ ...base, train: [0, 1, 7], test: [3] }));
    expect(() => readSplit(path, 4)).toThrow('row index 7 out of range 0..3');
    expect(() => readSplit(join(dir, 'none.json'), 4)).toThrow('split file: file not found');
  });
});

describe('drawSplit', () => {
  it('is stratified, disjoint and reproducible', () => {
    const split = drawSplit(toyLabels, 0.2, 0.1, new Random(42));
    expect(split.test.length).toBe(20);
    expect(Array.from(split.test).filter((row) => toyLabels[row] === 1).length).toBe(5);
    expect(split.valid.length).toBe(8);
    expect(Array.from(split.valid).filter((row) => toyLabels[row] === 1).length).toBe(2);
    const train = new Set(split.train);
    expect(Array.from(split.test).some((row) => train.has(row))).toBe(false);
    expect(train.size + split.test.length).toBe(100);
    expect(drawSplit(toyLabels, 0.2, 0.1, new Random(42))).toEqual(split);
    expect(drawSplit(toyLabels, 0.2, 0.1, new Random(43))).not.toEqual(split);
  });

  it('round-trips through the reference format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'split-'));
    const path = join(dir, 's.json');
    const split = drawSplit(toyLabels, 0.25, 0, new Random(1));
    writeSplit(path, split, 100, { seed: 1 });
    expect(readSplit(path, 100)).toEqual(split);
  });
});
