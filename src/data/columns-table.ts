// A Table built from query columns rather than read from a file, so tables that come out of the warehouse
// (snapshots, features at "now") go through the same type inference, schema and encoding as a CSV does.

import type { Column, NumberColumn, Table, TextColumn } from './table.js';

/** A column of query cells: numbers (or null) become a NumberColumn, anything else dictionary-encoded text. */
export type CellColumn = readonly (string | number | boolean | bigint | Date | null)[];

/**
 * The table of `names` × `columns` (all of one length). `source` names where it came from in messages
 * (e.g. `warehouse table snapshots`); row r is reported as "line r + 2", as if a header came first.
 */
export function tableFromColumns(
  source: string,
  names: readonly string[],
  columns: readonly CellColumn[],
): Table {
  const nRows = columns[0]?.length ?? 0;
  const rowLines = Uint32Array.from({ length: nRows }, (_, r) => r + 2);
  return {
    file: source,
    encoding: 'utf-8',
    delimiter: ',',
    header: [...names],
    columns: names.map((name, j) => toColumn(name, columns[j] ?? [], rowLines)),
    nRows,
    rowLines,
    warnings: [],
  };
}

function toColumn(name: string, cells: CellColumn, rowLines: Uint32Array): Column {
  const numeric = cells.every((cell) => cell === null || typeof cell === 'number');
  return numeric
    ? numberColumn(name, cells as readonly (number | null)[], rowLines)
    : textColumn(name, cells, rowLines);
}

function numberColumn(name: string, cells: readonly (number | null)[], rowLines: Uint32Array): NumberColumn {
  const numbers = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) numbers[i] = cells[i] ?? Number.NaN;
  return {
    kind: 'number',
    name,
    numbers,
    exceptionRows: new Uint32Array(0),
    exceptionCodes: new Int32Array(0),
    exceptionTexts: [],
    blankCells: 0,
    firstBlankRows: [],
    rowLines,
  };
}

function textColumn(name: string, cells: CellColumn, rowLines: Uint32Array): TextColumn {
  const values: string[] = [];
  const codeOf = new Map<string, number>();
  const codes = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === '') {
      codes[i] = -1;
      continue;
    }
    const text = cell instanceof Date ? cell.toISOString().slice(0, 19).replace('T', ' ') : String(cell);
    let code = codeOf.get(text);
    if (code === undefined) {
      code = values.push(text) - 1;
      codeOf.set(text, code);
    }
    codes[i] = code;
  }
  return { name, values, codes, blankCells: 0, firstBlankRows: [], rowLines };
}
