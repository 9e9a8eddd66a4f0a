// A customer table as read from a file: one column per header name, numeric columns as doubles, the others
// dictionary-encoded. Every later stage (type inference, report, schema, label) reads cells through this shape.

import type { TextEncodingName } from './decode.js';

/**
 * One column of cell texts, dictionary-encoded: 1M rows of "Yes"/"No" cost 4 MB, not 1M strings.
 * Texts are kept exactly as in the file (no trimming); empty and whitespace-only cells are missing.
 */
export interface TextColumn {
  /** Absent or 'text'; tells it from a NumberColumn. */
  kind?: 'text';
  /** The header name. */
  name: string;
  /** Distinct non-missing cell texts, in order of first appearance. */
  values: string[];
  /** `codes[i]` indexes `values` for data row i; -1 means missing. */
  codes: Int32Array;
  /** How many missing cells held whitespace (e.g. " "), not nothing: pandas would read those as text. */
  blankCells: number;
  /** 0-based data rows of the first (up to 5) whitespace-only cells. */
  firstBlankRows: number[];
  /** The table's `rowLines` (shared, not copied), so a column alone can say where its cells are. */
  rowLines: Uint32Array;
}

/**
 * A column whose cells are (nearly) all numbers: 1M distinct prices cost 8 MB, not 1M strings and a Map.
 * Every cell's text is still known exactly: a cell that is not an exception holds `String(numbers[i])`, or is
 * missing (empty or whitespace-only) when `numbers[i]` is NaN; an exception keeps its text in a small sparse
 * dictionary. Exceptions are the texts `String()` would not give back: NA tokens, stray words ("?"),
 * and numbers written otherwise (" 3", "1.50", "1e-05"); `numbers` holds `parseNumber` of them (maybe NaN).
 *
 *   row:        0     1      2    3     4
 *   file text:  "1.5" "NA"   ""   "2"   "1e-05"
 *   numbers:    1.5   NaN    NaN  2     0.00001
 *   exceptions:       rows [1, 4], codes [0, 1], texts ["NA", "1e-05"]
 */
export interface NumberColumn {
  kind: 'number';
  name: string;
  /** One value per data row; NaN where missing or unreadable, so a FeatureMatrix can use it as is. */
  numbers: Float64Array;
  /** Rows of the exception cells, ascending. */
  exceptionRows: Uint32Array;
  /** `exceptionCodes[k]` indexes `exceptionTexts` for row `exceptionRows[k]`. */
  exceptionCodes: Int32Array;
  /** Distinct exception texts, in order of first appearance. */
  exceptionTexts: string[];
  blankCells: number;
  firstBlankRows: number[];
  rowLines: Uint32Array;
}

/** A column of a table: numbers where the file allows it, dictionary-encoded texts otherwise. */
export type Column = TextColumn | NumberColumn;

/** A table read from a delimited text file. */
export interface Table {
  file: string;
  encoding: TextEncodingName;
  delimiter: string;
  header: string[];
  columns: Column[];
  nRows: number;
  /** File line (1-based, header on line 1) where each data row starts; differs from i + 2 after multi-line cells or blank lines. */
  rowLines: Uint32Array;
  /** Things noticed while reading that are not errors. */
  warnings: string[];
}

/** Returns the text of a cell, or null when it is missing. */
export function cellText(column: Column, row: number): string | null {
  if (column.kind !== 'number') {
    const code = column.codes[row];
    return code < 0 ? null : column.values[code];
  }
  const k = exceptionIndex(column, row);
  if (k >= 0) return column.exceptionTexts[column.exceptionCodes[k]];
  const x = column.numbers[row];
  return Number.isNaN(x) ? null : String(x);
}

/** Position of `row` in `column.exceptionRows` (binary search), or -1. */
function exceptionIndex(column: NumberColumn, row: number): number {
  const rows = column.exceptionRows;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < row) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length && rows[lo] === row ? lo : -1;
}

/**
 * The column as dictionary-encoded texts, values in order of first appearance — exactly what reading it as
 * text would have given. Costs a dictionary for a NumberColumn: for the rare uses that need every text.
 */
export function asTextColumn(column: Column): TextColumn {
  if (column.kind !== 'number') return column;
  const { numbers, exceptionRows, exceptionCodes, exceptionTexts } = column;
  const values: string[] = [];
  const codes = new Int32Array(numbers.length);
  // Number texts (String(x)) and exception texts never coincide, so the two maps share one code space.
  const byNumber = new Map<number, number>();
  const byException = new Int32Array(exceptionTexts.length).fill(-1);
  let k = 0;
  for (let i = 0; i < numbers.length; i++) {
    if (k < exceptionRows.length && exceptionRows[k] === i) {
      const e = exceptionCodes[k++];
      if (byException[e] < 0) byException[e] = values.push(exceptionTexts[e]) - 1;
      codes[i] = byException[e];
      continue;
    }
    const x = numbers[i];
    if (Number.isNaN(x)) {
      codes[i] = -1;
      continue;
    }
    let code = byNumber.get(x);
    if (code === undefined) {
      code = values.push(String(x)) - 1;
      byNumber.set(x, code);
    }
    codes[i] = code;
  }
  return {
    name: column.name,
    values,
    codes,
    blankCells: column.blankCells,
    firstBlankRows: column.firstBlankRows,
    rowLines: column.rowLines,
  };
}

/** Returns the file line number a user would look at for data row `row` (0-based). */
export function lineOfRow(table: Pick<Table, 'rowLines'>, row: number): number {
  return table.rowLines[row] ?? row + 2;
}

/** Returns the index of a column by exact name, or -1. */
export function columnIndex(table: Table, name: string): number {
  return table.header.indexOf(name);
}
