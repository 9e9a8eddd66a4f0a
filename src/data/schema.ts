// The column encoding a saved model keeps: which columns are features, how each is read, and the categories
// learned from the training rows. `applySchema` turns any table with those columns into a FeatureMatrix.

import { InputError } from '../errors.js';
import type { FeatureKind, FeatureMatrix } from '../ml/matrix.js';
import type { ColumnInference } from './infer-types.js';
import { isNaToken, parseBoolean, parseDate, parseNumber } from './parse-cell.js';
import {
  asTextColumn,
  type Column,
  lineOfRow,
  type NumberColumn,
  type Table,
  type TextColumn,
} from './table.js';

// The label rule lives in label.ts; re-exported so the whole training-table encoding imports from here.
export { labelVector } from './label.js';

export const SCHEMA_FORMAT = 'churnwatch.schema';
export const SCHEMA_VERSION = 1;

/** How the file's text of a feature column becomes a number. */
export type SourceType = 'numeric' | 'boolean' | 'date' | 'categorical';

/** One feature column of the schema. */
export interface SchemaColumn {
  name: string;
  kind: FeatureKind;
  source: SourceType;
  /** Categorical: the categories seen in the training rows, sorted; a value's code is its index. */
  categories?: string[];
  /** Numeric, boolean, date: non-parsing texts seen in training and read as missing (e.g. "NA", "?"). */
  numericMissingTokens?: string[];
}

/** Why a column of the training table is not a feature. */
export type ExclusionReason = 'label' | 'dropped' | 'all-missing' | 'constant';

/** The column encoding of a model; plain JSON. */
export interface Schema {
  format: typeof SCHEMA_FORMAT;
  version: typeof SCHEMA_VERSION;
  label: string;
  columns: SchemaColumn[];
  excluded: { name: string; reason: ExclusionReason }[];
  /** What the user should hear about the fit: unused columns, kept id-like columns. */
  warnings: string[];
}

/** Options of `fitSchema`. */
export interface FitSchemaOptions {
  label: string;
  drop?: readonly string[];
  /** Training rows (0-based): categories are learned from these only. All rows when absent. */
  rows?: ArrayLike<number>;
}

/** Cells of a feature column that became missing: unreadable as the column's type, or an unseen category. */
export interface ApplyProblem {
  column: string;
  kind: 'unreadable' | 'unseen-category';
  count: number;
  /** Up to 5 distinct offending texts. */
  examples: string[];
  /** File line of the first offending cell. */
  firstLine: number;
}

/** A feature matrix and the cells that became missing, as one-line messages and as data. */
export interface AppliedSchema {
  matrix: FeatureMatrix;
  problems: string[];
  details: ApplyProblem[];
}

/** Learns the schema from a training table and its inferred types; excludes empty and constant columns. */
export function fitSchema(
  table: Table,
  inferred: readonly ColumnInference[],
  options: FitSchemaOptions,
): Schema {
  const where = { file: table.file };
  for (const name of [options.label, ...(options.drop ?? [])]) {
    if (!table.header.includes(name)) {
      throw new InputError(`column "${name}" not found; the columns are: ${table.header.join(', ')}`, {
        ...where,
        column: name,
      });
    }
  }
  const drop = new Set(options.drop ?? []);
  const columns: SchemaColumn[] = [];
  const excluded: Schema['excluded'] = [];
  const idLike: string[] = [];
  for (let j = 0; j < table.header.length; j++) {
    const info = inferred[j];
    const name = table.header[j];
    const reason: ExclusionReason | undefined =
      name === options.label
        ? 'label'
        : drop.has(name)
          ? 'dropped'
          : info.allMissing
            ? 'all-missing'
            : info.constant
              ? 'constant'
              : undefined;
    if (reason) {
      excluded.push({ name, reason });
      continue;
    }
    if (info.idLike) idLike.push(name);
    columns.push(fitColumn(name, info.type, table.columns[j], options.rows));
  }

  const warnings: string[] = [];
  const named = (reason: ExclusionReason) =>
    excluded.filter((e) => e.reason === reason).map((e) => `"${e.name}"`);
  if (named('all-missing').length > 0)
    warnings.push(`not used, empty in every row: ${named('all-missing').join(', ')}`);
  if (named('constant').length > 0)
    warnings.push(`not used, the same value in every row: ${named('constant').join(', ')}`);
  for (const name of idLike) {
    warnings.push(`column "${name}" looks like an identifier; if it is one, pass --drop ${name}`);
  }
  if (columns.length === 0) {
    throw new InputError(
      `no usable feature column: ${excluded.map((e) => `"${e.name}" (${e.reason})`).join(', ')}`,
      where,
    );
  }
  return {
    format: SCHEMA_FORMAT,
    version: SCHEMA_VERSION,
    label: options.label,
    columns,
    excluded,
    warnings,
  };
}

function fitColumn(
  name: string,
  type: ColumnInference['type'],
  column: Column,
  rows: ArrayLike<number> | undefined,
): SchemaColumn {
  if (type === 'categorical') {
    const text = asTextColumn(column);
    const seen = new Uint8Array(text.values.length);
    if (rows === undefined) seen.fill(1);
    else {
      for (let r = 0; r < rows.length; r++) {
        const code = text.codes[rows[r]];
        if (code >= 0) seen[code] = 1;
      }
    }
    const categories = text.values.filter((_, k) => seen[k] === 1).sort(byCodeUnits);
    return { name, kind: 'categorical', source: 'categorical', categories };
  }
  const source: SourceType = type === 'empty' ? 'numeric' : type;
  const read = reader(source);
  // The numbers of a NumberColumn all read as numbers: only its exception texts can be missing tokens.
  const texts =
    column.kind === 'number' && source === 'numeric' ? column.exceptionTexts : asTextColumn(column).values;
  const tokens = texts.filter((v) => Number.isNaN(read(v)));
  return {
    name,
    kind: 'numeric',
    source,
    ...(tokens.length > 0 ? { numericMissingTokens: tokens.slice(0, 50) } : {}),
  };
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function reader(source: Exclude<SourceType, 'categorical'>): (text: string) => number {
  if (source === 'boolean') {
    return (text) => {
      const b = parseBoolean(text);
      return b === undefined ? Number.NaN : b ? 1 : 0;
    };
  }
  return source === 'date' ? parseDate : parseNumber;
}

/** Encodes a table with a schema; unseen categories and unreadable values become NaN (the latter reported). */
export function applySchema(schema: Schema, table: Table): AppliedSchema {
  const absent = schema.columns.filter((c) => !table.header.includes(c.name)).map((c) => `"${c.name}"`);
  if (absent.length > 0) {
    throw new InputError(
      `column${absent.length > 1 ? 's' : ''} ${absent.join(', ')} of the model ${absent.length > 1 ? 'are' : 'is'} not in the table`,
      { file: table.file, column: schema.columns.find((c) => !table.header.includes(c.name))?.name },
    );
  }
  const details: ApplyProblem[] = [];
  const columns = schema.columns.map((c) => {
    const column = table.columns[table.header.indexOf(c.name)];
    const { values, problem } =
      c.kind === 'numeric' && c.source === 'numeric' && column.kind === 'number'
        ? numberColumnValues(c, column)
        : textColumnValues(c, asTextColumn(column), table.nRows);
    if (problem) {
      details.push({
        column: c.name,
        kind: c.kind === 'categorical' ? 'unseen-category' : 'unreadable',
        count: problem.count,
        examples: problem.examples,
        firstLine: lineOfRow(table, problem.firstRow),
      });
    }
    return values;
  });
  const matrix: FeatureMatrix = {
    nRows: table.nRows,
    names: schema.columns.map((c) => c.name),
    kinds: schema.columns.map((c) => c.kind),
    categories: schema.columns.map((c) => c.categories ?? []),
    columns,
  };
  return { matrix, problems: details.map(problemMessage), details };
}

function problemMessage(p: ApplyProblem): string {
  const cells = `${p.count} cell${p.count === 1 ? '' : 's'} of "${p.column}"`;
  const examples = p.examples.map((e) => JSON.stringify(e)).join(', ');
  return p.kind === 'unseen-category'
    ? `${cells} hold${p.count === 1 ? 's' : ''} a value not seen in training (${examples}; first on line ${p.firstLine}); scored as missing`
    : `${cells} cannot be read (${examples}; first on line ${p.firstLine}); scored as missing`;
}

interface ValueProblem {
  count: number;
  /** Up to 5 distinct offending texts, in order of first appearance. */
  examples: string[];
  firstRow: number;
}

interface EncodedColumn {
  values: Float64Array;
  problem?: ValueProblem;
}

/**
 * A NumberColumn read as numbers is already encoded: NaN where missing or unreadable. Its array is used as
 * is, not copied (the matrix shares it with the table); only its exception texts can be problems.
 */
function numberColumnValues(c: SchemaColumn, column: NumberColumn): EncodedColumn {
  const known = new Set(c.numericMissingTokens ?? []);
  const isBad = column.exceptionTexts.map(
    (v) => Number.isNaN(parseNumber(v)) && !known.has(v) && !isNaToken(v),
  );
  const rows = column.exceptionRows;
  const codes = column.exceptionCodes;
  return {
    values: column.numbers,
    problem: describeBad(
      rows.length,
      (k) => rows[k],
      (k) => codes[k],
      column.exceptionTexts,
      isBad,
    ),
  };
}

function textColumnValues(c: SchemaColumn, column: TextColumn, nRows: number): EncodedColumn {
  const perValue = c.kind === 'categorical' ? categoryCodes(c, column) : numericValues(c, column);
  // An unseen category, or an unreadable text that is not a known missing token.
  const known = new Set(c.numericMissingTokens ?? []);
  const isBad = column.values.map(
    (v, k) => Number.isNaN(perValue[k]) && (c.kind === 'categorical' || (!known.has(v) && !isNaToken(v))),
  );
  const values = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const code = column.codes[i];
    values[i] = code < 0 ? Number.NaN : perValue[code];
  }
  const codes = column.codes;
  return {
    values,
    problem: describeBad(
      codes.length,
      (i) => i,
      (i) => codes[i],
      column.values,
      isBad,
    ),
  };
}

function categoryCodes(c: SchemaColumn, column: TextColumn): Float64Array {
  const index = new Map((c.categories ?? []).map((v, k) => [v, k]));
  return Float64Array.from(column.values, (v) => index.get(v) ?? Number.NaN);
}

function numericValues(c: SchemaColumn, column: TextColumn): Float64Array {
  const read = reader(c.source === 'categorical' ? 'numeric' : c.source);
  return Float64Array.from(column.values, read);
}

/**
 * Counts the cells whose text is bad, walking cells in row order: cell `k` of `n` is on row `rowOf(k)` and holds
 * text `codeOf(k)` (-1: missing).
 */
function describeBad(
  n: number,
  rowOf: (k: number) => number,
  codeOf: (k: number) => number,
  texts: string[],
  isBad: boolean[],
): ValueProblem | undefined {
  if (!isBad.includes(true)) return undefined;
  let count = 0;
  let firstRow = -1;
  const examples: string[] = [];
  for (let k = 0; k < n; k++) {
    const code = codeOf(k);
    if (code >= 0 && isBad[code]) {
      count++;
      if (firstRow < 0) firstRow = rowOf(k);
      if (examples.length < 5 && !examples.includes(texts[code])) examples.push(texts[code]);
    }
  }
  return { count, examples, firstRow };
}
