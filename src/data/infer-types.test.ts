import { describe, expect, it } from 'vitest';
import { type ColumnInference, inferColumn, looksLikeIdName } from './infer-types.js';
import { parseDate, parseNumber } from './parse-cell.js';
import type { TextColumn } from './table.js';

/** Builds a column from cells (null = missing) the way the reader would. */
function textColumn(cells: (string | null)[]): TextColumn {
  const values: string[] = [];
  const codes = new Int32Array(cells.length);
  let blankCells = 0;
  const firstBlankRows: number[] = [];
  cells.forEach((cell, i) => {
    if (cell === null || cell.trim() === '') {
      codes[i] = -1;
      if (cell !== null && cell !== '' && blankCells++ < 5) firstBlankRows.push(i);
      return;
    }
    let code = values.indexOf(cell);
    if (code < 0) code = values.push(cell) - 1;
    codes[i] = code;
  });
  return { name: 'x', values, codes, blankCells, firstBlankRows, rowLines: new Uint32Array(0) };
}

function infer(cells: (string | null)[], name = 'x'): ColumnInference {
  return inferColumn({ ...textColumn(cells), name });
}

const repeat = (n: number, f: (i: number) => string | null) => Array.from({ length: n }, (_, i) => f(i));

describe('inferColumn', () => {
  it('reads numbers, with missing cells and pandas NA tokens', () => {
    const c = infer(['1', '2.5', null, 'NA', ' 3 ', '-1e3']);
    expect(c).toMatchObject({ type: 'numeric', missing: 2, distinct: 4, integer: false });
  });

  it('keeps a 0/1 column numeric, as the reference does', () => {
    expect(infer(['0', '1', '1', '0']).type).toBe('numeric');
  });

  it('reads a numeric column with a few stray texts as numeric, naming them and their lines', () => {
    const cells = repeat(2000, (i) => (i === 10 || i === 700 ? '?' : String(i)));
    const c = infer(cells);
    expect(c.type).toBe('numeric');
    expect(c.missing).toBe(2);
    expect(c.unparsed).toEqual({ count: 2, examples: ['?'], lines: [12, 702] });
  });

  it('reads a column with too many stray texts as categorical', () => {
    const cells = repeat(100, (i) => (i < 5 ? 'unknown' : String(i)));
    expect(infer(cells).type).toBe('categorical');
  });

  it('reads True/False as boolean, but Yes/No (and True/False with blanks) as categorical like pandas', () => {
    expect(infer(['True', 'False', 'true', 'FALSE']).type).toBe('boolean');
    expect(infer(['Yes', 'No', 'No']).type).toBe('categorical');
    expect(infer(['True', null, 'False']).type).toBe('categorical');
  });

  it('reads ISO dates', () => {
    expect(infer(['2024-01-31', '2024/02/01', '2024-02-29 10:00:00', null]).type).toBe('date');
    expect(infer(['2023-02-30', '2024-01-01']).type).toBe('categorical');
    expect(parseDate('1970-01-02')).toBe(1);
    expect(parseDate('1970-01-01T12:00:00Z')).toBe(0.5);
  });

  it('flags an all-missing column and a constant column', () => {
    expect(infer([null, '', ' ', null])).toMatchObject({
      type: 'empty',
      allMissing: true,
      missing: 4,
      blankCells: 1,
    });
    expect(infer(['a', 'a', 'a'])).toMatchObject({ type: 'categorical', constant: true });
    // One value plus missing cells still says something (missing or not).
    expect(infer(['a', null, 'a']).constant).toBe(false);
  });

  it('flags id-like columns: mostly distinct text, or all-distinct integers/text named like an id', () => {
    expect(
      infer(
        repeat(10, (i) => `C-${i}`),
        'ref',
      ).idLike,
    ).toBe(true);
    expect(
      infer(
        repeat(10, (i) => String(i + 100)),
        'customer_id',
      ).idLike,
    ).toBe(true);
    expect(
      infer(
        repeat(10, (i) => String(i + 100)),
        'visits',
      ).idLike,
    ).toBe(false);
    expect(
      infer(
        repeat(10, (i) => `${i % 3}x`),
        'plan',
      ).idLike,
    ).toBe(false);
  });

  it('flags high-cardinality categorical columns', () => {
    const c = infer(repeat(1000, (i) => `city${i % 200}`));
    expect(c).toMatchObject({ type: 'categorical', idLike: false, highCardinality: true, distinct: 200 });
  });
});

describe('helpers', () => {
  it('recognises id names by word', () => {
    expect(['id', 'customerID', 'user_id', 'Account Id', 'uuid'].map(looksLikeIdName)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['paid', 'Android', 'idle', 'valid'].map(looksLikeIdName)).toEqual([false, false, false, false]);
  });

  it('parses numbers like pandas', () => {
    expect(parseNumber(' 12 ')).toBe(12);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('-inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseNumber('1,000')).toBeNaN();
    expect(parseNumber('0x10')).toBeNaN();
    expect(parseNumber('')).toBeNaN();
  });
});
