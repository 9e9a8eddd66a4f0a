// A customer table as read from a file: one dictionary-encoded text column per header name.
// Every later stage (type inference, report, schema, label) reads cells through this shape.

import type { TextEncodingName } from './decode.js';

/**
 * One column of cell texts, dictionary-encoded: 1M rows of "Yes"/"No" cost 4 MB, not 1M strings.
 * Texts are kept exactly as in the file (no trimming); empty and whitespace-only cells are missing.
 */
export interface TextColumn {
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

/** A table read from a delimited text file. */
export interface Table {
  file: string;
  encoding: TextEncodingName;
  delimiter: string;
  header: string[];
  columns: TextColumn[];
  nRows: number;
  /** File line (1-based, header on line 1) where each data row starts; differs from i + 2 after multi-line cells or blank lines. */
  rowLines: Uint32Array;
  /** Things noticed while reading that are not errors. */
  warnings: string[];
}

/** Returns the text of a cell, or null when it is missing. */
export function cellText(column: TextColumn, row: number): string | null {
  const code = column.codes[row];
  return code < 0 ? null : column.values[code];
}

/** Returns the file line number a user would look at for data row `row` (0-based). */
export function lineOfRow(table: Pick<Table, 'rowLines'>, row: number): number {
  return table.rowLines[row] ?? row + 2;
}

/** Returns the index of a column by exact name, or -1. */
export function columnIndex(table: Table, name: string): number {
  return table.header.indexOf(name);
}
