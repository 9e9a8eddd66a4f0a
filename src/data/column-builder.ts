// Builds one column of a Table as rows arrive: as numbers while the cells read as numbers, switching for good to
// dictionary-encoded texts once the column has more stray texts than a numeric column may have.

import { isNaToken, parseNumber, parseShortestNumber } from './parse-cell.js';
import { asTextColumn, type Column, type NumberColumn, type TextColumn } from './table.js';

/**
 * Stray texts (neither numbers nor NA tokens) a column may hold and still be read as numbers; past this the
 * column cannot be numeric under the default inference thresholds (`maxUnparsedCells`), so it becomes text.
 */
export const MAX_STRAY_TEXTS = 20;

/** Texts of this length or more are copied before being kept: a substring could pin the whole chunk it came from. */
const DETACH_LENGTH = 13;

/** Accumulates one column's cells; `grow` must make room before `push` is called for a row past the capacity. */
export class ColumnBuilder {
  blankCells = 0;
  firstBlankRows: number[] = [];

  // Number mode (numbers !== null).
  private numbers: Float64Array | null;
  private exceptionRows: Uint32Array = new Uint32Array(16);
  private exceptionCodes: Int32Array = new Int32Array(16);
  private nExceptions = 0;
  private exceptionTexts: string[] = [];
  private exceptionIndex = new Map<string, number>();
  private strayTexts = 0;

  // Text mode.
  private values: string[] = [];
  private index = new Map<string, number>();
  private codes: Int32Array = new Int32Array(0);

  constructor(
    readonly name: string,
    capacity: number,
  ) {
    this.numbers = new Float64Array(capacity);
  }

  /** Rows the column has room for. */
  get capacity(): number {
    return this.numbers === null ? this.codes.length : this.numbers.length;
  }

  /** Makes room for `capacity` rows, keeping the first `nRows`. */
  grow(capacity: number, nRows: number): void {
    if (this.numbers !== null) this.numbers = resized(this.numbers, capacity, nRows);
    else this.codes = resized(this.codes, capacity, nRows);
  }

  /** Stores the text of data row `row`; rows arrive in order. */
  push(row: number, cell: string): void {
    const numbers = this.numbers;
    if (numbers !== null) {
      const x = parseShortestNumber(cell);
      if (!Number.isNaN(x)) numbers[row] = x;
      else this.pushOddNumber(numbers, row, cell);
      return;
    }
    let code = this.index.get(cell);
    if (code === undefined) {
      if (this.isMissing(row, cell)) {
        this.codes[row] = -1;
        return;
      }
      code = this.values.push(detach(cell)) - 1;
      this.index.set(this.values[code], code);
    }
    this.codes[row] = code;
  }

  /** A cell of a number-mode column that is not a number in its shortest form. */
  private pushOddNumber(numbers: Float64Array, row: number, cell: string): void {
    if (this.isMissing(row, cell)) {
      numbers[row] = Number.NaN;
      return;
    }
    const x = parseNumber(cell);
    numbers[row] = x;
    if (this.nExceptions === this.exceptionRows.length) {
      this.exceptionRows = resized(this.exceptionRows, 2 * this.nExceptions, this.nExceptions);
      this.exceptionCodes = resized(this.exceptionCodes, 2 * this.nExceptions, this.nExceptions);
    }
    let code = this.exceptionIndex.get(cell);
    if (code === undefined) {
      code = this.exceptionTexts.push(detach(cell)) - 1;
      this.exceptionIndex.set(this.exceptionTexts[code], code);
    }
    this.exceptionRows[this.nExceptions] = row;
    this.exceptionCodes[this.nExceptions++] = code;
    if (Number.isNaN(x) && !isNaToken(cell) && ++this.strayTexts > MAX_STRAY_TEXTS) this.becomeText(row + 1);
  }

  /** True (and counted if whitespace) for an empty or whitespace-only cell. */
  private isMissing(row: number, cell: string): boolean {
    if (cell === '') return true;
    if (cell.trim() !== '') return false;
    if (this.blankCells++ < 5) this.firstBlankRows.push(row);
    return true;
  }

  /** Re-encodes the first `nRows` rows as texts and continues in text mode. */
  private becomeText(nRows: number): void {
    const column = this.finishNumbers(nRows);
    const capacity = this.capacity;
    this.numbers = null;
    const { values, codes } = asTextColumn(column);
    this.values = values;
    this.index = new Map(values.map((v, k) => [v, k]));
    this.codes = resized(codes, capacity, nRows);
    this.exceptionIndex = new Map();
    this.exceptionTexts = [];
  }

  private finishNumbers(nRows: number): NumberColumn {
    return {
      kind: 'number',
      name: this.name,
      numbers: fitted(this.numbers ?? new Float64Array(0), nRows),
      exceptionRows: this.exceptionRows.slice(0, this.nExceptions),
      exceptionCodes: this.exceptionCodes.slice(0, this.nExceptions),
      exceptionTexts: this.exceptionTexts,
      blankCells: this.blankCells,
      firstBlankRows: this.firstBlankRows,
      rowLines: new Uint32Array(0),
    };
  }

  /** The finished column of `nRows` rows; the builder must not be used afterwards. */
  finish(nRows: number, rowLines: Uint32Array): Column {
    if (this.numbers !== null) return { ...this.finishNumbers(nRows), rowLines };
    return {
      name: this.name,
      rowLines,
      values: this.values,
      codes: fitted(this.codes, nRows),
      blankCells: this.blankCells,
      firstBlankRows: this.firstBlankRows,
    } satisfies TextColumn;
  }
}

type Growable = Float64Array | Int32Array | Uint32Array;

/** A copy of `array` with room for `capacity` elements, keeping the first `n`. */
function resized<T extends Growable>(array: T, capacity: number, n: number): T {
  const grown = new (array.constructor as new (length: number) => T)(capacity);
  grown.set(array.subarray(0, n));
  return grown;
}

/** The first `n` elements: the array itself when it has little spare room (no copy), else a copy. */
function fitted<T extends Growable>(array: T, n: number): T {
  if (array.length === n) return array;
  if (n >= array.length * 0.9) return array.subarray(0, n) as T;
  return array.slice(0, n) as T;
}

/** A copy of a long text that shares no memory with the string it was cut from. */
function detach(text: string): string {
  return text.length < DETACH_LENGTH ? text : `${text} `.slice(0, -1);
}
