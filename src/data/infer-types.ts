// The type of each column — numeric, boolean, date, categorical or empty — decided as pandas.read_csv would,
// except that a few stray texts in a numeric column (telco's TotalCharges " ") do not make it text.

import { isNaToken, parseBoolean, parseDate, parseNumber } from './parse-cell.js';
import { lineOfRow, type Table, type TextColumn } from './table.js';

/** The type a column is read as. */
export type ColumnType = 'numeric' | 'boolean' | 'categorical' | 'date' | 'empty';

/** Cells of a numeric or date column whose text is not of that type; they are read as missing. */
export interface UnparsedCells {
  count: number;
  /** Up to 5 distinct offending texts, most frequent first. */
  examples: string[];
  /** File lines (header = line 1) of the first up to 5 such cells. */
  lines: number[];
}

/** What was learned about one column. */
export interface ColumnInference {
  name: string;
  type: ColumnType;
  rows: number;
  /** Missing cells: empty, whitespace-only, pandas NA tokens (not for categorical) and unparsed cells. */
  missing: number;
  /** Of the missing cells, those holding only whitespace (pandas would read them as text). */
  blankCells: number;
  /** File lines of the first (up to 5) whitespace-only cells. */
  blankLines: number[];
  /** Distinct non-missing texts. */
  distinct: number;
  /** Up to 5 most frequent non-missing texts with their counts. */
  top: { value: string; count: number }[];
  unparsed: UnparsedCells;
  /** Numeric columns: every value is a whole number. */
  integer: boolean;
  idLike: boolean;
  /** A single value in every row, no missing cells: carries no information. */
  constant: boolean;
  allMissing: boolean;
  /** Categorical with more than `highCardinality` distinct values (and not id-like). */
  highCardinality: boolean;
}

/** Thresholds of `inferColumn`; the defaults are the reference's where it has one. */
export interface InferOptions {
  /** Most cells of a numeric/date column that may fail to parse, as a share of rows (default 0.01)... */
  maxUnparsedShare?: number;
  /** ...and as a count (default 20). */
  maxUnparsedCells?: number;
  /** Categorical with more distinct values than this share of rows is id-like (default 0.5, as the reference). */
  idLikeShare?: number;
  /** Categorical with more distinct values than this is high-cardinality (default 100). */
  highCardinality?: number;
}

interface ValueClass {
  na: boolean;
  number: number;
  bool: boolean | undefined;
  date: number;
}

/** Infers the type and quality flags of every column of a table. */
export function inferTable(table: Table, options: InferOptions = {}): ColumnInference[] {
  return table.columns.map((column) => inferColumn(column, options));
}

/** Infers the type and quality flags of one column. */
export function inferColumn(column: TextColumn, options: InferOptions = {}): ColumnInference {
  const { name } = column;
  const rows = column.codes.length;
  const maxUnparsed = Math.min(
    options.maxUnparsedCells ?? 20,
    Math.floor((options.maxUnparsedShare ?? 0.01) * rows),
  );
  const counts = new Uint32Array(column.values.length);
  let empty = 0;
  for (let i = 0; i < rows; i++) {
    const code = column.codes[i];
    if (code < 0) empty++;
    else counts[code]++;
  }
  const classes: ValueClass[] = column.values.map((v) => ({
    na: isNaToken(v),
    number: parseNumber(v),
    bool: parseBoolean(v),
    date: parseDate(v),
  }));

  let naCells = 0;
  let numberCells = 0;
  let boolCells = 0;
  let dateCells = 0;
  let integer = true;
  for (let k = 0; k < classes.length; k++) {
    const c = classes[k];
    if (c.na) naCells += counts[k];
    else if (!Number.isNaN(c.number)) {
      numberCells += counts[k];
      if (!Number.isInteger(c.number)) integer = false;
    }
    if (c.bool !== undefined) boolCells += counts[k];
    if (!Number.isNaN(c.date)) dateCells += counts[k];
  }
  const present = rows - empty - naCells; // non-missing cells that are not NA tokens

  let type: ColumnType;
  let parsed = (k: number) => !classes[k].na;
  if (present === 0) type = 'empty';
  else if (numberCells === present) type = 'numeric';
  else if (boolCells === present && naCells === 0 && empty === 0) type = 'boolean';
  else if (dateCells === present) type = 'date';
  else if (numberCells > 0 && present - numberCells <= maxUnparsed) type = 'numeric';
  else if (dateCells > 0 && present - dateCells <= maxUnparsed) type = 'date';
  else type = 'categorical';
  if (type === 'numeric') parsed = (k) => classes[k].na || !Number.isNaN(classes[k].number);
  else if (type === 'date') parsed = (k) => classes[k].na || !Number.isNaN(classes[k].date);
  else if (type === 'categorical') parsed = () => true;

  const unparsed = collectUnparsed(column, counts, parsed);
  const missing = type === 'categorical' ? empty : empty + naCells + unparsed.count;
  const distinct =
    type === 'categorical'
      ? column.values.length
      : countWhere(classes.length, (k) => parsed(k) && !classes[k].na);
  const idLike =
    (type === 'categorical' && distinct > (options.idLikeShare ?? 0.5) * rows) ||
    ((type === 'categorical' || (type === 'numeric' && integer)) &&
      distinct === rows &&
      looksLikeIdName(name));

  return {
    name,
    type,
    rows,
    missing,
    blankCells: column.blankCells,
    blankLines: column.firstBlankRows.map((i) => lineOfRow(column, i)),
    distinct,
    top: topValues(column.values, counts, 5),
    unparsed,
    integer: type === 'numeric' && integer,
    idLike,
    constant: distinct === 1 && missing === 0,
    allMissing: type === 'empty',
    highCardinality: type === 'categorical' && !idLike && distinct > (options.highCardinality ?? 100),
  };
}

/** True for names with an `id` word: `id`, `customerID`, `user_id`, `Account Id`, `uuid` (not `paid`, `Android`). */
export function looksLikeIdName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/);
  return words.some((w) => /^(id|uuid|guid)$/i.test(w));
}

function countWhere(n: number, test: (k: number) => boolean): number {
  let count = 0;
  for (let k = 0; k < n; k++) if (test(k)) count++;
  return count;
}

function topValues(values: string[], counts: Uint32Array, n: number): { value: string; count: number }[] {
  const order = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || a - b);
  return order.slice(0, n).map((k) => ({ value: values[k], count: counts[k] }));
}

function collectUnparsed(
  column: TextColumn,
  counts: Uint32Array,
  parsed: (k: number) => boolean,
): UnparsedCells {
  const bad = Array.from(counts.keys()).filter((k) => !parsed(k));
  if (bad.length === 0) return { count: 0, examples: [], lines: [] };
  const isBad = new Uint8Array(counts.length);
  for (const k of bad) isBad[k] = 1;
  const lines: number[] = [];
  for (let i = 0; i < column.codes.length && lines.length < 5; i++) {
    const code = column.codes[i];
    if (code >= 0 && isBad[code]) lines.push(lineOfRow(column, i));
  }
  bad.sort((a, b) => counts[b] - counts[a] || a - b);
  return {
    count: bad.reduce((sum, k) => sum + counts[k], 0),
    examples: bad.slice(0, 5).map((k) => column.values[k]),
    lines,
  };
}
