// The type of each column — numeric, boolean, date, categorical or empty — decided as pandas.read_csv would,
// except that a few stray texts in a numeric column (telco's TotalCharges " ") do not make it text.

import { type NumberCount, type NumberTally, tallyNumbers } from './number-tally.js';
import { isNaToken, parseBoolean, parseDate, parseNumber } from './parse-cell.js';
import {
  asTextColumn,
  type Column,
  lineOfRow,
  type NumberColumn,
  type Table,
  type TextColumn,
} from './table.js';

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

/** How each distinct text reads, as columns (no object per text: an id column has a million texts). */
interface TextClasses {
  na: Uint8Array;
  number: Float64Array;
  /** 1 true, 0 false, -1 not a boolean. */
  bool: Int8Array;
  date: Float64Array;
}

function classify(texts: string[]): TextClasses {
  const m = texts.length;
  const classes = {
    na: new Uint8Array(m),
    number: new Float64Array(m),
    bool: new Int8Array(m),
    date: new Float64Array(m),
  };
  for (let k = 0; k < m; k++) {
    const v = texts[k];
    classes.na[k] = isNaToken(v) ? 1 : 0;
    classes.number[k] = parseNumber(v);
    const b = parseBoolean(v);
    classes.bool[k] = b === undefined ? -1 : b ? 1 : 0;
    classes.date[k] = parseDate(v);
  }
  return classes;
}

/** Infers the type and quality flags of every column of a table. */
export function inferTable(table: Table, options: InferOptions = {}): ColumnInference[] {
  return table.columns.map((column) => inferColumn(column, options));
}

/** Infers the type and quality flags of one column. */
export function inferColumn(column: Column, options: InferOptions = {}): ColumnInference {
  const tally = column.kind === 'number' ? tallyNumberColumn(column) : tallyTextColumn(column);
  const { name } = column;
  const { rows, empty, texts, counts, firsts, numbers } = tally;
  const maxUnparsed = Math.min(
    options.maxUnparsedCells ?? 20,
    Math.floor((options.maxUnparsedShare ?? 0.01) * rows),
  );
  const classes = classify(texts);
  let naCells = 0;
  let numberCells = numbers.cells;
  let boolCells = 0;
  let dateCells = 0;
  let integer = numbers.integer;
  for (let k = 0; k < texts.length; k++) {
    if (classes.na[k]) naCells += counts[k];
    else if (!Number.isNaN(classes.number[k])) {
      numberCells += counts[k];
      if (!Number.isInteger(classes.number[k])) integer = false;
    }
    if (classes.bool[k] >= 0) boolCells += counts[k];
    if (!Number.isNaN(classes.date[k])) dateCells += counts[k];
  }
  const present = rows - empty - naCells; // non-missing cells that are not NA tokens

  let type: ColumnType;
  let parsed = (k: number) => !classes.na[k];
  if (present === 0) type = 'empty';
  else if (numberCells === present) type = 'numeric';
  else if (boolCells === present && naCells === 0 && empty === 0) type = 'boolean';
  else if (dateCells === present) type = 'date';
  else if (numberCells > 0 && present - numberCells <= maxUnparsed) type = 'numeric';
  else if (dateCells > 0 && present - dateCells <= maxUnparsed) type = 'date';
  else type = 'categorical';
  // A few dates among many plain numbers: the numbers are the unparsed cells; rare enough to do it the slow way.
  if (type === 'date' && numbers.cells > 0) return inferColumn(asTextColumn(column), options);
  if (type === 'numeric') parsed = (k) => classes.na[k] === 1 || !Number.isNaN(classes.number[k]);
  else if (type === 'date') parsed = (k) => classes.na[k] === 1 || !Number.isNaN(classes.date[k]);
  else if (type === 'categorical') parsed = () => true;

  const unparsed = collectUnparsed(column, texts, counts, parsed);
  const missing = type === 'categorical' ? empty : empty + naCells + unparsed.count;
  const distinct =
    numbers.distinct +
    (type === 'categorical' ? texts.length : countWhere(texts.length, (k) => parsed(k) && !classes.na[k]));
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
    top: topValues(texts, counts, firsts, numbers.top, 5),
    unparsed,
    integer: type === 'numeric' && integer,
    idLike,
    constant: distinct === 1 && missing === 0,
    allMissing: type === 'empty',
    highCardinality: type === 'categorical' && !idLike && distinct > (options.highCardinality ?? 100),
  };
}

/**
 * A column's cells by distinct text: `texts` with their `counts` and first rows, plus, for a NumberColumn,
 * the tally of the cells that are numbers in their shortest form (whose texts are `String(x)`, never in `texts`).
 */
interface Tally {
  rows: number;
  /** Empty and whitespace-only cells. */
  empty: number;
  texts: string[];
  counts: Uint32Array;
  /** First row of each text; null when the texts are in order of first appearance (dictionary codes). */
  firsts: Uint32Array | null;
  numbers: NumberTally;
}

const NO_NUMBERS: NumberTally = { cells: 0, distinct: 0, integer: true, top: [] };

function tallyTextColumn(column: TextColumn): Tally {
  const rows = column.codes.length;
  const counts = new Uint32Array(column.values.length);
  let empty = 0;
  for (let i = 0; i < rows; i++) {
    const code = column.codes[i];
    if (code < 0) empty++;
    else counts[code]++;
  }
  return { rows, empty, texts: column.values, counts, firsts: null, numbers: NO_NUMBERS };
}

function tallyNumberColumn(column: NumberColumn): Tally {
  const { exceptionRows, exceptionCodes, exceptionTexts } = column;
  const rows = column.numbers.length;
  const counts = new Uint32Array(exceptionTexts.length);
  const firsts = new Uint32Array(exceptionTexts.length);
  for (let k = 0; k < exceptionRows.length; k++) {
    const code = exceptionCodes[k];
    if (counts[code]++ === 0) firsts[code] = exceptionRows[k];
  }
  const numbers = tallyNumbers(column.numbers, exceptionRows, 5);
  const empty = rows - exceptionRows.length - numbers.cells;
  return { rows, empty, texts: exceptionTexts, counts, firsts, numbers };
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

function topValues(
  texts: string[],
  counts: Uint32Array,
  firsts: Uint32Array | null,
  numbers: NumberCount[],
  n: number,
): { value: string; count: number }[] {
  // One pass keeping the best n (by count, then first appearance): no object per text.
  const best: { value: string; count: number; first: number }[] = [];
  const offer = (value: string, count: number, first: number) => {
    if (best.length === n) {
      const last = best[n - 1];
      if (count < last.count || (count === last.count && first > last.first)) return;
      best.pop();
    }
    let p = best.length;
    while (p > 0 && (best[p - 1].count < count || (best[p - 1].count === count && best[p - 1].first > first)))
      p--;
    best.splice(p, 0, { value, count, first });
  };
  for (let k = 0; k < counts.length; k++) offer(texts[k], counts[k], firsts ? firsts[k] : k);
  for (const e of numbers) offer(String(e.value), e.count, e.first);
  return best.map(({ value, count }) => ({ value, count }));
}

/** The cells whose text is not `parsed`; only dictionary texts can be (the numbers of a NumberColumn parse). */
function collectUnparsed(
  column: Column,
  texts: string[],
  counts: Uint32Array,
  parsed: (k: number) => boolean,
): UnparsedCells {
  const bad = Array.from(counts.keys()).filter((k) => !parsed(k));
  if (bad.length === 0) return { count: 0, examples: [], lines: [] };
  const isBad = new Uint8Array(counts.length);
  for (const k of bad) isBad[k] = 1;
  const lines: number[] = [];
  const [rowsOf, codes] =
    column.kind === 'number' ? [column.exceptionRows, column.exceptionCodes] : [null, column.codes];
  for (let i = 0; i < codes.length && lines.length < 5; i++) {
    const code = codes[i];
    if (code >= 0 && isBad[code]) lines.push(lineOfRow(column, rowsOf === null ? i : rowsOf[i]));
  }
  bad.sort((a, b) => counts[b] - counts[a] || a - b);
  return {
    count: bad.reduce((sum, k) => sum + counts[k], 0),
    examples: bad.slice(0, 5).map((k) => texts[k]),
    lines,
  };
}
